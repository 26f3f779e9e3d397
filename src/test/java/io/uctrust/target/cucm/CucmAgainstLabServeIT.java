package io.uctrust.target.cucm;

import static org.assertj.core.api.Assertions.assertThat;

import io.uctrust.cli.Main;
import io.uctrust.observed.ObservedCluster;
import io.uctrust.plan.Change;
import io.uctrust.plan.Plan;
import io.uctrust.plan.PlanJson;
import io.uctrust.target.lab.LabCluster;
import io.uctrust.target.lab.LabFaults;
import io.uctrust.target.lab.LabServer;
import io.uctrust.target.lab.LabStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real-cluster adapter end to end: every example reconciled through {@code target: cucm} against
 * {@code lab serve} (HTTPS AXL, platform REST, ControlCenterServices and SSH, on loopback) plans and
 * ends exactly like the in-process lab from the same starting state. The only differences allowed are
 * the ones a real cluster forces: IM and Presence security settings and certificate monitor / revocation
 * settings have no interface, so through cucm they are steps to check by hand and stay unchanged.
 */
class CucmAgainstLabServeIT {

  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC);
  /** The examples' secrets; AXL paced for a loopback lab, not a production publisher. */
  static final Map<String, String> ENVIRONMENT = Map.of("UCTRUST_ONLINE_CA_PASSWORD", "lab-online-ca-password",
      "UCTRUST_CA_PASSWORD", "lab-ca-password", "UCTRUST_AXL_REQUESTS_PER_SECOND", "100",
      "UCTRUST_PLATFORM_REQUESTS_PER_SECOND", "100");
  static final Set<String> UNREACHABLE = Set.of("monitoring-setting", "im-and-presence-setting");

  @TempDir Path temp;

  @ParameterizedTest
  @ValueSource(strings = {"lab", "offline-ca", "sip-oauth-mra"})
  void reconcilingThroughCucmAgainstLabServeMatchesTheInProcessLab(String example) throws Exception {
    // a copy: the apply writes CSRs for an offline CA into the folder
    Path desired = copy(Path.of("examples", example).toAbsolutePath(), temp.resolve("desired"));
    Path seed = temp.resolve("seed");
    assertThat(run("lab", "init", desired.toString(), "--state-dir", seed.toString(), "--phones", "40").code).isZero();
    Path inProcess = copy(seed, temp.resolve("in-process"));
    Path served = copy(seed, temp.resolve("served"));

    Path inProcessPlan = temp.resolve("in-process-plan.json");
    assertThat(run("reconcile", desired.toString(), "--dry-run", "--state-dir", inProcess.toString(), "--out",
        inProcessPlan.toString()).code).isIn(0, 2);
    Plan expected = PlanJson.read(Files.readString(inProcessPlan));

    Path journal = temp.resolve("cucm-journal");
    try (LabServer server = LabServer.start(new LabStore(served), InetAddress.getLoopbackAddress(), 0, LabFaults.none(),
        CLOCK)) {
      Path cucmDesired = cucmCopy(desired, server);
      List<String> routes = connectTo(server);
      Path cucmPlan = temp.resolve("cucm-plan.json");
      Result dryRun = run(with(routes, "reconcile", cucmDesired.toString(), "--dry-run", "--state-dir", journal.toString(),
          "--out", cucmPlan.toString()));
      assertThat(dryRun.code).as(dryRun.err + dryRun.out).isIn(0, 2);
      Plan actual = PlanJson.read(Files.readString(cucmPlan));

      assertThat(comparable(actual.changes())).isEqualTo(comparable(expected.changes()));
      assertThat(actual.changes()).filteredOn(c -> UNREACHABLE.contains(c.resource()))
          .allSatisfy(c -> assertThat(c.action().name()).isEqualTo("CHECK"));

      Result inProcessApply = run("reconcile", desired.toString(), "--state-dir", inProcess.toString());
      assertThat(inProcessApply.code).as(inProcessApply.err + inProcessApply.out).isZero();
      Result apply = run(with(routes, "reconcile", cucmDesired.toString(), "--state-dir", journal.toString()));
      assertThat(apply.code).as(apply.err + apply.out).isZero();
      Result again = run(with(routes, "reconcile", cucmDesired.toString(), "--dry-run", "--state-dir", journal.toString()));
      assertThat(again.code).as("a second run through cucm is in sync:\n" + again.out + again.err).isZero();
    }

    ObservedCluster left = LabCluster.existing(new LabStore(inProcess), CLOCK).observe();
    ObservedCluster right = LabCluster.existing(new LabStore(served), CLOCK).observe();
    assertThat(reachable(right)).usingRecursiveComparison().isEqualTo(reachable(left));
    assertThat(LabCluster.existing(new LabStore(served), CLOCK).events().stream().map(CucmAgainstLabServeIT::withoutReason))
        .containsExactlyElementsOf(LabCluster.existing(new LabStore(inProcess), CLOCK).events().stream()
            .map(CucmAgainstLabServeIT::withoutReason).toList());
  }

  /** What a plan does, without what only the in-process lab can reach. */
  static List<String> comparable(List<Change> changes) {
    return changes.stream().filter(c -> !UNREACHABLE.contains(c.resource()))
        .map(c -> c.phase() + " " + c.action() + " " + c.resource() + " " + c.address() + " | " + c.before() + " -> "
            + c.after() + " | " + c.operations())
        .toList();
  }

  /**
   * The snapshot without the parts no real-cluster interface reaches and without its fingerprint;
   * certificates by their facts without the fingerprint (renewals make new keys on each side).
   */
  static ObservedCluster reachable(ObservedCluster o) {
    List<ObservedCluster.Node> nodes = o.nodes().stream().map(n -> new ObservedCluster.Node(n.name(), n.role(),
        n.identities().stream().map(i -> new ObservedCluster.Identity(i.service(), facts(i.certificate()), i.selfSigned()))
            .toList(),
        n.trust().stream().map(t -> new ObservedCluster.TrustEntry(t.store(), facts(t.certificate()), t.description(),
            t.owner())).toList(),
        n.services())).toList();
    return new ObservedCluster(o.name(), nodes, o.security(), o.enterprise(), null, o.capf(), o.sipOAuth(), null,
        o.phones(), o.staleLscs(), o.pendingCsrs(), "");
  }

  static ObservedCluster.Certificate facts(ObservedCluster.Certificate c) {
    boolean selfMade = c.subject().equals(c.issuer());
    return new ObservedCluster.Certificate(c.subject(), c.commonName(), c.issuer(), selfMade ? "" : c.sha256(),
        selfMade ? null : c.notBefore(), c.notAfter(), c.keyAlgorithm(), c.keyBits(), c.dnsNames(),
        selfMade ? null : c.pem());
  }

  static String withoutReason(String event) {
    int reason = event.lastIndexOf("  (");
    return reason < 0 ? event : event.substring(0, reason);
  }

  static List<String> connectTo(LabServer server) {
    List<String> args = new ArrayList<>();
    server.connectTo().forEach(route -> {
      args.add("--connect-to");
      args.add(route);
    });
    return args;
  }

  static String[] with(List<String> extra, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(extra);
    return all.toArray(String[]::new);
  }

  /** The example with its Cluster document's target switched to the served lab. */
  Path cucmCopy(Path desired, LabServer server) throws IOException {
    Path copy = copy(desired, temp.resolve("cucm-desired"));
    Path cluster = copy.resolve("cluster.yaml");
    String password = "\"file:" + server.passwordFile() + "\"";
    String target = "target:\n"
        + "    type: cucm\n"
        + "    publisher: " + publisher(Files.readString(cluster)) + "\n"
        + "    axl: {username: axladmin, password: " + password + "}\n"
        + "    platform: {username: osadmin, password: " + password + "}\n"
        + "    cli: {username: osadmin, password: " + password + ", knownHosts: \"file:" + server.knownHosts() + "\"}\n"
        + "    trust: \"file:" + server.trustBundle() + "\"\n"
        + "    axlVersion: \"15.0\"";
    Files.writeString(cluster, Files.readString(cluster).replace("target: {type: lab}", target));
    return copy;
  }

  static String publisher(String clusterYaml) {
    for (String line : clusterYaml.split("\n")) {
      if (line.contains("role: cucm-publisher")) {
        return line.substring(line.indexOf("name:") + 5, line.indexOf(',')).strip();
      }
    }
    throw new IllegalStateException("no publisher");
  }

  static Path copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path source : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else if (!source.getFileName().toString().equals("lock")) {
          Files.copy(source, target);
        }
      }
    }
    return to;
  }

  record Result(int code, String out, String err) {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(CLOCK, ENVIRONMENT, new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Result(code, out.toString(), err.toString());
  }
}
