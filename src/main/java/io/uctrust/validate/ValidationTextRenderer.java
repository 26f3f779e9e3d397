package io.uctrust.validate;

import io.uctrust.diagnostic.Diagnostic;
import io.uctrust.diagnostic.Severity;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Renders a {@link ValidationReport} for people: diagnostics grouped by file, each with line:column,
 * severity, message and hint, then a summary line. Colour only when asked (a terminal).
 */
public final class ValidationTextRenderer {
  private static final String RED = "\u001b[31m";
  private static final String YELLOW = "\u001b[33m";
  private static final String BOLD = "\u001b[1m";
  private static final String DIM = "\u001b[2m";
  private static final String RESET = "\u001b[0m";

  private final boolean colour;
  private final Path base;

  /**
   * @param colour use ANSI colours
   * @param base paths are shown relative to this folder when they are below it
   */
  public ValidationTextRenderer(boolean colour, Path base) {
    this.colour = colour;
    this.base = base.toAbsolutePath().normalize();
  }

  public String render(ValidationReport report) {
    StringBuilder out = new StringBuilder();
    Map<Path, List<Diagnostic>> byFile = report.diagnostics().stream()
        .collect(Collectors.groupingBy(d -> d.location().file(), LinkedHashMap::new, Collectors.toList()));
    byFile.forEach((file, diagnostics) -> {
      out.append(paint(BOLD, shown(file))).append('\n');
      for (Diagnostic d : diagnostics) {
        String position = d.location().line() > 0 ? d.location().line() + ":" + d.location().column() : "-";
        String severity = d.severity() == Severity.ERROR ? paint(RED, "error  ") : paint(YELLOW, "warning");
        out.append(String.format("  %-8s %s  %s %s%n", position, severity, d.message(), paint(DIM, "[" + d.code() + "]")));
        if (!d.hint().isEmpty()) {
          out.append(String.format("  %-8s          %s%n", "", paint(DIM, "hint: " + d.hint())));
        }
      }
      out.append('\n');
    });
    out.append(summary(report)).append('\n');
    return out.toString();
  }

  private String summary(ValidationReport report) {
    String counts = report.documents() + " document" + plural(report.documents()) + " in " + report.files() + " file"
        + plural(report.files());
    if (report.valid()) {
      String warnings = report.warnings() == 0 ? "" : " (" + report.warnings() + " warning" + plural(report.warnings()) + ")";
      return paint(BOLD, "valid") + ": " + counts + warnings;
    }
    return paint(RED, "invalid") + ": " + report.errors() + " error" + plural(report.errors()) + ", " + report.warnings()
        + " warning" + plural(report.warnings()) + " in " + counts;
  }

  private String shown(Path file) {
    Path absolute = file.toAbsolutePath().normalize();
    return absolute.startsWith(base) && !absolute.equals(base) ? base.relativize(absolute).toString() : absolute.toString();
  }

  private static String plural(long n) {
    return n == 1 ? "" : "s";
  }

  private String paint(String code, String text) {
    return colour ? code + text + RESET : text;
  }
}
