package io.uctrust.target.cucm.cli;

import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * What the shell channel prints, as text, for one session: the SSH channel writes into it (stdout and
 * stderr together), {@link AdminCli} waits on it for quiet moments, the prompt or the end of the connection.
 * Text is decoded as UTF-8 (a sequence split across writes is completed by the next write) and kept raw,
 * with terminal control sequences; positions are counted from the start of the session, so a position
 * stays valid when old text is dropped to keep at most {@code limit} characters.
 *
 * <p>Not for: redaction or parsing (see {@link Redaction} and {@link CliText}); it holds secrets if the
 * remote side printed them, so its text never leaves the package unredacted.
 */
final class ShellOutput extends OutputStream {

  /** Why {@link #awaitQuiet} returned. */
  enum Wake {
    /** New output arrived and then nothing more for the quiet period. */
    QUIET,
    /** The deadline passed. */
    DEADLINE,
    /** The channel closed; no more output will come. */
    CLOSED
  }

  private final Object lock = new Object();
  private final int limit;
  private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPLACE)
      .onUnmappableCharacter(CodingErrorAction.REPLACE);
  private final StringBuilder text = new StringBuilder();
  private ByteBuffer undecoded = ByteBuffer.allocate(0);
  private long dropped;
  private long lastOutputNanos = System.nanoTime();
  private boolean closed;

  ShellOutput(int limit) {
    if (limit < 1024) {
      throw new IllegalArgumentException("the transcript limit must be at least 1024 characters");
    }
    this.limit = limit;
  }

  @Override
  public void write(int b) {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] bytes, int offset, int length) {
    synchronized (lock) {
      ByteBuffer in = ByteBuffer.allocate(undecoded.remaining() + length);
      in.put(undecoded).put(bytes, offset, length).flip();
      CharBuffer out = CharBuffer.allocate(in.remaining() + 1);
      decoder.decode(in, out, false);
      out.flip();
      text.append(out);
      undecoded = ByteBuffer.allocate(in.remaining()).put(in).flip();
      if (text.length() > limit) {
        int cut = text.length() - limit / 2;
        text.delete(0, cut);
        dropped += cut;
      }
      lastOutputNanos = System.nanoTime();
      lock.notifyAll();
    }
  }

  /** The channel closes its streams when it closes: no more output will come. */
  @Override
  public void close() {
    markClosed();
  }

  void markClosed() {
    synchronized (lock) {
      closed = true;
      lock.notifyAll();
    }
  }

  boolean isClosed() {
    synchronized (lock) {
      return closed;
    }
  }

  /** The position after the last character received so far. */
  long position() {
    synchronized (lock) {
      return dropped + text.length();
    }
  }

  /** The raw text from {@code position} on (from the oldest kept character if that was dropped). */
  String since(long position) {
    synchronized (lock) {
      long start = Math.max(0, position - dropped);
      return start >= text.length() ? "" : text.substring((int) start);
    }
  }

  /** Whether text before {@code position} was dropped. */
  boolean truncatedBefore(long position) {
    synchronized (lock) {
      return position < dropped;
    }
  }

  /**
   * Waits until output after {@code seen} has arrived and then nothing more for {@code quietNanos}, until
   * the channel closes, or until {@code deadlineNanos} ({@link System#nanoTime()} scale).
   */
  Wake awaitQuiet(long seen, long deadlineNanos, long quietNanos) throws InterruptedException {
    synchronized (lock) {
      while (true) {
        if (closed) {
          return Wake.CLOSED;
        }
        long now = System.nanoTime();
        boolean fresh = dropped + text.length() > seen;
        if (fresh && now - lastOutputNanos >= quietNanos) {
          return Wake.QUIET;
        }
        if (now - deadlineNanos >= 0) {
          return Wake.DEADLINE;
        }
        long waitNanos = deadlineNanos - now;
        if (fresh) {
          waitNanos = Math.min(waitNanos, quietNanos - (now - lastOutputNanos));
        }
        long millis = Math.max(1, waitNanos / 1_000_000);
        lock.wait(millis);
      }
    }
  }
}
