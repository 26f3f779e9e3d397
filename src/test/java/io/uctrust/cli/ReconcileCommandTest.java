package io.uctrust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.uctrust.target.lab.LabStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The main job end to end through the CLI, in process, on the examples and a lab in a temporary folder. */
class ReconcileCommandTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC);
  private static final String SECRET = "online-ca-secret-value-42";
  private static final Map<String, String> ENV = Map.of("UCTRUST_ONLINE_CA_PASSWORD", SECRET);

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
  void dryRunShowsChangesApplyConvergesAndTheNextDryRunIsInSync(String example) throws IOException {
    // a copy: the apply writes CSRs for an offline CA into the folder
    String dir = copyExample(example, temp).toString();

    Run first = run("reconcile", "--dry-run", dir, "--state-dir", state());
    Run apply = run("reconcile", dir, "--state-dir", state());
    Run second = run("reconcile", "--dry-run", dir, "--state-dir", state());

    assertThat(first.code()).as(first.err()).isEqualTo(2);
    assertThat(first.out()).contains("Plan: ").contains(" to add, ");
    assertThat(apply.code()).as(apply.out() + apply.err()).isZero();
    assertThat(apply.out()).contains(" succeeded, 0 failed, 0 skipped");
    assertThat(apply.err()).contains("[1/");
    assertThat(second.code()).as(second.out()).isZero();
    assertThat(second.out()).contains("In sync.");
  }

  @Test
  void aFailedChangeDoesNotStopIndependentChangesAndDependentOnesWaitForTheNextRun() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(CLOCK, Map.of(), new PrintWriter(out), new PrintWriter(err), "reconcile", "examples/lab",
        "--state-dir", state());

    assertThat(code).isEqualTo(1);
    assertThat(out.toString()).contains(" failed, ")
        .contains("failed: secret env:UCTRUST_ONLINE_CA_PASSWORD is not set in the environment")
        .contains("skipped: depends on failed change #");
    assertThat(err.toString()).contains("service Cisco Tomcat@cucm-pub.example.com: succeeded");

    Run retry = run("reconcile", "examples/lab", "--state-dir", state());
    assertThat(retry.code()).as(retry.out()).isZero();
    assertThat(run("reconcile", "--dry-run", "examples/lab", "--state-dir", state()).code()).isZero();
  }

  @Test
  void secretValuesAppearInNoOutputPlanOrJournal() throws IOException {
    Path saved = temp.resolve("plan.json");
    Run dry = run("reconcile", "--dry-run", "examples/lab", "--state-dir", state(), "--out", saved.toString(), "-o", "json");
    Run apply = run("reconcile", "examples/lab", "--state-dir", state(), "--plan", saved.toString());

    assertThat(apply.code()).as(apply.out() + apply.err()).isZero();
    assertThat(dry.out() + dry.err() + apply.out() + apply.err() + Files.readString(saved)).doesNotContain(SECRET);
    assertThat(dry.out()).contains("env:UCTRUST_ONLINE_CA_PASSWORD");
    try (Stream<Path> journal = Files.walk(temp.resolve("lab/journal"))) {
      for (Path file : journal.filter(Files::isRegularFile).toList()) {
        assertThat(Files.readString(file)).as(file.toString()).doesNotContain(SECRET);
      }
    }
  }

  @Test
  void aSavedPlanIsAppliedExactlyAndRefusedOnceTheClusterChanged() throws IOException {
    String dir = copyExample("offline-ca", temp).toString();
    Path saved = temp.resolve("plan.json");
    run("reconcile", "--dry-run", dir, "--state-dir", state(), "--out", saved.toString());
    Run first = run("reconcile", dir, "--state-dir", state(), "--plan", saved.toString());
    Run again = run("reconcile", dir, "--state-dir", state(), "--plan", saved.toString());

    assertThat(first.code()).as(first.err()).isZero();
    assertThat(again.code()).isEqualTo(1);
    assertThat(again.err()).contains("the saved plan is stale: the cluster changed since it was made");
  }

  @Test
  void aSavedPlanIsRefusedOnceTheDesiredStateChanged() throws IOException {
    Path copy = copyExample("offline-ca", temp);
    Path saved = temp.resolve("plan.json");
    run("reconcile", "--dry-run", copy.toString(), "--state-dir", state(), "--out", saved.toString());
    Path file = copy.resolve("cluster.yaml");
    Files.writeString(file, Files.readString(file).replace("keepAliveMinutes: 30", "keepAliveMinutes: 31"));

    Run apply = run("reconcile", copy.toString(), "--state-dir", state(), "--plan", saved.toString());

    assertThat(apply.code()).isEqualTo(1);
    assertThat(apply.err()).contains("the saved plan is stale: the desired state changed since it was made");
  }

  @Test
  void jsonAndMarkdownPlansDescribeTheSameChanges() throws IOException {
    Run json = run("reconcile", "--dry-run", "examples/sip-oauth-mra", "--state-dir", state(), "-o", "json");
    Run markdown = run("reconcile", "--dry-run", "examples/sip-oauth-mra", "--state-dir", state(), "-o", "markdown");

    JsonNode plan = JsonMapper.builder().build().readTree(json.out()).get("clusters").get(0);
    assertThat(plan.get("format").asString()).isEqualTo("uctrust.plan/v1");
    assertThat(plan.get("summary").get("inSync").asBoolean()).isFalse();
    int changes = plan.get("changes").size();
    assertThat(markdown.out()).startsWith("## uctrust plan").contains("| # | action |");
    assertThat(markdown.out().lines().filter(l -> l.matches("\\| \\d+ \\|.*"))).hasSize(changes);
  }

  @Test
  void aCorruptStateFileIsAnErrorAndIsLeftAsItIs() throws IOException {
    run("lab", "init", "examples/offline-ca", "--state-dir", state(), "--phones", "20");
    Path file = temp.resolve("lab/state.json");
    Files.writeString(file, "{\"format\": 1, \"cluster\": \"branch\", \"nodes\": [ {\"name\": ");
    byte[] before = Files.readAllBytes(file);

    Run dry = run("reconcile", "--dry-run", "examples/offline-ca", "--state-dir", state());
    Run apply = run("reconcile", "examples/offline-ca", "--state-dir", state());

    assertThat(dry.code()).isEqualTo(1);
    assertThat(apply.code()).isEqualTo(1);
    assertThat(dry.err()).contains("is corrupt").contains("it was left as it is").contains("uctrust lab reset");
    assertThat(dry.err() + apply.err()).doesNotContain("\tat ");
    assertThat(Files.readAllBytes(file)).isEqualTo(before);
  }

  @Test
  void anApplyWhileTheLabIsLockedIsRefused() throws Exception {
    String dir = copyExample("offline-ca", temp).toString();
    run("lab", "init", dir, "--state-dir", state(), "--phones", "20");
    try (LabStore.Lock held = new LabStore(temp.resolve("lab")).lock()) {
      Run apply = run("reconcile", dir, "--state-dir", state());

      assertThat(apply.code()).isEqualTo(1);
      assertThat(apply.err()).contains("another uctrust process is changing this lab");
    }
    assertThat(run("reconcile", dir, "--state-dir", state()).code()).isZero();
  }

  @Test
  void labInitRefusesToOverwriteAndResetRecreates() {
    Run init = run("lab", "init", "examples/offline-ca", "--state-dir", state(), "--phones", "30");
    Run again = run("lab", "init", "examples/offline-ca", "--state-dir", state());
    Run reset = run("lab", "reset", "examples/offline-ca", "--state-dir", state(), "--phones", "40");
    Run show = run("lab", "show", "--state-dir", state());

    assertThat(init.code()).isZero();
    assertThat(again.code()).isEqualTo(1);
    assertThat(again.err()).contains("already exists");
    assertThat(reset.code()).isZero();
    assertThat(show.out()).contains("phones: 40 (");
  }

  @Test
  void statusListsEveryCertificateSoonestFirstAndTheDrift() throws IOException {
    Run status = run("status", "examples/offline-ca", "--state-dir", state(), "-o", "json");

    assertThat(status.code()).isEqualTo(2);
    JsonNode cluster = JsonMapper.builder().build().readTree(status.out()).get("clusters").get(0);
    JsonNode certificates = cluster.get("certificates");
    assertThat(certificates.size()).isGreaterThan(100);
    for (int i = 1; i < certificates.size(); i++) {
      assertThat(certificates.get(i).get("daysLeft").asLong()).isGreaterThanOrEqualTo(certificates.get(i - 1).get("daysLeft").asLong());
    }
    assertThat(cluster.get("inSync").asBoolean()).isFalse();
  }

  /** A copy of {@code examples/<name>} in {@code into}/{@code name}, for tests that change or write into it. */
  static Path copyExample(String name, Path into) throws IOException {
    Path target = into.resolve(name);
    try (Stream<Path> files = Files.walk(Path.of("examples", name))) {
      for (Path file : files.toList()) {
        Path to = target.resolve(Path.of("examples", name).relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(to);
        } else {
          Files.copy(file, to);
        }
      }
    }
    return target;
  }
}
