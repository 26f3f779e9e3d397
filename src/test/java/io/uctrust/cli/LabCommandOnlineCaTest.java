package io.uctrust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabCommandOnlineCaTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC);

  @TempDir Path dir;

  private record Run(int code, String out, String err) {}

  private static Run run(Map<String, String> environment, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(CLOCK, environment, new PrintWriter(out), new PrintWriter(err), args);
    return new Run(code, out.toString(), err.toString());
  }

  private String[] arguments(String... extra) {
    String[] base = {"lab", "online-ca", "--state-dir", dir.toString(), "--template", "CiscoRA", "--username", "capf"};
    String[] all = new String[base.length + extra.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    return all;
  }

  @Test
  void aMissingHostNameExitsOneNamingTheOption() {
    Run run = run(Map.of("CA_PASSWORD", "x"), arguments("--password", "env:CA_PASSWORD"));

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).contains("--hostname");
    assertThat(dir.resolve("online-ca")).doesNotExist();
  }

  @Test
  void aPasswordVariableThatIsNotSetExitsOneNamingTheReferenceWithoutAStackTrace() {
    Run run = run(Map.of(), arguments("--hostname", "ca.lab.example", "--password", "env:CA_PASSWORD"));

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).contains("env:CA_PASSWORD").contains("not set").doesNotContain("Exception")
        .doesNotContain("\tat ");
    assertThat(dir.resolve("online-ca")).doesNotExist();
  }

  @Test
  void aPasswordFileThatCannotBeReadExitsOneNamingIt() {
    Run run = run(Map.of(), arguments("--hostname", "ca.lab.example", "--password", "file:" + dir.resolve("missing")));

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).contains("file:" + dir.resolve("missing")).contains("cannot be read");
  }

  @Test
  void aPasswordGivenLiterallyIsRefusedAndNotEchoed() {
    Run run = run(Map.of(), arguments("--hostname", "ca.lab.example", "--password", "hunter2"));

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).contains("env:NAME or file:PATH").doesNotContain("hunter2");
  }

  @Test
  void anUnknownLayoutExitsOneListingTheLayouts() {
    Run run = run(Map.of("CA_PASSWORD", "x"), arguments("--hostname", "ca.lab.example", "--password",
        "env:CA_PASSWORD", "--layout", "flat"));

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).contains("same, issued-by-root, intermediate, sibling");
  }

  @Test
  void aHostNameThatIsNotADnsNameExitsOne() {
    Run run = run(Map.of("CA_PASSWORD", "x"), arguments("--hostname", "ca lab,O=evil", "--password",
        "env:CA_PASSWORD"));

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).contains("must be a DNS name");
  }
}
