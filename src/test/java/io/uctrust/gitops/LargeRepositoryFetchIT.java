package io.uctrust.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A repository of more than 10,000 files (made with {@code git fast-import}), served by a real {@code git daemon}:
 * after the first fetch, a commit that changes one file is fetched incrementally (a handful of objects) and only
 * that file is rewritten in the checkout.
 */
class LargeRepositoryFetchIT {

  private static final int FILES = 10_500;
  private static final String CHANGED = "clusters/c42/file-4242.yaml";

  @TempDir Path temp;

  @Test
  void aOneFileCommitToALargeRepositoryIsFetchedIncrementally() throws Exception {
    GitRunner git = new GitRunner(temp.resolve("home"));
    Path served = Files.createDirectories(temp.resolve("served"));
    Path bare = git.bare(served.resolve("large.git"));
    git.run(bare, stream(temp.resolve("initial.fi"), null), "fast-import", "--quiet");
    assertThat(git.git(bare, "ls-tree", "-r", "--name-only", "main").lines().count()).isEqualTo(FILES);
    RepositoryFetcher fetcher = new RepositoryFetcher(temp.resolve("cache"), Map.of());

    try (GitDaemon daemon = GitDaemon.start(git, served)) {
      String url = daemon.url("large.git");
      long start = System.nanoTime();
      Path clone;
      try (Checkout checkout = fetcher.fetch(GitSource.of(url))) {
        clone = checkout.root();
      }
      long first = System.nanoTime() - start;
      Map<Path, Object> inodes = new HashMap<>();
      Map<Path, FileTime> modified = new HashMap<>();
      try (Stream<Path> files = Files.walk(clone.resolve("clusters"))) {
        for (Path file : files.filter(Files::isRegularFile).toList()) {
          inodes.put(file, Files.getAttribute(file, "unix:ino"));
          modified.put(file, Files.getLastModifiedTime(file));
        }
      }
      assertThat(inodes).hasSize(FILES);
      long objectsBefore = objects(git, clone);

      git.run(bare, stream(temp.resolve("change.fi"), CHANGED), "fast-import", "--quiet");
      start = System.nanoTime();
      String commit;
      try (Checkout checkout = fetcher.fetch(GitSource.of(url))) {
        commit = checkout.revision().commit();
      }
      long second = System.nanoTime() - start;

      assertThat(commit).isEqualTo(git.git(bare, "rev-parse", "main"));
      // the new commit, the trees on the path to the file, and the file: nothing of the other 10,499
      long received = objects(git, clone) - objectsBefore;
      assertThat(received).isBetween(1L, 10L);
      assertThat(clone.resolve(CHANGED)).hasContent("changed: true");
      for (Map.Entry<Path, Object> file : inodes.entrySet()) {
        if (!file.getKey().endsWith(CHANGED)) {
          assertThat(Files.getAttribute(file.getKey(), "unix:ino")).as(file.getKey().toString()).isEqualTo(file.getValue());
          assertThat(Files.getLastModifiedTime(file.getKey())).as(file.getKey().toString())
              .isEqualTo(modified.get(file.getKey()));
        }
      }
      System.out.printf("LargeRepositoryFetchIT: %d files; first fetch and checkout %d ms, second (one file changed, "
          + "%d objects) %d ms%n", FILES, first / 1_000_000, received, second / 1_000_000);
    }
  }

  /** Objects in the clone, loose and packed, as {@code git count-objects -v} counts them. */
  private static long objects(GitRunner git, Path clone) throws IOException, InterruptedException {
    long total = 0;
    for (String line : git.git(clone, "count-objects", "-v").split("\n")) {
      if (line.startsWith("count: ") || line.startsWith("in-pack: ")) {
        total += Long.parseLong(line.substring(line.indexOf(':') + 2).strip());
      }
    }
    return total;
  }

  /**
   * A fast-import stream: with {@code changed} null, one commit of {@value #FILES} small files below {@code
   * clusters/}; otherwise a commit on top of main that changes only that file.
   */
  private static Path stream(Path file, String changed) throws IOException {
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      String message = changed == null ? "Ten thousand files" : "Change one file";
      out.write("commit refs/heads/main\ncommitter Ada Tester <ada@example.com> "
          + (changed == null ? 1_780_000_000 : 1_780_000_600) + " +0000\n");
      out.write("data " + message.length() + "\n" + message + "\n");
      if (changed == null) {
        for (int i = 0; i < FILES; i++) {
          inline(out, "clusters/c" + (i / 100) + "/file-" + i + ".yaml", "n: " + i + "\n");
        }
      } else {
        out.write("from refs/heads/main^0\n");
        inline(out, changed, "changed: true\n");
      }
      out.write("\n");
    }
    return file;
  }

  private static void inline(BufferedWriter out, String path, String content) throws IOException {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    out.write("M 100644 inline " + path + "\ndata " + bytes.length + "\n" + content + "\n");
  }
}
