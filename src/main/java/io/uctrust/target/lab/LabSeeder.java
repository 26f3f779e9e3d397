package io.uctrust.target.lab;

import io.uctrust.desired.CertificateSpec.Service;
import io.uctrust.desired.ClusterSpec;
import io.uctrust.desired.ClusterSpec.ClusterNode;
import io.uctrust.desired.ClusterSpec.NodeRole;
import io.uctrust.desired.Spelling;
import io.uctrust.desired.TrustStoreSpec;
import io.uctrust.desired.TrustStoreSpec.Store;
import io.uctrust.pki.CertificateFacts;
import io.uctrust.pki.CertificateMaker;
import io.uctrust.pki.KeyPairs;
import io.uctrust.pki.Pem;
import io.uctrust.pki.ServiceUsage;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.bouncycastle.asn1.x509.KeyUsage;

/**
 * Creates a lab cluster as a freshly installed Unified CM / IM and Presence cluster looks: self-signed
 * identities for every service (RSA and ECDSA), trust stores holding the other nodes' certificates and
 * Cisco's manufacturing roots, Cisco default parameters, services running, and a phone population with
 * MICs, of which some have LSCs, some expiring soon and some expired.
 */
final class LabSeeder {

  static final String CAPF_SERVICE = "Cisco Certificate Authority Proxy Function";
  static final String ENROLLMENT_SERVICE = "Cisco Certificate Enrollment Service";
  static final String MANUFACTURING_ISSUER = "CN=Cisco Manufacturing CA SHA2,O=Cisco";

  private static final String[] MODELS = {"Cisco 8865", "Cisco 8845", "Cisco 8851", "Cisco 7841", "Cisco 7821",
      "Cisco 8832", "Cisco 7962", "Cisco 8961"};
  private static final int[] MODEL_WEIGHTS = {22, 18, 14, 16, 10, 6, 8, 6};
  private static final String[] POOLS = {"HQ", "Branch-East", "Branch-West", "Remote-Workers"};
  private static final int[] POOL_WEIGHTS = {40, 25, 20, 15};

  private final CertificateMaker maker = new CertificateMaker();
  /** The CAPF CA's key pair (the lab's CAPF signs LSCs with it), kept from the publisher's seeding. */
  private final java.util.concurrent.atomic.AtomicReference<KeyPair> capfKeys = new java.util.concurrent.atomic.AtomicReference<>();
  private final Clock clock;

  LabSeeder(Clock clock) {
    this.clock = clock;
  }

  LabState seed(String name, ClusterSpec spec, int phones) {
    Instant now = clock.instant();
    LabState state = new LabState();
    state.cluster = name;
    state.created = now;
    state.mixedMode = spec.security() != null && Boolean.TRUE.equals(spec.security().mixedMode());
    state.fipsMode = spec.security() != null && Boolean.TRUE.equals(spec.security().fipsMode());
    defaults(state);
    List<ClusterNode> nodes = spec.nodes();
    // Identities are generated in parallel: RSA key generation dominates a new lab's start-up.
    List<LabState.Node> labNodes = IntStream.range(0, nodes.size()).parallel()
        .mapToObj(i -> node(nodes.get(i), now)).toList();
    state.nodes.addAll(labNodes);
    nodes.stream().filter(n -> n.role() == NodeRole.CUCM_PUBLISHER).findFirst().ifPresent(publisher -> {
      // a node without any address in the document is reached by name, over IPv4
      state.capfIpv4 = publisher.ipv4() != null || publisher.ipv6() == null ? (publisher.ipv4() == null ? publisher.name() : publisher.ipv4()) : "";
      state.capfIpv6 = publisher.ipv6();
    });
    trust(state, now);
    String capfIssuer = state.capfCertificate().map(pem -> Pem.certificate(pem).getSubjectX500Principal().getName())
        .orElse("CN=CAPF");
    state.phones.addAll(phones(name, phones, now, capfIssuer));
    // A site that has run CAPF for a while has a few stale LSCs: issued for a CSR the phone replaced with a
    // newer one before installing it.
    state.staleLscs.addAll(staleLscs(state.phones, phones / 40, now));
    state.newCapfKeys = capfKeys.get();
    profiles(state);
    return state;
  }

