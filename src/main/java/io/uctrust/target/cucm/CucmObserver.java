package io.uctrust.target.cucm;

import io.uctrust.cluster.ClusterException;
import io.uctrust.cluster.TrustOwnership;
import io.uctrust.desired.CapfSpec.CapfIssuer;
import io.uctrust.desired.CertificateSpec.Service;
import io.uctrust.desired.ClusterSpec;
import io.uctrust.desired.Spelling;
import io.uctrust.desired.TrustStoreSpec.Store;
import io.uctrust.observed.ObservedCluster;
import io.uctrust.observed.Snapshots;
import io.uctrust.target.cucm.axl.AxlClient;
import io.uctrust.target.cucm.axl.AxlQueries;
import io.uctrust.target.cucm.axl.AxlTexts;
import io.uctrust.target.cucm.axl.CallManagerPorts;
import io.uctrust.target.cucm.axl.ExpresswayC;
import io.uctrust.target.cucm.axl.PhoneSecurityProfile;
import io.uctrust.target.cucm.axl.ServiceParameter;
import io.uctrust.target.cucm.axl.ServiceParameterKey;
import io.uctrust.target.cucm.axl.ServiceParameterNames;
import io.uctrust.target.cucm.cli.AdminCli;
import io.uctrust.target.cucm.platform.PlatformCertificate;
import io.uctrust.target.cucm.platform.PlatformSnapshot;
import io.uctrust.target.cucm.services.ServiceStatus;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a real cluster into the {@link ObservedCluster} every target produces: phones in pages through
 * AXL SQL, parameters, ports, profiles and Expressway-C entries through AXL, each node's certificates
 * through its platform REST API, service states through ControlCenterServices, and what only the admin
 * CLI shows (CAPF keepalive, SIP OAuth mode, FIPS mode, stale LSCs) through SSH to the publisher. IM and
 * Presence security settings and the certificate monitor and revocation settings have no interface; they
 * are left unknown ({@code null}) and the planner asks for a check by hand.
 *
 * <p>Not for: changing anything (see {@link CucmOperator}).
 */
final class CucmObserver {

  static final String NOT_ACTIVATED = "Not Activated";

  private final ClusterSpec spec;
  private final String name;
  private final CucmConnections connections;
  private final ServiceParameterNames names;
  private final Map<String, ObservedCluster.Certificate> parsed = new HashMap<>();

  CucmObserver(String name, ClusterSpec spec, CucmConnections connections, ServiceParameterNames names) {
    this.name = name;
    this.spec = spec;
    this.connections = connections;
    this.names = names;
  }

  ObservedCluster observe() throws ClusterException {
    AxlClient axl = connections.axl();
    String publisher = publisher();
    List<ObservedCluster.Node> nodes = nodes();
    AdminCli cli = connections.cli(publisher);
    boolean mixed = axl.executeSqlQuery(AxlQueries.CLUSTER_SECURITY_MODE).stream()
        .anyMatch(row -> "1".equals(row.get("paramvalue")));
    Map<String, String> enterprise = parameters(ServiceParameterKey.ENTERPRISE_NODE, ServiceParameterKey.ENTERPRISE_SERVICE);
    Map<String, String> capf = parameters(publisher, ServiceParameterNames.CAPF_SERVICE);
    ObservedCluster.Node publisherNode = nodes.stream().filter(n -> n.name().equals(publisher)).findFirst().orElseThrow();
    boolean enrollment = "Started".equals(publisherNode.services().get("Cisco Certificate Enrollment Service"));
    String port = blankToNull(capf.get("Online CA Port"));
    ObservedCluster.Capf capfState = new ObservedCluster.Capf(CapfIssuer.ofParameter(capf.get("Certificate Issuer to Endpoint")),
        integer(capf.get("Duration Of Certificate Validity"), 1825), cli.capfKeepAlive(),
        blankToNull(capf.get("Online CA Hostname")), port == null ? null : Integer.valueOf(port),
        blankToNull(capf.get("Online CA Template")), blankToNull(capf.get("Online CA Type")),
        blankToNull(capf.get("Online CA Username")), blankToNull(capf.get("Online CA Password")) != null, enrollment);
    ObservedCluster snapshot = new ObservedCluster(
        name,
        nodes,
        new ObservedCluster.Security(mixed, cli.fipsMode()),
        ObservedCluster.Enterprise.ofParameters(enterprise),
        null,
        capfState,
        new ObservedCluster.SipOAuth(cli.sipOAuthMode(), ports(axl.listCallManagers()),
            axl.listExpresswayC().stream().map(CucmObserver::expresswayC).toList(),
            axl.listPhoneSecurityProfiles().stream().map(CucmObserver::profile).toList()),
        null,
        phones(axl),
        cli.staleLscs().stream().map(CucmObserver::staleLsc).toList(),
        cli.pendingCsrs().stream().map(c -> new ObservedCluster.PendingCsr(c.deviceName(), null, null)).toList(),
        "");
    return Snapshots.withFingerprint(snapshot);
  }

