package io.uctrust.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import io.uctrust.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --require-signed-commits --trusted-keys FILE} through the CLI, on repositories made with the real {@code git}
 * and {@code gpg}: a trusted signature is applied; an unsigned, a forged and an untrusted commit are refused with exit 1
 * and a message naming the commit, and nothing reaches the cluster.
 */
class SignedCommitsReconcileTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC);

  @TempDir static Path keys;
  private static GpgHome gpg;
  private static String alice;
  private static String mallory;
  private static Path trusted;

  @TempDir Path temp;
  private Path work;
  private String url;

  @BeforeAll
  static void keys() throws IOException {
    gpg = GpgHome.create(Files.createDirectories(keys.resolve("home")));
    alice = gpg.generate("Alice Admin <alice@example.com>", "ed25519", "sign", "never", null);
    mallory = gpg.generate("Mallory <mallory@example.com>", "ed25519", "sign", "never", null);
    trusted = gpg.export(keys.resolve("trusted.asc"), true, alice);
  }

  @AfterAll
  static void stopAgent() throws IOException {
    gpg.close();
  }

  @BeforeEach
  void repository() throws IOException {
    Path bare = temp.resolve("desired.git");
    git(temp, "init", "-q", "--bare", "-b", "main", bare.toString());
    work = temp.resolve("work");
    git(temp, "clone", "-q", bare.toString(), work.toString());
    copy(Path.of("examples/lab"), work.resolve("lab"));
    url = "file://" + bare;
  }

  private String git(Path dir, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("git", "-c", "user.name=Alice Admin", "-c", "user.email=alice@example.com",
        "-c", "init.defaultBranch=main"));
    command.addAll(List.of(args));
    return gpg.run(dir, null, command.toArray(String[]::new)).trim();
  }

  /** Commits everything in the work tree, signed by {@code key} (null: unsigned), pushes it and returns the SHA. */
  private String commit(String message, String key) throws IOException {
    git(work, "add", "-A");
    if (key == null) {
      git(work, "commit", "-q", "--allow-empty", "-m", message);
    } else {
      git(work, "-c", "user.signingkey=" + key, "commit", "-q", "--allow-empty", "-S", "-m", message);
    }
    git(work, "push", "-q", "origin", "HEAD:main");
    return git(work, "rev-parse", "HEAD");
  }

  private record Run(int code, String out, String err) {}

  private Run reconcile(String... extra) {
    List<String> args = new ArrayList<>(List.of("reconcile", "--repo", url, "--path", "lab", "--state-dir",
        temp.resolve("state").toString(), "--require-signed-commits", "--trusted-keys", trusted.toString()));
    args.addAll(List.of(extra));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Map<String, String> env = new HashMap<>(Map.of("UCTRUST_ONLINE_CA_PASSWORD", "lab-password"));
    int code = Main.run(CLOCK, env, new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void aCommitSignedByATrustedKeyIsPlannedAndApplied() throws IOException {
    String sha = commit("Lab cluster", alice);

    Run dry = reconcile("--dry-run");
    Run apply = reconcile();

    assertThat(dry.code()).as(dry.err()).isEqualTo(2);
    assertThat(dry.err()).contains("commit " + sha.substring(0, 12) + " signed by Alice Admin <alice@example.com> (key "
        + alice + ")");
    assertThat(dry.out()).contains("Source: " + url + " @ " + sha.substring(0, 12) + " \"Lab cluster\"");
    assertThat(apply.code()).as(apply.out() + apply.err()).isZero();
    assertThat(apply.out()).contains(" succeeded, 0 failed, 0 skipped")
        .startsWith("Source: " + url + " @ " + sha.substring(0, 12) + " \"Lab cluster\"");
    assertThat(temp.resolve("state/state.json")).as("where the refused runs below would have put the lab").isRegularFile();
  }

  @Test
  void anUnsignedCommitIsRefusedAndNothingIsApplied() throws IOException {
    String sha = commit("Unsigned change", null);

    Run refused = reconcile();

    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err()).contains("commit " + sha.substring(0, 7) + " \"Unsigned change\" is not signed")
        .contains("nothing is applied").doesNotContain("Exception");
    assertThat(refused.out()).doesNotContain("succeeded");
    assertThat(temp.resolve("state/state.json")).as("no lab was even opened").doesNotExist();
  }

  @Test
  void aCommitChangedAfterSigningIsRefusedAsABadSignature() throws IOException {
    commit("Lab cluster", alice);
    // the signed commit object with another message, its signature kept: what a tampered history looks like
    String signed = git(work, "cat-file", "commit", "HEAD");
    Path forgedObject = temp.resolve("forged.txt");
    Files.writeString(forgedObject, signed.replace("Lab cluster", "Lab cluster, tampered") + "\n", StandardCharsets.UTF_8);
    String forged = git(work, "hash-object", "-t", "commit", "-w", forgedObject.toString());
    git(work, "push", "-q", "--force", "origin", forged + ":refs/heads/main");

    Run refused = reconcile();

    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err()).contains("commit " + forged.substring(0, 7) + " \"Lab cluster, tampered\" has a bad signature");
    assertThat(temp.resolve("state/state.json")).doesNotExist();
  }

  @Test
  void aCommitSignedByAKeyOutsideTheTrustedKeysIsRefusedNamingTheKey() throws IOException {
    String sha = commit("Lab cluster by someone else", mallory);

    Run refused = reconcile("--dry-run");

    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err()).contains("commit " + sha.substring(0, 7)).contains(mallory)
        .contains("not in " + trusted);
  }

  @Test
  void signedCommitOptionsNeedEachOtherAndARepository() throws IOException {
    commit("Lab cluster", alice);
    StringWriter err = new StringWriter();

    int withoutKeys = Main.run(CLOCK, Map.of(), new PrintWriter(new StringWriter()), new PrintWriter(err), "reconcile",
        "--dry-run", "--repo", url, "--require-signed-commits", "--state-dir", temp.resolve("state").toString());
    int withoutRepo = Main.run(CLOCK, Map.of(), new PrintWriter(new StringWriter()), new PrintWriter(err), "validate",
        "examples/lab", "--require-signed-commits", "--trusted-keys", trusted.toString());

    assertThat(withoutKeys).isEqualTo(1);
    assertThat(withoutRepo).isEqualTo(1);
    assertThat(err.toString()).contains("--require-signed-commits needs --trusted-keys FILE")
        .contains("--require-signed-commits reads from a repository; add --repo URL");
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : files.toList()) {
        Path target = to.resolve(from.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target);
        }
      }
    }
  }
}
