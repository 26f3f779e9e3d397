package io.uctrust.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real git repository made with the {@code git} command line in a test's temporary folder, isolated from the
 * machine's configuration (no system config, its own HOME, a fixed identity), for tests of revision diffs.
 */
public final class DiffRepository {
  private final Path root;
  private final Path home;

  private DiffRepository(Path root, Path home) {
    this.root = root;
    this.home = home;
  }

  /** {@code git init -b main} in {@code dir/repo}, with HOME in {@code dir/home}. */
  public static DiffRepository init(Path dir) throws IOException {
    DiffRepository repository = new DiffRepository(Files.createDirectories(dir.resolve("repo")),
        Files.createDirectories(dir.resolve("home")));
    repository.git("init", "-q", "-b", "main");
    return repository;
  }

  public Path root() {
    return root;
  }

  /** Runs git in the repository; fails the test unless it exits 0. Returns standard output, trimmed. */
  public String git(String... args) throws IOException {
    return gitIn(root, args);
  }

  /** Runs git in {@code dir} with this repository's isolated environment. */
  public String gitIn(Path dir, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("git", "-c", "user.name=Uctrust Test", "-c",
        "user.email=test@example.com", "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(k -> k.startsWith("GIT_"));
    env.put("HOME", home.toString());
    env.put("GIT_CONFIG_NOSYSTEM", "1");
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      assertThat(process.waitFor()).as("git %s: %s", String.join(" ", args), output).isZero();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    return output.trim();
  }

  /** Copies {@code source} (a folder such as {@code examples/lab}) to {@code folder} in the working tree. */
  public void copy(Path source, String folder) throws IOException {
    Path target = root.resolve(folder);
    try (Stream<Path> walk = Files.walk(source)) {
      for (Path p : walk.toList()) {
        Path to = target.resolve(source.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  public void write(String path, String text) throws IOException {
    Files.createDirectories(root.resolve(path).getParent());
    Files.writeString(root.resolve(path), text);
  }

  /** Replaces {@code from} (which must occur) with {@code to} in a file of the working tree. */
  public void edit(String path, String from, String to) throws IOException {
    String text = Files.readString(root.resolve(path));
    assertThat(text).as(path).contains(from);
    Files.writeString(root.resolve(path), text.replace(from, to));
  }

  /** {@code git add -A} and commit; returns the new commit's id. */
  public String commit(String message) throws IOException {
    git("add", "-A");
    git("commit", "-q", "--allow-empty", "-m", message);
    return git("rev-parse", "HEAD");
  }
}
