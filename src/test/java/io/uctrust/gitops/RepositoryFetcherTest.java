package io.uctrust.gitops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uctrust.desired.SecretRef;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.Repository;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fetching the desired state from real repositories made with the git CLI, over file://. */
class RepositoryFetcherTest {

  @TempDir Path temp;

  private GitRunner git;
  private Path bare;
  private Path work;
  private String url;
  private RepositoryFetcher fetcher;

  @BeforeEach
  void repositories() throws Exception {
    git = new GitRunner(temp.resolve("home"));
    bare = git.bare(temp.resolve("remote.git"));
    work = git.cloneOf(bare, temp.resolve("work"));
    url = "file://" + bare;
    fetcher = new RepositoryFetcher(temp.resolve("state").resolve("git"), Map.of());
  }

  private String commitAndPush(String message, Map<String, String> files) throws Exception {
    String sha = git.commit(work, message, files);
    git.git(work, "push", "-q", "origin", "HEAD");
    return sha;
  }

  private SourceRevision fetch(GitSource source) throws GitSourceException {
    try (Checkout checkout = fetcher.fetch(source)) {
      return checkout.revision();
    }
  }

  @Test
  void aFirstFetchChecksOutTheDefaultBranchAndRecordsTheCommit() throws Exception {
    String sha = commitAndPush("Add trust stores\n\nwith a body", Map.of("truststores.yaml", "kind: TrustStore\n"));

    try (Checkout checkout = fetcher.fetch(GitSource.of(url))) {
      assertThat(checkout.revision().commit()).isEqualTo(sha);
      assertThat(checkout.revision().url()).isEqualTo(url);
      assertThat(checkout.revision().author()).isEqualTo("Ada Tester <ada@example.com>");
      assertThat(checkout.revision().subject()).isEqualTo("Add trust stores");
      assertThat(checkout.revision().committedAt()).isNotNull();
      assertThat(checkout.folder()).isEqualTo(checkout.root());
      assertThat(checkout.root()).isEqualTo(fetcher.cloneDir(url));
      assertThat(checkout.root().getParent()).isEqualTo(temp.resolve("state").resolve("git"));
      assertThat(checkout.root().getFileName().toString()).matches("[0-9a-f]{16}");
      assertThat(checkout.folder().resolve("truststores.yaml")).hasContent("kind: TrustStore");
    }
  }

  @Test
  void aNewCommitIsFetchedIntoTheSameClone() throws Exception {
    commitAndPush("first", Map.of("a.yaml", "a: 1\n"));
    Path first;
    try (Checkout checkout = fetcher.fetch(GitSource.of(url))) {
      first = checkout.root();
    }
    String second = commitAndPush("second", Map.of("a.yaml", "a: 2\n"));

    try (Checkout checkout = fetcher.fetch(GitSource.of(url))) {
      assertThat(checkout.root()).isEqualTo(first);
      assertThat(checkout.revision().commit()).isEqualTo(second);
      assertThat(checkout.folder().resolve("a.yaml")).hasContent("a: 2");
    }
  }

  @Test
  void branchesTagsAndCommitShasAreRefs() throws Exception {
    String first = commitAndPush("first", Map.of("a.yaml", "a: 1\n"));
    git.git(work, "tag", "v1");
    git.git(work, "tag", "-a", "v1-annotated", "-m", "release 1");
    git.git(work, "push", "-q", "origin", "v1", "v1-annotated");
    git.git(work, "checkout", "-q", "-b", "release");
    String release = commitAndPush("on release", Map.of("a.yaml", "a: release\n"));
    git.git(work, "checkout", "-q", "main");
    String main = commitAndPush("on main", Map.of("a.yaml", "a: main\n"));

    assertThat(fetch(GitSource.of(url)).commit()).isEqualTo(main);
    assertThat(fetch(GitSource.of(url).at("release")).commit()).isEqualTo(release);
    assertThat(fetch(GitSource.of(url).at("refs/heads/release")).commit()).isEqualTo(release);
    assertThat(fetch(GitSource.of(url).at("v1")).commit()).isEqualTo(first);
    assertThat(fetch(GitSource.of(url).at("v1-annotated")).commit()).isEqualTo(first);
    assertThat(fetch(GitSource.of(url).at(first)).commit()).isEqualTo(first);
    assertThat(fetch(GitSource.of(url).at(release.substring(0, 8))).commit()).isEqualTo(release);
    try (Checkout checkout = fetcher.fetch(GitSource.of(url).at("v1"))) {
      assertThat(checkout.folder().resolve("a.yaml")).hasContent("a: 1");
    }
  }

