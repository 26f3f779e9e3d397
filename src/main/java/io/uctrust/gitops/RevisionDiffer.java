package io.uctrust.gitops;

import io.uctrust.diff.DesiredSnapshot;
import io.uctrust.diff.DesiredSnapshotReader;
import io.uctrust.diff.DesiredStateDiffer;
import io.uctrust.diff.DiffReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.eclipse.jgit.errors.AmbiguousObjectException;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.errors.RevisionSyntaxException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.util.FileUtils;

/**
 * Compares the desired state of two revisions of a local git repository (working tree or bare), independent of
 * any cluster: resolves the revisions as {@code git rev-parse} does, reads each commit's desired-state folder
 * through a private temporary folder, and hands both to the {@link DesiredStateDiffer}.
 *
 * <p>Not for: fetching, checking out or verifying commits; it reads only what the repository already holds,
 * and never changes it.
 */
public final class RevisionDiffer {

  private final Clock clock;

  public RevisionDiffer(Clock clock) {
    this.clock = clock;
  }

  /**
   * Compares {@code from} with {@code to} in the repository that holds {@code dir}.
   *
   * @param folder the desired-state folder relative to the repository root; null for {@code dir}'s place in the
   *     working tree (the root of a bare repository)
   */
  public DiffReport diff(Path dir, String from, String to, String folder) throws RevisionDiffException {
    if (!Files.isDirectory(dir)) {
      throw new RevisionDiffException("no such folder: " + dir);
    }
    FileRepositoryBuilder builder = new FileRepositoryBuilder().findGitDir(dir.toAbsolutePath().normalize().toFile());
    if (builder.getGitDir() == null) {
      throw new RevisionDiffException(dir + " is not in a git repository (no .git in it or above, and not a bare repository)");
    }
    try (Repository repository = builder.setMustExist(true).build(); RevWalk walk = new RevWalk(repository)) {
      String desired = folder == null ? place(repository, dir) : folder(folder);
      RevCommit before = commit(repository, walk, from);
      RevCommit after = commit(repository, walk, to);
      DesiredSnapshot old = snapshot(repository, before, desired);
      DesiredSnapshot now = before.equals(after) ? old : snapshot(repository, after, desired);
      if (!old.exists() && !now.exists()) {
        throw new RevisionDiffException("desired-state folder " + (desired.isEmpty() ? "." : desired) + " is in neither "
            + from + " nor " + to + " (--path is relative to the repository root)");
      }
      return new DiffReport(desired, DiffReport.Side.of(from, before.name(), old), DiffReport.Side.of(to, after.name(), now),
          new DesiredStateDiffer().diff(old, now));
    } catch (IOException e) {
      throw new RevisionDiffException("cannot read the repository at " + builder.getGitDir() + ": " + e.getMessage(), e);
    }
  }

  /** {@code --path} as a folder inside the repository: relative, no {@code ..}, without {@code ./} or a trailing {@code /}. */
  private static String folder(String given) throws RevisionDiffException {
    String path = given.replace('\\', '/');
    while (path.startsWith("./")) {
      path = path.substring(2);
    }
    path = path.replaceAll("/+$", "");
    if (path.equals(".")) {
      return "";
    }
    if (path.startsWith("/") || path.equals("..") || path.startsWith("../") || path.contains("/../") || path.endsWith("/..")) {
      throw new RevisionDiffException("--path " + given + ": give a folder inside the repository, relative to its root");
    }
    return path;
  }

  /** Where {@code dir} lies in the working tree, as the default desired-state folder. */
  private static String place(Repository repository, Path dir) throws IOException {
    if (repository.isBare()) {
      return "";
    }
    Path tree = repository.getWorkTree().toPath().toRealPath();
    Path here = dir.toRealPath();
    return here.startsWith(tree) ? tree.relativize(here).toString().replace('\\', '/') : "";
  }

  private static RevCommit commit(Repository repository, RevWalk walk, String revision) throws RevisionDiffException, IOException {
    ObjectId id;
    try {
      id = repository.resolve(revision + "^{commit}");
    } catch (AmbiguousObjectException e) {
      throw new RevisionDiffException("revision '" + revision + "' is ambiguous in " + where(repository)
          + "; give more digits of the commit");
    } catch (RevisionSyntaxException | IncorrectObjectTypeException e) {
      id = null;
    }
    if (id == null) {
      throw new RevisionDiffException("unknown revision '" + revision + "' in " + where(repository)
          + "; give a branch, tag, commit or an expression such as HEAD~2");
    }
    return walk.parseCommit(id);
  }

  private static String where(Repository repository) {
    return (repository.isBare() ? repository.getDirectory() : repository.getWorkTree()).toString();
  }

  private DesiredSnapshot snapshot(Repository repository, RevCommit commit, String folder) throws IOException {
    CommitMaterializer materializer = new CommitMaterializer(repository, commit);
    if (!materializer.has(folder)) {
      return DesiredSnapshot.missing(folder);
    }
    // Created owner-only; it holds the revision's files only while they are read.
    Path target = Files.createTempDirectory("uctrust-diff-");
    try {
      materializer.materialize(folder, target);
      return new DesiredSnapshotReader(clock).read(target, folder, paths -> materializer.fetch(paths, target));
    } finally {
      FileUtils.delete(target.toFile(), FileUtils.RECURSIVE | FileUtils.RETRY);
    }
  }
}