  String publisher() throws ClusterException {
    return spec.nodes().stream().filter(n -> n.role() == ClusterSpec.NodeRole.CUCM_PUBLISHER).map(ClusterSpec.ClusterNode::name)
        .findFirst().orElseThrow(() -> new ClusterException("the Cluster document has no cucm-publisher node"));
  }

  private List<ObservedCluster.Node> nodes() throws ClusterException {
    Map<String, PlatformSnapshot> snapshots = new LinkedHashMap<>();
    for (ClusterSpec.ClusterNode node : spec.nodes()) {
      snapshots.put(node.name(), connections.platform(node.name()).snapshot());
    }
    // The cluster's own certificates (each node's identities, copied into the trust stores) are Cisco's.
    Set<String> identities = new HashSet<>();
    snapshots.values().forEach(s -> s.identities().forEach(c -> identities.add(certificate(c.pem()).sha256())));
    List<ObservedCluster.Node> nodes = new ArrayList<>();
    for (ClusterSpec.ClusterNode node : spec.nodes()) {
      PlatformSnapshot snapshot = snapshots.get(node.name());
      List<ObservedCluster.Identity> ids = new ArrayList<>();
      for (PlatformCertificate c : snapshot.identities()) {
        Service service = Spelling.Of.find(Service.class, c.service()).orElse(null);
        if (service != null) {
          X509Certificate x509 = c.certificates().get(0);
          ids.add(new ObservedCluster.Identity(service, certificate(c.pem()),
              x509.getSubjectX500Principal().equals(x509.getIssuerX500Principal())));
        }
      }
      List<ObservedCluster.TrustEntry> trust = new ArrayList<>();
      for (PlatformCertificate c : snapshot.trusts()) {
        Store store = Spelling.Of.find(Store.class, c.service().endsWith("-trust") ? c.service() : c.service() + "-trust")
            .orElse(null);
        if (store != null) {
          ObservedCluster.Certificate facts = certificate(c.pem());
          X509Certificate x509 = c.certificates().get(0);
          trust.add(new ObservedCluster.TrustEntry(store, facts, TrustOwnership.plain(c.description()),
              TrustOwnership.owner(c.description(), x509.getSubjectX500Principal(), facts.sha256(), identities)));
        }
      }
      Map<String, String> services = new LinkedHashMap<>();
      for (ServiceStatus status : connections.services(node.name()).status(List.of())) {
        boolean notActivated = status.reason() != null && status.reason().toLowerCase(Locale.ROOT).contains("not activated");
        services.put(status.name(), notActivated ? NOT_ACTIVATED : status.state().wireName());
      }
      nodes.add(new ObservedCluster.Node(node.name(), node.role(), ids, trust, services));
    }
    return nodes;
  }

  /** Parameters of {@code service} on {@code node} by display name (ours only; others are ignored). */
  private Map<String, String> parameters(String node, String service) throws ClusterException {
    Map<String, String> internalToDisplay = new HashMap<>();
    for (String display : names.displayNames()) {
      if (names.service(display).equals(service)) {
        internalToDisplay.put(names.internalName(display), display);
      }
    }
    Map<String, String> values = new HashMap<>();
    for (ServiceParameter parameter : connections.axl().listServiceParameters(node, service)) {
      String display = internalToDisplay.get(parameter.key().name());
      if (display != null) {
        values.put(display, parameter.value());
      }
    }
    return values;
  }

  private Map<String, ObservedCluster.Ports> ports(List<CallManagerPorts> callManagers) {
    Map<String, ObservedCluster.Ports> ports = new LinkedHashMap<>();
    for (ClusterSpec.ClusterNode node : spec.nodes()) {
      if (node.role().isImAndPresence()) {
        continue;
      }
      callManagers.stream().filter(cm -> CucmOperator.isCallManagerOf(cm.name(), node.name())).findFirst().ifPresent(cm ->
          ports.put(node.name(), new ObservedCluster.Ports(cm.sipOAuthPort() == null ? 5090 : cm.sipOAuthPort(),
              cm.sipOAuthMraPort() == null ? 5091 : cm.sipOAuthMraPort())));
    }
    return ports;
  }

  private static ObservedCluster.ExpresswayC expresswayC(ExpresswayC entry) {
    return new ObservedCluster.ExpresswayC(entry.hostNameOrIp(), entry.description(),
        AxlTexts.subjectNames(entry.x509SubjectNameOrSubjectAlternateName()));
  }

  /** The value AXL's text stands for; an unknown text is an error naming the field (never guessed). */
  private static <E> E known(java.util.Optional<E> value, String field, String text) {
    return value.orElseThrow(() -> new IllegalArgumentException(field + " '" + text + "' is not a value uctrust knows"));
  }

