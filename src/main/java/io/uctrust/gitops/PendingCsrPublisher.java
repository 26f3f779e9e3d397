package io.uctrust.gitops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.PushCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Commits the offline CA's pending CSRs of a run to a branch of the desired-state repository and pushes it, so the
 * offline signing round trip happens in git: uctrust pushes {@code offline-ca/pending/}, the CA team commits the
 * signed certificates to {@code offline-ca/signed/} and merges, the next run installs them.
 *
 * <p>The commit holds the folder exactly as the run left it in the checkout (new CSRs added, installed ones
 * removed) on top of the branch when the branch already contains the source commit, else on top of the source
 * commit; only fast-forwards are pushed, so commits others made on the branch are never lost. A branch that has
 * diverged from the source is refused with a message saying what to do.
 *
 * <p>Not for: anything outside the pending folder, or repositories uctrust did not fetch (it needs the clone's
 * remote-tracking refs of the last fetch).
 */
public final class PendingCsrPublisher {

  /** The folder below the desired-state folder that holds the pending CSRs. */
  public static final String PENDING = "offline-ca/pending";

  private final GitSource source;
  private final Map<String, String> environment;
  private final PersonIdent author;
  private final Clock clock;

  /**
   * @param source the repository the checkout came from (its URL and credentials push)
   * @param environment where {@code env:} token references are read
   * @param author name and e-mail of the commits' author and committer
   */
  public PendingCsrPublisher(GitSource source, Map<String, String> environment, PersonIdent author, Clock clock) {
    this.source = Objects.requireNonNull(source, "source");
    this.environment = Map.copyOf(environment);
    this.author = Objects.requireNonNull(author, "author");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * What a publication did.
   *
   * @param branch the branch
   * @param commit the commit pushed; null when the branch already held exactly these CSRs
   * @param added CSR files new on the branch, relative to the repository root
   * @param removed CSR files no longer pending
   */
  public record Published(String branch, String commit, List<String> added, List<String> removed) {
    public Published {
      added = List.copyOf(added);
      removed = List.copyOf(removed);
    }

    /** Nothing was pushed: the branch was up to date. */
    public boolean upToDate() {
      return commit == null;
    }
  }

  /** Commits the pending folder of {@code checkout} to {@code branch} and pushes it. */
  public Published publish(Checkout checkout, String branch) throws GitSourceException {
    if (!Repository.isValidRefName(Constants.R_HEADS + branch)) {
      throw new GitSourceException("'" + branch + "' is not a valid branch name");
    }
    String prefix = prefix(checkout);
    try (Repository repository = new FileRepositoryBuilder().setGitDir(checkout.root().resolve(Constants.DOT_GIT).toFile())
        .setMustExist(true).build(); RevWalk walk = new RevWalk(repository); RemoteAccess access = RemoteAccess.of(source,
        environment)) {
      RevCommit sourceCommit = walk.parseCommit(ObjectId.fromString(checkout.revision().commit()));
      RevCommit base = base(repository, walk, sourceCommit, branch);
      Map<String, ObjectId> before = pending(repository, base, prefix);
      try (ObjectInserter inserter = repository.newObjectInserter()) {
        Map<String, ObjectId> after = new TreeMap<>();
        DirCache index = DirCache.newInCore();
        DirCacheBuilder builder = index.builder();
        try (TreeWalk tree = new TreeWalk(repository)) {
          tree.addTree(base.getTree());
          tree.setRecursive(true);
          while (tree.next()) {
            if (!tree.getPathString().startsWith(prefix)) {
              builder.add(entry(tree.getPathString(), tree.getFileMode(0), tree.getObjectId(0)));
            }
          }
        }
        for (Path file : files(checkout.folder().resolve(PENDING))) {
          String path = prefix + file.getFileName();
          ObjectId blob = inserter.insert(Constants.OBJ_BLOB, Files.readAllBytes(file));
          after.put(path, blob);
          builder.add(entry(path, FileMode.REGULAR_FILE, blob));
        }
        builder.finish();
        List<String> added = new ArrayList<>();
        after.forEach((path, blob) -> {
          if (!blob.equals(before.get(path))) {
            added.add(path);
          }
        });
        List<String> removed = before.keySet().stream().filter(p -> !after.containsKey(p)).sorted().toList();
        ObjectId tree = index.writeTree(inserter);
        // the branch (or, without one, the source) already holds exactly these CSRs: nothing to publish
        if (tree.equals(base.getTree())) {
          return new Published(branch, null, List.of(), List.of());
        }
        CommitBuilder commit = new CommitBuilder();
        commit.setTreeId(tree);
        commit.setParentId(base);
        PersonIdent when = new PersonIdent(author, clock.instant());
        commit.setAuthor(when);
        commit.setCommitter(when);
        commit.setMessage(message(after.size(), added, removed, checkout.revision()));
        ObjectId id = inserter.insert(commit);
        inserter.flush();
        push(repository, access, id, branch);
        return new Published(branch, id.name(), added, removed);
      }
    } catch (IOException e) {
      throw new GitSourceException("cannot commit the pending CSRs in " + checkout.root() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Before a run: copies the CSRs the branch holds into the checkout's pending folder, when the branch builds on the
   * checked-out commit. Until the CA team merges the branch, the CSRs uctrust published live only there, and a node's
   * CSR that is not in the folder would be requested again (with a new key) by every run. Returns how many files it
   * wrote; a missing, merged or diverged branch adds nothing.
   */
  public int restore(Checkout checkout, String branch) throws GitSourceException {
    String prefix = prefix(checkout);
    try (Repository repository = new FileRepositoryBuilder().setGitDir(checkout.root().resolve(Constants.DOT_GIT).toFile())
        .setMustExist(true).build(); RevWalk walk = new RevWalk(repository)) {
      RevCommit sourceCommit = walk.parseCommit(ObjectId.fromString(checkout.revision().commit()));
      RevCommit tip = remoteTip(repository, walk, branch);
      if (tip == null || tip.equals(sourceCommit) || !walk.isMergedInto(sourceCommit, tip)) {
        return 0;
      }
      int written = 0;
      for (Map.Entry<String, ObjectId> file : pending(repository, tip, prefix).entrySet()) {
        Path target = checkout.root().resolve(file.getKey());
        byte[] content = repository.open(file.getValue(), Constants.OBJ_BLOB).getBytes();
        if (!Files.exists(target) || !java.util.Arrays.equals(Files.readAllBytes(target), content)) {
          Files.createDirectories(target.getParent());
          Files.write(target, content);
          written++;
        }
      }
      return written;
    } catch (IOException e) {
      throw new GitSourceException("cannot read branch '" + branch + "' in " + checkout.root() + ": " + e.getMessage(), e);
    }
  }

  /**
   * The commit to build on: the branch when it contains the source commit (it holds the CA team's work or an earlier
   * publication), else the source commit (the branch is new, or was merged and the source moved on).
   */
  private RevCommit base(Repository repository, RevWalk walk, RevCommit sourceCommit, String branch)
      throws IOException, GitSourceException {
    RevCommit tip = remoteTip(repository, walk, branch);
    if (tip == null || walk.isMergedInto(tip, sourceCommit)) {
      return sourceCommit;
    }
    if (walk.isMergedInto(sourceCommit, tip)) {
      return tip;
    }
    throw new GitSourceException("branch '" + branch + "' of " + source.url() + " has diverged from the desired state "
        + "(commit " + sourceCommit.abbreviate(12).name() + "): merge it, or delete it, and run again; uctrust pushes only "
        + "fast-forwards");
  }

  private static RevCommit remoteTip(Repository repository, RevWalk walk, String branch) throws IOException {
    Ref ref = repository.exactRef(Constants.R_REMOTES + Constants.DEFAULT_REMOTE_NAME + "/" + branch);
    return ref == null ? null : walk.parseCommit(ref.getObjectId());
  }

  private static Map<String, ObjectId> pending(Repository repository, RevCommit commit, String prefix) throws IOException {
    Map<String, ObjectId> files = new TreeMap<>();
    try (TreeWalk tree = new TreeWalk(repository)) {
      tree.addTree(commit.getTree());
      tree.setRecursive(true);
      while (tree.next()) {
        if (tree.getPathString().startsWith(prefix)) {
          files.put(tree.getPathString(), tree.getObjectId(0));
        }
      }
    }
    return files;
  }

  private void push(Repository repository, RemoteAccess access, ObjectId commit, String branch) throws GitSourceException {
    PushCommand push = new Git(repository).push().setRemote(Constants.DEFAULT_REMOTE_NAME)
        .setRefSpecs(new RefSpec(commit.name() + ":" + Constants.R_HEADS + branch));
    access.configure(push);
    Iterable<PushResult> results;
    try {
      results = push.call();
    } catch (GitAPIException | RuntimeException e) {
      throw access.failure(e);
    }
    for (PushResult result : results) {
      for (RemoteRefUpdate update : result.getRemoteUpdates()) {
        if (update.getStatus() != RemoteRefUpdate.Status.OK && update.getStatus() != RemoteRefUpdate.Status.UP_TO_DATE) {
          throw new GitSourceException("pushing branch '" + branch + "' to " + source.url() + " was refused ("
              + update.getStatus().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
              + (update.getMessage() == null ? "" : ": " + access.scrub(update.getMessage()))
              + "); the branch may have moved since the fetch: run again");
        }
      }
    }
  }

  private static DirCacheEntry entry(String path, FileMode mode, ObjectId id) {
    DirCacheEntry entry = new DirCacheEntry(path);
    entry.setFileMode(mode);
    entry.setObjectId(id);
    return entry;
  }

  /** The pending folder's path in the repository, ending in a slash. */
  private static String prefix(Checkout checkout) {
    Path relative = checkout.root().relativize(checkout.folder().resolve(PENDING));
    return relative.toString().replace('\\', '/') + "/";
  }

  private static List<Path> files(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(folder)) {
      // the folder's own temporary files start with a dot
      return files.filter(Files::isRegularFile).filter(f -> f.getFileName().toString().endsWith(".csr")).sorted().toList();
    }
  }

  private static String message(int pending, List<String> added, List<String> removed, SourceRevision from) {
    StringBuilder message = new StringBuilder("uctrust: " + pending + " CSR" + (pending == 1 ? "" : "s")
        + " waiting for the offline CA\n\n");
    message.append("Have each CSR signed and commit the certificate (or chain) as offline-ca/signed/<same name>.pem.\n");
    message.append("Desired state: ").append(from.commit(), 0, 12).append(" \"").append(from.subject()).append("\"\n");
    if (!added.isEmpty()) {
      message.append("\nNew:\n");
      added.forEach(p -> message.append("  ").append(p).append('\n'));
    }
    if (!removed.isEmpty()) {
      message.append("\nNo longer pending (installed or withdrawn):\n");
      removed.forEach(p -> message.append("  ").append(p).append('\n'));
    }
    return message.toString();
  }
}
