package io.uctrust.controller;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link NotificationLedger} in this process's memory: atomic among threads, forgotten on restart (so a restart
 * may repeat each notification once).
 *
 * <p>Not for: several controller instances (they need one shared ledger in the controller's database).
 */
public final class InMemoryNotificationLedger implements NotificationLedger {
  private record Entry(NotificationType type, String key) {}

  private final Map<Entry, Instant> sent = new ConcurrentHashMap<>();

  @Override
  public Optional<Instant> lastSent(NotificationType type, String key) {
    return Optional.ofNullable(sent.get(new Entry(type, key)));
  }

  @Override
  public void record(NotificationType type, String key, Instant time) {
    sent.put(new Entry(type, key), time);
  }

  @Override
  public Optional<Claim> claim(NotificationType type, String key, Instant notSentSince, Instant time) {
    Claim[] won = new Claim[1];
    // compute runs atomically per key: the check and the write cannot interleave with another claim
    sent.compute(new Entry(type, key), (entry, previous) -> {
      if (previous != null && previous.isAfter(notSentSince)) {
        return previous;
      }
      won[0] = new Claim(type, key, time, previous);
      return time;
    });
    return Optional.ofNullable(won[0]);
  }

  @Override
  public void release(Claim claim) {
    sent.computeIfPresent(new Entry(claim.type(), claim.key()),
        (entry, current) -> current.equals(claim.time()) ? claim.previous() : current);
  }
}
