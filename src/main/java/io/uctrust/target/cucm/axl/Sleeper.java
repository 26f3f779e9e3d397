package io.uctrust.target.cucm.axl;

import java.time.Duration;

/**
 * Waits: the AXL client's backoff and pacing go through one so tests and simulations can record waits
 * instead of sleeping. Paired with a {@link java.time.Clock} that a fake sleeper advances.
 *
 * <p>Not for: timeouts of network I/O (the HTTP client keeps real time for those).
 */
@FunctionalInterface
public interface Sleeper {
  void sleep(Duration duration) throws InterruptedException;

  /** {@link Thread#sleep}. */
  static Sleeper system() {
    return duration -> {
      if (!duration.isNegative() && !duration.isZero()) {
        Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
      }
    };
  }
}
