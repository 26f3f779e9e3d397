package io.uctrust.desired;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A length of time written the way administrators write it: a whole number and a unit, {@code 30d},
 * {@code 24h}, {@code 15m}, {@code 90s}, or {@code 2w}. Keeps the original text for messages.
 *
 * <p>Not for: calendar arithmetic (months, years); certificate lifetimes in days use plain integers.
 */
public record TimeAmount(Duration duration, String text) {

  /** The syntax, also published in the JSON Schema. */
  public static final String PATTERN = "^[1-9][0-9]{0,5}(s|m|h|d|w)$";

  private static final Pattern SYNTAX = Pattern.compile(PATTERN);

  public TimeAmount {
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(text, "text");
  }

  /** Parses {@code text}; returns null when it does not match {@link #PATTERN}. */
  public static TimeAmount parse(String text) {
    Matcher m = SYNTAX.matcher(text);
    if (!m.matches()) {
      return null;
    }
    long n = Long.parseLong(text.substring(0, text.length() - 1));
    Duration d =
        switch (m.group(1)) {
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          case "d" -> Duration.ofDays(n);
          default -> Duration.ofDays(7 * n);
        };
    return new TimeAmount(d, text);
  }

  @Override
  public String toString() {
    return text;
  }
}
