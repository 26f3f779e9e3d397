package io.uctrust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.uctrust.gitops.DiffRepository;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code uctrust diff} on real repositories made by the git command line. */
class DiffCommandTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC);

  @TempDir Path dir;

  private DiffRepository repo;
  private String first;

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(CLOCK, new PrintWriter(out), new PrintWriter(err), args);
    return new Run(code, out.toString(), err.toString());
  }

  @BeforeEach
  void aRepositoryWithTheLab() throws IOException {
    repo = DiffRepository.init(dir);
    repo.copy(Path.of("examples/lab"), "lab");
    first = repo.commit("lab");
  }

  private String lab() {
    return repo.root().resolve("lab").toString();
  }

  @Test
  void changesExitTwoAndAreListedByKindOneLinePerField() throws IOException {
    repo.edit("lab/capf.yaml", "keepAliveMinutes: 15", "keepAliveMinutes: 30");
    repo.edit("lab/truststores.yaml", "{file: certs/edge-ca.pem, description: Expressway-C CA for MRA}\n  removeManufacturingRoots",
        "{file: certs/edge-ca.pem, description: Expressway-C CA for MRA}\n    - {file: certs/ca-https.pem}\n"
            + "  removeManufacturingRoots");
    String second = repo.commit("keepalive and a CA");

    Run run = run("diff", lab(), "--from", "HEAD~1");

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).isEmpty();
    assertThat(run.out()).startsWith("Desired state in lab: HEAD~1 (" + first.substring(0, 7) + ") → HEAD ("
        + second.substring(0, 7) + ")\n\n"
        + "Capf\n"
        + "  ~ capf  lab/capf.yaml:3\n"
        + "      ~ spec.keepAliveMinutes: 15 → 30\n"
        + "TrustStore\n"
        + "  ~ callmanager-trust  lab/truststores.yaml:3\n"
        + "      + spec.certificates[file=certs/ca-https.pem].file: certs/ca-https.pem  (CN=ca.example.com,O=Example Corp,C=US (sha256 ")
        .endsWith("\n\nChanges: 2 documents: 2 changed.\n");
  }

  @Test
  void noChangesExitZero() throws IOException {
    repo.git("mv", "lab/capf.yaml", "lab/capf-moved.yaml");
    repo.commit("move");

    Run run = run("diff", lab(), "--from", "HEAD~1", "--to", "HEAD");

    assertThat(run.code()).isZero();
    assertThat(run.out()).endsWith("No desired-state changes.\n");
  }

  @Test
  void jsonOutputParsesAndNeverHoldsALiteralSecret() throws IOException {
    repo.edit("lab/capf.yaml", "password: env:UCTRUST_ONLINE_CA_PASSWORD", "password: hunter2");
    String second = repo.commit("literal");

    Run run = run("diff", repo.root().toString(), "--path", "lab", "--from", first, "--to", "main", "--output", "json");

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.out()).doesNotContain("hunter2");
    JsonNode json = JsonMapper.builder().build().readTree(run.out());
    assertThat(json.get("format").asString()).isEqualTo("uctrust.diff/v1");
    assertThat(json.get("folder").asString()).isEqualTo("lab");
    assertThat(json.get("from").get("commit").asString()).isEqualTo(first);
    assertThat(json.get("to").get("commit").asString()).isEqualTo(second);
    assertThat(json.get("to").get("valid").asBoolean()).isFalse();
    assertThat(json.get("to").get("errors").get(0).get("code").asString()).isEqualTo("literal-secret");
    assertThat(json.get("changes").asBoolean()).isTrue();
    JsonNode field = json.get("documents").get(0).get("fields").get(0);
    assertThat(json.get("documents").get(0).get("kind").asString()).isEqualTo("Capf");
    assertThat(field.get("path").asString()).isEqualTo("spec.onlineCa.password");
    assertThat(field.get("before").asString()).isEqualTo("env:UCTRUST_ONLINE_CA_PASSWORD");
    assertThat(field.get("after").asString()).isEqualTo("(redacted)");
  }

  @Test
  void markdownIsATablePerDocumentForPullRequestComments() throws IOException {
    repo.edit("lab/capf.yaml", "keepAliveMinutes: 15", "keepAliveMinutes: 30");
    repo.commit("keepalive");

    Run run = run("diff", lab(), "--from", "main~1", "-o", "markdown");

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.out()).contains("**Changes: 1 document: 1 changed.**")
        .contains("### Capf\n\n**~ `capf`** changed (`lab/capf.yaml:3`)\n\n| | field | before | after |\n|---|---|---|---|\n"
            + "| ~ | `spec.keepAliveMinutes` | `15` | `30` |\n");
  }

  @Test
  void aRevisionThatDoesNotValidateStillDiffsWithAWarningNamingFileAndLine() throws IOException {
    repo.edit("lab/capf.yaml", "keepAliveMinutes: 15", "keepAliveMinutes: 90");
    repo.commit("too long");

    Run run = run("diff", lab(), "--from", "HEAD~1");

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.out()).contains("      ~ spec.keepAliveMinutes: 15 → 90\n")
        .contains("Warnings\n  HEAD (")
        .contains(") does not validate (1 error):\n    lab/capf.yaml:9:21  spec.keepAliveMinutes: must be between 5 and 60 (got 90)\n");
  }

  @Test
  void anUnknownRevisionIsOneLineAndExitOne() {
    Run run = run("diff", lab(), "--from", "v9");

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).isEqualTo("uctrust: unknown revision 'v9' in " + repo.root()
        + "; give a branch, tag, commit or an expression such as HEAD~2\n");
  }

  @Test
  void aFolderThatIsNotInARepositoryIsOneLineAndExitOne() throws IOException {
    Path plain = Files.createDirectories(dir.resolve("plain"));

    Run run = run("diff", plain.toString(), "--from", "HEAD~1");

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("uctrust: " + plain + " is not in a git repository (no .git in it or above, "
        + "and not a bare repository)\n");
  }

  @Test
  void fromIsRequired() {
    Run run = run("diff", lab());

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).startsWith("uctrust: Missing required option: '--from=REV'");
  }
}
