package io.uctrust.diff;

import io.uctrust.diff.DesiredDiff.DocumentChange;
import io.uctrust.diff.DesiredDiff.FieldChange;
import io.uctrust.diff.DesiredDiff.FileChange;
import java.util.List;

/**
 * A {@link DiffReport} as Markdown for pull-request comments: summary and warnings first, then per kind one
 * table of changed fields per document, and the offline CA files.
 */
public final class DiffMarkdownRenderer {

  public String render(DiffReport report) {
    DesiredDiff diff = report.diff();
    StringBuilder out = new StringBuilder("## uctrust diff\n\n");
    out.append(code(report.folderShown())).append(": ").append(label(report.from())).append(" → ")
        .append(label(report.to())).append("\n\n");
    String counts = ValueFormatter.counts(diff);
    out.append(counts == null ? "**No desired-state changes.**" : "**Changes: " + counts + ".**").append("\n\n");
    for (DiffReport.Side side : List.of(report.from(), report.to())) {
      List<String> lines = DiffTextRenderer.warnings(report, side);
      if (!lines.isEmpty()) {
        out.append("> **Warning:** ").append(cell(lines.get(0))).append('\n');
        lines.stream().skip(1).forEach(l -> out.append("> - ").append(cell(l.strip())).append('\n'));
        out.append('\n');
      }
    }
    String kind = null;
    for (DocumentChange d : diff.documents()) {
      if (!d.kind().equals(kind)) {
        kind = d.kind();
        out.append("### ").append(kind).append("\n\n");
      }
      out.append("**").append(d.change().sign()).append(' ').append(code(d.name())).append("** ").append(d.change().word());
      if (diff.clusters().size() > 1) {
        out.append(" in cluster ").append(code(d.cluster() == null ? "?" : d.cluster()));
      }
      out.append(" (").append(code(d.file() + ":" + d.line())).append(")\n\n");
      if (!d.fields().isEmpty()) {
        out.append("| | field | before | after |\n|---|---|---|---|\n");
        for (FieldChange f : d.fields()) {
          out.append("| ").append(f.change().sign()).append(" | ").append(code(f.path())).append(" | ")
              .append(f.change() == DesiredDiff.Change.ADDED ? "" : value(f.before(), f.beforeFile())).append(" | ")
              .append(f.change() == DesiredDiff.Change.REMOVED ? "" : value(f.after(), f.afterFile())).append(" |\n");
        }
        out.append('\n');
      }
    }
    if (!diff.files().isEmpty()) {
      out.append("### Offline CA files\n\n| | file | before | after |\n|---|---|---|---|\n");
      for (FileChange f : diff.files()) {
        out.append("| ").append(f.change().sign()).append(" | ").append(code(f.path())).append(" | ")
            .append(f.before() == null ? "" : cell(ValueFormatter.file(f.before()))).append(" | ")
            .append(f.after() == null ? "" : cell(ValueFormatter.file(f.after()))).append(" |\n");
      }
      out.append('\n');
    }
    return out.toString();
  }

  private static String value(Object value, FileSummary file) {
    return code(ValueFormatter.text(value)) + (file == null ? "" : "<br>" + cell(ValueFormatter.file(file)));
  }

  private static String label(DiffReport.Side side) {
    return side.namesCommit() ? code(side.shortCommit()) : code(side.revision()) + " (" + side.shortCommit() + ")";
  }

  /** Inline code that survives backticks and table pipes in the value. */
  private static String code(String text) {
    String fence = text.contains("`") ? "`` " : "`";
    return fence + cell(text) + new StringBuilder(fence).reverse();
  }

  private static String cell(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }
}
