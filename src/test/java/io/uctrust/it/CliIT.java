package io.uctrust.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the packaged jar and the launcher as real processes, as users and CI do. */
class CliIT {

  @TempDir Path dir;

  private record Result(int code, String out, String err) {}

  private static Result exec(List<String> command) throws IOException, InterruptedException {
    return exec(command, java.util.Map.of());
  }

  private static Result exec(List<String> command, java.util.Map<String, String> env) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(false);
    builder.environment().put("NO_COLOR", "1");
    builder.environment().putAll(env);
    Process process = builder.start();
    process.getOutputStream().close();
    byte[] out = process.getInputStream().readAllBytes();
    byte[] err = process.getErrorStream().readAllBytes();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
  }

  private static Result jar(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", "target/uctrust.jar"));
    command.addAll(List.of(args));
    return exec(command);
  }

  @Test
  void theLauncherRunsTheMainJobOnTheBundledExample() throws IOException, InterruptedException {
    Result result = exec(List.of("bin/uctrust", "validate", "examples/lab"));

    assertThat(result.code()).isZero();
    assertThat(result.out()).isEqualTo("valid: 15 documents in 7 files\n");
    assertThat(result.err()).isEmpty();
  }

  @Test
  void theReadmesFirstCommandPlansAgainstANewLabInTheDefaultStateFolder() throws IOException, InterruptedException {
    java.util.Map<String, String> env = java.util.Map.of("XDG_STATE_HOME", dir.toString());

    Result result = exec(List.of("bin/uctrust", "reconcile", "--dry-run", "examples/lab"), env);

    assertThat(result.code()).as(result.err()).isEqualTo(2);
    assertThat(result.out()).startsWith("Cluster lab (lab)").contains("Plan: ").contains(" to add, ");
    assertThat(Files.exists(dir.resolve("uctrust/lab/lab/state.json"))).isTrue();
  }

  @Test
  void everyExampleIsValidThroughThePackagedJar() throws IOException, InterruptedException {
    for (String example : List.of("lab", "offline-ca", "sip-oauth-mra")) {
      Result result = jar("validate", "examples/" + example);
      assertThat(result.code()).as(example).isZero();
      assertThat(result.err()).as(example).isEmpty();
    }
  }

  @Test
  void brokenInputExitsOneWithoutStackTracesOrLogNoise() throws IOException, InterruptedException {
    Files.writeString(dir.resolve("a.yaml"), "apiVersion: uctrust/v1\nkind: Capf\nmetadata: {name: x}\nspec: {keepAliveMinutes: [\n");
    Files.writeString(dir.resolve("b.yaml"), "!A%0");
    Files.writeString(dir.resolve("c.yaml"), "a: " + "[".repeat(20000));

    Result result = jar("validate", dir.toString());

    assertThat(result.code()).isEqualTo(1);
    assertThat(result.out()).contains("a.yaml", "b.yaml", "c.yaml", "yaml-syntax", "too-deep");
    assertThat(result.err()).isEmpty();
    assertThat(result.out()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void corpusFixturesAreRejectedThroughThePackagedJar() throws IOException, InterruptedException {
    try (var dirs = Files.list(Path.of("src/test/resources/invalid"))) {
      for (Path fixture : dirs.filter(Files::isDirectory).sorted().limit(10).toList()) {
        Result result = jar("validate", fixture.toString(), "--output", "json");
        assertThat(result.code()).as(fixture.toString()).isEqualTo(1);
        assertThat(result.out()).as(fixture.toString()).contains("\"valid\" : false");
        assertThat(result.err()).as(fixture.toString()).isEmpty();
      }
    }
  }
}
