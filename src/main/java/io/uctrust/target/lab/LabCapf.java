package io.uctrust.target.lab;

import io.uctrust.capf.CapfConnection;
import io.uctrust.capf.LegacyPhoneModels;
import io.uctrust.capf.OnlineCaClient;
import io.uctrust.capf.OnlineCaException;
import io.uctrust.cluster.ClusterException;
import io.uctrust.desired.CapfSpec.CapfIssuer;
import io.uctrust.desired.PhoneCertificatePolicySpec.AuthenticationMode;
import io.uctrust.desired.PhoneCertificatePolicySpec.KeyOrder;
import io.uctrust.desired.PhoneCertificatePolicySpec.Operation;
import io.uctrust.desired.TrustStoreSpec.Store;
import io.uctrust.pki.CertificateAuthority;
import io.uctrust.pki.ChainValidator;
import io.uctrust.pki.Csr;
import io.uctrust.pki.KeyPairs;
import io.uctrust.pki.Pem;
import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The lab's Certificate Authority Proxy Function and the CAPF side of its phones: when a phone with a pending
 * certificate operation gets its configuration it opens a session, authenticates by the mode it keeps in flash,
 * generates its key pair (the private key never leaves the phone; the lab does not keep it), and receives an LSC
 * from the active issuer, with the failure behaviour of the CAPF guide: three retries 30 s apart after a
 * communication failure, resumption with the flash authentication mode after a power failure, a stale LSC for
 * every certificate issued for a CSR the phone replaced, and {@code User Initiated Request Late/Timedout} after
 * the operation's completion time. Time comes from the lab's clock, so tests move it instead of sleeping.
 *
 * <p>Not for: a real cluster's phones (their CAPF does this), or deciding which phones need an operation (the
 * planner does).
 */
final class LabCapf {
  /** A phone retries a failed installation three more times, 30 s apart (not configurable on real phones). */
  static final Duration RETRY_INTERVAL = Duration.ofSeconds(30);
  static final int RETRIES = 3;
  /** How long a phone takes to boot after a power failure before it resumes its CAPF session. */
  static final Duration REBOOT = Duration.ofSeconds(60);

  private final LabState state;
  private final LabCapfAuthority authority;
  private final Clock clock;

  LabCapf(LabState state, LabCapfAuthority authority, Clock clock) {
    this.state = state;
    this.authority = authority;
    this.clock = clock;
  }

  /** The lab's time: the real (or test) clock moved by {@code uctrust lab advance}. */
  Instant now() {
    return clock.instant().plusSeconds(state.clockOffsetSeconds);
  }

  /**
   * The phone got its configuration (applyPhone): it resets and, with an operation pending, contacts CAPF at
   * once. A phone still booting after a power failure has not read the new configuration: its session goes on.
   */
  void configured(LabState.Phone phone) {
    if (Operation.valueOf(phone.certificateOperation) == Operation.NONE) {
      phone.session = null;
      return;
    }
    if (phone.session != null && phone.session.interrupted && phone.session.nextAttempt.isAfter(now())) {
      return;
    }
    LabState.Session session = new LabState.Session();
    session.started = now();
    session.nextAttempt = session.started;
    session.flashAuthenticationMode = phone.authenticationMode;
    session.flashAuthenticationString = phone.authenticationString;
    phone.session = session;
    phone.certificateStatus = "Operation Pending";
    phone.sessionNote = null;
  }

  /**
   * Runs every session step that is due by the lab's time, each at the time it was due (a phone whose retries
   * fell due one after another makes each of them); returns how many steps ran.
   */
  int advance() {
    Instant now = now();
    int steps = 0;
    while (true) {
      List<LabState.Phone> due = new ArrayList<>();
      for (LabState.Phone phone : state.phones) {
        if (phone.session != null && !phone.session.nextAttempt.isAfter(now)) {
          due.add(phone);
        }
      }
      if (due.isEmpty()) {
        return steps;
      }
      Context context = context();
      // Key generation dominates; each phone's session touches only that phone until its result is applied.
      List<Step> results = due.parallelStream().map(phone -> attempt(phone, phone.session.nextAttempt, context)).toList();
      for (Step step : results) {
        step.apply(this);
      }
      steps += due.size();
    }
  }

