package io.uctrust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.uctrust.gitops.GitDaemon;
import io.uctrust.gitops.GitRunner;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code reconcile --repo git://...} end to end: the lab example in a bare repository served by a real {@code git
 * daemon} on loopback, fetched with JGit, planned against the embedded lab.
 */
class GitDaemonReconcileIT {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC);
  private static final Map<String, String> ENV = Map.of("UCTRUST_ONLINE_CA_PASSWORD", "online-ca-secret-value-42");

  @TempDir Path temp;

  private GitRunner git;
  private GitDaemon daemon;
  private Path work;
  private String url;
  private String first;

  private record Run(int code, String out, String err) {}

  private Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(CLOCK, ENV, new PrintWriter(out), new PrintWriter(err), args);
    return new Run(code, out.toString(), err.toString());
  }

  private Run dryRun(String... more) {
    String[] args = new String[4 + more.length + 2];
    System.arraycopy(new String[] {"reconcile", "--dry-run", "--repo", url}, 0, args, 0, 4);
    System.arraycopy(more, 0, args, 4, more.length);
    args[args.length - 2] = "--state-dir";
    args[args.length - 1] = temp.resolve("state").toString();
    return run(args);
  }

  @BeforeEach
  void labRepositoryBehindADaemon() throws Exception {
    git = new GitRunner(temp.resolve("home"));
    Path served = Files.createDirectories(temp.resolve("served"));
    Path bare = git.bare(served.resolve("lab.git"));
    work = git.cloneOf(bare, temp.resolve("work"));
    Path lab = ReconcileCommandTest.copyExample("lab", temp.resolve("copy"));
    try (var files = Files.walk(lab)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Path to = work.resolve(lab.relativize(file).toString());
        Files.createDirectories(to.getParent());
        Files.copy(file, to);
      }
    }
    first = git.commit(work, "Lab cluster", Map.of());
    git.git(work, "push", "-q", "origin", "HEAD");
    daemon = GitDaemon.start(git, served);
    url = daemon.url("lab.git");
  }

  @AfterEach
  void stopDaemon() throws InterruptedException {
    if (daemon != null) {
      daemon.close();
    }
  }

  private String capf(String from, String to) throws Exception {
    return Files.readString(work.resolve("capf.yaml")).replace(from, to);
  }

  @Test
  void aDryRunOverTheGitProtocolPlansTheLabAndRecordsTheCommit() throws Exception {
    Run text = dryRun();
    Run json = dryRun("-o", "json");

    assertThat(text.code()).as(text.err()).isEqualTo(2);
    assertThat(text.out()).startsWith("Cluster lab (lab)\nSource: " + url + " @ " + first.substring(0, 12)
        + " \"Lab cluster\" (Ada Tester <ada@example.com>)\n").contains("Plan: ").contains("[truststores.yaml:10]");
    var source = JsonMapper.builder().build().readTree(json.out()).get("clusters").get(0).get("source");
    assertThat(source.get("url").asString()).isEqualTo(url);
    assertThat(source.get("commit").asString()).isEqualTo(first);
  }

  @Test
  void aForcePushedBranchIsFollowed() throws Exception {
    String second = git.commit(work, "Keepalive 20", Map.of("capf.yaml", capf("keepAliveMinutes: 15", "keepAliveMinutes: 20")));
    git.git(work, "push", "-q", "origin", "HEAD");
    assertThat(dryRun().out()).contains(second.substring(0, 12)).contains("+ 20 minutes");

    git.git(work, "reset", "-q", "--hard", first);
    String rewritten = git.commit(work, "Keepalive 30 instead",
        Map.of("capf.yaml", capf("keepAliveMinutes: 15", "keepAliveMinutes: 30")));
    git.git(work, "push", "-q", "--force", "origin", "HEAD:main");

    Run after = dryRun("-o", "json");
    assertThat(after.code()).as(after.err()).isEqualTo(2);
    var plan = JsonMapper.builder().build().readTree(after.out()).get("clusters").get(0);
    assertThat(plan.get("source").get("commit").asString()).isEqualTo(rewritten);
    assertThat(plan.get("source").get("subject").asString()).isEqualTo("Keepalive 30 instead");
    assertThat(after.out()).contains("\"after\" : \"30 minutes\"").doesNotContain("\"after\" : \"20 minutes\"");
  }

  @Test
  void aSavedPlanIsStaleOnceTheBranchMoves() throws Exception {
    Path saved = temp.resolve("plan.json");
    assertThat(dryRun("--out", saved.toString()).code()).isEqualTo(2);
    String next = git.commit(work, "Keepalive 20", Map.of("capf.yaml", capf("keepAliveMinutes: 15", "keepAliveMinutes: 20")));
    git.git(work, "push", "-q", "origin", "HEAD");

    Run apply = run("reconcile", "--repo", url, "--plan", saved.toString(), "--state-dir", temp.resolve("state").toString());

    assertThat(apply.code()).isEqualTo(1);
    assertThat(apply.err()).contains("stale").contains(first).contains(next).doesNotContain("[1/");
  }

  @Test
  void aMissingRefIsAClearError() {
    Run result = dryRun("--ref", "production");

    assertThat(result.code()).isEqualTo(1);
    assertThat(result.err()).isEqualTo("uctrust: ref 'production' not found in " + url + "; branches: main; tags: none\n");
  }

  @Test
  void aStoppedDaemonIsAnUnreachableRemoteEvenWithACache() throws Exception {
    assertThat(dryRun().code()).isEqualTo(2);
    daemon.close();
    daemon = null;

    Run result = dryRun();

    assertThat(result.code()).isEqualTo(1);
    assertThat(result.err()).isEqualTo("uctrust: cannot reach " + url + ": Connection refused\n");
    assertThat(result.out()).isEmpty();
  }
}
