package io.uctrust.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reconcile as separate processes, as in production: an apply killed with SIGKILL between changes is
 * finished by the next run (restarts it owed included), and a second process cannot apply while the
 * first holds the lab.
 */
class ReconcileIT {

  @TempDir Path temp;

  private Process start(Map<String, String> env, String... args) throws IOException {
    return start(env, temp.resolve("out-" + System.nanoTime() + ".txt"), temp.resolve("err-" + System.nanoTime() + ".txt"),
        args);
  }

  private Process start(Map<String, String> env, Path out, Path err, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        "target/uctrust.jar"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("UCTRUST_ONLINE_CA_PASSWORD", "it-secret");
    builder.environment().putAll(env);
    builder.redirectOutput(out.toFile());
    builder.redirectError(err.toFile());
    return builder.start();
  }

  private record Result(int code, String out, String err) {}

  private Result run(String... args) throws Exception {
    Path out = temp.resolve("run-out.txt");
    Path err = temp.resolve("run-err.txt");
    Process process = start(Map.of(), out, err, args);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
  }

  /** A copy of a desired-state folder, for runs that write into it (CSRs for an offline CA). */
  private static Path copy(Path from, Path to) throws IOException {
    try (java.util.stream.Stream<Path> files = Files.walk(from)) {
      for (Path source : files.toList()) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
    }
    return to;
  }

  private static long lines(Path file) throws IOException {
    return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).count() : 0;
  }

  @Test
  void anApplyKilledBetweenChangesIsFinishedByTheNextRunRestartsIncluded() throws Exception {
    String state = temp.resolve("lab").toString();
    assertThat(run("lab", "init", "examples/lab", "--state-dir", state, "--phones", "50").code()).isZero();
    Path outcomes = temp.resolve("lab/journal/current/outcomes.jsonl");

    Process apply = start(Map.of("UCTRUST_LAB_LATENCY_MS", "100"), "reconcile", "examples/lab", "--state-dir", state);
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (lines(outcomes) < 12 && Instant.now().isBefore(deadline) && apply.isAlive()) {
      Thread.sleep(20);
    }
    apply.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    long done = lines(outcomes);
    assertThat(done).as("changes finished before the kill").isBetween(12L, 85L);

    Result dry = run("reconcile", "--dry-run", "examples/lab", "--state-dir", state);
    assertThat(dry.code()).as(dry.err()).isEqualTo(2);
    assertThat(dry.out()).contains("owed by an interrupted apply");

    Result finish = run("reconcile", "examples/lab", "--state-dir", state);
    assertThat(finish.code()).as(finish.out() + finish.err()).isZero();
    Result again = run("reconcile", "--dry-run", "examples/lab", "--state-dir", state);
    assertThat(again.code()).as(again.out()).isZero();
    Result show = run("lab", "show", "--state-dir", state);
    assertThat(show.out()).contains("restart Cisco CallManager");
  }

  @Test
  void aSecondProcessCannotApplyWhileTheFirstHoldsTheLab() throws Exception {
    String state = temp.resolve("lab").toString();
    String desired = copy(Path.of("examples/offline-ca"), temp.resolve("offline-ca")).toString();
    assertThat(run("lab", "init", desired, "--state-dir", state, "--phones", "20").code()).isZero();
    Path outcomes = temp.resolve("lab/journal/current/outcomes.jsonl");
    Process first = start(Map.of("UCTRUST_LAB_LATENCY_MS", "300"), "reconcile", desired, "--state-dir", state);
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (lines(outcomes) < 1 && Instant.now().isBefore(deadline)) {
      Thread.sleep(20);
    }

    Result second = run("reconcile", desired, "--state-dir", state);

    assertThat(second.code()).isEqualTo(1);
    assertThat(second.err()).contains("another uctrust process is changing this lab").contains("pid ");
    assertThat(first.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(first.exitValue()).isZero();
  }
}
