package io.uctrust.controller;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The memory of which notification (type and key) was last sent when, shared by every controller instance that
 * sends for the same clusters. {@link #claim} is the one operation a {@link Notifier} needs: atomically "if not
 * sent since then, it is mine to send now", so two instances never both send. A JDBC implementation keeps one row
 * per type and key ({@code last_sent}); claim is a conditional update or an insert that a primary key makes
 * exclusive, release a compare-and-set back.
 *
 * <p>Not for: the messages themselves or delivery reports, or per-channel state: a claim covers every channel.
 */
public interface NotificationLedger {

  /**
   * A successful claim: the ledger now says {@code time} for {@code type} and {@code key}; {@code previous} is what
   * it said before (null: never sent), for {@link #release}.
   */
  record Claim(NotificationType type, String key, Instant time, Instant previous) {
    public Claim {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(time, "time");
    }
  }

  /** When {@code type} and {@code key} were last sent (or claimed), if ever. */
  Optional<Instant> lastSent(NotificationType type, String key);

  /** Records that {@code type} and {@code key} were sent at {@code time}, whatever was recorded before. */
  void record(NotificationType type, String key, Instant time);

  /**
   * Atomically: when {@code type} and {@code key} were never sent, or last sent at or before {@code notSentSince},
   * records {@code time} and returns the claim; otherwise changes nothing and returns empty. Of several callers
   * claiming the same type and key at once, at most one succeeds.
   */
  Optional<Claim> claim(NotificationType type, String key, Instant notSentSince, Instant time);

  /**
   * Undoes {@code claim} after the message could not be sent, so that the next run tries again: restores its
   * previous time (or forgets the key) if the ledger still holds the claim's time, else leaves it alone.
   */
  void release(Claim claim);
}
