package io.uctrust.gitops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A commit checked out in the cache, held for the caller: while it is open no other uctrust process or thread
 * fetches into or checks out in the same clone, so the files stay those of {@link #revision()}. Close it when
 * done reading (and writing) the desired state.
 *
 * <p>Not for: keeping. The folder belongs to the cache and changes with the next fetch of the same URL; do not
 * hand it to users as a place to edit.
 */
public final class Checkout implements AutoCloseable {
  private final Path root;
  private final Path folder;
  private final SourceRevision revision;
  private final CacheLock lock;

  Checkout(Path root, Path folder, SourceRevision revision, CacheLock lock) {
    this.root = root;
    this.folder = folder;
    this.revision = revision;
    this.lock = lock;
  }

  /** The clone's working tree: the repository root, which paths shown to users are relative to. */
  public Path root() {
    return root;
  }

  /** The desired-state folder: {@code root()} or the {@code --path} below it. */
  public Path folder() {
    return folder;
  }

  /** The commit checked out. */
  public SourceRevision revision() {
    return revision;
  }

  /** Releases the clone for other runs. */
  @Override
  public void close() {
    try {
      lock.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot release the lock of the git cache " + root, e);
    }
  }

  /**
   * An exclusive lock on one clone of the cache: a lock file next to it (FileChannel lock, for other processes)
   * and a lock per clone within this process (a FileChannel lock cannot be taken twice by one JVM).
   */
  static final class CacheLock implements AutoCloseable {
    private final ReentrantLock inProcess;
    private final java.nio.channels.FileChannel channel;

    CacheLock(ReentrantLock inProcess, java.nio.channels.FileChannel channel) {
      this.inProcess = inProcess;
      this.channel = channel;
    }

    @Override
    public void close() throws IOException {
      try {
        channel.close(); // releases the file lock with it
      } finally {
        inProcess.unlock();
      }
    }
  }
}