  private static void defaults(LabState state) {
    state.enterprise.put("Enable IPv6", "False");
    state.enterprise.put("OAuth with Refresh Login Flow", "Disabled");
    state.enterprise.put("Certificate Validity Check", "True");
    state.enterprise.put("Validity Check Frequency", "1");
    state.capf.put("Certificate Issuer to Endpoint", "Cisco Certificate Authority Proxy Function");
    state.capf.put("Duration Of Certificate Validity", "1825");
    state.imAndPresence.put("Use Domain Name for XMPP Certificate Subject Alternative Name", "False");
    state.imAndPresence.put("Enable Wildcards in XMPP Federation Security Certificates", "False");
    state.monitoring.put("Notification Start Time", "30");
    state.monitoring.put("Notification Frequency", "1d");
    state.monitoring.put("Enable E-mail notification", "False");
    state.monitoring.put("Enable LSC Monitoring", "False");
    state.monitoring.put("E-mail IDs", "");
    state.monitoring.put("Enable OCSP", "False");
    state.monitoring.put("OCSP Responder", "");
    state.monitoring.put("OCSP Configured URI", "");
    state.monitoring.put("Check Every", "");
  }

  private LabState.Node node(ClusterNode spec, Instant now) {
    LabState.Node node = new LabState.Node();
    node.name = spec.name();
    node.role = Spelling.Of.yaml(spec.role());
    for (Service service : identityServices(spec.role())) {
      node.identities.put(service.yaml(), selfSignedIdentity(spec.name(), service, now));
    }
    for (String service : services(spec)) {
      node.services.put(service, service.equals(ENROLLMENT_SERVICE) ? "Not Activated" : "Started");
    }
    return node;
  }

  /** The identities a node of this role has out of the box (CAPF only on the Unified CM publisher). */
  static List<Service> identityServices(NodeRole role) {
    List<Service> services = new ArrayList<>();
    for (Service service : Service.values()) {
      boolean onThisNode = role.isImAndPresence() ? service.onImAndPresence() : !service.imAndPresenceOnly();
      if (service == Service.CAPF) {
        onThisNode = role == NodeRole.CUCM_PUBLISHER;
      }
      if (onThisNode) {
        services.add(service);
      }
    }
    return services;
  }

  static List<String> services(ClusterNode node) {
    List<String> services = new ArrayList<>(List.of("Cisco Tomcat", "Cisco Certificate Expiry Monitor"));
    if (node.role().isImAndPresence()) {
      services.addAll(List.of("Cisco SIP Proxy", "Cisco Presence Engine", "Cisco XCP Router", "Cisco XCP Connection Manager"));
      if (node.role() == NodeRole.IMP_PUBLISHER) {
        services.add("Cisco Intercluster Sync Agent");
      }
      if (Boolean.TRUE.equals(node.xmppFederation())) {
        services.add("Cisco XCP XMPP Federation Connection Manager");
      }
    } else {
      services.addAll(List.of("Cisco CallManager", "Cisco TFTP", "Cisco CTIManager", "Cisco Trust Verification Service"));
      if (node.role() == NodeRole.CUCM_PUBLISHER) {
        services.addAll(List.of(CAPF_SERVICE, ENROLLMENT_SERVICE));
      }
    }
    return services;
  }

  LabState.Identity selfSignedIdentity(String node, Service service, Instant now) {
    KeyPair keys = service.ecdsa() ? KeyPairs.ec(384) : KeyPairs.rsa(2048);
    if (service == Service.CAPF) {
      capfKeys.set(keys);
    }
    String cn = service == Service.CAPF ? "CAPF-" + shortId(node) : node;
    LabState.Identity identity = identity(cn, service, keys, List.of(node), now, Duration.ofDays(5 * 365), "SHA256");
    // kept so the lab can serve the identity over TLS
    identity.newKeys = keys;
    return identity;
  }

