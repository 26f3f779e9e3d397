package io.uctrust.controller;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One event to tell people about: its type, a de-duplication key naming what it is about (such as
 * {@code lab/cucm-pub.example.com/tomcat/4f1e3c34...}, cluster/node/store/sha256), severity, a one-line title, a
 * plain-text body, structured facts for machines (webhook JSON), when it happened, and how long the same type and
 * key stay quiet after it was sent ({@code repeatAfter}: the Monitoring document's frequency, hourly near expiry;
 * see {@link Notifier#expiryRepeat}).
 *
 * <p>Facts keep their order. Not for: secrets (titles, texts and facts are mailed and posted as they are) or
 * delivery state (the {@link NotificationLedger} holds what was sent).
 */
public record Notification(NotificationType type, String key, Severity severity, String title, String text,
    Map<String, String> facts, Instant time, Duration repeatAfter) {

  /** How urgent a notification is. */
  public enum Severity {
    INFO,
    WARNING,
    CRITICAL;

    /** The lower-case word shown in subjects and JSON. */
    public String word() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public Notification {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(repeatAfter, "repeatAfter");
    if (key == null || key.isBlank()) {
      throw new IllegalArgumentException("a notification needs a de-duplication key");
    }
    if (title == null || title.isBlank()) {
      throw new IllegalArgumentException("a notification needs a title");
    }
    if (repeatAfter.isNegative()) {
      throw new IllegalArgumentException("repeatAfter must not be negative: " + repeatAfter);
    }
    text = text == null ? "" : text;
    facts = facts == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(facts));
  }

  /** A notification of {@code type} with the type's severity, happening now by {@code clock}. */
  public static Notification of(NotificationType type, String key, String title, String text,
      Map<String, String> facts, Duration repeatAfter, Clock clock) {
    return new Notification(type, key, type.severity(), title, text, facts, clock.instant(), repeatAfter);
  }
}
