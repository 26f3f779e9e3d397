package io.uctrust.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.uctrust.cluster.ClusterException;
import io.uctrust.cluster.Operation;
import io.uctrust.cluster.SecretResolver;
import io.uctrust.desired.ClusterSpec;
import io.uctrust.desired.DesiredResolver;
import io.uctrust.desired.DesiredStateLoader;
import io.uctrust.desired.ResolvedDesired;
import io.uctrust.diagnostic.Diagnostic;
import io.uctrust.observed.ObservedCluster;
import io.uctrust.pki.Pem;
import io.uctrust.pki.TestCertificates;
import io.uctrust.target.lab.LabCluster;
import io.uctrust.target.lab.LabStore;
import io.uctrust.validate.ValidationOptions;
import io.uctrust.validate.ValidationReport;
import io.uctrust.validate.Validator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What planner tests share: a fixed clock, a four-node cluster (Unified CM publisher and subscriber, IM and
 * Presence publisher with federation and subscriber), one lab seeded from it per JVM (RSA key generation
 * dominates, so every test starts from a copy of the same {@code state.json}), and helpers to write,
 * validate and resolve a desired state.
 */
final class PlanFixture {
  private PlanFixture() {}

  static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  static final String PUB = "cucm-pub.example.com";
  static final String SUB = "cucm-sub1.example.com";
  static final String IMP = "imp-pub.example.com";
  static final String IMS = "imp-sub1.example.com";
  static final List<String> NODES = List.of(PUB, SUB, IMP, IMS);

  static final String CALLMANAGER = Restarts.CALLMANAGER;
  static final String TFTP = Restarts.TFTP;
  static final String TOMCAT = Restarts.TOMCAT;
  static final String CAPF = Restarts.CAPF;
  static final String ENROLLMENT = Restarts.ENROLLMENT;
  static final String TVS = Restarts.TVS;
  static final String SIP_PROXY = Restarts.SIP_PROXY;
  static final String PRESENCE_ENGINE = Restarts.PRESENCE_ENGINE;
  static final String XCP_ROUTER = Restarts.XCP_ROUTER;
  static final String FEDERATION = Restarts.FEDERATION;
  static final String SYNC_AGENT = Restarts.SYNC_AGENT;

  /** Phones in the seeded lab: enough for a policy selecting all of them to need three batches. */
  static final int PHONES = 1100;

