package io.uctrust.controller;

import io.uctrust.gitops.GitRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The lab example ({@code examples/lab}) as the only content of a bare git repository made with the real {@code git}
 * CLI, reached by a {@code file://} URL, with a working clone to commit and push changes from. Test code only.
 */
final class LabRepository {
  private final GitRunner git;
  private final Path bare;
  private final Path work;

  private LabRepository(GitRunner git, Path bare, Path work) {
    this.git = git;
    this.bare = bare;
    this.work = work;
  }

  /** A repository below {@code folder} holding the lab example in one commit. */
  static LabRepository create(Path folder) throws IOException, InterruptedException {
    GitRunner git = new GitRunner(folder.resolve("home"));
    Path bare = git.bare(folder.resolve("lab.git"));
    Path work = git.cloneOf(bare, folder.resolve("work"));
    copyExample(work);
    LabRepository repository = new LabRepository(git, bare, work);
    repository.push("Lab cluster");
    return repository;
  }

  /**
   * A repository below {@code folder} holding one copy of the lab example per name in {@code clusters}, in a folder of
   * that name whose Cluster document bears it, in one commit.
   */
  static LabRepository createWithClusters(Path folder, String... clusters) throws IOException, InterruptedException {
    GitRunner git = new GitRunner(folder.resolve("home"));
    Path bare = git.bare(folder.resolve("lab.git"));
    Path work = git.cloneOf(bare, folder.resolve("work"));
    for (String cluster : clusters) {
      Path copy = work.resolve(cluster);
      copyExample(copy);
      Path document = copy.resolve("cluster.yaml");
      String text = Files.readString(document);
      if (!text.contains("\n  name: lab\n")) {
        throw new IllegalStateException("examples/lab/cluster.yaml no longer names its cluster 'lab'");
      }
      Files.writeString(document, text.replace("\n  name: lab\n", "\n  name: " + cluster + "\n"));
    }
    LabRepository repository = new LabRepository(git, bare, work);
    repository.push("Lab clusters " + String.join(", ", clusters));
    return repository;
  }

  private static void copyExample(Path into) throws IOException {
    Path example = Path.of("examples", "lab");
    try (Stream<Path> files = Files.walk(example)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Path to = into.resolve(example.relativize(file).toString());
        Files.createDirectories(to.getParent());
        Files.copy(file, to);
      }
    }
  }

  /** The clone URL. */
  String url() {
    return "file://" + bare;
  }

  /** Replaces {@code from} with {@code to} in {@code file}, commits and pushes; returns the commit. */
  String change(String file, String from, String to, String message) throws IOException, InterruptedException {
    Path path = work.resolve(file);
    String text = Files.readString(path);
    if (!text.contains(from)) {
      throw new IllegalArgumentException(file + " has no '" + from + "'");
    }
    Files.writeString(path, text.replace(from, to));
    return push(message);
  }

  private String push(String message) throws IOException, InterruptedException {
    String commit = git.commit(work, message, Map.of());
    git.git(work, "push", "-q", "origin", "HEAD");
    return commit;
  }
}
