package io.uctrust.diagnostic;

/** How serious a {@link Diagnostic} is: errors make input invalid, warnings never do. */
public enum Severity {
  ERROR,
  WARNING;

  /** The lower-case word shown to users and written in JSON reports. */
  public String word() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
