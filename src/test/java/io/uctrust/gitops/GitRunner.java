package io.uctrust.gitops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs the real {@code git} CLI for tests: no system config, {@code HOME} in a test folder, a fixed author.
 * Not for: main code, which uses JGit.
 */
public final class GitRunner {
  private final Path home;

  /** Runs git with {@code home} as {@code HOME} (created). */
  public GitRunner(Path home) throws IOException {
    this.home = Files.createDirectories(home);
  }

  /** Runs {@code git args} in {@code dir} and returns its standard output, trimmed; fails on a non-zero exit. */
  public String git(Path dir, String... args) throws IOException, InterruptedException {
    return run(dir, null, args);
  }

  /** Runs {@code git args} in {@code dir} with {@code input} on its standard input. */
  public String run(Path dir, Path input, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("git", "-c", "user.name=Ada Tester", "-c", "user.email=ada@example.com",
        "-c", "init.defaultBranch=main", "-c", "protocol.file.allow=always", "-c", "advice.detachedHead=false"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    if (input != null) {
      builder.redirectInput(input.toFile());
    }
    environment(builder.environment());
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IOException("git " + String.join(" ", args) + " failed in " + dir + ":\n" + out);
    }
    return out.strip();
  }

  /** Sets what every git process of a test needs in {@code env}. */
  public void environment(Map<String, String> env) {
    env.put("GIT_CONFIG_NOSYSTEM", "1");
    env.put("HOME", home.toString());
    env.put("XDG_CONFIG_HOME", home.resolve(".config").toString());
    env.put("GIT_TERMINAL_PROMPT", "0");
  }

  /** A new bare repository at {@code dir}. */
  public Path bare(Path dir) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    git(dir, "init", "--bare", "-q");
    return dir;
  }

  /** A working clone of {@code bare} at {@code dir}. */
  public Path cloneOf(Path bare, Path dir) throws IOException, InterruptedException {
    git(bare.getParent(), "clone", "-q", bare.toString(), dir.toString());
    return dir;
  }

  /** Writes {@code files} (path to content) in {@code work}, commits everything and returns the commit SHA. */
  public String commit(Path work, String message, Map<String, String> files) throws IOException, InterruptedException {
    for (Map.Entry<String, String> file : files.entrySet()) {
      Path target = work.resolve(file.getKey());
      Files.createDirectories(target.getParent());
      Files.writeString(target, file.getValue(), StandardCharsets.UTF_8);
    }
    git(work, "add", "-A");
    git(work, "commit", "-q", "--allow-empty", "-m", message);
    return git(work, "rev-parse", "HEAD");
  }
}