  /** What one session attempt did, applied to the shared state in phone order. */
  private record Step(LabState.Phone phone, Instant now, String status, boolean done, Instant retryAt,
      X509Certificate installed, List<String> staleSerials, String pendingCsr, String note) {
    void apply(LabCapf capf) {
      for (String serial : staleSerials) {
        LabState.StaleLsc stale = new LabState.StaleLsc();
        stale.phone = phone.name;
        stale.serial = serial;
        stale.issued = now;
        capf.state.staleLscs.add(stale);
      }
      if (pendingCsr != null) {
        capf.state.pendingCsrs.removeIf(c -> c.phone.equals(phone.name));
        LabState.PendingCsr csr = new LabState.PendingCsr();
        csr.phone = phone.name;
        csr.pem = pendingCsr;
        csr.created = now;
        capf.state.pendingCsrs.add(csr);
      }
      if (installed != null) {
        install(phone, installed);
      }
      phone.certificateStatus = status;
      phone.sessionNote = note;
      if (retryAt != null) {
        phone.session.nextAttempt = retryAt;
      }
      if (done) {
        phone.session = null;
        if (pendingCsr == null) {
          phone.certificateOperation = Operation.NONE.name();
        }
      }
    }
  }

  /** The CAPF facts every session of one advance needs. */
  private record Context(CapfIssuer issuer, int validityDays, CapfConnection.Addresses capfAddresses, boolean enableIpv6,
      List<X509Certificate> capfTrust, Optional<CertificateAuthority> ca) {}

  private Context context() {
    LabState.Node publisher = state.nodes.stream().filter(n -> "cucm-publisher".equals(n.role)).findFirst().orElse(null);
    List<X509Certificate> trust = new ArrayList<>();
    if (publisher != null) {
      publisher.trust.getOrDefault(Store.CAPF_TRUST.yaml(), List.of()).forEach(t -> trust.add(Pem.certificate(t.pem)));
    }
    CapfIssuer issuer = CapfIssuer.ofParameter(state.capf.get("Certificate Issuer to Endpoint"));
    int days = Integer.parseInt(state.capf.getOrDefault("Duration Of Certificate Validity", "1825").strip());
    boolean v4 = state.capfIpv4 != null && !state.capfIpv4.isEmpty();
    boolean v6 = state.capfIpv6 != null && !state.capfIpv6.isEmpty();
    CapfConnection.Addresses addresses = v4 && v6 ? CapfConnection.Addresses.BOTH
        : v6 ? CapfConnection.Addresses.IPV6 : CapfConnection.Addresses.IPV4;
    Optional<CertificateAuthority> ca = issuer == CapfIssuer.CISCO_CAPF ? authority.load() : Optional.empty();
    return new Context(issuer, days, addresses, "True".equals(state.enterprise.get("Enable IPv6")), trust, ca);
  }

  private Step attempt(LabState.Phone phone, Instant now, Context context) {
    Operation operation = Operation.valueOf(phone.certificateOperation);
    String verb = switch (operation) {
      case DELETE -> "Delete";
      case TROUBLESHOOT -> "Troubleshoot";
      default -> "Upgrade";
    };
    if (phone.completeBy != null && now.isAfter(LocalDateTime.parse(phone.completeBy).toInstant(ZoneOffset.UTC))) {
      return failed(phone, now, verb + " Failed: User Initiated Request Late/Timedout", "the operation was due by "
          + phone.completeBy + " (cluster time)");
    }
    CapfConnection.Result route = CapfConnection.of(CapfConnection.IpMode.valueOf(phone.ipMode),
        CapfConnection.Addresses.valueOf(phone.addresses), context.capfAddresses(), context.enableIpv6());
    if (!route.connects()) {
      return communicationFailure(phone, now, verb, List.of(), "cannot reach CAPF: phone " + phone.ipMode.toLowerCase(Locale.ROOT)
          + " with " + phone.addresses + " addresses, CAPF " + context.capfAddresses() + ", Enable IPv6 "
          + context.enableIpv6());
    }
    AuthenticationMode mode = AuthenticationMode.valueOf(phone.session.flashAuthenticationMode);
    String refused = authenticate(phone, mode, now, context);
    if (refused != null) {
      return failed(phone, now, refused.startsWith(":") ? verb + " Failed" + refused : verb + " Failed", refused);
    }
    if (phone.powerFailure && !phone.session.interrupted) {
      phone.powerFailure = false;
      phone.session.interrupted = true;
      return new Step(phone, now, "Operation Pending", false, now.plus(REBOOT), null, List.of(), null,
          "power failure during the CAPF session; the phone resumes with the authentication mode in its flash ("
              + mode.name() + ")");
    }
    switch (operation) {
      case DELETE:
        phone.lscIssuer = null;
        phone.lscSerial = null;
        phone.lscNotBefore = null;
        phone.lscNotAfter = null;
        phone.lscPem = null;
        return new Step(phone, now, "Delete Success", true, null, null, List.of(), null, "LSC deleted");
      case TROUBLESHOOT:
        return new Step(phone, now, "Troubleshoot Success", true, null, null, List.of(), null,
            "CAPF fetched the phone's " + (phone.lscSerial != null ? "LSC and MIC" : "MIC"));
      default:
        return install(phone, now, context, verb);
    }
  }

