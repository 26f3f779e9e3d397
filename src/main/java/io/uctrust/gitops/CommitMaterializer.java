package io.uctrust.gitops;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Writes what the desired-state loader and validator need of one commit into a folder, straight from the
 * object database (no checkout, no index, the working tree untouched): the YAML files below the desired-state
 * folder, its {@code offline-ca/signed} and {@code offline-ca/pending} files, and on request the files its
 * documents name, wherever they are in the commit.
 *
 * <p>Not for: checking out a revision to work in; symbolic links and submodules are never written, so nothing
 * it writes points outside the target folder.
 */
final class CommitMaterializer {

  private static final List<String> OFFLINE_CA = List.of("offline-ca/signed/", "offline-ca/pending/");

  private final Repository repository;
  private final Map<String, ObjectId> blobs = new HashMap<>();

  /** Indexes the regular files of {@code commit}'s tree. */
  CommitMaterializer(Repository repository, RevCommit commit) throws IOException {
    this.repository = repository;
    try (TreeWalk walk = new TreeWalk(repository)) {
      walk.addTree(commit.getTree());
      walk.setRecursive(true);
      while (walk.next()) {
        FileMode mode = walk.getFileMode(0);
        if (mode == FileMode.REGULAR_FILE || mode == FileMode.EXECUTABLE_FILE) {
          blobs.put(walk.getPathString(), walk.getObjectId(0));
        }
      }
    }
  }

  /** Whether {@code folder} (relative to the repository root; {@code ""} is the root) is in the commit. */
  boolean has(String folder) {
    return folder.isEmpty() || blobs.containsKey(folder) || blobs.keySet().stream().anyMatch(p -> p.startsWith(folder + "/"));
  }

  /**
   * Writes {@code folder}'s YAML files (the loader's selection: no hidden files or folders) and offline CA files
   * below {@code target}, at their paths in the repository.
   */
  void materialize(String folder, Path target) throws IOException {
    if (!folder.isEmpty() && !blobs.containsKey(folder)) {
      Files.createDirectories(target.resolve(folder));
    }
    String prefix = folder.isEmpty() || blobs.containsKey(folder) ? folder : folder + "/";
    for (String path : blobs.keySet()) {
      if (!path.startsWith(prefix)) {
        continue;
      }
      String inside = path.substring(prefix.length());
      boolean yaml = inside.matches(".*\\.ya?ml") || inside.isEmpty() && path.matches(".*\\.ya?ml");
      boolean hidden = inside.startsWith(".") || inside.contains("/.");
      boolean offlineCa = OFFLINE_CA.stream().anyMatch(o -> inside.startsWith(o) && inside.indexOf('/', o.length()) < 0);
      if (!hidden && (yaml || offlineCa)) {
        write(path, target);
      }
    }
  }

  /** Writes those of {@code paths} that are files of the commit and not yet written. */
  void fetch(Set<String> paths, Path target) throws IOException {
    for (String path : paths) {
      if (blobs.containsKey(path) && !Files.exists(target.resolve(path))) {
        write(path, target);
      }
    }
  }

  private void write(String path, Path target) throws IOException {
    Path file = target.resolve(path).normalize();
    if (!file.startsWith(target)) {
      return;
    }
    Files.createDirectories(file.getParent());
    try (OutputStream out = Files.newOutputStream(file)) {
      repository.open(blobs.get(path), Constants.OBJ_BLOB).copyTo(out);
    }
  }
}