  @Test
  void aBranchWinsOverATagOfTheSameName() throws Exception {
    String tagged = commitAndPush("tagged", Map.of("a.yaml", "a: 1\n"));
    git.git(work, "tag", "prod");
    git.git(work, "push", "-q", "origin", "refs/tags/prod");
    String branch = commitAndPush("branch", Map.of("a.yaml", "a: 2\n"));
    git.git(work, "push", "-q", "origin", "HEAD:refs/heads/prod");

    assertThat(fetch(GitSource.of(url).at("prod")).commit()).isEqualTo(branch);
    assertThat(fetch(GitSource.of(url).at("refs/tags/prod")).commit()).isEqualTo(tagged);
  }

  @Test
  void aForcePushedBranchIsFollowed() throws Exception {
    String base = commitAndPush("base", Map.of("a.yaml", "a: 1\n"));
    String doomed = commitAndPush("doomed", Map.of("a.yaml", "a: doomed\n", "b.yaml", "b: 1\n"));
    assertThat(fetch(GitSource.of(url)).commit()).isEqualTo(doomed);

    git.git(work, "reset", "-q", "--hard", base);
    String rewritten = git.commit(work, "rewritten", Map.of("a.yaml", "a: rewritten\n"));
    git.git(work, "push", "-q", "--force", "origin", "main");

    try (Checkout checkout = fetcher.fetch(GitSource.of(url))) {
      assertThat(checkout.revision().commit()).isEqualTo(rewritten);
      assertThat(checkout.folder().resolve("a.yaml")).hasContent("a: rewritten");
      assertThat(checkout.folder().resolve("b.yaml")).doesNotExist();
    }
    // the clone still has the old commit, but a fresh clone would not: it is no ref any more
    assertThatThrownBy(() -> fetch(GitSource.of(url).at(doomed))).isInstanceOf(GitSourceException.class)
        .hasMessageContaining("ref '" + doomed + "' not found in " + url);
  }

  @Test
  void aDeletedBranchOrTagIsPruned() throws Exception {
    commitAndPush("first", Map.of("a.yaml", "a: 1\n"));
    git.git(work, "push", "-q", "origin", "HEAD:refs/heads/short-lived");
    git.git(work, "tag", "gone");
    git.git(work, "push", "-q", "origin", "gone");
    fetch(GitSource.of(url).at("short-lived"));

    git.git(work, "push", "-q", "origin", ":refs/heads/short-lived", ":refs/tags/gone");

    assertThatThrownBy(() -> fetch(GitSource.of(url).at("short-lived"))).hasMessageContaining("not found");
    assertThatThrownBy(() -> fetch(GitSource.of(url).at("gone"))).hasMessageContaining("not found");
  }

  @Test
  void aMissingRefIsRefusedNamingTheBranchesAndTags() throws Exception {
    commitAndPush("first", Map.of("a.yaml", "a: 1\n"));
    git.git(work, "push", "-q", "origin", "HEAD:refs/heads/release");
    git.git(work, "tag", "v1");
    git.git(work, "push", "-q", "origin", "v1");

    assertThatThrownBy(() -> fetch(GitSource.of(url).at("relase"))).isInstanceOf(GitSourceException.class)
        .hasMessage("ref 'relase' not found in " + url + "; branches: main, release; tags: v1");
  }

  @Test
  void aSubfolderIsTheDesiredStateFolder() throws Exception {
    commitAndPush("first", Map.of("clusters/lab/capf.yaml", "kind: Capf\n", "README.md", "hi\n"));

    try (Checkout checkout = fetcher.fetch(GitSource.of(url).in("./clusters/lab/"))) {
      assertThat(checkout.folder()).isEqualTo(checkout.root().resolve("clusters/lab"));
      assertThat(checkout.folder().resolve("capf.yaml")).exists();
    }
  }

  @Test
  void aMissingPathIsRefused() throws Exception {
    String sha = commitAndPush("first", Map.of("clusters/lab/capf.yaml", "kind: Capf\n"));

    assertThatThrownBy(() -> fetch(GitSource.of(url).in("clusters/prod"))).isInstanceOf(GitSourceException.class)
        .hasMessage("path 'clusters/prod' not found in " + url + " at " + sha);
  }

