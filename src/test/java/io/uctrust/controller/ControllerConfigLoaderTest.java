package io.uctrust.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.uctrust.desired.SecretRef;
import io.uctrust.diagnostic.Diagnostic;
import io.uctrust.gitops.GitSource;
import io.uctrust.validate.ValidationTextRenderer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading and checking controller.yaml: positions, suggestions, rules across fields, defaults and overrides. */
class ControllerConfigLoaderTest {

  private static final Map<String, String> ENV = Map.of("XDG_STATE_HOME", "/srv/state");

  @TempDir Path temp;

  private ControllerConfigLoader.Result load(String yaml) throws IOException {
    Path file = temp.resolve("controller.yaml");
    Files.writeString(file, yaml);
    return new ControllerConfigLoader(ENV).load(file, ControllerConfig.Overrides.NONE);
  }

  private static String config(String clusters) {
    return """
        apiVersion: uctrust/v1
        kind: Controller
        metadata: {name: test}
        spec:
          repositories:
            - name: desired
              url: file:///srv/git/desired.git
          clusters:
        """ + clusters;
  }

  private static List<String> errors(ControllerConfigLoader.Result result) {
    return result.report().diagnostics().stream().filter(Diagnostic::isError)
        .map(d -> d.location().line() + ":" + d.location().column() + " " + d.message()).toList();
  }

  @Test
  void theExampleIsValid() {
    ControllerConfigLoader.Result result = new ControllerConfigLoader(ENV)
        .load(Path.of("examples/controller/controller.yaml"), ControllerConfig.Overrides.NONE);

    assertThat(result.report().diagnostics()).isEmpty();
    ControllerConfig config = result.config();
    assertThat(config.name()).isEqualTo("lab");
    assertThat(config.stateDir()).isEqualTo(Path.of("/var/lib/uctrust"));
    assertThat(config.database().url()).isEqualTo("jdbc:h2:file:/var/lib/uctrust/controller/uctrust");
    assertThat(config.clusters()).extracting(ControllerSpec.Cluster::name).containsExactly("lab", "branch");
    assertThat(ControllerConfig.mode(config.cluster("branch").orElseThrow())).isEqualTo(ControllerStatus.Mode.REPORT);
    GitSource source = config.source(config.cluster("lab").orElseThrow());
    assertThat(source.path()).isEqualTo("examples/lab");
    assertThat(source.credentials().token()).hasToString("env:UCTRUST_GIT_TOKEN");
  }

  @Test
  void defaultsFillWhatIsNotWrittenAndRelativePathsFollowTheFile() throws IOException {
    ControllerConfigLoader.Result result = load(config("""
            - name: lab
              repository: desired
        """).replace("    - name: desired\n", "    - name: desired\n      sshKey: keys/id_ed25519\n"));

    ControllerConfig config = result.config();
    ControllerSpec.Cluster lab = config.cluster("lab").orElseThrow();
    assertThat(config.listen().getPort()).isEqualTo(9400);
    assertThat(config.listen().getHostString()).isEqualTo("127.0.0.1");
    assertThat(config.stateDir()).isEqualTo(Path.of("/srv/state/uctrust"));
    assertThat(ControllerConfig.interval(lab)).isEqualTo(Duration.ofMinutes(10));
    assertThat(ControllerConfig.jitter(lab)).isEqualTo(Duration.ofMinutes(1));
    assertThat(ControllerConfig.mode(lab)).isEqualTo(ControllerStatus.Mode.APPLY);
    assertThat(config.source(lab).credentials().sshKey()).isEqualTo(temp.resolve("keys/id_ed25519"));
    assertThat(ControllerConfig.windows(lab).isOpen(java.time.Instant.EPOCH)).isTrue();
  }

