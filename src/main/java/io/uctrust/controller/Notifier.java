package io.uctrust.controller;

import io.uctrust.desired.MonitoringSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Sends notifications to every channel without a storm: a notification (type and key) is sent again only after its
 * {@code repeatAfter} has passed since it was last sent, as recorded in a {@link NotificationLedger} that several
 * controller instances may share (each notification is claimed there first), and all notifications of one type in
 * one {@link #send} call become one {@link Digest}, so one message per type and channel.
 *
 * <p>A digest no channel could deliver releases its claims, so the next run tries again; one that reached at least
 * one channel keeps them (the failures are reported, and repeating to the channels that got it would be the storm
 * this avoids). Thread safe when the channels and ledger are.
 *
 * <p>Not for: deciding what to notify about or when to run (the controller's checks and schedule).
 */
public final class Notifier {
  /** The Monitoring document's default Notification Frequency. */
  public static final Duration DEFAULT_FREQUENCY = Duration.ofDays(1);

  private final List<NotificationChannel> channels;
  private final NotificationLedger ledger;
  private final Clock clock;

  public Notifier(List<NotificationChannel> channels, NotificationLedger ledger, Clock clock) {
    this.channels = List.copyOf(channels);
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * What one {@link #send} did: the digests sent (to at least one channel), the notifications held back because
   * they were sent within their repeat interval, and each channel's failures.
   */
  public record Dispatch(List<Digest> sent, List<Notification> suppressed, List<Failure> failures) {
    public Dispatch {
      sent = List.copyOf(sent);
      suppressed = List.copyOf(suppressed);
      failures = List.copyOf(failures);
    }
  }

  /** A channel that could not deliver the digest of {@code type}; the message is the channel's, without secrets. */
  public record Failure(String channel, NotificationType type, String message) {}

  /**
   * Sends {@code notifications} (one controller run's worth): claims each in the ledger, batches the claimed ones
   * into one digest per type, and sends every digest to every channel.
   */
  public Dispatch send(Collection<Notification> notifications) {
    Instant now = clock.instant();
    Map<NotificationType, List<Notification>> byType = new EnumMap<>(NotificationType.class);
    Map<NotificationType, List<NotificationLedger.Claim>> claims = new EnumMap<>(NotificationType.class);
    List<Notification> suppressed = new ArrayList<>();
    for (Notification n : notifications) {
      var claim = ledger.claim(n.type(), n.key(), now.minus(n.repeatAfter()), now);
      if (claim.isEmpty()) {
        suppressed.add(n);
        continue;
      }
      byType.computeIfAbsent(n.type(), t -> new ArrayList<>()).add(n);
      claims.computeIfAbsent(n.type(), t -> new ArrayList<>()).add(claim.get());
    }
    List<Digest> sent = new ArrayList<>();
    List<Failure> failures = new ArrayList<>();
    byType.forEach((type, batch) -> {
      Digest digest = new Digest(type, batch, now);
      int delivered = 0;
      for (NotificationChannel channel : channels) {
        try {
          channel.send(digest);
          delivered++;
        } catch (NotificationException e) {
          failures.add(new Failure(channel.name(), type, e.getMessage()));
        }
      }
      if (delivered == 0) {
        claims.get(type).forEach(ledger::release);
      } else {
        sent.add(digest);
      }
    });
    return new Dispatch(sent, suppressed, failures);
  }

  /**
   * The repeat interval of an expiry notification for a certificate expiring at {@code notAfter}, as Cisco's
   * Certificate Monitor does it: the Monitoring document's Notification Frequency (default {@link
   * #DEFAULT_FREQUENCY}), but hourly from one day before expiry and after it.
   */
  public static Duration expiryRepeat(MonitoringSpec.CertificateMonitor monitor, Instant notAfter, Instant now) {
    if (!now.isBefore(notAfter.minus(Duration.ofDays(1)))) {
      return Duration.ofHours(1);
    }
    return monitor == null || monitor.frequency() == null ? DEFAULT_FREQUENCY : monitor.frequency().duration();
  }
}
