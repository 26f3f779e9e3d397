package io.uctrust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.uctrust.controller.ControllerConfig;
import io.uctrust.controller.ControllerConfigLoader;
import io.uctrust.controller.ControllerDatabase;
import io.uctrust.controller.ControllerScheduler;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code uctrust controller --check} and {@code controller suspend|resume} in process, on an H2 database. */
class ControllerCommandTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC);

  @TempDir Path temp;

  private record Run(int code, String out, String err) {}

  private Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(CLOCK, Map.of(), new PrintWriter(out), new PrintWriter(err), args);
    return new Run(code, out.toString(), err.toString());
  }

  private Path config(String clusters) throws IOException {
    return Files.writeString(temp.resolve("controller.yaml"), """
        apiVersion: uctrust/v1
        kind: Controller
        metadata: {name: test}
        spec:
          stateDir: state
          repositories:
            - {name: desired, url: "file:///srv/git/desired.git"}
          clusters:
        """ + clusters);
  }

  @Test
  void checkSaysValidAndCountsWhatItFound() throws IOException {
    Run check = run("controller", "--check", "--config", config("    - {name: lab, repository: desired}\n").toString());

    assertThat(check.code()).as(check.err()).isZero();
    assertThat(check.out()).contains("valid: ").contains("(1 cluster, 1 repository)");
  }

  @Test
  void anInvalidConfigurationIsReportedWithPositionsAndExitsOne() throws IOException {
    Run check = run("controller", "--check", "--config",
        config("    - {name: lab, repository: desired, modus: report}\n").toString());

    assertThat(check.code()).isEqualTo(1);
    assertThat(check.err()).contains("controller.yaml").contains("9:40").contains("unknown field 'modus'; did you mean 'mode'?")
        .doesNotContain("Exception");
  }

  @Test
  void withoutConfigOrWithALiteralPasswordItRefusesInOneLine() throws IOException {
    Run none = run("controller", "--check");
    Run literal = run("controller", "--check", "--config", config("    - {name: lab, repository: desired}\n").toString(),
        "--database-password", "hunter2");

    assertThat(none.code()).isEqualTo(1);
    assertThat(none.err()).isEqualTo("uctrust: controller needs --config FILE (the controller's configuration, kind: "
        + "Controller)\n");
    assertThat(literal.code()).isEqualTo(1);
    assertThat(literal.err()).contains("never the password itself").doesNotContain("hunter2");
  }

  @Test
  void suspendAndResumeGoThroughTheDatabase() throws Exception {
    Path file = config("    - {name: lab, repository: desired}\n    - {name: branch, repository: desired}\n");
    ControllerConfig config = new ControllerConfigLoader(Map.of()).load(file, ControllerConfig.Overrides.NONE).config();
    try (ControllerDatabase database = ControllerDatabase.open(config.database().url(), null, null)) {
      database.createSchema(CLOCK);
      ControllerScheduler scheduler = ControllerScheduler.create(database, ControllerScheduler.Settings.DEFAULTS);
      scheduler.keepReconcileJobs(config, CLOCK.instant());
      scheduler.shutdown(false);
    }

    Run suspend = run("controller", "suspend", "lab", "--config", file.toString());
    boolean labSuspended = suspended(config, "lab");
    boolean branchSuspended = suspended(config, "branch");
    Run resume = run("controller", "--config", file.toString(), "resume", "lab");
    Run unknown = run("controller", "suspend", "hq", "--config", file.toString());

    assertThat(suspend.code()).as(suspend.err()).isZero();
    assertThat(suspend.out()).startsWith("cluster lab suspended");
    assertThat(labSuspended).isTrue();
    assertThat(branchSuspended).isFalse();
    assertThat(resume.code()).as(resume.err()).isZero();
    assertThat(suspended(config, "lab")).isFalse();
    assertThat(unknown.code()).isEqualTo(1);
    assertThat(unknown.err()).isEqualTo("uctrust: no cluster 'hq' in " + file + "; configured: lab, branch\n");
  }

  @Test
  void suspendBeforeTheControllerEverRanSaysToStartItFirst() throws IOException {
    Run suspend = run("controller", "suspend", "lab", "--config", config("    - {name: lab, repository: desired}\n")
        .toString());

    assertThat(suspend.code()).isEqualTo(1);
    assertThat(suspend.err()).contains("has no controller tables yet; start the controller once first");
  }

  private static boolean suspended(ControllerConfig config, String cluster) throws Exception {
    try (ControllerDatabase database = ControllerDatabase.open(config.database().url(), null, null)) {
      ControllerScheduler scheduler = ControllerScheduler.create(database, ControllerScheduler.Settings.DEFAULTS);
      try {
        return scheduler.suspended(cluster);
      } finally {
        scheduler.shutdown(false);
      }
    }
  }
}