  /** Null when the phone authenticates; else the failure detail (starting with ':' when it is part of the status). */
  private static String authenticate(LabState.Phone phone, AuthenticationMode mode, Instant now, Context context) {
    boolean lsc = phone.lscNotAfter != null && phone.lscNotAfter.isAfter(now);
    // CAPF verifies MICs against Cisco's manufacturing CAs, which it always trusts
    boolean mic = phone.micNotAfter != null && phone.micNotAfter.isAfter(now);
    switch (mode) {
      case AUTH_STRING:
        String expected = phone.session.flashAuthenticationString;
        String entered = phone.enteredAuthString != null ? phone.enteredAuthString : expected;
        return expected != null && expected.equals(entered) ? null : ": Invalid Authentication String";
      case EXISTING_CERTIFICATE_LSC:
        return lsc || mic ? null : "the phone has no valid LSC or MIC to authenticate with";
      case EXISTING_CERTIFICATE_MIC:
        return mic || lsc ? null : "the phone has no valid MIC or LSC to authenticate with";
      default:
        return null;
    }
  }

  private Step install(LabState.Phone phone, Instant now, Context context, String verb) {
    KeyPair keys = keys(phone);
    Csr csr = Csr.create(keys, "CN=" + phone.name, List.of());
    if (context.issuer() == CapfIssuer.OFFLINE_CA) {
      return new Step(phone, now, "Operation Pending", true, null, null, List.of(), csr.pem(),
          "CSR waiting for the offline CA ('utils capf csr list')");
    }
    X509Certificate certificate;
    try {
      certificate = sign(csr, now, context);
    } catch (OnlineCaException e) {
      String status = e.kind() == OnlineCaException.Kind.UNAUTHORIZED || e.kind() == OnlineCaException.Kind.DENIED
          ? ": CA Rejected Connection" : ": CA Communication Failure";
      return failed(phone, now, verb + " Failed" + status, e.getMessage());
    } catch (ClusterException e) {
      return failed(phone, now, verb + " Failed", e.getMessage());
    }
    int failing = phone.communicationFailures;
    if (failing > 0) {
      phone.communicationFailures = failing - 1;
      // the certificate was issued but never installed: the phone's next attempt sends a new CSR, so this one is stale
      return communicationFailure(phone, now, verb, List.of(certificate.getSerialNumber().toString(16)),
          "communication failure while installing the LSC");
    }
    return new Step(phone, now, "Upgrade Success", true, null, certificate, List.of(), null,
        "LSC issued by " + certificate.getIssuerX500Principal().getName());
  }

  private X509Certificate sign(Csr csr, Instant now, Context context) throws OnlineCaException, ClusterException {
    if (context.issuer() == CapfIssuer.ONLINE_CA) {
      String host = state.capf.get("Online CA Hostname");
      int port = Integer.parseInt(state.capf.getOrDefault("Online CA Port", "443").strip());
      InetSocketAddress address = authority.onlineCaAddress(host).orElse(null);
      OnlineCaClient client = new OnlineCaClient(context.capfTrust(), Duration.ofSeconds(10));
      String password = state.onlineCaPassword == null ? "" : state.onlineCaPassword;
      return client.enroll(host, port, address, state.capf.get("Online CA Template"), state.capf.get("Online CA Username"),
          password.toCharArray(), csr.pem()).get(0);
    }
    CertificateAuthority ca = context.ca().orElseThrow(() -> new ClusterException("the lab's CAPF CA key is missing"));
    synchronized (ca) {
      return ca.issue(csr, now.minus(Duration.ofMinutes(5)), now.plus(Duration.ofDays(context.validityDays())),
          CertificateAuthority.Profile.LSC);
    }
  }

