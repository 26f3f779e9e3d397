package io.uctrust.target.cucm.axl;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Spaces request starts evenly so that at most {@code requestsPerSecond} start in any second, across all
 * threads sharing the pacer (AXL throttles clients that send faster; Cisco's guidance is a few requests
 * per second). Waits through the given {@link Sleeper} and reads time from the given {@link Clock}.
 *
 * <p>Not for: limiting concurrency or bandwidth, or retry backoff.
 */
public final class RequestPacer {
  private final Clock clock;
  private final Sleeper sleeper;
  private final Duration interval;
  private Instant next;

  public RequestPacer(int requestsPerSecond, Clock clock, Sleeper sleeper) {
    if (requestsPerSecond < 1) {
      throw new IllegalArgumentException("requests per second must be at least 1 (got " + requestsPerSecond + ")");
    }
    this.clock = clock;
    this.sleeper = sleeper;
    this.interval = Duration.ofNanos(1_000_000_000L / requestsPerSecond);
  }

  /** Returns when the caller may start its request. */
  public synchronized void awaitTurn() throws InterruptedException {
    Instant now = clock.instant();
    if (next != null && now.isBefore(next)) {
      sleeper.sleep(Duration.between(now, next));
      Instant after = clock.instant();
      now = after.isAfter(next) ? after : next;
    }
    next = now.plus(interval);
  }
}
