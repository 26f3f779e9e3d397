package io.uctrust.target.lab;

import io.uctrust.desired.CapfSpec.CapfIssuer;
import io.uctrust.desired.CertificateSpec.Service;
import io.uctrust.desired.ClusterSpec.NodeRole;
import io.uctrust.desired.PhoneCertificatePolicySpec;
import io.uctrust.desired.SipOAuthSpec;
import io.uctrust.desired.Spelling;
import io.uctrust.desired.TrustStoreSpec.Store;
import io.uctrust.observed.ObservedCluster;
import io.uctrust.observed.Snapshots;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads a {@link LabState} as the immutable {@link ObservedCluster} every target produces. */
final class LabSnapshotter {

  /** Parsed certificates by PEM text: the same node certificate sits in several trust stores. */
  private final Map<String, ObservedCluster.Certificate> parsed = new HashMap<>();

  ObservedCluster snapshot(LabState state) {
    List<ObservedCluster.Node> nodes = new ArrayList<>();
    for (LabState.Node node : state.nodes) {
      List<ObservedCluster.Identity> identities = new ArrayList<>();
      node.identities.forEach((service, identity) -> identities.add(new ObservedCluster.Identity(
          service(service), certificate(identity.pem), identity.selfSigned)));
      List<ObservedCluster.TrustEntry> trust = new ArrayList<>();
      node.trust.forEach((store, entries) -> entries.forEach(t -> trust.add(new ObservedCluster.TrustEntry(
          constant(Store.class, store), certificate(t.pem), t.description, ObservedCluster.Owner.valueOf(t.owner)))));
      nodes.add(new ObservedCluster.Node(node.name, constant(NodeRole.class, node.role), identities, trust,
          new LinkedHashMap<>(node.services)));
    }
    Map<String, ObservedCluster.Ports> ports = new LinkedHashMap<>();
    state.nodes.stream().filter(n -> !constant(NodeRole.class, n.role).isImAndPresence())
        .forEach(n -> ports.put(n.name, new ObservedCluster.Ports(n.sipOAuthPort, n.sipOAuthMraPort)));
    List<ObservedCluster.Phone> phones = new ArrayList<>(state.phones.size());
    for (LabState.Phone p : state.phones) {
      phones.add(new ObservedCluster.Phone(p.name, p.model, p.devicePool, p.securityProfile,
          new ObservedCluster.PhoneCapf(PhoneCertificatePolicySpec.Operation.valueOf(p.certificateOperation),
              PhoneCertificatePolicySpec.AuthenticationMode.valueOf(p.authenticationMode),
              PhoneCertificatePolicySpec.KeyOrder.valueOf(p.keyOrder), p.rsaSize, p.ecSize, p.completeBy,
              p.certificateStatus),
          new ObservedCluster.PhoneCertificate(p.micIssuer, p.micSerial, p.micNotBefore, p.micNotAfter),
          p.lscNotAfter == null ? null
              : new ObservedCluster.PhoneCertificate(p.lscIssuer, p.lscSerial, p.lscNotBefore, p.lscNotAfter),
          new ObservedCluster.Mra(p.allowActivationCodeViaMra, p.mraServiceDomain)));
    }
    Map<String, String> m = state.monitoring;
    ObservedCluster snapshot = new ObservedCluster(
        state.cluster,
        nodes,
        new ObservedCluster.Security(state.mixedMode, state.fipsMode),
        ObservedCluster.Enterprise.ofParameters(state.enterprise),
        new ObservedCluster.ImAndPresence(
            state.imAndPresence.get("Domain name for XMPP Server-to-Server Certificate Subject Alternative Name"),
            list(state.imAndPresence.get("Hosted Domains")),
            "True".equals(state.imAndPresence.get("Use Domain Name for XMPP Certificate Subject Alternative Name")),
            "True".equals(state.imAndPresence.get("Enable Wildcards in XMPP Federation Security Certificates")),
            state.imAndPresence.get("SIP Trunk Security Profile")),
        capf(state),
        new ObservedCluster.SipOAuth(state.sipOAuthMode, ports,
            state.expresswayC.stream().map(e -> new ObservedCluster.ExpresswayC(e.host, e.description, e.subjectNames))
                .toList(),
            state.profiles.stream().map(p -> new ObservedCluster.SecurityProfile(p.name, p.description, p.phoneType,
                SipOAuthSpec.Protocol.valueOf(p.protocol), SipOAuthSpec.DeviceSecurityMode.valueOf(p.deviceSecurityMode),
                SipOAuthSpec.Transport.valueOf(p.transport), p.oauth, p.digestAuthentication, p.tftpEncryptedConfig)).toList()),
        new ObservedCluster.Monitoring(Integer.parseInt(m.getOrDefault("Notification Start Time", "30")),
            m.get("Notification Frequency"), "True".equals(m.get("Enable LSC Monitoring")),
            "True".equals(m.get("Enable E-mail notification")), list(m.get("E-mail IDs")),
            "True".equals(m.get("Enable OCSP")), blankToNull(m.get("OCSP Responder")), blankToNull(m.get("OCSP Configured URI")),
            blankToNull(m.get("Check Every"))),
        phones,
        state.staleLscs.stream().map(l -> new ObservedCluster.StaleLsc(l.phone, l.serial, l.issued)).toList(),
        state.pendingCsrs.stream().map(c -> new ObservedCluster.PendingCsr(c.phone, c.pem, c.created)).toList(),
        "");
    return Snapshots.withFingerprint(snapshot);
  }

  private static ObservedCluster.Capf capf(LabState state) {
    Map<String, String> c = state.capf;
    CapfIssuer issuer = CapfIssuer.ofParameter(c.get("Certificate Issuer to Endpoint"));
    String port = c.get("Online CA Port");
    boolean enrollment = state.nodes.stream().anyMatch(n -> "Started".equals(n.services.get(LabSeeder.ENROLLMENT_SERVICE)));
    return new ObservedCluster.Capf(issuer, Integer.parseInt(c.getOrDefault("Duration Of Certificate Validity", "1825")),
        state.keepAliveMinutes, c.get("Online CA Hostname"), port == null ? null : Integer.valueOf(port),
        c.get("Online CA Template"), c.get("Online CA Type"), c.get("Online CA Username"), state.onlineCaPassword != null,
        enrollment);
  }

  private ObservedCluster.Certificate certificate(String pem) {
    return parsed.computeIfAbsent(pem, Snapshots::certificate);
  }

  private static List<String> list(String joined) {
    return joined == null || joined.isBlank() ? List.of() : Arrays.stream(joined.split(";")).map(String::trim).toList();
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }

  private static Service service(String yaml) {
    return constant(Service.class, yaml);
  }

  static <E extends Enum<E>> E constant(Class<E> type, String yaml) {
    return Spelling.Of.find(type, yaml)
        .orElseThrow(() -> new IllegalStateException("unknown " + type.getSimpleName() + " in lab state: " + yaml));
  }
}
