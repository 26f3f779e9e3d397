package io.uctrust.target.lab;

import io.uctrust.cluster.ClusterException;
import io.uctrust.cluster.ClusterPort;
import io.uctrust.cluster.IdentityPort;
import io.uctrust.cluster.Operation;
import io.uctrust.cluster.SecretResolver;
import io.uctrust.desired.CertificateSpec;
import io.uctrust.desired.ClusterSpec;
import io.uctrust.desired.Spelling;
import io.uctrust.desired.TrustStoreSpec.Store;
import io.uctrust.observed.ObservedCluster;
import io.uctrust.pki.CertificateFacts;
import io.uctrust.pki.ChainValidator;
import io.uctrust.pki.KeyPairs;
import io.uctrust.pki.Pem;
import io.uctrust.target.ConnectTo;
import io.uctrust.target.TlsProbe;
import java.net.InetAddress;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The embedded lab cluster: a simulated Unified CM / IM and Presence cluster kept on disk, reached
 * through the same port as a real cluster. Every operation changes the state and saves it atomically;
 * restarts and activations are recorded as events with time and reason. Each node's service identities are served
 * over TLS on loopback ports opened on first use ({@link #servedChain}), as a real node serves them on its service
 * ports.
 *
 * <p>Not for: anything but simulation; beyond those loopback ports nothing here talks to a network.
 */
public final class LabCluster implements ClusterPort {

  private final LabStore store;
  private final LabState state;
  private final Clock clock;
  private final Duration latency;
  private final LabSnapshotter snapshotter = new LabSnapshotter();
  private final LabCapfAuthority authority;
  private final LabCapf capf;
  private final LabNodeKeys nodeKeys;
  /** The nodes' TLS service ports, opened on the first {@link #servedChain}. */
  private LabTlsPorts tls;

  LabCluster(LabStore store, LabState state, Clock clock, Duration latency) throws ClusterException {
    this.store = store;
    this.state = state;
    this.clock = clock;
    this.latency = latency;
    this.authority = new LabCapfAuthority(store.dir());
    this.capf = new LabCapf(state, authority, clock);
    this.nodeKeys = new LabNodeKeys(store.dir());
    if (state.newCapfKeys != null) {
      saveCapfKeys();
    }
    saveSeededKeys();
  }

  /** Keeps the keys of identities the seeder just made, so the lab can serve them over TLS. */
  private void saveSeededKeys() throws ClusterException {
    for (LabState.Node node : state.nodes) {
      for (Map.Entry<String, LabState.Identity> identity : node.identities.entrySet()) {
        if (identity.getValue().newKeys != null) {
          nodeKeys.saveIdentity(node.name, identity.getKey(), identity.getValue().newKeys);
          identity.getValue().newKeys = null;
        }
      }
    }
  }

  /** Keeps the CAPF CA's new key (encrypted, beside the state) so the lab's CAPF can sign LSCs with it. */
  private void saveCapfKeys() throws ClusterException {
    String pem = state.capfCertificate().orElseThrow(() -> new ClusterException("the lab has no CAPF certificate"));
    authority.save(state.newCapfKeys, Pem.certificate(pem));
    state.newCapfKeys = null;
  }

  /**
   * Runs the phones' CAPF sessions that are due by the lab's time and saves when any moved; every read and change
   * starts with it, so the cluster is observed as it is now.
   */
  void advance() throws ClusterException {
    if (capf.advance() > 0) {
      store.save(state);
    }
  }

  /** {@link #advance()} for readers: when saving fails the sessions have still moved in memory, and the next change saves them. */
  void catchUp() {
    try {
      advance();
    } catch (ClusterException e) {
      // saved with the next change
    }
  }

  /** The lab's time: the clock moved forward by {@code uctrust lab advance}. */
  public java.time.Instant now() {
    return capf.now();
  }

  /** Moves the lab's time forward (phones retry, operations time out) and runs what became due. */
  public void advanceBy(Duration duration) throws ClusterException {
    state.clockOffsetSeconds += duration.getSeconds();
    capf.advance();
    store.save(state);
  }

  /**
   * Lab-only settings of simulated phones, for trying failure paths: what the user types for By Authentication
   * String, how many installation attempts fail with a communication failure, a power failure in the next
   * session, and the phone's IP addressing. Null fields stay as they are.
   */
  public record PhoneSettings(String enteredAuthString, Integer communicationFailures, Boolean powerFailure, String ipMode,
      String addresses) {}

  /** Applies {@code settings} to the named phones; fails naming the first unknown phone. */
  public void tunePhones(List<String> names, PhoneSettings settings) throws ClusterException {
    List<LabState.Phone> phones = new ArrayList<>();
    for (String name : names) {
      phones.add(state.phone(name).orElseThrow(() -> new ClusterException("no phone " + name + " in the lab")));
    }
    for (LabState.Phone phone : phones) {
      if (settings.enteredAuthString() != null) {
        phone.enteredAuthString = settings.enteredAuthString().isEmpty() ? null : settings.enteredAuthString();
      }
      if (settings.communicationFailures() != null) {
        phone.communicationFailures = settings.communicationFailures();
      }
      if (settings.powerFailure() != null) {
        phone.powerFailure = settings.powerFailure();
      }
      if (settings.ipMode() != null) {
        phone.ipMode = io.uctrust.capf.CapfConnection.IpMode.valueOf(settings.ipMode()).name();
      }
      if (settings.addresses() != null) {
        phone.addresses = io.uctrust.capf.CapfConnection.Addresses.valueOf(settings.addresses()).name();
      }
    }
    store.save(state);
  }

  /** A phone as the lab sees it, including its CAPF session and lab settings, as lines for people (no secrets). */
  public List<String> describePhone(String name) throws ClusterException {
    advance();
    LabState.Phone p = state.phone(name).orElseThrow(() -> new ClusterException("no phone " + name + " in the lab"));
    List<String> lines = new ArrayList<>();
    lines.add(p.name + "  " + p.model + "  pool " + p.devicePool + "  profile " + p.securityProfile);
    lines.add("  CAPF: " + p.certificateOperation + ", " + p.authenticationMode + ", " + p.keyOrder + " (RSA " + p.rsaSize
        + ", EC " + p.ecSize + ")" + (p.completeBy == null ? "" : ", complete by " + p.completeBy) + "; status "
        + p.certificateStatus);
    lines.add("  LSC: " + (p.lscNotAfter == null ? "none" : p.lscIssuer + ", serial " + p.lscSerial + ", expires " + p.lscNotAfter));
    lines.add("  MIC: " + p.micIssuer + ", expires " + p.micNotAfter);
    lines.add("  network: " + p.ipMode + " with " + p.addresses + " addresses");
    lines.add("  lab settings: entered string " + (p.enteredAuthString == null ? "as set on the cluster" : "differs")
        + ", communication failures " + p.communicationFailures + ", power failure " + p.powerFailure);
    if (p.session != null) {
      lines.add("  session: started " + p.session.started + ", attempt " + (p.session.attempts + 1) + ", next at "
          + p.session.nextAttempt + ", flash mode " + p.session.flashAuthenticationMode);
    }
    if (p.sessionNote != null) {
      lines.add("  last session: " + p.sessionNote);
    }
    return lines;
  }

  /** The phone got its configuration (AXL applyPhone): with an operation pending, it starts a CAPF session. */
  void applyPhone(LabState.Phone phone) throws ClusterException {
    capf.configured(phone);
    capf.advance();
    store.save(state);
  }

  /**
   * Opens the lab in {@code store}, creating it from the Cluster document on first use with {@code
   * phones} phones.
   */
  public static LabCluster open(LabStore store, String name, ClusterSpec spec, int phones, Clock clock, Duration latency)
      throws ClusterException {
    LabState state;
    if (store.exists()) {
      state = store.load();
      if (!state.cluster.equals(name)) {
        throw new LabStateException("the lab in " + store.dir() + " is cluster '" + state.cluster + "', not '" + name + "'");
      }
    } else {
      state = new LabSeeder(clock).seed(name, spec, phones);
      store.save(state);
    }
    return new LabCluster(store, state, clock, latency);
  }

  /** Opens an existing lab without a Cluster document (for {@code lab show}). */
  public static LabCluster existing(LabStore store, Clock clock) throws ClusterException {
    if (!store.exists()) {
      throw new LabStateException("no lab in " + store.dir() + "; run 'uctrust lab init' or 'uctrust reconcile' first");
    }
    return new LabCluster(store, store.load(), clock, Duration.ZERO);
  }

  /** Creates (or recreates) the lab. */
  public static LabCluster create(LabStore store, String name, ClusterSpec spec, int phones, Clock clock)
      throws ClusterException {
    LabState state = new LabSeeder(clock).seed(name, spec, phones);
    store.save(state);
    return new LabCluster(store, state, clock, Duration.ZERO);
  }

  @Override
  public ObservedCluster observe() {
    catchUp();
    return snapshotter.snapshot(state);
  }

  /** Restart and activation events, oldest first, as lines for people. */
  public List<String> events() {
    return state.events.stream().map(e -> e.time + "  " + e.node + "  " + e.action + " " + e.service + "  (" + e.reason + ")")
        .toList();
  }

  @Override
  public String perform(Operation operation, SecretResolver secrets) throws ClusterException {
    if (!latency.isZero()) {
      try {
        Thread.sleep(latency.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ClusterException("interrupted");
      }
    }
    capf.advance();
    String result = apply(operation, secrets);
    store.save(state);
    return result;
  }

  /** The node makes a key pair (kept in its key store) and a CSR with the guide's key usage for the service. */
  @Override
  public String requestCsr(Operation.IssueIdentity request) throws ClusterException {
    LabState.Node node = node(request.node());
    if (!node.identities.containsKey(request.service().yaml())) {
      throw new ClusterException(request.node() + " has no " + request.service().yaml() + " identity");
    }
    KeyPair keys;
    try {
      keys = request.keyType() == io.uctrust.desired.CertificateSpec.KeyType.EC ? KeyPairs.ec(request.keySize())
          : KeyPairs.rsa(request.keySize());
    } catch (RuntimeException e) {
      throw new ClusterException("Invalid key length " + request.keySize() + " for " + request.keyType());
    }
    String csr = LabCsr.pem(request.service(), io.uctrust.pki.SubjectFields.of(request.subject()), request.commonName(),
        request.subjectAltNames(), keys, request.hash());
    nodeKeys.savePending(request.node(), request.service().yaml(), keys);
    return csr;
  }

  /**
   * What a node checks before it takes a CA-signed identity, as the real one does: the chain is in order leaf to
   * root, the leaf is for the key of the node's latest CSR, and every CA of the chain is in the service's trust
   * store. Returns the node's refusal, or null.
   */
  private String installRefusal(Operation.InstallIdentity op, List<X509Certificate> chain, KeyPair pending)
      throws ClusterException {
    String order = chainOrderProblem(chain);
    if (order != null) {
      return order;
    }
    if (pending == null || !pending.getPublic().equals(chain.get(0).getPublicKey())) {
      return "The certificate does not match the latest CSR of " + op.service().yaml() + " on " + op.node();
    }
    Store store = op.service().trustStore();
    for (String name : concat(op.node(), op.distributeTo())) {
      List<LabState.Trust> entries = node(name).trust.getOrDefault(store.yaml(), List.of());
      for (X509Certificate ca : chain.subList(1, chain.size())) {
        String sha256 = CertificateFacts.of(ca).sha256();
        if (entries.stream().noneMatch(t -> t.sha256.equals(sha256))) {
          return "Failed to upload the certificate: the CA certificate " + ca.getSubjectX500Principal().getName()
              + " is not in " + store.yaml() + " on " + name + "; upload the CA chain to " + store.yaml() + " first";
        }
      }
    }
    return null;
  }

  private static List<String> concat(String first, List<String> rest) {
    List<String> all = new ArrayList<>();
    all.add(first);
    all.addAll(rest);
    return all;
  }

  /** Why a chain is not leaf to root, each issued by the next and the last self-signed; null when it is. */
  private static String chainOrderProblem(List<X509Certificate> chain) {
    if (chain.isEmpty()) {
      return "certificates must be a list of PEM certificates, leaf first";
    }
    for (int i = 0; i < chain.size(); i++) {
      X509Certificate certificate = chain.get(i);
      X509Certificate issuer = i + 1 < chain.size() ? chain.get(i + 1) : certificate;
      boolean last = i + 1 == chain.size();
      if (!certificate.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())
          || !ChainValidator.signedBy(certificate, issuer)) {
        return last && chain.size() > 1 ? "the last certificate of the chain is not a self-signed root"
            : "the certificate chain is not in order leaf to root: certificate " + (i + 1) + " is not issued by the "
                + (last ? "root" : "next");
      }
    }
    return null;
  }

  private String apply(Operation operation, SecretResolver secrets) throws ClusterException {
    if (operation instanceof Operation.InstallIdentity op) {
      List<X509Certificate> chain = new ArrayList<>();
      op.chain().forEach(pem -> chain.addAll(Pem.certificates(pem)));
      KeyPair pending = nodeKeys.pending(op.node(), op.service().yaml()).orElse(null);
      String refusal = installRefusal(op, chain, pending);
      if (refusal != null) {
        throw new ClusterException(refusal);
      }
      String leaf = Pem.encode(chain.get(0));
      for (String name : concat(op.node(), op.distributeTo())) {
        LabState.Identity identity = new LabState.Identity();
        identity.pem = leaf;
        identity.selfSigned = false;
        node(name).identities.put(op.service().yaml(), identity);
      }
      nodeKeys.install(op.node(), op.service().yaml(), pending, op.distributeTo());
      return "installed " + op.service().yaml() + " certificate " + chain.get(0).getSubjectX500Principal().getName()
          + (op.distributeTo().isEmpty() ? "" : " on " + (1 + op.distributeTo().size()) + " nodes");
    }
    if (operation instanceof Operation.IssueIdentity op) {
      throw new ClusterException("issue-identity is carried out by the applier, not sent to " + op.node());
    }
    if (operation instanceof Operation.VerifyServedIdentity op) {
      throw new ClusterException("verify-served-identity is carried out by the applier, not sent to " + op.node());
    }
    if (operation instanceof Operation.UploadTrust op) {
      List<LabState.Trust> entries = trustStore(op.node(), op.store());
      LabState.Trust entry = LabSeeder.trustEntry(op.pem(), op.description(), "UCTRUST");
      if (entries.stream().anyMatch(t -> t.sha256.equals(entry.sha256))) {
        return "already present";
      }
      entries.add(entry);
      return "uploaded " + Pem.certificate(op.pem()).getSubjectX500Principal().getName();
    }
    if (operation instanceof Operation.RemoveTrust op) {
      boolean removed = trustStore(op.node(), op.store()).removeIf(t -> t.sha256.equals(op.sha256()));
      return removed ? "removed " + op.subject() : "already absent";
    }
    if (operation instanceof Operation.SetEnterpriseParameter op) {
      return set(state.enterprise, op.name(), op.value());
    }
    if (operation instanceof Operation.SetServiceParameter op) {
      node(op.node());
      if (!LabSeeder.CAPF_SERVICE.equals(op.service())) {
        throw new ClusterException("the lab has no parameter '" + op.name() + "' of service " + op.service());
      }
      if (op.secret() != null) {
        state.onlineCaPassword = secrets.resolve(op.secret(), op.name());
        return "set " + op.name();
      }
      return set(state.capf, op.name(), op.value());
    }
    if (operation instanceof Operation.SetImAndPresenceSetting op) {
      return set(state.imAndPresence, op.name(), op.value());
    }
    if (operation instanceof Operation.SetMonitoringSetting op) {
      return set(state.monitoring, op.name(), op.value());
    }
    if (operation instanceof Operation.SetCapfKeepAlive op) {
      state.keepAliveMinutes = op.minutes();
      return "keepalive " + op.minutes() + " minutes";
    }
    if (operation instanceof Operation.ActivateService op) {
      LabState.Node node = node(op.node());
      node.services.put(op.service(), op.active() ? "Started" : "Not Activated");
      event(op.node(), op.service(), op.active() ? "activate" : "deactivate", "service activation");
      return (op.active() ? "activated " : "deactivated ") + op.service();
    }
    if (operation instanceof Operation.DeleteStaleLscs op) {
      int count = state.staleLscs.size();
      state.staleLscs.clear();
      return "deleted " + count + " stale LSCs";
    }
    if (operation instanceof Operation.SetSipOAuthMode op) {
      state.sipOAuthMode = op.enabled();
      return "SIP OAuth mode " + (op.enabled() ? "enabled" : "disabled");
    }
    if (operation instanceof Operation.SetSipOAuthPorts op) {
      LabState.Node node = node(op.node());
      node.sipOAuthPort = op.phone();
      node.sipOAuthMraPort = op.mra();
      return "ports " + op.phone() + "/" + op.mra();
    }
    if (operation instanceof Operation.PutExpresswayC op) {
      LabState.ExpresswayC entry = state.expresswayC.stream().filter(e -> e.host.equalsIgnoreCase(op.host())).findFirst()
          .orElseGet(() -> {
            LabState.ExpresswayC created = new LabState.ExpresswayC();
            state.expresswayC.add(created);
            return created;
          });
      entry.host = op.host();
      entry.description = op.description();
      entry.subjectNames = new ArrayList<>(op.subjectNames());
      return "Expressway-C " + op.host();
    }
    if (operation instanceof Operation.PutPhoneSecurityProfile op) {
      LabState.Profile profile = state.profiles.stream().filter(p -> p.name.equals(op.name())).findFirst()
          .orElseGet(() -> {
            LabState.Profile created = new LabState.Profile();
            state.profiles.add(created);
            return created;
          });
      profile.name = op.name();
      profile.description = op.description();
      profile.phoneType = op.phoneType();
      profile.protocol = op.protocol().name();
      profile.deviceSecurityMode = op.deviceSecurityMode().name();
      profile.transport = op.transport().name();
      profile.oauth = op.oauth();
      profile.digestAuthentication = op.digestAuthentication();
      profile.tftpEncryptedConfig = op.tftpEncryptedConfig();
      return "profile " + op.name();
    }
    if (operation instanceof Operation.RegenerateSelfSigned op) {
      LabState.Node node = node(op.node());
      KeyPair keys = op.keyType() == io.uctrust.desired.CertificateSpec.KeyType.EC ? KeyPairs.ec(op.keySize())
          : KeyPairs.rsa(op.keySize());
      LabState.Identity identity = new LabSeeder(clock).identity(op.commonName(), op.service(), keys, op.subjectAltNames(),
          clock.instant(), Duration.ofDays(op.validityDays()), op.hash().name());
      node.identities.put(op.service().yaml(), identity);
      nodeKeys.saveIdentity(op.node(), op.service().yaml(), keys);
      if (op.service() == io.uctrust.desired.CertificateSpec.Service.CAPF) {
        authority.save(keys, Pem.certificate(identity.pem));
      }
      Store trust = op.service().trustStore();
      for (LabState.Node peer : state.nodes) {
        List<LabState.Trust> entries = peer.trust.get(trust.yaml());
        if (entries != null) {
          entries.add(LabSeeder.trustEntry(identity.pem, "Self-signed certificate of a cluster node", "CISCO"));
        }
      }
      return "new self-signed " + op.service().yaml() + " certificate";
    }
    if (operation instanceof Operation.SetPhoneCapf op) {
      return setPhoneCapf(op, secrets);
    }
    if (operation instanceof Operation.ImportPhoneLsc op) {
      return capf.importSigned(op.phone(), op.pem());
    }
    if (operation instanceof Operation.SetPhoneMra op) {
      Set<String> names = new HashSet<>(op.phones());
      int count = 0;
      for (LabState.Phone phone : state.phones) {
        if (names.contains(phone.name)) {
          phone.allowActivationCodeViaMra = true;
          phone.mraServiceDomain = op.serviceDomain();
          phone.securityProfile = op.securityProfile();
          count++;
        }
      }
      return "MRA activation set on " + count + " phones";
    }
    if (operation instanceof Operation.RestartService op) {
      LabState.Node node = node(op.node());
      if (!node.services.containsKey(op.service())) {
        throw new ClusterException("service " + op.service() + " does not run on " + op.node());
      }
      node.services.put(op.service(), "Started");
      event(op.node(), op.service(), "restart", op.reason());
      return "restarted " + op.service();
    }
    throw new ClusterException("the lab cannot perform " + operation.getClass().getSimpleName());
  }

  private String setPhoneCapf(Operation.SetPhoneCapf op, SecretResolver secrets) throws ClusterException {
    Set<String> names = new HashSet<>(op.phones());
    int count = 0;
    for (LabState.Phone phone : state.phones) {
      if (!names.contains(phone.name)) {
        continue;
      }
      phone.certificateOperation = op.operation().name();
      phone.authenticationMode = op.authenticationMode().name();
      phone.authenticationString = op.authenticationString() == null ? null
          : secrets.resolve(op.authenticationString(), phone.name);
      phone.keyOrder = op.keyOrder().name();
      phone.rsaSize = op.rsaSize();
      phone.ecSize = op.ecSize();
      phone.completeBy = op.completeBy();
      count++;
    }
    if (count != names.size()) {
      throw new ClusterException((names.size() - count) + " of " + names.size() + " phones do not exist on the cluster");
    }
    // applyPhone: each phone resets (Operation Pending unless the operation is none) and runs its CAPF session
    for (LabState.Phone phone : state.phones) {
      if (names.contains(phone.name)) {
        capf.configured(phone);
      }
    }
    capf.advance();
    return "CAPF " + Spelling.Of.yaml(op.operation()) + " set on " + count + " phones (configuration applied)";
  }

  private static String set(java.util.Map<String, String> parameters, String name, String value) {
    parameters.put(name, value);
    return name + " = " + value;
  }

  private LabState.Node node(String name) throws ClusterException {
    return state.nodes.stream().filter(n -> n.name.equals(name)).findFirst()
        .orElseThrow(() -> new ClusterException("no node " + name + " in the lab cluster"));
  }

  private List<LabState.Trust> trustStore(String nodeName, Store store) throws ClusterException {
    LabState.Node node = node(nodeName);
    List<LabState.Trust> entries = node.trust.get(store.yaml());
    if (entries == null) {
      throw new ClusterException(nodeName + " has no " + store.yaml() + " store");
    }
    return entries;
  }

  private void event(String node, String service, String action, String reason) {
    LabState.Event event = new LabState.Event();
    event.time = clock.instant();
    event.node = node;
    event.service = service;
    event.action = action;
    event.reason = reason;
    state.events.add(event);
  }

  @Override
  public X509Certificate identity(String nodeName, CertificateSpec.Service service) throws ClusterException {
    LabState.Identity identity = node(nodeName).identities.get(service.yaml());
    if (identity == null) {
      throw new ClusterException(nodeName + " has no " + service.yaml() + " identity");
    }
    return Pem.certificate(identity.pem);
  }

  /** The lab's stand-in for the node's service port: a loopback port serving what the node serves now. */
  @Override
  public List<X509Certificate> servedChain(String nodeName, CertificateSpec.Service service,
      CertificateSpec.KeyType keyType) throws ClusterException {
    IdentityPort port = IdentityPort.of(service)
        .orElseThrow(() -> new ClusterException(service.yaml() + " identities are not served over TLS"));
    int local;
    // the listener reads the state on its own thread: hand it over under this lock, probe outside it
    synchronized (this) {
      LabState.Node node = node(nodeName);
      if (!node.identities.containsKey(service.yaml())) {
        throw new ClusterException(nodeName + " has no " + service.yaml() + " identity");
      }
      if (served(node, service.yaml()) == null) {
        throw new ClusterException("the lab keeps no key for the " + service.yaml() + " identity of " + nodeName
            + ", so it cannot serve it over TLS (a lab made by an earlier uctrust); run 'uctrust lab reset'");
      }
      if (tls == null) {
        tls = new LabTlsPorts(InetAddress.getLoopbackAddress(), this::servedOn);
      }
      local = tls.port(nodeName, port);
    }
    return TlsProbe.served(nodeName, new ConnectTo.Endpoint(tls.address().getHostAddress(), local), port,
        nodeName.substring(nodeName.indexOf('.') + 1), keyType, Duration.ofSeconds(10));
  }

  /**
   * Lab fault: from now on {@code nodeName} serves its current {@code service} identity over TLS whatever its identity
   * store holds later, as a service that did not pick up its new certificate when it restarted.
   */
  public synchronized void staleTls(String nodeName, CertificateSpec.Service service) throws ClusterException {
    LabState.Node node = node(nodeName);
    LabState.Identity identity = node.identities.get(service.yaml());
    KeyPair keys = nodeKeys.identity(nodeName, service.yaml()).orElse(null);
    if (identity == null || keys == null) {
      throw new ClusterException(nodeName + " has no " + service.yaml() + " identity with a key the lab keeps");
    }
    nodeKeys.saveStale(nodeName, service.yaml(), keys);
    node.staleTls.put(service.yaml(), identity.pem);
    store.save(state);
  }

  /** The identities {@code nodeName} serves on {@code port} now, for the TLS listener (and {@code lab serve}). */
  synchronized List<LabTlsPorts.Served> servedOn(String nodeName, int port) throws ClusterException {
    LabState.Node node = node(nodeName);
    List<LabTlsPorts.Served> served = new ArrayList<>();
    for (String service : node.identities.keySet()) {
      CertificateSpec.Service purpose = Spelling.Of.find(CertificateSpec.Service.class, service).orElse(null);
      boolean here = purpose != null && IdentityPort.of(purpose).map(p -> p.port() == port).orElse(false);
      LabTlsPorts.Served one = here ? served(node, service) : null;
      if (one != null) {
        served.add(one);
      }
    }
    return served;
  }

  /**
   * What {@code node} serves for {@code service}: the identity (or the one a fault pins) with its key and the CA
   * certificates of the service's trust store that chain it, as a node sends them; null when the lab has no key.
   */
  private LabTlsPorts.Served served(LabState.Node node, String service) throws ClusterException {
    String stale = node.staleTls.get(service);
    String pem = stale != null ? stale : node.identities.get(service).pem;
    Optional<KeyPair> keys = stale != null ? nodeKeys.stale(node.name, service) : nodeKeys.identity(node.name, service);
    X509Certificate leaf = Pem.certificate(pem);
    // encodings, not equals(): a key read through Bouncy Castle is not equal to the JDK's
    if (keys.isEmpty() || !java.util.Arrays.equals(keys.get().getPublic().getEncoded(), leaf.getPublicKey().getEncoded())) {
      return null;
    }
    List<X509Certificate> chain = new ArrayList<>(List.of(leaf));
    Store trust = Spelling.Of.find(CertificateSpec.Service.class, service).map(CertificateSpec.Service::trustStore)
        .orElse(null);
    List<LabState.Trust> entries = trust == null ? List.of() : node.trust.getOrDefault(trust.yaml(), List.of());
    // bounded: cross-signed CAs in a trust store can form a loop
    while (chain.size() < 10) {
      X509Certificate last = chain.get(chain.size() - 1);
      if (last.getSubjectX500Principal().equals(last.getIssuerX500Principal())) {
        break;
      }
      X509Certificate issuer = entries.stream().map(t -> Pem.certificate(t.pem))
          .filter(ca -> ca.getSubjectX500Principal().equals(last.getIssuerX500Principal())).findFirst().orElse(null);
      if (issuer == null) {
        break;
      }
      chain.add(issuer);
    }
    return new LabTlsPorts.Served(service, keys.get().getPrivate(), chain.toArray(X509Certificate[]::new));
  }

  @Override
  public synchronized void close() {
    // state is saved after every operation; only the TLS listeners are open
    if (tls != null) {
      tls.close();
      tls = null;
    }
  }
}