  LabState.Identity identity(String cn, Service service, KeyPair keys, List<String> dnsNames, Instant now,
      Duration validity, String hash) {
    // EC keys sign and agree keys; they cannot encipher (RFC 5480), as the nodes' own -ECDSA certificates show
    ServiceUsage usage = ServiceUsage.of(service).forKey(keys.getPublic().getAlgorithm());
    String subject = "CN=" + cn + ",OU=" + service.yaml() + ",O=Example Corp,L=Austin,ST=Texas,C=US";
    X509Certificate certificate = maker.selfSigned(keys, new CertificateMaker.Request(subject, dnsNames,
        now.minus(Duration.ofMinutes(5)), now.plus(validity), service == Service.CAPF, service == Service.CAPF ? 0 : null,
        usage.keyUsage(), usage.extendedKeyUsage(), hash));
    LabState.Identity identity = new LabState.Identity();
    identity.pem = Pem.encode(certificate);
    identity.selfSigned = true;
    return identity;
  }

  private static String shortId(String node) {
    return HexFormat.of().formatHex(node.getBytes(java.nio.charset.StandardCharsets.UTF_8)).substring(0, 8);
  }

  /**
   * Trust stores as a real cluster fills them: every node's certificates in the matching store, the certificates
   * installation exchanges between Unified CM and IM and Presence, and Cisco's roots.
   */
  private void trust(LabState state, Instant now) {
    Map<Store, List<String>> cluster = new EnumMap<>(Store.class);
    for (LabState.Node node : state.nodes) {
      node.identities.forEach((service, identity) -> {
        Store store = Service.valueOf(service.toUpperCase(Locale.ROOT).replace('-', '_')).trustStore();
        if (store != null) {
          cluster.computeIfAbsent(store, s -> new ArrayList<>()).add(identity.pem);
        }
      });
    }
    List<String> roots = manufacturingRoots(now);
    for (LabState.Node node : state.nodes) {
      boolean imp = NodeRole.valueOf(node.role.toUpperCase(Locale.ROOT).replace('-', '_')).isImAndPresence();
      for (Store store : Store.values()) {
        if (imp ? !store.onImAndPresence() : !store.onUnifiedCm()) {
          continue;
        }
        List<LabState.Trust> entries = new ArrayList<>();
        for (String pem : cluster.getOrDefault(store, List.of())) {
          entries.add(trustEntry(pem, "Self-signed certificate of a cluster node", "CISCO"));
        }
        if (store == Store.CUP_TRUST) {
          for (String pem : cluster.getOrDefault(Store.CALLMANAGER_TRUST, List.of())) {
            entries.add(trustEntry(pem, "Unified CM certificate (IM/P Service Trust)", "CISCO"));
          }
        }
        if (store == Store.CALLMANAGER_TRUST) {
          // installation exchanges certificates with IM and Presence (seed 001): their cup certificates are trusted
          for (String pem : cluster.getOrDefault(Store.CUP_TRUST, List.of())) {
            entries.add(trustEntry(pem, "IM and Presence certificate (exchanged at installation)", "CISCO"));
          }
        }
        if (store == Store.CALLMANAGER_TRUST || store == Store.CAPF_TRUST) {
          roots.forEach(pem -> entries.add(trustEntry(pem, "Cisco manufacturing root", "CISCO")));
        }
        node.trust.put(store.yaml(), entries);
      }
    }
  }

  static LabState.Trust trustEntry(String pem, String description, String owner) {
    LabState.Trust trust = new LabState.Trust();
    trust.pem = pem;
    trust.sha256 = CertificateFacts.of(Pem.certificate(pem)).sha256();
    trust.description = description;
    trust.owner = owner;
    return trust;
  }

  /** Simulated stand-ins for the four Cisco manufacturing roots (same names, lab keys). */
  private List<String> manufacturingRoots(Instant now) {
    List<String> roots = new ArrayList<>();
    for (String cn : TrustStoreSpec.MANUFACTURING_ROOTS) {
      KeyPair keys = KeyPairs.ec(256);
      roots.add(Pem.encode(maker.selfSigned(keys, new CertificateMaker.Request("CN=" + cn + ",O=Cisco", List.of(),
          now.minus(Duration.ofDays(3650)), now.plus(Duration.ofDays(3650)), true, null,
          KeyUsage.keyCertSign | KeyUsage.cRLSign, List.of(), "SHA256"))));
    }
    return roots;
  }

