package io.uctrust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.uctrust.plan.Plan;
import io.uctrust.plan.PlanJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code snapshot save} and {@code reconcile --dry-run --against FILE} end to end through the CLI, in process, on the
 * examples and real labs in a temporary folder: the snapshot plans what the live cluster plans, needs no lab, writes
 * nothing, and keeps secrets out.
 */
class SnapshotCommandTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC);
  private static final String SECRET = "online-ca-secret-value-42";
  private static final Map<String, String> ENV = Map.of("UCTRUST_ONLINE_CA_PASSWORD", SECRET);
  private static final JsonMapper JSON = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  @TempDir Path temp;

  private record Run(int code, String out, String err) {}

  private Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(CLOCK, ENV, new PrintWriter(out), new PrintWriter(err), args);
    return new Run(code, out.toString(), err.toString());
  }

  private String state() {
    return temp.resolve("lab").toString();
  }

  @ParameterizedTest
  @ValueSource(strings = {"lab", "offline-ca", "sip-oauth-mra"})
  void aDryRunAgainstASnapshotPlansWhatTheLiveDryRunPlansAndItsPlanAppliesToTheUnchangedCluster(String example)
      throws IOException {
    // a copy: the apply writes CSRs for an offline CA into the folder
    String dir = ReconcileCommandTest.copyExample(example, temp).toString();
    Path snapshot = temp.resolve("snapshots/cluster.json");
    Path livePlan = temp.resolve("live.json");
    Path snapshotPlan = temp.resolve("against.json");
    String noLab = temp.resolve("no-lab").toString();

    Run live = run("reconcile", "--dry-run", dir, "--state-dir", state(), "--phones", "20", "--out", livePlan.toString());
    Run save = run("snapshot", "save", dir, "--state-dir", state(), "--out", snapshot.toString());
    Run against = run("reconcile", "--dry-run", dir, "--against", snapshot.toString(), "--state-dir", noLab, "--out",
        snapshotPlan.toString());

    assertThat(save.code()).as(save.out() + save.err()).isZero();
    assertThat(save.out()).contains("snapshot saved to " + snapshot);
    assertThat(against.code()).as(against.err()).isEqualTo(live.code()).isEqualTo(2);
    Plan expected = PlanJson.read(Files.readString(livePlan));
    Plan actual = PlanJson.read(Files.readString(snapshotPlan));
    assertThat(actual.changes()).isEqualTo(expected.changes());
    assertThat(actual.notes()).isEqualTo(expected.notes());
    assertThat(actual.observedFingerprint()).isEqualTo(expected.observedFingerprint());
    assertThat(actual.desiredFingerprint()).isEqualTo(expected.desiredFingerprint());
    assertThat(actual.target()).isEqualTo("snapshot " + snapshot + " observed " + CLOCK.instant());
    assertThat(against.out()).contains("Cluster " + actual.cluster() + " (snapshot " + snapshot + " observed ");
    Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
        .getSchema(Files.newInputStream(Path.of("schemas/plan.schema.json")));
    assertThat(schema.validate(JSON.readTree(Files.readString(snapshotPlan)))).isEmpty();
    assertThat(Path.of(noLab)).doesNotExist();

    // CI planned it against the snapshot; the cluster has not changed since, so that very plan applies
    Run apply = run("reconcile", dir, "--state-dir", state(), "--plan", snapshotPlan.toString());
    assertThat(apply.code()).as(apply.out() + apply.err()).isZero();
    Run again = run("snapshot", "save", dir, "--state-dir", state(), "--out", snapshot.toString());
    Run inSync = run("reconcile", "--dry-run", dir, "--against", snapshot.toString(), "--state-dir", noLab);
    assertThat(again.code()).isZero();
    assertThat(inSync.code()).as(inSync.out()).isZero();
    assertThat(inSync.out()).contains("In sync.");
  }

  @Test
  void aSnapshotHoldsNoSecretOfTheEnvironmentOrTheLab() throws IOException {
    Path snapshot = temp.resolve("lab.json");
    Run apply = run("reconcile", "examples/lab", "--state-dir", state(), "--phones", "20");
    Run save = run("snapshot", "save", "examples/lab", "--state-dir", state(), "--out", snapshot.toString());

    assertThat(apply.code()).as(apply.out() + apply.err()).isZero();
    assertThat(save.code()).as(save.err()).isZero();
    assertThat(save.err()).as("nothing needed redacting").isEmpty();
    String json = Files.readString(snapshot);
    assertThat(json).doesNotContain(SECRET).doesNotContain("PRIVATE KEY");
    List<String> generated = new ArrayList<>();
    try (Stream<Path> files = Files.list(temp.resolve("lab/authentication-strings"))) {
      for (Path file : files.toList()) {
        Files.readAllLines(file).stream().skip(1).map(l -> l.substring(l.indexOf(',') + 1)).forEach(generated::add);
      }
    }
    assertThat(generated).as("the apply generated authentication strings").isNotEmpty();
    List<String> values = new ArrayList<>();
    strings(JSON.readTree(json), values);
    assertThat(values).doesNotContainAnyElementsOf(generated);
  }

  @Test
  void aDryRunAgainstASnapshotNeedsNoLabAndWritesNothingIntoTheDesiredState() throws IOException {
    // phones of the branch's pool have CSRs waiting for the offline CA after an apply
    Path applied = branch("applied");
    Run apply = run("reconcile", applied.toString(), "--state-dir", state(), "--phones", "40");
    assertThat(apply.code()).as(apply.out() + apply.err()).isZero();
    Path snapshot = temp.resolve("branch.json");
    assertThat(run("snapshot", "save", applied.toString(), "--state-dir", state(), "--out", snapshot.toString()).code())
        .isZero();
    Path live = branch("live");
    run("reconcile", "--dry-run", live.toString(), "--state-dir", state());
    assertThat(live.resolve("offline-ca/pending")).as("a live dry run writes the CSRs").isDirectoryContaining("glob:**.csr");

    Path ci = branch("ci");
    Map<String, String> before = listing(ci);
    Path noLab = temp.resolve("no-lab");
    Run against = run("reconcile", "--dry-run", ci.toString(), "--against", snapshot.toString(), "--state-dir",
        noLab.toString(), "-o", "markdown");

    assertThat(against.code()).as(against.err()).isIn(0, 2);
    assertThat(listing(ci)).isEqualTo(before);
    assertThat(noLab).doesNotExist();
    assertThat(against.err()).doesNotContain("CSR(s) wait");
  }

  @Test
  void jsonOutputIsOneDocumentForEveryClusterAndMarkdownIsAComment() throws IOException {
    Path snapshot = temp.resolve("sip.json");
    run("snapshot", "save", "examples/sip-oauth-mra", "--state-dir", state(), "--phones", "20", "--out", snapshot.toString());

    Run json = run("reconcile", "--dry-run", "examples/sip-oauth-mra", "--against", snapshot.toString(), "-o", "json");
    Run markdown = run("reconcile", "--dry-run", "examples/sip-oauth-mra", "--against", snapshot.toString(), "-o",
        "markdown");

    JsonNode document = JSON.readTree(json.out());
    assertThat(document.get("format").asString()).isEqualTo("uctrust.dry-run/v1");
    assertThat(document.get("exitCode").asInt()).isEqualTo(json.code()).isEqualTo(2);
    assertThat(document.get("inSync").asBoolean()).isFalse();
    assertThat(document.get("clusters")).hasSize(1);
    assertThat(document.get("errors")).isEmpty();
    JsonNode plan = document.get("clusters").get(0);
    assertThat(plan.get("target").asString()).startsWith("snapshot " + snapshot);
    assertThat(PlanJson.read(json.out()).changes()).hasSize(plan.get("changes").size());
    assertThat(markdown.code()).isEqualTo(2);
    assertThat(markdown.out()).startsWith("## uctrust plan\n\n**Changes pending: ")
        .contains("Exit code 2: changes pending").contains("target: snapshot " + snapshot);
  }

  @Test
  void anInvalidDesiredStateIsStillOneJsonDocumentOrAComment() throws IOException {
    Path desired = ReconcileCommandTest.copyExample("offline-ca", temp);
    Path cluster = desired.resolve("cluster.yaml");
    Files.writeString(cluster, Files.readString(cluster).replace("keepAliveMinutes: 30", "keepAliveMinutes: 90"));

    Run json = run("reconcile", "--dry-run", desired.toString(), "--state-dir", state(), "-o", "json");
    Run markdown = run("reconcile", "--dry-run", desired.toString(), "--state-dir", state(), "-o", "markdown");

    assertThat(json.code()).isEqualTo(markdown.code()).isEqualTo(1);
    JsonNode report = JSON.readTree(json.out());
    assertThat(report.get("format").asString()).isEqualTo("uctrust.validation/v1");
    assertThat(report.get("valid").asBoolean()).isFalse();
    assertThat(markdown.out()).startsWith("## uctrust plan\n\n**The desired state is invalid; nothing was planned.** Exit "
        + "code 1: invalid input.\n\n<pre>\n").contains("keepAliveMinutes: must be between 5 and 60").endsWith("</pre>\n");
    assertThat(temp.resolve("lab")).doesNotExist();
  }

  @Test
  void againstIsRefusedWithoutDryRunAndForAFileThatIsNoSnapshotOfTheCluster() throws IOException {
    Path snapshot = temp.resolve("branch.json");
    run("snapshot", "save", "examples/offline-ca", "--state-dir", state(), "--phones", "20", "--out", snapshot.toString());
    Path garbage = Files.writeString(temp.resolve("garbage.json"), "{ not json");
    Path newer = Files.writeString(temp.resolve("newer.json"),
        Files.readString(snapshot).replace("uctrust.snapshot/v1", "uctrust.snapshot/v7"));

    Run apply = run("reconcile", "examples/offline-ca", "--against", snapshot.toString(), "--state-dir", state());
    Run other = run("reconcile", "--dry-run", "examples/lab", "--against", snapshot.toString(), "-o", "json");
    Run unreadable = run("reconcile", "--dry-run", "examples/offline-ca", "--against", garbage.toString());
    Run future = run("reconcile", "--dry-run", "examples/offline-ca", "--against", newer.toString());
    Run missing = run("reconcile", "--dry-run", "examples/offline-ca", "--against", temp.resolve("none.json").toString());

    assertThat(apply.code()).isEqualTo(1);
    assertThat(apply.err()).isEqualTo("uctrust: --against plans against a recorded snapshot, which cannot be applied; add "
        + "--dry-run\n");
    assertThat(other.code()).isEqualTo(1);
    assertThat(other.err()).contains("uctrust: cluster lab: snapshot " + snapshot + " has no cluster 'lab' (it holds: "
        + "branch)");
    assertThat(JSON.readTree(other.out()).get("errors").get(0).get("cluster").asString()).isEqualTo("lab");
    assertThat(unreadable.code()).isEqualTo(1);
    assertThat(unreadable.err()).startsWith("uctrust: snapshot " + garbage + " is not a readable uctrust snapshot");
    assertThat(future.code()).isEqualTo(1);
    assertThat(future.err()).contains(newer.toString()).contains("newer than this uctrust reads");
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err()).startsWith("uctrust: cannot read snapshot " + temp.resolve("none.json"));
    assertThat(unreadable.out() + future.out() + missing.out() + apply.out()).isEmpty();
  }

  @Test
  void snapshotSaveOfAnInvalidDesiredStateWritesNothing() throws IOException {
    Path desired = ReconcileCommandTest.copyExample("offline-ca", temp);
    Path cluster = desired.resolve("cluster.yaml");
    Files.writeString(cluster, Files.readString(cluster).replace("keepAliveMinutes: 30", "keepAliveMinutes: 90"));
    Path snapshot = temp.resolve("branch.json");

    Run save = run("snapshot", "save", desired.toString(), "--state-dir", state(), "--out", snapshot.toString());
    Run unknown = run("snapshot", "save", "examples/offline-ca", "--cluster", "hq", "--state-dir", state(), "--out",
        snapshot.toString());

    assertThat(save.code()).isEqualTo(1);
    assertThat(save.out()).contains("keepAliveMinutes: must be between 5 and 60");
    assertThat(unknown.code()).isEqualTo(1);
    assertThat(unknown.err()).contains("no Cluster document named 'hq'").contains("nothing written to " + snapshot);
    assertThat(snapshot).doesNotExist();
    assertThat(temp.resolve("lab")).doesNotExist();
  }

  /** A copy of the offline-CA example whose phones sit in the lab's Branch-East pool. */
  private Path branch(String name) throws IOException {
    Path desired = ReconcileCommandTest.copyExample("offline-ca", temp.resolve(name));
    Path cluster = desired.resolve("cluster.yaml");
    Files.writeString(cluster, Files.readString(cluster).replace("devicePools: [Branch]", "devicePools: [Branch-East]"));
    return desired;
  }

  /** Every file below {@code dir} with its content. */
  private static Map<String, String> listing(Path dir) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path file : walk.toList()) {
        files.put(dir.relativize(file).toString(), Files.isRegularFile(file) ? Files.readString(file) : "(folder)");
      }
    }
    return files;
  }

  private static void strings(JsonNode node, List<String> into) {
    if (node.isString()) {
      into.add(node.asString());
    }
    node.forEach(child -> strings(child, into));
  }
}
