package io.uctrust.controller;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * What a channel sends in one message: every notification of one type that a {@link Notifier} run let through,
 * so that 200 expiring phone LSCs make one mail, not 200. A digest of one notification reads as that
 * notification.
 *
 * <p>Not for: mixing types (one digest per type and run) or de-duplication (done before a digest is made).
 */
public record Digest(NotificationType type, List<Notification> notifications, Instant time) {
  /** At most this many notifications are written out in {@link #text()}; the rest are counted. */
  public static final int LISTED = 500;

  public Digest {
    notifications = List.copyOf(notifications);
    if (notifications.isEmpty()) {
      throw new IllegalArgumentException("a digest needs at least one notification");
    }
    if (notifications.stream().anyMatch(n -> n.type() != type)) {
      throw new IllegalArgumentException("a digest holds notifications of one type, " + type);
    }
  }

  /** The highest severity of its notifications. */
  public Notification.Severity severity() {
    return notifications.stream().map(Notification::severity).max(Comparator.naturalOrder()).orElseThrow();
  }

  /** The notification's title, or {@code 200 stale LSCs} for many. */
  public String title() {
    return notifications.size() == 1 ? notifications.get(0).title() : type.count(notifications.size());
  }

  /**
   * Plain text: for one notification its text and facts; for many, each one's title, text and facts, the first
   * {@link #LISTED} of them.
   */
  public String text() {
    StringBuilder out = new StringBuilder();
    if (notifications.size() == 1) {
      Notification only = notifications.get(0);
      out.append(only.text().strip()).append('\n');
      facts(out, only.facts(), "");
      return out.toString();
    }
    for (Notification n : notifications.subList(0, Math.min(LISTED, notifications.size()))) {
      out.append("- ").append(n.title()).append('\n');
      if (!n.text().isBlank()) {
        out.append("  ").append(n.text().strip().replace("\n", "\n  ")).append('\n');
      }
      facts(out, n.facts(), "  ");
    }
    if (notifications.size() > LISTED) {
      out.append("... and ").append(notifications.size() - LISTED).append(" more\n");
    }
    return out.toString();
  }

  private static void facts(StringBuilder out, Map<String, String> facts, String indent) {
    facts.forEach((name, value) -> out.append(indent).append(name).append(": ").append(value).append('\n'));
  }
}
