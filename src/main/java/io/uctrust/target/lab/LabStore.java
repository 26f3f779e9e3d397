package io.uctrust.target.lab;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where a lab cluster lives on disk: {@code state.json} (written to a temporary file, synced, then
 * renamed over the old one, so a crash leaves the old or the new state, never half of one), a lock file
 * that keeps two processes from changing the lab at once, and the apply journal. A state file that
 * cannot be read is an error that says so; it is never silently replaced.
 */
public final class LabStore {
  private static final JsonMapper JSON = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  private final Path dir;

  public LabStore(Path dir) {
    this.dir = dir;
  }

  public Path dir() {
    return dir;
  }

  public Path stateFile() {
    return dir.resolve("state.json");
  }

  public boolean exists() {
    return Files.exists(stateFile());
  }

  LabState load() throws LabStateException {
    Path file = stateFile();
    LabState state;
    try {
      tools.jackson.databind.JsonNode tree = JSON.readTree(file.toFile());
      tools.jackson.databind.JsonNode format = tree == null ? null : tree.get("format");
      if (format != null && format.isInt() && format.asInt() != LabState.FORMAT) {
        throw new LabStateException("lab state " + file + " was made by " + (format.asInt() < LabState.FORMAT ? "an earlier"
            : "a later") + " uctrust (format " + format.asInt() + ", this one reads " + LabState.FORMAT + "); it was left as it "
            + "is. Run 'uctrust lab reset' to create the lab again");
      }
      state = JSON.treeToValue(tree, LabState.class);
    } catch (JacksonException e) {
      throw new LabStateException("lab state " + file + " is corrupt (" + e.getOriginalMessage() + "); it was left as it is. "
          + "Move it away to keep it, or run 'uctrust lab reset' to create the lab again");
    }
    if (state == null || state.format != LabState.FORMAT || state.cluster == null) {
      throw new LabStateException("lab state " + file + " is not a uctrust lab state of format " + LabState.FORMAT
          + "; it was left as it is. Run 'uctrust lab reset' to create the lab again");
    }
    return state;
  }

  void save(LabState state) throws LabStateException {
    try {
      createDir();
      Path temp = dir.resolve("state.json.tmp");
      try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
          StandardOpenOption.WRITE)) {
        JSON.writeValue(out, state);
      }
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      LabFiles.restrict(temp);
      try {
        Files.move(temp, stateFile(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, stateFile(), StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException | JacksonException e) {
      throw new LabStateException("cannot write lab state in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Deletes the lab's state (not the folder's other files). */
  public void delete() throws LabStateException {
    try {
      Files.deleteIfExists(stateFile());
    } catch (IOException e) {
      throw new LabStateException("cannot delete " + stateFile() + ": " + e.getMessage(), e);
    }
  }

  /** An exclusive lock on the lab; close it to release. */
  public final class Lock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private Lock(FileChannel channel, FileLock lock) {
      this.channel = channel;
      this.lock = lock;
    }

    @Override
    public void close() throws IOException {
      lock.release();
      channel.close();
    }
  }

  /** Takes the lock, or fails at once naming the process that holds it. */
  public Lock lock() throws LabStateException {
    Path file = dir.resolve("lock");
    try {
      createDir();
      FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.READ);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        channel.close();
        String holder = Files.readString(file, StandardCharsets.UTF_8).trim();
        throw new LabStateException("another uctrust process is changing this lab (" + file + " is locked"
            + (holder.isEmpty() ? "" : " by " + holder) + "); wait for it to finish");
      }
      channel.truncate(0);
      channel.write(StandardCharsets.UTF_8.encode("pid " + ProcessHandle.current().pid() + "\n"), 0);
      return new Lock(channel, lock);
    } catch (IOException e) {
      throw new LabStateException("cannot lock " + file + ": " + e.getMessage(), e);
    }
  }

  private void createDir() throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir);
      try {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system; the folder keeps its default permissions
      }
    }
  }

  /** The default state folder of a lab cluster: $XDG_STATE_HOME/uctrust/lab/NAME or ~/.local/state/uctrust/lab/NAME. */
  public static Path defaultDir(String cluster) {
    return io.uctrust.target.TargetOptions.defaultStateDir(System.getenv()).resolve("lab").resolve(cluster);
  }
}
