package io.uctrust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import io.uctrust.desired.TestYaml;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ValidateCommandTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC);

  @TempDir Path dir;

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(CLOCK, new PrintWriter(out), new PrintWriter(err), args);
    return new Run(code, out.toString(), err.toString());
  }

  private Path invalidState() throws IOException {
    Files.writeString(dir.resolve("capf.yaml"), TestYaml.CLUSTER + """
        ---
        apiVersion: uctrust/v1
        kind: Capf
        metadata: {name: capf}
        spec:
          keepAliveMinutes: 90
          onlineCa: {password: hunter2}
        """);
    return dir;
  }

  @Test
  void aValidFolderExitsZeroWithASummary() {
    Run run = run("validate", "examples/lab");

    assertThat(run.code()).isZero();
    assertThat(run.out()).isEqualTo("valid: 15 documents in 7 files\n");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void anInvalidFolderExitsOneAndNamesFileLineAndColumn() throws IOException {
    Run run = run("validate", invalidState().toString());

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.out())
        .contains("capf.yaml")
        .contains("12:21    error    spec.keepAliveMinutes: must be between 5 and 60 (got 90) [range]")
        .contains("13:24    error    spec.onlineCa.password holds a literal secret")
        .contains("invalid: 2 errors, 1 warning in 2 documents in 1 file");
    assertThat(run.out() + run.err()).doesNotContain("hunter2").doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void literalSecretsAreAcceptedWithAWarningOnlyWhenAllowed() throws IOException {
    Files.copy(Path.of("examples/lab/certs/corp-root.pem"), dir.resolve("ca.pem"));
    Files.writeString(dir.resolve("known_hosts"), "");
    Files.writeString(dir.resolve("a.yaml"), """
        apiVersion: uctrust/v1
        kind: Cluster
        metadata: {name: lab}
        spec:
          target: {type: cucm, publisher: cucm-pub.example.com, trust: "file:ca.pem",
                   axl: {username: axl, password: s3cret}, platform: {username: os, password: env:OS_PASSWORD},
                   cli: {username: admin, password: env:CLI_PASSWORD, knownHosts: "file:known_hosts"}}
          nodes: [{name: cucm-pub.example.com, role: cucm-publisher}]
        """);

    Run strict = run("validate", dir.toString());
    Run allowed = run("validate", dir.toString(), "--allow-literal-secrets");

    assertThat(strict.code()).isEqualTo(1);
    assertThat(allowed.code()).isZero();
    assertThat(allowed.out()).contains("warning  spec.target.axl.password holds a literal secret");
    assertThat(strict.out() + allowed.out()).doesNotContain("s3cret");
  }

  @Test
  void jsonOutputIsVersionedAndCarriesEveryDiagnosticField() throws IOException {
    Run run = run("validate", invalidState().toString(), "--output", "json");

    JsonNode report = JsonMapper.builder().build().readTree(run.out());
    assertThat(run.code()).isEqualTo(1);
    assertThat(report.get("format").asString()).isEqualTo("uctrust.validation/v1");
    assertThat(report.get("valid").asBoolean()).isFalse();
    assertThat(report.get("errors").asInt()).isEqualTo(2);
    JsonNode first = report.get("diagnostics").get(0);
    assertThat(first.get("severity").asString()).isEqualTo("error");
    assertThat(first.get("code").asString()).isEqualTo("range");
    assertThat(first.get("line").asInt()).isEqualTo(12);
    assertThat(first.get("column").asInt()).isEqualTo(21);
    assertThat(first.get("field").asString()).isEqualTo("spec.keepAliveMinutes");
    assertThat(first.get("file").asString()).endsWith("capf.yaml");
    assertThat(run.out()).doesNotContain("hunter2");
  }

  @Test
  void outputFormatIsCaseInsensitive() {
    assertThat(run("validate", "examples/lab", "-o", "JSON").out()).contains("\"valid\" : true");
  }

  @Test
  void badOptionsExitOneWithAOneLineMessage() {
    Run run = run("validate", "--output", "yaml");

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).startsWith("uctrust: Invalid value for option '--output'").contains("Run 'uctrust validate --help'");
    assertThat(run("frobnicate").code()).isEqualTo(1);
  }

  @Test
  void aMissingFolderIsInvalidInput() {
    Run run = run("validate", dir.resolve("nope").toString());

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.out()).contains("no such file or folder");
  }

  @Test
  void helpVersionSchemaAndCompletionWork() {
    assertThat(run("--help").out()).contains("validate", "schema", "generate-completion", "Exit codes");
    assertThat(run("--version").out()).startsWith("uctrust ");
    assertThat(run("schema").out()).contains("\"$schema\"", "PhoneCertificatePolicy");
    Run completion = run("generate-completion");
    assertThat(completion.code()).isZero();
    assertThat(completion.out()).contains("complete -F").contains("validate");
  }
}
