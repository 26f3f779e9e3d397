package io.uctrust.target.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.uctrust.cluster.ClusterException;
import io.uctrust.desired.ClusterSpec;
import io.uctrust.desired.DesiredStateLoader;
import io.uctrust.pki.Pem;
import io.uctrust.target.cucm.BasicCredentials;
import io.uctrust.target.cucm.axl.AxlTls;
import io.uctrust.target.cucm.platform.PlatformApi;
import io.uctrust.target.cucm.platform.PlatformClient;
import io.uctrust.target.cucm.platform.PlatformSettings;
import io.uctrust.target.cucm.services.ControlCenterClient;
import io.uctrust.target.cucm.services.ControlCenterSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * A served lab for tests: a publisher, a subscriber and an IM and Presence publisher, seeded once per JVM
 * (key generation dominates) and copied into each test's folder, served on 127.0.0.1, with the real
 * platform and ControlCenterServices clients set up to reach a node by its name over SNI.
 */
final class ServedLabFixture implements AutoCloseable {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC);
  static final String PUB = "cucm-pub.example.com";
  static final String SUB = "cucm-sub1.example.com";
  static final String IMP = "imp-pub.example.com";
  static final String PASSWORD = "lab-secret-1";

  static final String CLUSTER = """
      apiVersion: uctrust/v1
      kind: Cluster
      metadata: {name: lab}
      spec:
        target: {type: lab}
        release: "15.0"
        domain: example.com
        nodes:
          - {name: cucm-pub.example.com, role: cucm-publisher}
          - {name: cucm-sub1.example.com, role: cucm-subscriber}
          - {name: imp-pub.example.com, role: imp-publisher}
      """;

  /** Phones of the lab {@link #serve} and {@link #copyOfSeeded(Path)} give. */
  static final int PHONES = 20;


  final LabStore store;
  final ServedLab lab;
  final LabHttpsServer server;
  final LabFaults faults;

  private ServedLabFixture(LabStore store, ServedLab lab, LabHttpsServer server, LabFaults faults) {
    this.store = store;
    this.lab = lab;
    this.server = server;
    this.faults = faults;
  }

  static ClusterSpec clusterSpec() {
    var loaded = new DesiredStateLoader().loadText(Path.of("cluster.yaml"), CLUSTER);
    assertThat(loaded.diagnostics()).isEmpty();
    return loaded.state().clusters().get(0).spec();
  }

  /** A copy of the seeded lab in {@code dir}/lab, served. */
  static ServedLabFixture serve(Path dir) throws Exception {
    LabStore store = copyOfSeeded(dir.resolve("lab"));
    LabFaults faults = LabFaults.none();
    ServedLab lab = ServedLab.open(store, CLOCK);
    LabHttpsServer server = LabHttpsServer.start(lab, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        Map.of(), faults, PASSWORD);
    return new ServedLabFixture(store, lab, server, faults);
  }

  /** A copy of the seeded lab in {@code dir}, not served (for in-process comparisons). */
  static LabStore copyOfSeeded(Path dir) throws IOException {
    return copyOfSeeded(dir, PHONES);
  }

  /** A copy of the lab seeded with {@code phones} phones in {@code dir}. */
  static LabStore copyOfSeeded(Path dir, int phones) throws IOException {
    Files.createDirectories(dir.resolve("keys"));
    Path seeded = seededLab(phones);
    Files.copy(seeded.resolve("state.json"), dir.resolve("state.json"));
    // the CAPF CA's key, which the lab's CAPF signs LSCs with
    for (String key : List.of("capf.p12", "capf.password")) {
      Files.copy(seeded.resolve("keys").resolve(key), dir.resolve("keys").resolve(key));
    }
    // the keys of the nodes' identities, which the lab serves over TLS
    try (var files = Files.walk(seeded.resolve("keys").resolve("nodes"))) {
      for (Path source : (Iterable<Path>) files::iterator) {
        Path target = dir.resolve(seeded.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
    }
    return new LabStore(dir);
  }

  /** The CAPF certificate (PEM) of the lab in {@code store}. */
  static String capfPem(LabStore store) {
    try {
      return store.load().capfCertificate().orElseThrow();
    } catch (ClusterException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Seeded lab folders by number of phones, made once per JVM. */
  private static final Map<Integer, Path> SEEDED_LABS = new java.util.HashMap<>();

  private static synchronized Path seededLab(int phones) {
    return SEEDED_LABS.computeIfAbsent(phones, n -> {
      try {
        Path dir = Files.createTempDirectory("uctrust-served-lab");
        LabStore store = new LabStore(dir);
        LabCluster.create(store, "lab", clusterSpec(), n, CLOCK).close();
        return dir;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (ClusterException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  SSLContext tls() throws IOException {
    return AxlTls.context(List.of(Pem.certificate(Files.readString(server.trustBundle()))));
  }

  URI platformBase() {
    return URI.create("https://127.0.0.1:" + server.port() + PlatformApi.BASE_PATH);
  }

  PlatformClient platform(String node) throws IOException {
    return platform(node, PASSWORD);
  }

  PlatformClient platform(String node, String password) throws IOException {
    PlatformSettings settings = PlatformSettings.forBase(platformBase()).withServerName(node)
        .withRequestsPerSecond(1000).withRetry(2, Duration.ofMillis(10), Duration.ofMillis(10))
        .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(20));
    return new PlatformClient(settings, BasicCredentials.of("platformadmin", password), tls());
  }

  ControlCenterClient controlCenter(String node) throws IOException {
    ControlCenterSettings settings = ControlCenterSettings.forEndpoint(URI.create("https://127.0.0.1:" + server.port()
            + ControlCenterSettings.PATH)).withServerName(node)
        .withRetry(2, Duration.ofMillis(10), Duration.ofMillis(10))
        .withPolling(Duration.ofMillis(10), Duration.ofSeconds(2))
        .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(20));
    return new ControlCenterClient(settings, BasicCredentials.of("ccsadmin", PASSWORD), tls());
  }

  @Override
  public void close() {
    server.close();
    lab.close();
  }
}
