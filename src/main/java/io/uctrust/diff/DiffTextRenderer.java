package io.uctrust.diff;

import io.uctrust.diagnostic.Diagnostic;
import io.uctrust.diff.DesiredDiff.DocumentChange;
import io.uctrust.diff.DesiredDiff.FieldChange;
import io.uctrust.diff.DesiredDiff.FileChange;

/**
 * A {@link DiffReport} as text for a terminal: grouped by kind, one line per document and per field, marked
 * {@code +} added, {@code -} removed, {@code ~} changed; warnings about the revisions last.
 */
public final class DiffTextRenderer {

  /** Errors listed per revision before the rest are only counted. */
  static final int ERRORS_SHOWN = 10;

  public String render(DiffReport report) {
    StringBuilder out = new StringBuilder();
    DesiredDiff diff = report.diff();
    out.append("Desired state in ").append(report.folderShown()).append(": ").append(report.from().label())
        .append(" → ").append(report.to().label()).append("\n\n");
    String kind = null;
    for (DocumentChange d : diff.documents()) {
      if (!d.kind().equals(kind)) {
        kind = d.kind();
        out.append(kind).append('\n');
      }
      out.append("  ").append(d.change().sign()).append(' ').append(d.name());
      if (diff.clusters().size() > 1) {
        out.append(" (cluster ").append(d.cluster() == null ? "?" : d.cluster()).append(')');
      }
      out.append("  ").append(d.file()).append(':').append(d.line()).append('\n');
      for (FieldChange f : d.fields()) {
        out.append("      ").append(field(f)).append('\n');
      }
    }
    if (!diff.files().isEmpty()) {
      out.append("Offline CA files\n");
      for (FileChange f : diff.files()) {
        out.append("  ").append(f.change().sign()).append(' ').append(f.path()).append("  ").append(file(f)).append('\n');
      }
    }
    if (report.from().warns() || report.to().warns()) {
      out.append(diff.hasChanges() ? "\n" : "").append("Warnings\n");
      warnings(out, report, report.from());
      warnings(out, report, report.to());
    }
    String counts = ValueFormatter.counts(diff);
    out.append(diff.hasChanges() || report.from().warns() || report.to().warns() ? "\n" : "")
        .append(counts == null ? "No desired-state changes." : "Changes: " + counts + ".").append('\n');
    return out.toString();
  }

  /** {@code ~ spec.keepAliveMinutes: 15 → 30}, with the named file's certificates where the value names one. */
  public static String field(FieldChange f) {
    StringBuilder line = new StringBuilder(f.change().sign()).append(' ').append(f.path()).append(": ");
    switch (f.change()) {
      case ADDED -> line.append(ValueFormatter.text(f.after()))
          .append(f.afterFile() == null ? "" : "  (" + ValueFormatter.file(f.afterFile()) + ")");
      case REMOVED -> line.append(ValueFormatter.text(f.before()))
          .append(f.beforeFile() == null ? "" : "  (" + ValueFormatter.file(f.beforeFile()) + ")");
      case CHANGED -> {
        if (f.contentOnly()) {
          line.append(ValueFormatter.text(f.after())).append(" content changed: ");
        } else {
          line.append(ValueFormatter.text(f.before())).append(" → ").append(ValueFormatter.text(f.after()));
          if (f.beforeFile() != null || f.afterFile() != null) {
            line.append("  ");
          }
        }
        if (f.beforeFile() != null || f.afterFile() != null) {
          line.append(f.beforeFile() == null ? "(no file)" : ValueFormatter.file(f.beforeFile())).append(" → ")
              .append(f.afterFile() == null ? "(no file)" : ValueFormatter.file(f.afterFile()));
        }
      }
      default -> throw new IllegalStateException();
    }
    return line.toString();
  }

  static String file(FileChange f) {
    return switch (f.change()) {
      case ADDED -> ValueFormatter.file(f.after());
      case REMOVED -> ValueFormatter.file(f.before());
      case CHANGED -> ValueFormatter.file(f.before()) + " → " + ValueFormatter.file(f.after());
    };
  }

  private static void warnings(StringBuilder out, DiffReport report, DiffReport.Side side) {
    for (String line : warnings(report, side)) {
      out.append("  ").append(line).append('\n');
    }
  }

  /** The warning lines about one revision: the first is the headline, the rest are indented details. */
  static java.util.List<String> warnings(DiffReport report, DiffReport.Side side) {
    java.util.List<String> lines = new java.util.ArrayList<>();
    if (!side.exists()) {
      lines.add(report.folderShown() + " does not exist in " + side.label());
      return lines;
    }
    if (!side.errors().isEmpty()) {
      lines.add(side.label() + " does not validate (" + side.errors().size() + " error"
          + (side.errors().size() == 1 ? "" : "s") + "):");
      side.errors().stream().limit(ERRORS_SHOWN).forEach(d -> lines.add("  " + error(d)));
      if (side.errors().size() > ERRORS_SHOWN) {
        lines.add("  ... and " + (side.errors().size() - ERRORS_SHOWN) + " more (run uctrust validate on it)");
      }
    }
    for (String file : side.unreadableFiles()) {
      lines.add("in " + side.label() + ", " + file + " cannot be read: its documents are not compared");
    }
    return lines;
  }

  /** {@code examples/lab/capf.yaml:9:21  spec.keepAliveMinutes: must be between 5 and 60 (got 90)}. */
  static String error(Diagnostic d) {
    return d.location().render(null) + "  " + d.message();
  }
}
