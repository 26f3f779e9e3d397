package io.uctrust.gitops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uctrust.diff.DesiredDiff.DocumentChange;
import io.uctrust.diff.DiffReport;
import io.uctrust.diff.DiffTextRenderer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Revision diffs read from real repositories made by the git command line. */
class RevisionDifferTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC);

  @TempDir Path dir;

  private DiffRepository repo;
  private String first;

  @BeforeEach
  void aRepositoryWithTheLab() throws IOException {
    repo = DiffRepository.init(dir);
    repo.copy(Path.of("examples/lab"), "clusters/lab");
    repo.write("README.md", "desired state\n");
    first = repo.commit("lab as in the example");
  }

  private DiffReport diff(Path where, String from, String to, String path) throws RevisionDiffException {
    return new RevisionDiffer(CLOCK).diff(where, from, to, path);
  }

  private static List<String> lines(DiffReport report) {
    return report.diff().documents().stream()
        .flatMap(d -> java.util.stream.Stream.concat(
            java.util.stream.Stream.of(d.change().sign() + " " + d.address()),
            d.fields().stream().map(f -> "  " + DiffTextRenderer.field(f))))
        .toList();
  }

  @Test
  void aFieldChangedBetweenTwoCommitsIsReportedWithTheRevisionsResolved() throws Exception {
    repo.edit("clusters/lab/capf.yaml", "keepAliveMinutes: 15", "keepAliveMinutes: 30");
    String second = repo.commit("longer keepalive");

    DiffReport report = diff(repo.root(), "HEAD~1", "HEAD", "clusters/lab");

    assertThat(lines(report)).containsExactly("~ Capf/capf", "  ~ spec.keepAliveMinutes: 15 → 30");
    assertThat(report.from().commit()).isEqualTo(first);
    assertThat(report.to().commit()).isEqualTo(second);
    assertThat(report.from().label()).isEqualTo("HEAD~1 (" + first.substring(0, 7) + ")");
    assertThat(report.folder()).isEqualTo("clusters/lab");
    assertThat(report.diff().documents()).extracting(DocumentChange::file).containsExactly("clusters/lab/capf.yaml");
  }

  @Test
  void revisionsAreWhatGitRevParseTakes() throws Exception {
    repo.git("tag", "-a", "v1", "-m", "first release");
    repo.git("checkout", "-q", "-b", "feature");
    repo.edit("clusters/lab/capf.yaml", "certificateValidityDays: 730", "certificateValidityDays: 365");
    String feature = repo.commit("shorter LSCs");
    repo.git("update-ref", "refs/remotes/origin/main", first);

    for (String from : List.of("v1", "main", "origin/main", first.substring(0, 8), "HEAD^")) {
      DiffReport report = diff(repo.root(), from, "feature", "clusters/lab");

      assertThat(lines(report)).as(from).containsExactly("~ Capf/capf", "  ~ spec.certificateValidityDays: 730 → 365");
      assertThat(report.from().commit()).as(from).isEqualTo(first);
      assertThat(report.to().commit()).isEqualTo(feature);
    }
  }

  @Test
  void aRenamedFileWithTheSameDocumentsIsNoChange() throws Exception {
    repo.git("mv", "clusters/lab/truststores.yaml", "clusters/lab/trust.yml");
    repo.git("mv", "clusters/lab/capf.yaml", "clusters/lab/0-capf.yaml");
    repo.commit("rename");

    DiffReport report = diff(repo.root(), "HEAD~1", "HEAD", "clusters/lab");

    assertThat(report.diff().hasChanges()).isFalse();
    assertThat(report.from().errors()).isEmpty();
    assertThat(report.to().errors()).isEmpty();
  }

  @Test
  void theFolderDefaultsToWhereDirIsInTheWorkingTree() throws Exception {
    repo.edit("clusters/lab/capf.yaml", "keepAliveMinutes: 15", "keepAliveMinutes: 20");
    repo.commit("keepalive");

    DiffReport report = diff(repo.root().resolve("clusters/lab"), "main~1", "main", null);

    assertThat(report.folder()).isEqualTo("clusters/lab");
    assertThat(lines(report)).containsExactly("~ Capf/capf", "  ~ spec.keepAliveMinutes: 15 → 20");
  }

  @Test
  void pathSelectsOneDesiredStateFolderOfSeveral() throws Exception {
    repo.copy(Path.of("examples/offline-ca"), "clusters/branch");
    repo.commit("branch cluster");
    repo.edit("clusters/lab/capf.yaml", "keepAliveMinutes: 15", "keepAliveMinutes: 20");
    repo.edit("clusters/branch/cluster.yaml", "metadata: {name: branch}", "metadata: {name: branch, description: the branch office}");
    repo.commit("both");

    DiffReport lab = diff(repo.root(), "HEAD~1", "HEAD", "clusters/lab/");
    DiffReport branch = diff(repo.root(), "HEAD~1", "HEAD", "./clusters/branch");
    DiffReport added = diff(repo.root(), first, "HEAD", "clusters/branch");

    assertThat(lines(lab)).containsExactly("~ Capf/capf", "  ~ spec.keepAliveMinutes: 15 → 20");
    assertThat(lines(branch)).containsExactly("~ Cluster/branch", "  + metadata.description: the branch office");
    assertThat(added.from().exists()).isFalse();
    assertThat(added.to().errors()).isEmpty();
    assertThat(added.diff().documents()).isNotEmpty().allSatisfy(d -> assertThat(d.change().word()).isEqualTo("added"));
  }

  @Test
  void committedStateIsComparedNotTheWorkingTree() throws Exception {
    repo.edit("clusters/lab/capf.yaml", "keepAliveMinutes: 15", "keepAliveMinutes: 25");
    repo.write("clusters/lab/uncommitted.yaml", "kind: Broken\n");

    DiffReport report = diff(repo.root(), "HEAD", "HEAD", "clusters/lab");

    assertThat(report.diff().hasChanges()).isFalse();
    assertThat(report.to().errors()).isEmpty();
  }

  @Test
  void aBareRepositoryIsReadFromItsRoot() throws Exception {
    repo.edit("clusters/lab/monitoring.yaml", "checkEvery: 24h", "checkEvery: 12h");
    repo.commit("ocsp twice a day");
    Path bare = dir.resolve("bare.git");
    repo.gitIn(dir, "clone", "-q", "--bare", repo.root().toString(), bare.toString());

    DiffReport report = diff(bare, "main~1", "main", "clusters/lab");

    assertThat(lines(report)).containsExactly("~ Monitoring/monitoring", "  ~ spec.revocation.ocsp.checkEvery: 24h → 12h");
  }

  @Test
  void aFileNamedFromOutsideTheFolderIsReadFromTheSameCommit() throws Exception {
    repo.copy(Path.of("examples/lab/certs"), "shared/certs");
    repo.edit("clusters/lab/capf.yaml", "caCertificate: certs/corp-root.pem", "caCertificate: ../../shared/certs/corp-root.pem");
    repo.commit("shared root");
    Files.copy(Path.of("examples/lab/certs/edge-ca.pem"), repo.root().resolve("shared/certs/corp-root.pem"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    repo.commit("another root");

    DiffReport report = diff(repo.root(), "HEAD~1", "HEAD", "clusters/lab");

    assertThat(report.from().errors()).isEmpty();
    assertThat(lines(report)).hasSize(2).element(1).asString()
        .startsWith("  ~ spec.onlineCa.caCertificate: ../../shared/certs/corp-root.pem content changed: "
            + "CN=Example Corp Root CA,O=Example Corp,C=US (sha256 ")
        .contains("→ CN=Example Edge CA,OU=Edge,O=Example Corp,C=US (sha256 ");
  }

  @Test
  void anUnknownRevisionIsAnErrorThatNamesIt() {
    assertThatThrownBy(() -> diff(repo.root(), "no-such-branch", "HEAD", "clusters/lab"))
        .isInstanceOf(RevisionDiffException.class)
        .hasMessage("unknown revision 'no-such-branch' in " + repo.root().toFile()
            + "; give a branch, tag, commit or an expression such as HEAD~2");
    assertThatThrownBy(() -> diff(repo.root(), "HEAD~5", "HEAD", "clusters/lab"))
        .hasMessageStartingWith("unknown revision 'HEAD~5' in ");
  }

  @Test
  void aFolderOutsideAnyRepositoryIsAnError() throws IOException {
    Path plain = Files.createDirectories(dir.resolve("plain"));

    assertThatThrownBy(() -> diff(plain, "HEAD~1", "HEAD", null))
        .isInstanceOf(RevisionDiffException.class)
        .hasMessage(plain + " is not in a git repository (no .git in it or above, and not a bare repository)");
  }

  @Test
  void aFolderInNeitherRevisionOrOutsideTheRepositoryIsAnError() {
    assertThatThrownBy(() -> diff(repo.root(), "HEAD", "HEAD", "clusters/nowhere"))
        .hasMessage("desired-state folder clusters/nowhere is in neither HEAD nor HEAD (--path is relative to the repository root)");
    assertThatThrownBy(() -> diff(repo.root(), "HEAD", "HEAD", "../elsewhere"))
        .hasMessage("--path ../elsewhere: give a folder inside the repository, relative to its root");
  }
}
