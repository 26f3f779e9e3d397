package io.uctrust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.uctrust.gitops.GitRunner;
import io.uctrust.pki.OpensslCa;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The offline CA round trip entirely in git: {@code reconcile --repo ... --push-csrs BRANCH} pushes the phones' CSRs
 * to a branch, the CA team signs them with the real {@code openssl ca} on that branch and merges it, the next run
 * installs the certificates and pushes the branch without the CSRs it no longer waits for.
 */
class PendingCsrPushTest {

  // an hour ahead: the certificates openssl makes during the test are valid from the real now
  private static final Clock CLOCK = Clock.fixed(Instant.now().plusSeconds(3600).truncatedTo(ChronoUnit.SECONDS),
      ZoneOffset.UTC);
  private static final String BRANCH = "offline-ca-requests";

  @TempDir Path temp;
  private GitRunner git;
  private Path bare;
  private Path work;
  private String url;
  private OpensslCa ca;

  private record Run(int code, String out, String err) {}

  private Run reconcile(String... options) {
    List<String> args = new ArrayList<>(List.of("reconcile", "--repo", url, "--path", "offline-ca", "--state-dir",
        temp.resolve("state").toString(), "--phones", "40", "--push-csrs", BRANCH, "--push-author",
        "uctrust bot <uctrust@example.com>"));
    args.addAll(Arrays.asList(options));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(CLOCK, Map.of(), new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));
    return new Run(code, out.toString(), err.toString());
  }

  @BeforeEach
  void repositoryWithAnOfflineCa() throws Exception {
    git = new GitRunner(temp.resolve("home"));
    bare = git.bare(temp.resolve("desired.git"));
    work = git.cloneOf(bare, temp.resolve("work"));
    ca = OpensslCa.create(temp.resolve("ca"), "Example Offline LSC CA", OpensslCa.Profile.LSC);
    Path desired = ReconcileCommandTest.copyExample("offline-ca", work);
    // this offline CA replaces the example's, whose key was discarded; the lab's phones live in Branch-East
    Files.copy(ca.certificate(), desired.resolve("certs/lsc-chain.pem"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Path cluster = desired.resolve("cluster.yaml");
    Files.writeString(cluster, Files.readString(cluster).replace("devicePools: [Branch]", "devicePools: [Branch-East]"));
    git.commit(work, "Offline CA for the branch phones", Map.of());
    git.git(work, "push", "-q", "origin", "HEAD:main");
    url = "file://" + bare;
  }

  private List<String> onBranch(String folder) throws Exception {
    String listing = git.git(bare, "ls-tree", "--name-only", BRANCH, folder + "/");
    return listing.isEmpty() ? List.of() : List.of(listing.split("\n"));
  }

  @Test
  void pendingCsrsArePushedSignedOnTheBranchInstalledAndThenLeaveTheBranch() throws Exception {
    Run first = reconcile();

    assertThat(first.code()).as(first.out() + first.err()).isZero();
    assertThat(first.out()).contains("offline CA branch " + BRANCH + ": pushed commit ");
    List<String> pending = onBranch("offline-ca/offline-ca/pending");
    List<String> phones = pending.stream().filter(p -> p.contains("/SEP")).toList();
    assertThat(phones).as(first.out()).hasSizeGreaterThan(1);
    String message = git.git(bare, "log", "-1", "--format=%an <%ae>%n%B", BRANCH);
    assertThat(message).startsWith("uctrust bot <uctrust@example.com>\nuctrust: " + pending.size()
        + " CSRs waiting for the offline CA").contains("New:\n  " + phones.get(0));
    assertThat(git.git(bare, "merge-base", "--is-ancestor", "main", BRANCH)).as("built on the desired state").isEmpty();

    Run again = reconcile("--dry-run");
    assertThat(again.err()).contains("offline CA branch " + BRANCH + ": up to date");

    // the CA team signs on the branch and merges it
    Path team = git.cloneOf(bare, temp.resolve("team"));
    git.git(team, "checkout", "-q", BRANCH);
    Path signed = Files.createDirectories(team.resolve("offline-ca/offline-ca/signed"));
    for (String csr : phones) {
      String name = Path.of(csr).getFileName().toString().replace(".csr", ".pem");
      ca.sign(team.resolve(csr), signed.resolve(name));
    }
    git.commit(team, "Signed by the offline CA", Map.of());
    git.git(team, "push", "-q", "origin", "HEAD:" + BRANCH, "HEAD:main");

    Run install = reconcile();

    assertThat(install.code()).as(install.out() + install.err()).isZero();
    assertThat(install.out()).contains("offline CA branch " + BRANCH + ": pushed commit ")
        .contains(phones.size() + " no longer pending");
    assertThat(onBranch("offline-ca/offline-ca/pending")).as("only the identity's CSR still waits")
        .noneMatch(p -> p.contains("/SEP")).isNotEmpty();
    assertThat(onBranch("offline-ca/offline-ca/signed")).hasSize(phones.size());
    assertThat(git.git(bare, "log", "-1", "--format=%B", BRANCH)).contains("No longer pending (installed or withdrawn):");
  }

  @Test
  void aBranchThatDivergedFromTheDesiredStateIsRefusedAndNotOverwritten() throws Exception {
    git.git(work, "checkout", "-q", "--orphan", "elsewhere");
    String foreign = git.commit(work, "Someone else's history", Map.of("README.md", "not the desired state\n"));
    git.git(work, "push", "-q", "origin", "HEAD:" + BRANCH);

    Run refused = reconcile("--dry-run");

    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err()).contains("branch '" + BRANCH + "' of " + url + " has diverged from the desired state")
        .contains("uctrust pushes only fast-forwards");
    assertThat(git.git(bare, "rev-parse", BRANCH)).isEqualTo(foreign);
  }

  @Test
  void pushingNeedsARepositoryAndAnAuthorThatLooksLikeOne() {
    StringWriter err = new StringWriter();

    int withoutRepo = Main.run(CLOCK, Map.of(), new PrintWriter(new StringWriter()), new PrintWriter(err), "reconcile",
        "--dry-run", "examples/offline-ca", "--push-csrs", BRANCH);
    int badAuthor = Main.run(CLOCK, Map.of(), new PrintWriter(new StringWriter()), new PrintWriter(err), "reconcile",
        "--dry-run", "--repo", url, "--push-csrs", BRANCH, "--push-author", "just a name");

    assertThat(withoutRepo).isEqualTo(1);
    assertThat(badAuthor).isEqualTo(1);
    assertThat(err.toString()).contains("--push-csrs commits to the repository the desired state comes from; add --repo URL")
        .contains("--push-author must look like 'NAME <EMAIL>', not 'just a name'");
  }
}