  private static ObservedCluster.SecurityProfile profile(PhoneSecurityProfile p) {
    return new ObservedCluster.SecurityProfile(p.name(), p.description(), p.phoneType(),
        known(AxlTexts.protocol(p.protocol()), "protocol", p.protocol()),
        known(AxlTexts.deviceSecurityMode(p.deviceSecurityMode()), "deviceSecurityMode", p.deviceSecurityMode()),
        known(AxlTexts.transport(p.transportType()), "transportType", p.transportType()),
        Boolean.TRUE.equals(p.enableOAuthAuthentication()), Boolean.TRUE.equals(p.enableDigestAuthentication()),
        Boolean.TRUE.equals(p.tftpEncryptedConfig()));
  }

  private List<ObservedCluster.Phone> phones(AxlClient axl) throws ClusterException {
    List<Map<String, String>> rows = axl.queryPaged(AxlQueries.PHONES, AxlQueries.PHONES_ORDER, AxlQueries.PHONES_PAGE);
    List<ObservedCluster.Phone> phones = new ArrayList<>(rows.size());
    for (Map<String, String> row : rows) {
      phones.add(phone(row));
    }
    return phones;
  }

  static ObservedCluster.Phone phone(Map<String, String> row) throws ClusterException {
    String device = row.get("name");
    try {
      Instant lscUntil = epoch(row.get("lscvaliduntil"));
      return new ObservedCluster.Phone(device, row.get("model"), row.get("devicepool"), row.get("securityprofile"),
          new ObservedCluster.PhoneCapf(
              known(AxlTexts.certificateOperation(row.get("certificateoperation")), "certificateoperation",
                  row.get("certificateoperation")),
              known(AxlTexts.authenticationMode(row.get("authenticationmode")), "authenticationmode",
                  row.get("authenticationmode")),
              known(AxlTexts.keyOrder(row.get("keyorder")), "keyorder", row.get("keyorder")),
              integer(row.get("keysize"), 2048), integer(row.get("eckeysize"), 384), completeBy(row.get("upgradefinishtime")),
              row.get("certificatestatus")),
          new ObservedCluster.PhoneCertificate(blankToNull(row.get("micissuer")), blankToNull(row.get("micserial")),
              epoch(row.get("micvalidfrom")), epoch(row.get("micvaliduntil"))),
          lscUntil == null ? null : new ObservedCluster.PhoneCertificate(blankToNull(row.get("lscissuer")),
              blankToNull(row.get("lscserial")), epoch(row.get("lscvalidfrom")), lscUntil),
          new ObservedCluster.Mra("t".equalsIgnoreCase(row.get("allowmra")) || "true".equalsIgnoreCase(row.get("allowmra")),
              blankToNull(row.get("mraservicedomain"))));
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw new ClusterException("AXL phone row of " + device + " has an unexpected value: " + e.getMessage());
    }
  }

  /** AXL's {@code uuuu:MM:dd:HH:mm} as the desired state writes it ({@code uuuu-MM-ddTHH:mm}). */
  private static String completeBy(String axl) {
    if (axl == null || axl.isBlank()) {
      return null;
    }
    String[] p = axl.strip().split(":");
    if (p.length != 5) {
      throw new IllegalArgumentException("upgradefinishtime '" + axl + "' is not YYYY:MM:DD:HH:MM");
    }
    return LocalDateTime.of(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]), Integer.parseInt(p[3]),
        Integer.parseInt(p[4])).toString();
  }

  private static Instant epoch(String seconds) {
    if (seconds == null || seconds.isBlank() || seconds.strip().equals("0")) {
      return null;
    }
    return Instant.ofEpochSecond(Long.parseLong(seconds.strip()));
  }

  private ObservedCluster.Certificate certificate(String pem) {
    return parsed.computeIfAbsent(pem, Snapshots::certificate);
  }

  private static int integer(String text, int absent) {
    return text == null || text.isBlank() ? absent : Integer.parseInt(text.strip());
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }


  /** A line of {@code utils capf stale-lsc list}; the serial and issue time are kept when the release prints them. */
  static ObservedCluster.StaleLsc staleLsc(io.uctrust.target.cucm.cli.StaleLsc line) {
    String serial = null;
    java.time.Instant issued = null;
    for (Map.Entry<String, String> column : line.columns().entrySet()) {
      String header = column.getKey().toLowerCase(java.util.Locale.ROOT);
      if (header.contains("serial")) {
        serial = column.getValue();
      } else if (header.contains("issued") || header.contains("date")) {
        try {
          issued = java.time.LocalDateTime.parse(column.getValue().strip().replace(' ', 'T')).toInstant(java.time.ZoneOffset.UTC);
        } catch (java.time.format.DateTimeParseException e) {
          // releases print dates differently; the time is informational only
        }
      }
    }
    return new ObservedCluster.StaleLsc(line.deviceName(), serial, issued);
  }
}