  @Test
  void theCommandLineOverridesDatabaseAndStateFolder() throws IOException {
    Path file = temp.resolve("controller.yaml");
    Files.writeString(file, config("    - {name: lab, repository: desired}\n"));

    ControllerConfig config = new ControllerConfigLoader(ENV).load(file, new ControllerConfig.Overrides(
        "jdbc:postgresql://127.0.0.1:5432/uctrust", "uctrust", SecretRef.parse("env:DB_PASSWORD"),
        temp.resolve("state"))).config();

    assertThat(config.stateDir()).isEqualTo(temp.resolve("state"));
    assertThat(config.database().url()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/uctrust");
    assertThat(config.database().password()).hasToString("env:DB_PASSWORD");
  }

  @Test
  void anUnknownKeyIsReportedWhereItIsWithASuggestion() throws IOException {
    ControllerConfigLoader.Result result = load(config("""
            - name: lab
              repository: desired
              intervall: 5m
        """));

    assertThat(result.config()).isNull();
    assertThat(errors(result)).containsExactly(
        "11:7 unknown field 'intervall'; did you mean 'interval'?");
  }

  @Test
  void wrongTypesAndBadValuesAreReportedWithPositions() throws IOException {
    ControllerConfigLoader.Result result = load(config("""
            - name: lab
              repository: desired
              mode: heal
              interval: 10 minutes
              phonesPerMinute: -1
        """));

    assertThat(errors(result)).containsExactly(
        "11:13 spec.clusters[0].mode: 'heal' is not allowed",
        "12:17 spec.clusters[0].interval: expected a duration such as 30d, 24h or 15m, got the text '10 minutes'",
        "13:24 spec.clusters[0].phonesPerMinute: must be greater than or equal to 0 (got -1)");
  }

  @Test
  void rulesAcrossFieldsAreChecked() throws IOException {
    ControllerConfigLoader.Result result = load("""
        apiVersion: uctrust/v1
        kind: Controller
        metadata: {name: test}
        spec:
          listen: "localhost:99999"
          webhookSecret: plain-text-secret
          repositories:
            - {name: desired, url: "file:///a", requireSignedCommits: true}
            - {name: desired, url: "file:///b"}
          clusters:
            - name: lab
              repository: desried
              interval: 1m
              jitter: 2m
              maintenanceWindows:
                - {cron: "0 0 25 * * ?", duration: 1h}
                - {cron: "0 0 22 ? * SAT", duration: 4h, timeZone: Mars/Olympus}
            - {name: lab, repository: desired}
        """);

    assertThat(result.config()).isNull();
    assertThat(errors(result)).containsExactly(
        "5:11 spec.listen: listen address 'localhost:99999': expected HOST:PORT such as 127.0.0.1:9400 or [::1]:9400",
        "6:18 spec.webhookSecret holds a literal secret; the configuration must not contain secrets",
        "8:63 spec.repositories[0]: requireSignedCommits needs trustedKeys",
        "9:14 duplicate repository name 'desired' (also spec.repositories[0])",
        "12:19 spec.clusters[0].repository: no repository named 'desried'",
        "14:15 spec.clusters[0].jitter: 2m must be shorter than the interval (1m)",
        "16:18 spec.clusters[0].maintenanceWindows[0].cron: '0 0 25 * * ?' is not a Quartz cron expression: "
            + "Hour values must be between 0 and 23",
        "17:60 spec.clusters[0].maintenanceWindows[1].timeZone: 'Mars/Olympus' is not a time zone",
        "18:14 duplicate cluster name 'lab' (also spec.clusters[0])");
  }

  @Test
  void anotherKindOrASecondDocumentIsRefused() throws IOException {
    ControllerConfigLoader.Result result = load(config("    - {name: lab, repository: desired}\n")
        .replace("kind: Controller", "kind: Cluster") + "---\napiVersion: uctrust/v1\n");

    assertThat(errors(result)).containsExactly(
        "2:7 kind must be Controller, got the text 'Cluster'",
        "11:1 a second document; this file holds exactly one Controller document");
  }

  @Test
  void theReportRendersLikeValidate() throws IOException {
    ControllerConfigLoader.Result result = load(config("    - {name: lab, repository: nowhere}\n"));

    String text = new ValidationTextRenderer(false, temp).render(result.report());

    assertThat(text).startsWith("controller.yaml\n  9:31     error    spec.clusters[0].repository: no repository named "
        + "'nowhere' [unknown-repository]\n                    hint: defined: desired\n");
    assertThat(text).endsWith("invalid: 1 error, 0 warnings in 1 document in 1 file\n");
  }

  @Test
  void theCheckinAndLeaseAreReadAndALeaseTooShortToRenewIsAnError() throws IOException {
    String clusters = """
            - name: lab
              repository: desired
        """;
    ControllerConfig defaults = load(config(clusters)).config();
    ControllerConfig.Database tuned = load(config(clusters).replace("spec:\n",
        "spec:\n  database: {checkinInterval: 2s, lease: 30s}\n")).config().database();
    ControllerConfigLoader.Result tooShort = load(config(clusters).replace("spec:\n",
        "spec:\n  database: {lease: 2s}\n"));

    assertThat(defaults.database().checkinInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(defaults.database().lease()).isEqualTo(Duration.ofMinutes(2));
    assertThat(tuned.checkinInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(tuned.lease()).isEqualTo(Duration.ofSeconds(30));
    assertThat(errors(tooShort)).singleElement().asString()
        .endsWith("spec.database.lease: 2s is too short; it must be at least 3s (it is renewed every third of it)");
  }
}
