package io.uctrust.controller;

import io.uctrust.observed.ObservedCluster;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The Certificate Monitor of Cisco's guide, run by the controller: which expiry notifications are due for a cluster
 * now. Every service identity and trust-store certificate of every node is watched, and phone LSCs when LSC
 * monitoring is on; a certificate is announced from {@code notificationStartDays} before it expires
 * ({@link NotificationType#CERTIFICATE_EXPIRING}), and after that ({@link NotificationType#CERTIFICATE_EXPIRED}).
 * Each notification says how long it stays quiet once sent ({@link Notifier#expiryRepeat}: the notification
 * frequency, hourly from one day before expiry and after it), so a {@link Notifier} sending every run's list sends
 * each certificate exactly on that schedule.
 *
 * <p>Keys are stable per certificate: {@code cluster/node/service/sha256} for identities,
 * {@code cluster/node/store/sha256} for trust certificates, {@code cluster/phone/LSC/serial} for LSCs; a
 * certificate that is replaced has a new key and starts afresh. One notification per certificate: the notifier
 * makes one digest per type of them, so 10,000 expiring LSCs are one message.
 *
 * <p>Pure: it reads nothing but its arguments and the clock. Not for: sending (the {@link Notifier}), remembering
 * what was sent (the {@link NotificationLedger}), or revocation (the {@link RevocationMonitor}).
 */
public final class ExpiryMonitor {
  private static final Duration LAST_DAY = Duration.ofDays(1);
  private static final Duration HOURLY = Duration.ofHours(1);

  private final Clock clock;

  public ExpiryMonitor(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** One watched certificate: its key, what it is (for titles), where, and when it expires. */
  private record Watched(String key, String what, String kind, Map<String, String> facts, Instant notAfter) {}

  /**
   * The expiry notifications due now for {@code cluster} under its Monitoring document {@code spec} (null: none),
   * as {@link MonitoringSettings#of} resolves it.
   */
  public List<Notification> due(ObservedCluster cluster, io.uctrust.desired.MonitoringSpec spec) {
    return due(cluster, MonitoringSettings.of(spec, cluster));
  }

  /** The expiry notifications due now for {@code cluster} under {@code settings}, soonest expiry first. */
  public List<Notification> due(ObservedCluster cluster, MonitoringSettings settings) {
    Instant now = clock.instant();
    List<Notification> due = new ArrayList<>();
    for (Watched w : watched(cluster, settings)) {
      if (now.isBefore(w.notAfter().minus(settings.window()))) {
        continue;
      }
      boolean expired = !now.isBefore(w.notAfter());
      NotificationType type = expired ? NotificationType.CERTIFICATE_EXPIRED : NotificationType.CERTIFICATE_EXPIRING;
      String title = w.what() + (expired ? " expired " + span(w.notAfter(), now) + " ago"
          : " expires in " + span(now, w.notAfter())) + " (" + w.notAfter() + ")";
      String text = "The " + w.kind() + " " + (expired ? "expired" : "expires") + " at " + w.notAfter() + ". "
          + (expired ? "Reminders repeat hourly until it is replaced."
              : "Reminders repeat every " + words(settings.frequency()) + ", hourly from one day before expiry.");
      Duration repeat = Notifier.expiryRepeat(settings.certificateMonitor(), w.notAfter(), now);
      due.add(Notification.of(type, w.key(), title, text, w.facts(), repeat, clock));
    }
    return due;
  }

  /**
   * When the next expiry notification for {@code cluster} could fall due, given what {@code ledger} says was sent:
   * now when one is due already, the start of a certificate's window, or when a sent one's repeat interval ends;
   * never later than one notification frequency from now, as Unified CM's monitor runs at least daily, so
   * certificates the cluster gains meanwhile are seen. A scheduler running the check at this instant runs it hourly
   * near expiry and once per frequency otherwise.
   */
  public Instant nextCheck(ObservedCluster cluster, MonitoringSettings settings, NotificationLedger ledger) {
    Instant now = clock.instant();
    Instant next = now.plus(settings.frequency());
    for (Watched w : watched(cluster, settings)) {
      Instant candidate = next(w, settings, ledger, now);
      if (candidate.isBefore(next)) {
        next = candidate;
      }
    }
    return next;
  }

  private static Instant next(Watched w, MonitoringSettings settings, NotificationLedger ledger, Instant now) {
    Instant start = w.notAfter().minus(settings.window());
    if (now.isBefore(start)) {
      return start;
    }
    Instant expiredNext = ledger.lastSent(NotificationType.CERTIFICATE_EXPIRED, w.key())
        .map(last -> latest(w.notAfter(), last.plus(HOURLY))).orElse(w.notAfter());
    if (!now.isBefore(w.notAfter())) {
      return latest(now, expiredNext);
    }
    Instant last = ledger.lastSent(NotificationType.CERTIFICATE_EXPIRING, w.key()).orElse(null);
    if (last == null) {
      return now;
    }
    // the repeat interval at a time x is the frequency before the last day and an hour from it (Notifier's rule),
    // so the earliest x is the frequency's turn if that comes before the last day, else the first hourly turn
    Instant lastDay = w.notAfter().minus(LAST_DAY);
    Instant byFrequency = latest(now, last.plus(settings.frequency()));
    Instant hourly = latest(latest(now, lastDay), last.plus(HOURLY));
    Instant expiring = byFrequency.isBefore(lastDay) && byFrequency.isBefore(hourly) ? byFrequency : hourly;
    return expiring.isBefore(expiredNext) ? expiring : expiredNext;
  }

  private static List<Watched> watched(ObservedCluster cluster, MonitoringSettings settings) {
    List<Watched> watched = new ArrayList<>();
    for (ObservedCluster.Node node : cluster.nodes()) {
      for (ObservedCluster.Identity identity : node.identities()) {
        ObservedCluster.Certificate c = identity.certificate();
        String service = identity.service().yaml();
        watched.add(new Watched(cluster.name() + "/" + node.name() + "/" + service + "/" + c.sha256(),
            service + " of " + node.name(), service + " identity certificate " + c.subject() + " of " + node.name(),
            facts(cluster, node.name(), "identity", "service", service, c), c.notAfter()));
      }
      for (ObservedCluster.TrustEntry entry : node.trust()) {
        ObservedCluster.Certificate c = entry.certificate();
        String store = entry.store().yaml();
        watched.add(new Watched(cluster.name() + "/" + node.name() + "/" + store + "/" + c.sha256(),
            c.commonName() + " in " + store + " of " + node.name(),
            "trust certificate " + c.subject() + " in " + store + " of " + node.name(),
            facts(cluster, node.name(), "trust", "store", store, c), c.notAfter()));
      }
    }
    if (settings.lscMonitoring()) {
      for (ObservedCluster.Phone phone : cluster.phones()) {
        ObservedCluster.PhoneCertificate lsc = phone.lsc();
        if (lsc == null || lsc.notAfter() == null) {
          continue;
        }
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("cluster", cluster.name());
        facts.put("phone", phone.name());
        facts.put("kind", "LSC");
        facts.put("issuer", String.valueOf(lsc.issuer()));
        facts.put("serial", String.valueOf(lsc.serial()));
        facts.put("notAfter", lsc.notAfter().toString());
        String serial = lsc.serial() == null ? lsc.notAfter().toString() : lsc.serial();
        watched.add(new Watched(cluster.name() + "/" + phone.name() + "/LSC/" + serial, "LSC of " + phone.name(),
            "LSC of phone " + phone.name() + " (serial " + lsc.serial() + ", issued by " + lsc.issuer() + ")", facts,
            lsc.notAfter()));
      }
    }
    watched.sort(java.util.Comparator.comparing(Watched::notAfter));
    return watched;
  }

  private static Map<String, String> facts(ObservedCluster cluster, String node, String kind, String whereName,
      String where, ObservedCluster.Certificate c) {
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("cluster", cluster.name());
    facts.put("node", node);
    facts.put("kind", kind);
    facts.put(whereName, where);
    facts.put("subject", c.subject());
    facts.put("issuer", c.issuer());
    facts.put("sha256", c.sha256());
    facts.put("notAfter", c.notAfter().toString());
    return facts;
  }

  private static Instant latest(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  /** {@code 20 days}, {@code 5 hours}, {@code 12 minutes}: the whole units between two instants. */
  static String span(Instant from, Instant to) {
    return words(Duration.between(from, to));
  }

  private static String words(Duration d) {
    if (d.toMinutes() < 1) {
      return "less than a minute";
    }
    if (d.toDays() >= 1) {
      return plural(d.toDays(), "day");
    }
    if (d.toHours() >= 1) {
      return plural(d.toHours(), "hour");
    }
    return plural(d.toMinutes(), "minute");
  }

  private static String plural(long n, String unit) {
    return n + " " + unit + (n == 1 ? "" : "s");
  }
}