  @Test
  void aPathThatLeavesTheRepositoryIsRefused() throws Exception {
    commitAndPush("first", Map.of("a.yaml", "a: 1\n"));

    assertThatThrownBy(() -> fetch(GitSource.of(url).in("clusters/../../etc"))).isInstanceOf(GitSourceException.class)
        .hasMessageContaining("must stay inside the repository");
    assertThatThrownBy(() -> fetch(GitSource.of(url).in("/etc"))).isInstanceOf(GitSourceException.class)
        .hasMessageContaining("must be relative");
    assertThatThrownBy(() -> fetch(GitSource.of(url).in(".git"))).isInstanceOf(GitSourceException.class)
        .hasMessageContaining(".git");
  }

  @Test
  void aSymbolicLinkInTheRepositoryIsCheckedOutAsAPlainFile() throws Exception {
    Files.createDirectories(work);
    Files.createSymbolicLink(work.resolve("ca.pem"), Path.of("/etc/hostname"));
    commitAndPush("a link out of the repository", Map.of("a.yaml", "a: 1\n"));

    try (Checkout checkout = fetcher.fetch(GitSource.of(url))) {
      assertThat(checkout.folder().resolve("ca.pem")).isRegularFile().hasContent("/etc/hostname");
      assertThat(Files.isSymbolicLink(checkout.folder().resolve("ca.pem"))).isFalse();
    }
  }

  @Test
  void anUnreachableRemoteIsAClearError() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String closed = "git://127.0.0.1:" + port + "/x.git";