  /** Stale LSCs of a cluster that has run CAPF for a while: issued for phones that replaced their CSR first. */
  private static List<LabState.StaleLsc> staleLscs(List<LabState.Phone> phones, int count, Instant now) {
    List<LabState.StaleLsc> stale = new ArrayList<>();
    for (int i = 0; i < count && !phones.isEmpty(); i++) {
      LabState.StaleLsc lsc = new LabState.StaleLsc();
      lsc.phone = phones.get((i * 37) % phones.size()).name;
      lsc.serial = String.format(Locale.ROOT, "%032x", 0x5A1E0000L + i);
      lsc.issued = now.minus(Duration.ofDays(1 + i % 300)).minus(Duration.ofMinutes(i));
      stale.add(lsc);
    }
    return stale;
  }

  /** A reproducible phone population for cluster {@code name}. */
  static List<LabState.Phone> phones(String name, int count, Instant now, String capfIssuer) {
    Random random = new Random(name.hashCode());
    List<LabState.Phone> phones = new ArrayList<>(count);
    long macBase = 0x00AA00000000L + (Math.abs(name.hashCode()) % 0xFFFF) * 0x10000L;
    for (int i = 0; i < count; i++) {
      LabState.Phone phone = new LabState.Phone();
      phone.name = "SEP" + String.format(Locale.ROOT, "%012X", macBase + i);
      phone.model = pick(MODELS, MODEL_WEIGHTS, random);
      phone.devicePool = pick(POOLS, POOL_WEIGHTS, random);
      phone.securityProfile = phone.model + " - Standard SIP Non-Secure Profile";
      phone.micIssuer = MANUFACTURING_ISSUER;
      phone.micSerial = Long.toHexString(random.nextLong() & Long.MAX_VALUE);
      phone.micNotBefore = now.minus(Duration.ofDays(365 + random.nextInt(5 * 365)));
      phone.micNotAfter = phone.micNotBefore.plus(Duration.ofDays(10 * 365));
      int roll = random.nextInt(100);
      if (roll < 65) {
        long daysLeft = roll < 5 ? -1 - random.nextInt(200) : roll < 15 ? random.nextInt(30) : 30 + random.nextInt(1795);
        phone.lscIssuer = capfIssuer;
        phone.lscSerial = Long.toHexString(random.nextLong() & Long.MAX_VALUE);
        phone.lscNotAfter = now.plus(Duration.ofDays(daysLeft)).plus(Duration.ofHours(random.nextInt(24)));
        phone.lscNotBefore = phone.lscNotAfter.minus(Duration.ofDays(1825));
        phone.certificateStatus = "Upgrade Success";
        phone.authenticationMode = "EXISTING_CERTIFICATE_MIC";
      }
      phones.add(phone);
    }
    return phones;
  }

  private static String pick(String[] values, int[] weights, Random random) {
    int total = 0;
    for (int w : weights) {
      total += w;
    }
    int roll = random.nextInt(total);
    for (int i = 0; i < values.length; i++) {
      roll -= weights[i];
      if (roll < 0) {
        return values[i];
      }
    }
    return values[values.length - 1];
  }

  private static void profiles(LabState state) {
    Map<String, LabState.Profile> byName = new LinkedHashMap<>();
    for (LabState.Phone phone : state.phones) {
      byName.computeIfAbsent(phone.securityProfile, n -> {
        LabState.Profile p = new LabState.Profile();
        p.name = n;
        p.description = phone.model + " - Standard SIP Non-Secure Profile";
        p.phoneType = phone.model;
        p.protocol = "SIP";
        p.deviceSecurityMode = "NON_SECURE";
        p.transport = "TCP_UDP";
        return p;
      });
    }
    state.profiles.addAll(byName.values());
  }
}