  private Step communicationFailure(LabState.Phone phone, Instant now, String verb, List<String> stale, String note) {
    LabState.Session session = phone.session;
    session.attempts++;
    if (session.attempts > RETRIES) {
      return new Step(phone, now, verb + " Failed: Phone Communication Failure", true, null, null, stale, null,
          note + "; gave up after " + RETRIES + " retries");
    }
    return new Step(phone, now, "Operation Pending", false, now.plus(RETRY_INTERVAL), null, stale, null,
        note + "; retry " + session.attempts + " of " + RETRIES + " in 30 s");
  }

  private static Step failed(LabState.Phone phone, Instant now, String status, String note) {
    return new Step(phone, now, status, true, null, null, List.of(), null, note);
  }

  /**
   * Simulated phones with RSA 3072 or 4096 keys draw them from a small pool per size: a real phone makes its own,
   * but a fresh RSA 4096 key for each of thousands of simulated phones would take minutes. Smaller RSA and all EC
   * keys are made per session, so CSRs of different phones have different keys. The lab never shows a private key.
   */
  private static final int POOL = 4;
  private static final java.util.Map<String, List<KeyPair>> KEY_POOL = new java.util.concurrent.ConcurrentHashMap<>();

  private static KeyPair keys(LabState.Phone phone) {
    KeyOrder order = KeyOrder.valueOf(phone.keyOrder);
    boolean ec = order == KeyOrder.EC_ONLY || order == KeyOrder.EC_PREFERRED && !LegacyPhoneModels.includes(phone.model);
    if (ec || phone.rsaSize < 3072) {
      return ec ? KeyPairs.ec(phone.ecSize) : KeyPairs.rsa(phone.rsaSize);
    }
    String kind = "RSA" + phone.rsaSize;
    List<KeyPair> pool = KEY_POOL.computeIfAbsent(kind, k -> java.util.Collections.synchronizedList(new ArrayList<>()));
    int pick = java.util.concurrent.ThreadLocalRandom.current().nextInt(POOL);
    synchronized (pool) {
      if (pick < pool.size()) {
        return pool.get(pick);
      }
    }
    KeyPair keys = KeyPairs.rsa(phone.rsaSize);
    synchronized (pool) {
      if (pool.size() < POOL) {
        pool.add(keys);
      }
    }
    return keys;
  }

  private static void install(LabState.Phone phone, X509Certificate certificate) {
    phone.lscIssuer = certificate.getIssuerX500Principal().getName();
    phone.lscSerial = certificate.getSerialNumber().toString(16);
    phone.lscNotBefore = certificate.getNotBefore().toInstant();
    phone.lscNotAfter = certificate.getNotAfter().toInstant();
    phone.lscPem = Pem.encode(certificate);
  }

  /**
   * Installs an offline CA's certificate for a phone's pending CSR after CAPF's checks: the certificate is for the
   * CSR's key, chains to a CA in CAPF-trust, and is valid now.
   */
  String importSigned(String phoneName, String pem) throws ClusterException {
    LabState.Phone phone = state.phone(phoneName)
        .orElseThrow(() -> new ClusterException("no phone " + phoneName + " on the cluster"));
    LabState.PendingCsr pending = state.pendingCsrs.stream().filter(c -> c.phone.equals(phoneName)).findFirst()
        .orElseThrow(() -> new ClusterException("CAPF has no pending CSR of " + phoneName));
    List<X509Certificate> chain = ChainValidator.order(Pem.certificates(pem));
    X509Certificate leaf = chain.get(0);
    if (!leaf.getPublicKey().equals(Csr.parse(pending.pem).publicKey())) {
      throw new ClusterException("the certificate for " + phoneName + " is not for the key of its pending CSR");
    }
    ChainValidator.Result result = ChainValidator.validate(chain, context().capfTrust(), now());
    if (!result.valid()) {
      throw new ClusterException("the certificate for " + phoneName + " does not chain to a CA in CAPF-trust: " + result.reason());
    }
    state.pendingCsrs.remove(pending);
    install(phone, leaf);
    phone.certificateStatus = "Upgrade Success";
    phone.certificateOperation = Operation.NONE.name();
    phone.session = null;
    phone.sessionNote = "LSC imported from the offline CA";
    return "LSC of " + phoneName + " imported (issued by " + leaf.getIssuerX500Principal().getName() + ")";
  }
}