    assertThatThrownBy(() -> fetch(GitSource.of(closed))).isInstanceOf(GitSourceException.class)
        .hasMessageStartingWith("cannot reach " + closed + ": ").hasMessageNotContaining("\n");
    String missing = "file://" + temp.resolve("nowhere.git");
    assertThatThrownBy(() -> fetch(GitSource.of(missing))).isInstanceOf(GitSourceException.class)
        .hasMessageStartingWith("cannot reach " + missing + ": ");
  }

  @Test
  void anEmptyRepositoryHasNoBranchToCheckOut() {
    assertThatThrownBy(() -> fetch(GitSource.of(url))).isInstanceOf(GitSourceException.class)
        .hasMessage("the repository " + url + " has no branches");
  }

  @Test
  void aBrokenCacheIsClonedAgain() throws Exception {
    String sha = commitAndPush("first", Map.of("a.yaml", "a: 1\n"));
    Path clone;
    try (Checkout checkout = fetcher.fetch(GitSource.of(url))) {
      clone = checkout.root();
    }

    Files.writeString(clone.resolve(".git/config"), "[this is not a config\n");
    assertThat(fetch(GitSource.of(url)).commit()).isEqualTo(sha);

    try (Stream<Path> packs = Files.list(clone.resolve(".git/objects/pack"))) {
      for (Path pack : packs.toList()) {
        Files.delete(pack);
      }
    }
    try (Stream<Path> loose = Files.walk(clone.resolve(".git/objects"))) {
      for (Path object : loose.filter(p -> p.getParent().getFileName().toString().matches("[0-9a-f]{2}")).toList()) {
        Files.delete(object);
      }
    }
    try (Checkout checkout = fetcher.fetch(GitSource.of(url))) {
      assertThat(checkout.revision().commit()).isEqualTo(sha);
      assertThat(checkout.folder().resolve("a.yaml")).hasContent("a: 1");
    }
  }

  @Test
  void aCacheOfAnotherUrlIsClonedAgain() throws Exception {
    commitAndPush("first", Map.of("a.yaml", "a: 1\n"));
    Path other = git.bare(temp.resolve("other.git"));
    Path otherWork = git.cloneOf(other, temp.resolve("other-work"));
    git.commit(otherWork, "other", Map.of("other.yaml", "other: 1\n"));
    git.git(otherWork, "push", "-q", "origin", "HEAD");
    fetch(GitSource.of(url));
    git.git(fetcher.cloneDir(url), "remote", "set-url", "origin", "file://" + other);

    try (Checkout checkout = fetcher.fetch(GitSource.of(url))) {
      assertThat(checkout.folder().resolve("a.yaml")).exists();
      assertThat(checkout.folder().resolve("other.yaml")).doesNotExist();
    }
  }

  @Test
  void theCheckoutHoldsExactlyTheCommitsFiles() throws Exception {
    commitAndPush("first", Map.of("a.yaml", "a: 1\n", "old/b.yaml", "b: 1\n"));
    Path clone;
    try (Checkout checkout = fetcher.fetch(GitSource.of(url))) {
      clone = checkout.root();
      Files.writeString(checkout.folder().resolve("a.yaml"), "a: edited in the cache\n");
      Files.writeString(checkout.folder().resolve("stray.yaml"), "stray: 1\n");
    }
    git.git(work, "rm", "-q", "-r", "old");
    commitAndPush("remove old", Map.of());

    fetch(GitSource.of(url));

    assertThat(clone.resolve("a.yaml")).hasContent("a: 1");
    assertThat(clone.resolve("stray.yaml")).doesNotExist();
    assertThat(clone.resolve("old")).doesNotExist();
  }

  @Test
  void theCommitCheckSeesEachCommitBeforeItsCheckoutAndCanRefuseIt() throws Exception {
    String first = commitAndPush("first", Map.of("a.yaml", "a: 1\n"));
    List<String> seen = new ArrayList<>();
    fetcher.checkingCommits((Repository repository, org.eclipse.jgit.revwalk.RevCommit commit) -> {
      seen.add(commit.name());
      if (commit.getFullMessage().contains("unsigned")) {
        throw new GitSourceException("commit " + commit.name() + " is not signed");
      }
    });
    fetch(GitSource.of(url));
    String refused = commitAndPush("unsigned", Map.of("a.yaml", "a: 2\n"));

    assertThatThrownBy(() -> fetch(GitSource.of(url))).isInstanceOf(GitSourceException.class)
        .hasMessage("commit " + refused + " is not signed");
    assertThat(seen).containsExactly(first, refused);
    assertThat(fetcher.cloneDir(url).resolve("a.yaml")).hasContent("a: 1");
  }

  @Test
  void theCloneIsLockedUntilTheCheckoutIsClosed() throws Exception {
    commitAndPush("first", Map.of("a.yaml", "a: 1\n"));
    Path lockFile = fetcher.cloneDir(url).resolveSibling(fetcher.cloneDir(url).getFileName() + ".lock");

    try (Checkout checkout = fetcher.fetch(GitSource.of(url));
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
      // held by this JVM: a second lock on the file is refused at once rather than granted
      assertThatThrownBy(channel::tryLock).isInstanceOf(OverlappingFileLockException.class);
      assertThat(checkout.folder()).exists();
      assertThatThrownBy(() -> fetcher.fetch(GitSource.of(url))).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("already checked out by this thread");
    }
    try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE); FileLock lock = channel.tryLock()) {
      assertThat(lock).isNotNull();
    }
  }

  @Test
  void credentialsMustFitTheUrlAndTokensAreReferences() {
    SecretRef token = SecretRef.parse("env:REPO_TOKEN");
    GitSource.Credentials withToken = new GitSource.Credentials(token, null, null);

    assertThatThrownBy(() -> fetch(GitSource.of("https://x-access-token:s3cret@example.com/r.git")))
        .isInstanceOf(GitSourceException.class).hasMessageContaining("must not carry a password")
        .hasMessageNotContaining("s3cret");
    assertThatThrownBy(() -> fetch(GitSource.of("http://example.com/r.git").reachedWith(withToken)))
        .hasMessageContaining("only over https");
    assertThatThrownBy(() -> fetch(GitSource.of(url).reachedWith(withToken))).hasMessageContaining("only with https");
    assertThatThrownBy(() -> fetch(GitSource.of("https://example.com/r.git").reachedWith(
        new GitSource.Credentials(SecretRef.parse("ghp_literal"), null, null))))
        .hasMessageContaining("must be a reference, env:NAME or file:PATH").hasMessageNotContaining("ghp_literal");
    assertThatThrownBy(() -> fetch(GitSource.of("https://example.com/r.git").reachedWith(withToken)))
        .hasMessageContaining("secret env:REPO_TOKEN is not set");
    assertThatThrownBy(() -> fetch(GitSource.of(url).reachedWith(new GitSource.Credentials(null, temp.resolve("k"), null))))
        .hasMessageContaining("only with ssh URLs");
    assertThatThrownBy(() -> fetch(GitSource.of("ftp://example.com/r.git"))).hasMessageContaining("unsupported");
  }

  @Test
  void theCacheFolderFollowsTheStateFolderOrXdgStateHome() {
    assertThat(RepositoryFetcher.cacheRoot(temp, Map.of())).isEqualTo(temp.resolve("git"));
    assertThat(RepositoryFetcher.cacheRoot(null, Map.of("XDG_STATE_HOME", temp.toString())))
        .isEqualTo(temp.resolve("uctrust/git"));
  }

  @Test
  void relativePathsAreNormalised() throws GitSourceException {
    assertThat(RepositoryFetcher.relativePath(null)).isEmpty();
    assertThat(RepositoryFetcher.relativePath(".")).isEmpty();
    assertThat(RepositoryFetcher.relativePath("a//b/./c/")).isEqualTo("a/b/c");
  }
}
