package io.uctrust.controller;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * {@code java -jar target/uctrust.jar controller} started as real processes for a test, each writing its output to
 * {@code <name>.out} and {@code <name>.err} in a folder, with a wait for what a log shows and a forced end of whatever
 * is still running. Test code only; not for starting anything but the controller command.
 */
final class ControllerProcesses implements AutoCloseable {

  /** How long a wait for a log line lasts. */
  static final Duration PATIENCE = Duration.ofSeconds(60);

  private final Path logs;
  private final List<Process> processes = new ArrayList<>();

  ControllerProcesses(Path logs) {
    this.logs = logs;
  }

  /** Starts {@code uctrust controller --config CONFIG ARGS...} with the lab's CA password and {@code env} set. */
  Process start(String name, Path config, Map<String, String> env, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", "target/uctrust.jar", "controller", "--config", config.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectOutput(logs.resolve(name + ".out").toFile())
        .redirectError(logs.resolve(name + ".err").toFile());
    builder.environment().put("NO_COLOR", "1");
    builder.environment().put("UCTRUST_ONLINE_CA_PASSWORD", "online-ca-secret-value-42");
    builder.environment().putAll(env);
    Process process = builder.start();
    process.getOutputStream().close();
    processes.add(process);
    return process;
  }

  /** What log {@code file} (such as {@code first.err}) holds now; empty before it exists. */
  String log(String file) throws IOException {
    Path path = logs.resolve(file);
    return Files.exists(path) ? Files.readString(path, StandardCharsets.UTF_8) : "";
  }

  /** Waits up to {@link #PATIENCE} until log {@code file} is {@code wanted}; returns it then. */
  String await(String file, Predicate<String> wanted) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (System.nanoTime() < deadline) {
      String text = log(file);
      if (wanted.test(text)) {
        return text;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(file + " did not show what was expected within " + PATIENCE + ":\n" + log(file));
  }

  /** Kills (SIGKILL) what is still running. */
  @Override
  public void close() throws InterruptedException {
    for (Process process : processes) {
      if (process.isAlive()) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }
}