  /** The Cluster document; more {@code spec} fields can be appended with two spaces of indentation. */
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
          - {name: imp-pub.example.com, role: imp-publisher, xmppFederation: true}
          - {name: imp-sub1.example.com, role: imp-subscriber}
      """;

  static final JsonMapper JSON = JsonMapper.builder().build();

  /** Resolves every secret to a fixed value; generate-unique gets a value per subject. */
  static final SecretResolver SECRETS = (ref, subject) -> switch (ref.source()) {
    case GENERATE_UNIQUE -> String.valueOf(1000 + Math.floorMod(subject.hashCode(), 9000));
    default -> "fixed-secret-" + ref.reference().length();
  };

  private static byte[] seeded;
  /** The seeded lab's CAPF key store and its password file, copied into every lab made from the seeded state. */
  private static byte[] capfKeyStore;
  private static byte[] capfPassword;
  /** The seeded lab's node keys ({@code keys/nodes/<node>/<file>}) by relative path, for TLS-served identities. */
  private static java.util.Map<String, byte[]> nodeKeys;

  /** The {@code state.json} of a lab created from {@link #CLUSTER} with {@link #PHONES} phones, made once per JVM. */
  static synchronized byte[] seededState() {
    if (seeded == null) {
      Path dir = null;
      try {
        dir = Files.createTempDirectory("uctrust-seeded-lab");
        LabStore store = new LabStore(dir.resolve("lab"));
        LabCluster.create(store, "lab", clusterSpec(), PHONES, CLOCK).close();
        seeded = Files.readAllBytes(store.stateFile());
        capfKeyStore = Files.readAllBytes(dir.resolve("lab").resolve("keys").resolve("capf.p12"));
        capfPassword = Files.readAllBytes(dir.resolve("lab").resolve("keys").resolve("capf.password"));
        java.util.Map<String, byte[]> keys = new java.util.TreeMap<>();
        Path nodes = dir.resolve("lab").resolve("keys").resolve("nodes");
        try (Stream<Path> walk = Files.walk(nodes)) {
          for (Path file : walk.filter(Files::isRegularFile).toList()) {
            keys.put(nodes.relativize(file).toString(), Files.readAllBytes(file));
          }
        }
        nodeKeys = keys;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (ClusterException e) {
        throw new IllegalStateException(e);
      } finally {
        delete(dir);
      }
    }
    return seeded.clone();
  }

  static ClusterSpec clusterSpec() {
    var loaded = new DesiredStateLoader().loadText(Path.of("cluster.yaml"), CLUSTER);
    assertThat(loaded.diagnostics()).isEmpty();
    return loaded.state().clusters().get(0).spec();
  }

  /** A lab in {@code dir} holding a copy of the seeded state. */
  static LabCluster lab(Path dir) {
    return lab(dir, seededState(), state -> { });
  }

  /** A lab in {@code dir} holding a copy of the seeded state after {@code edit} changed its JSON. */
  static LabCluster lab(Path dir, Consumer<ObjectNode> edit) {
    return lab(dir, seededState(), edit);
  }

  /** A lab in {@code dir} holding {@code state} after {@code edit} changed its JSON. */
  static LabCluster lab(Path dir, byte[] state, Consumer<ObjectNode> edit) {
    try {
      LabStore store = new LabStore(dir);
      Files.createDirectories(dir);
      ObjectNode json = (ObjectNode) JSON.readTree(state);
      edit.accept(json);
      Files.write(store.stateFile(), JSON.writeValueAsBytes(json));
      seededState();
      Files.createDirectories(dir.resolve("keys"));
      Files.write(dir.resolve("keys").resolve("capf.p12"), capfKeyStore);
      Files.write(dir.resolve("keys").resolve("capf.password"), capfPassword);
      for (var key : nodeKeys.entrySet()) {
        Path file = dir.resolve("keys").resolve("nodes").resolve(key.getKey());
        Files.createDirectories(file.getParent());
        Files.write(file, key.getValue());
      }
      return LabCluster.open(store, "lab", clusterSpec(), 0, CLOCK, Duration.ZERO);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ClusterException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code count} stale LSCs (of the first phones) in a lab state's JSON. */
  static void staleLscs(ObjectNode state, int count) {
    var list = state.putArray("staleLscs");
    for (int i = 0; i < count; i++) {
      ObjectNode stale = list.addObject();
      stale.put("phone", state.get("phones").get(i % state.get("phones").size()).get("name").asText());
      stale.put("serial", Integer.toHexString(0x5a1e0 + i));
      stale.put("issued", CLOCK.instant().minusSeconds(86_400L * (i + 1)).toString());
    }
  }

  /** The JSON node of {@code name} in a lab state. */
  static ObjectNode node(ObjectNode state, String name) {
    for (var node : state.get("nodes")) {
      if (node.get("name").asString().equals(name)) {
        return (ObjectNode) node;
      }
    }
    throw new IllegalArgumentException("no node " + name);
  }

  /** Adds a certificate to a trust store of a node in a lab state, owned by {@code owner}. */
  static void addTrust(ObjectNode state, String nodeName, String store, String pem, String owner) {
    ArrayNode entries = (ArrayNode) node(state, nodeName).get("trust").get(store);
    ObjectNode entry = entries.addObject();
    entry.put("pem", pem);
    entry.put("sha256", io.uctrust.pki.CertificateFacts.of(Pem.certificate(pem)).sha256());
    entry.put("description", "added by test");
    entry.put("owner", owner);
  }

  /** PEM text of a test CA certificate with common name {@code cn}, valid ten years from a year ago. */
  static String caPem(String cn) {
    return Pem.encode(TestCertificates.create(TestCertificates.Spec.selfSignedCa(cn, NOW.minus(Duration.ofDays(365)),
        NOW.plus(Duration.ofDays(3650)))));
  }

  /** Writes a test CA certificate to {@code dir/relative} and returns its PEM text. */
  static String writeCa(Path dir, String relative, String cn) throws IOException {
    String pem = caPem(cn);
    Path file = dir.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, pem);
    return pem;
  }

  /** Writes {@code yaml} to {@code dir/file}. */
  static void write(Path dir, String file, String yaml) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(file), yaml);
  }

  /** Writes the Cluster document with {@code extra} appended to its spec (each line indented by two spaces). */
  static void cluster(Path dir, String extra) throws IOException {
    String indented = extra.isEmpty() ? "" : extra.lines().map(l -> "  " + l).collect(Collectors.joining("\n", "", "\n"));
    write(dir, "cluster.yaml", CLUSTER + indented);
  }

  /** Validates {@code dir} with the fixed clock (asserting it is valid) and resolves it. */
  static ResolvedDesired desired(Path dir) {
    ValidationReport report = new Validator(CLOCK, ValidationOptions.DEFAULTS).validate(dir);
    assertThat(report.valid()).as("desired state in %s is valid: %s", dir,
        report.diagnostics().stream().filter(Diagnostic::isError).map(Diagnostic::toString).toList()).isTrue();
    try {
      return new DesiredResolver().resolve(report.state());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Plan plan(ResolvedDesired desired, ObservedCluster observed) {
    return plan(desired, observed, CLOCK);
  }

  static Plan plan(ResolvedDesired desired, ObservedCluster observed, Clock clock) {
    return new Planner().plan(desired, desired.state().clusters().get(0), observed, clock);
  }

  /**
   * Performs every operation of every change of {@code plan} on {@code lab}, failing on the first error; the checks of
   * served identities are the applier's (see the apply tests).
   */
  static void applyAll(LabCluster lab, Plan plan) {
    for (Change change : plan.changes()) {
      for (Operation operation : change.operations()) {
        if (operation instanceof Operation.VerifyServedIdentity) {
          continue;
        }
        try {
          lab.perform(operation, SECRETS);
        } catch (ClusterException e) {
          throw new AssertionError("change " + change.id() + " " + change.address() + ": " + e.getMessage(), e);
        }
      }
    }
  }

  /** The restarts of {@code plan} as {@code service@node}, in plan order. */
  static List<String> restarts(Plan plan) {
    return plan.changes().stream().filter(c -> c.phase() == Phase.RESTART).map(Change::address).toList();
  }

  /** The changes of {@code plan} other than restarts and the checks after them (both derived from the others). */
  static List<Change> withoutRestarts(Plan plan) {
    return plan.changes().stream().filter(c -> c.phase() != Phase.RESTART && c.phase() != Phase.VERIFY).toList();
  }

  /** The addresses of the served-identity checks of {@code plan}, in plan order. */
  static List<String> verifications(Plan plan) {
    return plan.changes().stream().filter(c -> c.phase() == Phase.VERIFY).map(Change::address).toList();
  }

  static String at(String service, String node) {
    return service + "@" + node;
  }

  static void delete(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
