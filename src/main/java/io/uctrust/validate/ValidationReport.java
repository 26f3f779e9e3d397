package io.uctrust.validate;

import io.uctrust.desired.DesiredState;
import io.uctrust.diagnostic.Diagnostic;
import io.uctrust.diagnostic.Severity;
import java.nio.file.Path;
import java.util.List;

/**
 * The outcome of validating a desired-state folder: every diagnostic, sorted by file and position, and
 * the loaded state (complete only when {@link #valid()}).
 */
public record ValidationReport(
    Path root, int files, int documents, List<Diagnostic> diagnostics, DesiredState state) {

  public ValidationReport {
    diagnostics = List.copyOf(diagnostics);
  }

  public long errors() {
    return diagnostics.stream().filter(d -> d.severity() == Severity.ERROR).count();
  }

  public long warnings() {
    return diagnostics.stream().filter(d -> d.severity() == Severity.WARNING).count();
  }

  /** Valid means no errors; warnings are allowed. */
  public boolean valid() {
    return errors() == 0;
  }
}
