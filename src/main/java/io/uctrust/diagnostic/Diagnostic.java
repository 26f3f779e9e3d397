package io.uctrust.diagnostic;

import java.util.Objects;

/**
 * One finding about desired-state input: severity, a stable machine-readable code, where it is, what is
 * wrong, and an optional hint that says what is allowed or how to fix it.
 *
 * <p>Messages and hints must never contain secret values; they name fields and references only.
 */
public record Diagnostic(
    Severity severity, String code, SourceLocation location, String message, String hint) {

  public Diagnostic {
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(message, "message");
    hint = hint == null ? "" : hint;
  }

  public static Diagnostic error(String code, SourceLocation at, String message, String hint) {
    return new Diagnostic(Severity.ERROR, code, at, message, hint);
  }

  public static Diagnostic warning(String code, SourceLocation at, String message, String hint) {
    return new Diagnostic(Severity.WARNING, code, at, message, hint);
  }

  public boolean isError() {
    return severity == Severity.ERROR;
  }
}
