package io.uctrust.target.cucm;

import io.uctrust.cluster.ClusterException;
import io.uctrust.cluster.IdentityPort;
import io.uctrust.cluster.SecretReader;
import io.uctrust.desired.CertificateSpec;
import io.uctrust.desired.ClusterSpec;
import io.uctrust.desired.Document;
import io.uctrust.desired.SecretRef;
import io.uctrust.pki.Pem;
import io.uctrust.target.ConnectTo;
import io.uctrust.target.TargetOptions;
import io.uctrust.target.TlsProbe;
import io.uctrust.target.cucm.axl.AxlClient;
import io.uctrust.target.cucm.axl.AxlSettings;
import io.uctrust.target.cucm.axl.AxlTls;
import io.uctrust.target.cucm.axl.AxlVersion;
import io.uctrust.target.cucm.cli.AdminCli;
import io.uctrust.target.cucm.cli.AdminCliCredentials;
import io.uctrust.target.cucm.cli.AdminCliSettings;
import io.uctrust.target.cucm.platform.PlatformClient;
import io.uctrust.target.cucm.platform.PlatformSettings;
import io.uctrust.target.cucm.services.ControlCenterClient;
import io.uctrust.target.cucm.services.ControlCenterSettings;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * The connections to one real cluster, made from its Cluster document's {@code target}: the AXL client of
 * the publisher, and per node the platform REST client, the ControlCenterServices client and (opened on
 * first use, kept for the run) the admin CLI session. Credentials are read from their references once,
 * here, and handed to the clients; TLS trusts exactly the bundle the target names; {@code --connect-to}
 * routes only where the TCP connections go, verification stays on the node names.
 *
 * <p>Not for: deciding what to read or change (the observer and the operator do that), or use after
 * {@link #close()}.
 */
final class CucmConnections implements AutoCloseable {

  private final ClusterSpec.Target target;
  private final String xmppDomain;
  private final Path base;
  private final ConnectTo routes;
  private final SecretReader secrets;
  private final List<X509Certificate> trust;
  private final java.time.Duration requestTimeout;
  private final Integer platformRate;
  private final AxlClient axl;
  private final Map<String, PlatformClient> platform = new LinkedHashMap<>();
  private final Map<String, ControlCenterClient> services = new LinkedHashMap<>();
  private final Map<String, AdminCli> cli = new LinkedHashMap<>();

  CucmConnections(Document<ClusterSpec> cluster, TargetOptions options) throws ClusterException {
    this.target = cluster.spec().target();
    ClusterSpec.ImAndPresence imp = cluster.spec().imAndPresence();
    // IM and Presence's XMPP domain defaults to the DNS domain
    this.xmppDomain = imp != null && imp.xmppDomain() != null ? imp.xmppDomain() : cluster.spec().domain();
    this.base = cluster.file() == null ? Path.of(".") : cluster.file().toAbsolutePath().getParent();
    this.routes = options.connectTo();
    this.secrets = new SecretReader(options.environment());
    if (target.publisher() == null || target.axl() == null || target.platform() == null || target.trust() == null) {
      throw new ClusterException("target type cucm needs publisher, axl, platform and trust in " + cluster.address());
    }
    this.trust = trustBundle();
    this.requestTimeout = requestTimeout(options.environment());
    AxlVersion version = target.axlVersion() == null ? AxlVersion.V15_0 : AxlVersion.of(target.axlVersion());
    ConnectTo.Endpoint axlAt = routes.route(target.publisher(), AxlSettings.DEFAULT_PORT);
    AxlSettings axlSettings = AxlSettings.forEndpoint(https(axlAt, "/axl/"), version).withServerName(target.publisher());
    if (requestTimeout != null) {
      axlSettings = axlSettings.withTimeouts(axlSettings.connectTimeout(), requestTimeout);
    }
    Integer axlRate = rate(options.environment(), "UCTRUST_AXL_REQUESTS_PER_SECOND");
    if (axlRate != null) {
      axlSettings = axlSettings.withRequestsPerSecond(axlRate);
    }
    this.platformRate = rate(options.environment(), "UCTRUST_PLATFORM_REQUESTS_PER_SECOND");
    this.axl = new AxlClient(axlSettings, credentials(target.axl()), tls());
  }

  /**
   * A request rate from {@code name} in the environment (1..999 per second), or null when unset: the defaults
   * (AXL 5, platform REST 2 per node) suit a production cluster; a lab or a test may go faster.
   */
  private static Integer rate(Map<String, String> environment, String name) throws ClusterException {
    String rate = environment.get(name);
    if (rate == null || rate.isBlank()) {
      return null;
    }
    if (!rate.strip().matches("[1-9][0-9]{0,2}")) {
      throw new ClusterException(name + " must be 1..999 (got '" + rate + "')");
    }
    return Integer.parseInt(rate.strip());
  }

  AxlClient axl() {
    return axl;
  }

  /** The platform certificate REST client of {@code node}. */
  PlatformClient platform(String node) throws ClusterException {
    PlatformClient client = platform.get(node);
    if (client == null) {
      ConnectTo.Endpoint at = routes.route(node, PlatformSettings.DEFAULT_PORT);
      PlatformSettings settings = PlatformSettings.forBase(https(at, "/platformcom/api/v1/certmgr/config/"))
          .withServerName(node);
      if (requestTimeout != null) {
        settings = settings.withTimeouts(settings.connectTimeout(), requestTimeout);
      }
      if (platformRate != null) {
        settings = settings.withRequestsPerSecond(platformRate);
      }
      client = new PlatformClient(settings, credentials(target.platform()), tls());
      platform.put(node, client);
    }
    return client;
  }

  /** The ControlCenterServices client of {@code node}. */
  ControlCenterClient services(String node) throws ClusterException {
    ControlCenterClient client = services.get(node);
    if (client == null) {
      ConnectTo.Endpoint at = routes.route(node, ControlCenterSettings.DEFAULT_PORT);
      ControlCenterSettings settings = ControlCenterSettings.forEndpoint(https(at, ControlCenterSettings.PATH))
          .withServerName(node);
      if (requestTimeout != null) {
        settings = settings.withTimeouts(settings.connectTimeout(), requestTimeout);
      }
      client = new ControlCenterClient(settings, credentials(target.platform()), tls());
      services.put(node, client);
    }
    return client;
  }

  /**
   * The chain {@code node} serves for {@code service} on its Cisco default port ({@link IdentityPort}), routed like
   * every other connection; the chain is compared, not trusted, so no trust bundle applies.
   */
  List<X509Certificate> servedChain(String node, CertificateSpec.Service service, CertificateSpec.KeyType keyType)
      throws ClusterException {
    IdentityPort port = IdentityPort.of(service)
        .orElseThrow(() -> new ClusterException(service.yaml() + " identities are not served over TLS"));
    String domain = xmppDomain != null ? xmppDomain : node.substring(node.indexOf('.') + 1);
    return TlsProbe.served(node, routes.route(node, port.port()), port, domain, keyType,
        requestTimeout != null ? requestTimeout : java.time.Duration.ofSeconds(15));
  }

  /** Whether the target gives admin CLI credentials. */
  boolean hasCli() {
    return target.cli() != null;
  }

  /** The admin CLI session of {@code node}, opened on first use (a broken session is replaced). */
  AdminCli cli(String node) throws ClusterException {
    AdminCli session = cli.get(node);
    if (session != null && session.isUsable()) {
      return session;
    }
    ClusterSpec.CliCredentials c = target.cli();
    if (c == null) {
      throw new ClusterException("target.cli is not set: keepalive, SIP OAuth mode, stale LSCs, FIPS status and some "
          + "restarts are only reachable through the admin CLI; add target.cli with a knownHosts file");
    }
    if (c.knownHosts() == null) {
      throw new ClusterException("target.cli.knownHosts is not set: uctrust verifies every SSH host key");
    }
    ConnectTo.Endpoint at = routes.route(node, AdminCliSettings.DEFAULT_PORT);
    AdminCliSettings settings = AdminCliSettings.forHost(node, base.resolve(c.knownHosts().substring("file:".length())))
        .withConnectAddress(at.host(), at.port());
    if (requestTimeout != null) {
      settings = settings.withCommandTimeout(requestTimeout);
    }
    AdminCliCredentials credentials;
    if (c.password() != null) {
      credentials = AdminCliCredentials.password(c.username(), secrets.read(c.password(), base).toCharArray());
    } else if (c.privateKey() != null && c.privateKey().source() == SecretRef.Source.FILE) {
      credentials = AdminCliCredentials.privateKey(c.username(), base.resolve(c.privateKey().reference()), null);
    } else {
      throw new ClusterException("target.cli needs a password, or a privateKey given as file:PATH");
    }
    session = AdminCli.connect(settings, credentials);
    cli.put(node, session);
    return session;
  }

  /**
   * {@code UCTRUST_REQUEST_TIMEOUT_MS}: how long one request or CLI command may take before it fails
   * (default: each client's own, 60 s for AXL); for slow clusters, and for tests of timeouts.
   */
  private static java.time.Duration requestTimeout(java.util.Map<String, String> environment) throws ClusterException {
    String text = environment.get("UCTRUST_REQUEST_TIMEOUT_MS");
    if (text == null || text.isBlank()) {
      return null;
    }
    if (!text.strip().matches("[0-9]{3,7}")) {
      throw new ClusterException("UCTRUST_REQUEST_TIMEOUT_MS must be milliseconds from 100 to 9999999 (got '" + text + "')");
    }
    return java.time.Duration.ofMillis(Long.parseLong(text.strip()));
  }

  /**
   * A TLS context per client: each has its own session cache, so a session made with one node is never
   * offered to another node behind the same address (a tunnel, or lab serve).
   */
  private SSLContext tls() {
    return AxlTls.context(trust);
  }

  private BasicCredentials credentials(ClusterSpec.Credentials c) throws ClusterException {
    return BasicCredentials.of(c.username(), secrets.read(c.password(), base));
  }

  private List<X509Certificate> trustBundle() throws ClusterException {
    Path file = base.resolve(target.trust().substring("file:".length()));
    try {
      List<X509Certificate> certificates = Pem.certificates(Files.readString(file));
      if (certificates.isEmpty()) {
        throw new ClusterException("target.trust " + file + " holds no PEM certificate");
      }
      return certificates;
    } catch (IOException e) {
      throw new ClusterException("target.trust " + file + " cannot be read (" + e.getClass().getSimpleName() + ")");
    } catch (IllegalArgumentException e) {
      throw new ClusterException("target.trust " + file + ": " + e.getMessage());
    }
  }

  private static URI https(ConnectTo.Endpoint at, String path) {
    String host = at.host().indexOf(':') >= 0 && !at.host().startsWith("[") ? "[" + at.host() + "]" : at.host();
    return URI.create("https://" + host + ":" + at.port() + path);
  }

  @Override
  public void close() {
    cli.values().forEach(AdminCli::close);
    cli.clear();
  }
}
