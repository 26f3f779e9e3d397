package io.uctrust.gitops;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.TransportException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.errors.RevisionSyntaxException;
import org.eclipse.jgit.lib.AbbreviatedObjectId;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.FetchResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.util.FileUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the desired state from git: keeps one non-bare clone per repository URL in a cache folder
 * ({@code <cache>/<first 16 hex of the URL's SHA-256>/}), fetches into it each run (every branch and tag,
 * forced and pruned, so force-pushed and deleted refs are followed; incremental, as git negotiates from what
 * the clone has), resolves the ref (branch, then tag, then a commit SHA reachable from one of them), hands
 * the commit to a {@link CommitCheck}, and checks it out detached. The checkout is forced and rewrites only
 * the files that differ, then removes untracked files, so the folder is exactly the commit and a large
 * repository stays fast. A clone of another URL or one that is broken is deleted and cloned again.
 *
 * <p>The clone is locked (a file lock, and a lock within this process) from the fetch until the returned
 * {@link Checkout} is closed. Not for: pushing, or working trees people edit; the cache is uctrust's own.
 */
public final class RepositoryFetcher {

  /**
   * A check of the fetched commit before anything of it is checked out, such as its signature. Throwing refuses
   * the commit; the clone keeps what it had checked out.
   */
  @FunctionalInterface
  public interface CommitCheck {
    /** Accepts everything: no check configured. */
    CommitCheck NONE = (repository, commit) -> { };

    /** Throws, with a message naming the commit and why, when {@code commit} must not be used. */
    void check(Repository repository, RevCommit commit) throws GitSourceException;
  }

  private static final Logger LOG = LoggerFactory.getLogger(RepositoryFetcher.class);
  private static final Pattern SHA = Pattern.compile("[0-9a-fA-F]{4,40}");
  private static final String ORIGIN = Constants.DEFAULT_REMOTE_NAME;
  private static final String BRANCHES = Constants.R_REMOTES + ORIGIN + "/";
  private static final int LISTED_REFS = 20;
  private static final Map<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

  private final Path cacheRoot;
  private final Map<String, String> environment;
  private CommitCheck commitCheck = CommitCheck.NONE;

  /**
   * @param cacheRoot the folder holding the clones (created when needed)
   * @param environment where {@code env:} token references are read
   */
  public RepositoryFetcher(Path cacheRoot, Map<String, String> environment) {
    this.cacheRoot = Objects.requireNonNull(cacheRoot, "cacheRoot").toAbsolutePath().normalize();
    this.environment = Map.copyOf(environment);
  }

  /**
   * The cache folder: {@code <stateDir>/git} when a state folder is given, else {@code uctrust/git} below
   * {@code $XDG_STATE_HOME} (from {@code environment}) or {@code ~/.local/state}. Not per cluster: which
   * clusters a repository holds is known only after it is fetched.
   */
  public static Path cacheRoot(Path stateDir, Map<String, String> environment) {
    if (stateDir != null) {
      return stateDir.resolve("git");
    }
    return io.uctrust.target.TargetOptions.defaultStateDir(environment).resolve("git");
  }

  /** Hands every fetched commit to {@code check} before it is checked out. */
  public RepositoryFetcher checkingCommits(CommitCheck check) {
    this.commitCheck = Objects.requireNonNull(check, "check");
    return this;
  }

  /** The clone of {@code url} in the cache. */
  public Path cloneDir(String url) {
    return cacheRoot.resolve(key(url));
  }

  /**
   * Fetches {@code source}, checks out its commit and returns it, locked until closed. Throws when the remote
   * cannot be reached or refuses us, or the ref or path does not exist; the message says which.
   */
  public Checkout fetch(GitSource source) throws GitSourceException {
    String path = relativePath(source.path());
    Path dir = cloneDir(source.url());
    Checkout.CacheLock lock = lock(dir);
    try (RemoteAccess access = RemoteAccess.of(source, environment)) {
      Repository cached = open(dir, source.url());
      if (cached != null) {
        try (cached) {
          return checkout(cached, access, source, path, lock);
        } catch (BrokenCache e) {
          LOG.info("the git cache {} is broken and is cloned again: {}", dir, e.getMessage());
        }
      }
      try (Repository fresh = create(dir, source.url())) {
        return checkout(fresh, access, source, path, lock);
      } catch (BrokenCache e) {
        throw new GitSourceException("cannot use a fresh clone of " + source.url() + " in " + dir + ": " + e.getMessage());
      }
    } catch (GitSourceException | RuntimeException e) {
      release(lock, e);
      throw e;
    }
  }

  private Checkout checkout(Repository repository, RemoteAccess access, GitSource source, String path,
      Checkout.CacheLock lock) throws GitSourceException, BrokenCache {
    String url = source.url();
    try (Git git = new Git(repository); RevWalk walk = new RevWalk(repository)) {
      FetchResult fetched = fetch(git, access);
      RevCommit commit = resolve(repository, walk, url, source.ref(), fetched);
      checkPath(repository, commit, url, path);
      commitCheck.check(repository, commit);
      git.checkout().setName(commit.name()).setForced(true).call();
      git.clean().setCleanDirectories(true).setIgnore(false).setForce(true).call();
      Path root = repository.getWorkTree().toPath();
      Path folder = path.isEmpty() ? root : root.resolve(path);
      return new Checkout(root, folder, revision(url, commit), lock);
    } catch (IOException | GitAPIException | org.eclipse.jgit.api.errors.JGitInternalException e) {
      throw new BrokenCache(access.scrub(String.valueOf(e.getMessage())), e);
    }
  }

  private static FetchResult fetch(Git git, RemoteAccess access) throws GitSourceException, GitAPIException {
    // "HEAD*": with protocol v2 the server lists only refs matching the refspecs, and JGit asks for HEAD only into
    // an empty clone; this glob makes it list HEAD (and its branch) every time, and matches nothing in an empty
    // repository, where a plain "HEAD" refspec would fail
    var fetch = git.fetch().setRemote(ORIGIN)
        .setRefSpecs(new RefSpec("+" + Constants.R_HEADS + "*:" + BRANCHES + "*"),
            new RefSpec("+" + Constants.R_TAGS + "*:" + Constants.R_TAGS + "*"),
            new RefSpec("+" + Constants.HEAD + "*:" + BRANCHES + Constants.HEAD + "*"))
        .setTagOpt(TagOpt.NO_TAGS)
        .setRemoveDeletedRefs(true);
    access.configure(fetch);
    try {
      return fetch.call();
    } catch (TransportException | org.eclipse.jgit.api.errors.InvalidRemoteException e) {
      throw access.failure(e);
    }
  }

  /** The commit {@code ref} names: a branch, else a tag, else a commit SHA reachable from a branch or tag. */
  private static RevCommit resolve(Repository repository, RevWalk walk, String url, String ref, FetchResult fetched)
      throws IOException, GitSourceException {
    String wanted = ref == null ? defaultBranch(url, fetched) : ref;
    boolean onlyBranch = wanted.startsWith(Constants.R_HEADS);
    boolean onlyTag = wanted.startsWith(Constants.R_TAGS);
    String name = onlyBranch ? wanted.substring(Constants.R_HEADS.length())
        : onlyTag ? wanted.substring(Constants.R_TAGS.length()) : wanted;
    if (!onlyTag) {
      Ref branch = repository.exactRef(BRANCHES + name);
      if (branch != null) {
        return walk.parseCommit(branch.getObjectId());
      }
    }
    if (!onlyBranch) {
      Ref tag = repository.exactRef(Constants.R_TAGS + name);
      if (tag != null) {
        try {
          return walk.parseCommit(tag.getObjectId());
        } catch (org.eclipse.jgit.errors.IncorrectObjectTypeException e) {
          throw new GitSourceException("tag '" + name + "' in " + url + " does not point at a commit");
        }
      }
    }
    if (!onlyBranch && !onlyTag && SHA.matcher(name).matches()) {
      RevCommit commit = commitBySha(repository, walk, url, name);
      if (commit != null) {
        return commit;
      }
    }
    throw new GitSourceException("ref '" + wanted + "' not found in " + url + "; branches: "
        + listed(repository, BRANCHES) + "; tags: " + listed(repository, Constants.R_TAGS));
  }

  /**
   * The remote's default branch: where its HEAD points when the server says so, else the branch at HEAD's
   * commit (main or master first).
   */
  private static String defaultBranch(String url, FetchResult fetched) throws GitSourceException {
    Ref head = fetched.getAdvertisedRef(Constants.HEAD);
    if (head != null && head.isSymbolic() && head.getTarget().getName().startsWith(Constants.R_HEADS)) {
      return head.getTarget().getName();
    }
    if (head != null && head.getObjectId() != null) {
      List<String> candidates = new ArrayList<>();
      for (Ref ref : fetched.getAdvertisedRefs()) {
        if (ref.getName().startsWith(Constants.R_HEADS) && head.getObjectId().equals(ref.getObjectId())) {
          candidates.add(ref.getName());
        }
      }
      for (String preferred : List.of(Constants.R_HEADS + "main", Constants.R_HEADS + Constants.MASTER)) {
        if (candidates.contains(preferred)) {
          return preferred;
        }
      }
      if (!candidates.isEmpty()) {
        return candidates.get(0);
      }
    }
    boolean empty = fetched.getAdvertisedRefs().stream().noneMatch(r -> r.getName().startsWith(Constants.R_HEADS));
    throw new GitSourceException(empty ? "the repository " + url + " has no branches"
        : "cannot tell the default branch of " + url + " (its HEAD names no branch); give a ref");
  }

  /**
   * The commit an abbreviated or full SHA names, if exactly one and reachable from a fetched branch or tag: an
   * object the clone still has from a branch that was force-pushed away would not be in a fresh clone.
   */
  private static RevCommit commitBySha(Repository repository, RevWalk walk, String url, String sha)
      throws IOException, GitSourceException {
    List<ObjectId> commits = new ArrayList<>();
    try (ObjectReader reader = repository.newObjectReader()) {
      Collection<ObjectId> ids = reader.resolve(AbbreviatedObjectId.fromString(sha.toLowerCase(java.util.Locale.ROOT)));
      for (ObjectId id : ids) {
        if (reader.open(id).getType() == Constants.OBJ_COMMIT) {
          commits.add(id);
        }
      }
    } catch (MissingObjectException | RevisionSyntaxException e) {
      return null;
    }
    if (commits.size() > 1) {
      throw new GitSourceException("ref '" + sha + "' is ambiguous in " + url + ": " + commits.size()
          + " commits start with it; give more digits");
    }
    if (commits.isEmpty()) {
      return null;
    }
    RevCommit commit = walk.parseCommit(commits.get(0));
    walk.reset();
    for (Ref tip : repository.getRefDatabase().getRefsByPrefix(BRANCHES, Constants.R_TAGS)) {
      try {
        walk.markStart(walk.parseCommit(tip.getObjectId()));
      } catch (org.eclipse.jgit.errors.IncorrectObjectTypeException e) {
        // a tag of a tree or blob leads to no commit
        continue;
      }
    }
    walk.setRetainBody(false);
    try {
      for (RevCommit reached : walk) {
        if (reached.equals(commit)) {
          walk.parseBody(reached);
          return reached;
        }
      }
      return null;
    } finally {
      walk.setRetainBody(true);
    }
  }

  private static String listed(Repository repository, String prefix) throws IOException {
    List<String> names = repository.getRefDatabase().getRefsByPrefix(prefix).stream()
        .map(r -> r.getName().substring(prefix.length())).filter(n -> !n.equals(Constants.HEAD)).sorted().toList();
    if (names.isEmpty()) {
      return "none";
    }
    String shown = String.join(", ", names.subList(0, Math.min(LISTED_REFS, names.size())));
    return names.size() > LISTED_REFS ? shown + " and " + (names.size() - LISTED_REFS) + " more" : shown;
  }

  /** {@code path} must be a folder or file of the commit (not a link or submodule). */
  private static void checkPath(Repository repository, RevCommit commit, String url, String path)
      throws IOException, GitSourceException {
    if (path.isEmpty()) {
      return;
    }
    try (TreeWalk entry = TreeWalk.forPath(repository, path, commit.getTree())) {
      if (entry == null) {
        throw new GitSourceException("path '" + path + "' not found in " + url + " at " + commit.name());
      }
      FileMode mode = entry.getFileMode(0);
      if (mode != FileMode.TREE && mode != FileMode.REGULAR_FILE && mode != FileMode.EXECUTABLE_FILE) {
        throw new GitSourceException("path '" + path + "' in " + url + " is a link or submodule, not a folder");
      }
    }
  }

  /**
   * The path as a relative, normalised, '/'-separated path inside the repository ("" for the root); absolute
   * paths and {@code ..} are refused, as they would leave the repository.
   */
  static String relativePath(String path) throws GitSourceException {
    if (path == null) {
      return "";
    }
    String unified = path.replace('\\', '/');
    if (unified.startsWith("/") || unified.matches("^[A-Za-z]:.*")) {
      throw new GitSourceException("path '" + path + "' must be relative to the repository root");
    }
    List<String> parts = new ArrayList<>();
    for (String part : unified.split("/")) {
      if (part.equals("..")) {
        throw new GitSourceException("path '" + path + "' must stay inside the repository (no '..')");
      }
      if (part.equals(Constants.DOT_GIT)) {
        throw new GitSourceException("path '" + path + "' must not name the .git folder");
      }
      if (!part.isEmpty() && !part.equals(".")) {
        parts.add(part);
      }
    }
    return String.join("/", parts);
  }

  private static SourceRevision revision(String url, RevCommit commit) {
    String author = commit.getAuthorIdent().getName() + " <" + commit.getAuthorIdent().getEmailAddress() + ">";
    return new SourceRevision(url, commit.name(), author, commit.getShortMessage(),
        Instant.ofEpochSecond(commit.getCommitTime()));
  }

  /**
   * The clone in {@code dir} if it is one of {@code url} and looks sound (config readable, every ref's object
   * present); otherwise null, after deleting whatever is there.
   */
  private static Repository open(Path dir, String url) throws GitSourceException {
    if (!Files.exists(dir)) {
      return null;
    }
    Repository repository = null;
    try {
      repository = new FileRepositoryBuilder().setGitDir(dir.resolve(Constants.DOT_GIT).toFile()).setMustExist(true)
          .build();
      boolean sound = url.equals(repository.getConfig().getString(ConfigConstants.CONFIG_REMOTE_SECTION, ORIGIN,
          ConfigConstants.CONFIG_KEY_URL));
      for (Ref ref : sound ? repository.getRefDatabase().getRefs() : List.<Ref>of()) {
        ObjectId id = ref.getObjectId();
        if (id != null && !repository.getObjectDatabase().has(id)) {
          sound = false;
          break;
        }
      }
      if (sound) {
        return repository;
      }
    } catch (IOException | RuntimeException e) {
      // an unreadable clone is cloned again, like one of another URL
      LOG.info("the git cache {} is unreadable and is cloned again: {}", dir, e.toString());
    }
    if (repository != null) {
      repository.close();
    }
    delete(dir);
    return null;
  }

  /** A new, empty clone of {@code url} in {@code dir}: fetching fills it. */
  private static Repository create(Path dir, String url) throws GitSourceException {
    delete(dir);
    try {
      Files.createDirectories(dir);
      Repository repository = Git.init().setDirectory(dir.toFile()).setInitialBranch("uctrust-unborn").call()
          .getRepository();
      StoredConfig config = repository.getConfig();
      config.setString(ConfigConstants.CONFIG_REMOTE_SECTION, ORIGIN, ConfigConstants.CONFIG_KEY_URL, url);
      // a link in the repository must not make uctrust read files outside it: links become plain files
      config.setBoolean(ConfigConstants.CONFIG_CORE_SECTION, null, ConfigConstants.CONFIG_KEY_SYMLINKS, false);
      config.save();
      return repository;
    } catch (IOException | GitAPIException e) {
      throw new GitSourceException("cannot create the git cache " + dir + ": " + e.getMessage());
    }
  }

  private static void delete(Path dir) throws GitSourceException {
    try {
      FileUtils.delete(dir.toFile(), FileUtils.RECURSIVE | FileUtils.SKIP_MISSING | FileUtils.RETRY);
    } catch (IOException e) {
      throw new GitSourceException("cannot delete the broken git cache " + dir + ": " + e.getMessage());
    }
  }

  private Checkout.CacheLock lock(Path dir) throws GitSourceException {
    ReentrantLock inProcess = IN_PROCESS.computeIfAbsent(dir, d -> new ReentrantLock());
    if (inProcess.isHeldByCurrentThread()) {
      // the file lock cannot be taken twice by one JVM, and a second checkout would change the first one's files
      throw new IllegalStateException("the git cache " + dir + " is already checked out by this thread; close that "
          + "Checkout first");
    }
    inProcess.lock();
    try {
      Files.createDirectories(cacheRoot);
      FileChannel channel = FileChannel.open(dir.resolveSibling(dir.getFileName() + ".lock"), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE);
      try {
        channel.lock();
      } catch (IOException | RuntimeException e) {
        channel.close();
        throw e;
      }
      return new Checkout.CacheLock(inProcess, channel);
    } catch (IOException e) {
      inProcess.unlock();
      throw new GitSourceException("cannot lock the git cache " + dir + ": " + e.getMessage());
    } catch (RuntimeException e) {
      inProcess.unlock();
      throw e;
    }
  }

  /** Releases the lock after {@code failure}; a failed release is added to it (the process ending frees the file). */
  private static void release(Checkout.CacheLock lock, Exception failure) {
    try {
      lock.close();
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
  }

  /** The cache folder name of {@code url}: 16 hex digits of its SHA-256. */
  static String key(String url) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(url.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The clone could not be used as it is; it is cloned again once. */
  private static final class BrokenCache extends Exception {
    private static final long serialVersionUID = 1L;

    BrokenCache(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
