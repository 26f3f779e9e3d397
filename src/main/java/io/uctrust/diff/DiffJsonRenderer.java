package io.uctrust.diff;

import io.uctrust.diagnostic.Diagnostic;
import io.uctrust.diff.DesiredDiff.DocumentChange;
import io.uctrust.diff.DesiredDiff.FieldChange;
import io.uctrust.diff.DesiredDiff.FileChange;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * A {@link DiffReport} as versioned JSON for machines ({@code format: uctrust.diff/v1}). Fields are only ever
 * added within a version; literal secrets are {@code "(redacted)"}.
 */
public final class DiffJsonRenderer {
  public static final String FORMAT = "uctrust.diff/v1";

  private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  public String render(DiffReport report) {
    DesiredDiff diff = report.diff();
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("format", FORMAT);
    root.put("folder", report.folder());
    root.put("from", side(report.from()));
    root.put("to", side(report.to()));
    root.put("changes", diff.hasChanges());
    Map<String, Object> summary = new LinkedHashMap<>();
    for (DesiredDiff.Change change : DesiredDiff.Change.values()) {
      summary.put(change.word(), diff.count(change));
    }
    summary.put("files", diff.files().size());
    root.put("summary", summary);
    root.put("documents", diff.documents().stream().map(DiffJsonRenderer::document).toList());
    root.put("files", diff.files().stream().map(DiffJsonRenderer::file).toList());
    return JSON.writeValueAsString(root) + "\n";
  }

  private static Map<String, Object> side(DiffReport.Side side) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("revision", side.revision());
    m.put("commit", side.commit());
    m.put("exists", side.exists());
    m.put("valid", side.exists() && side.errors().isEmpty());
    m.put("errors", side.errors().stream().map(DiffJsonRenderer::error).toList());
    m.put("unreadableFiles", side.unreadableFiles().stream().sorted().toList());
    return m;
  }

  private static Map<String, Object> error(Diagnostic d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("code", d.code());
    m.put("file", d.location().file().toString());
    m.put("line", d.location().line());
    m.put("column", d.location().column());
    m.put("field", d.location().field());
    m.put("message", d.message());
    return m;
  }

  private static Map<String, Object> document(DocumentChange d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("change", d.change().word());
    m.put("kind", d.kind());
    m.put("cluster", d.cluster());
    m.put("name", d.name());
    m.put("file", d.file());
    m.put("line", d.line());
    m.put("fields", d.fields().stream().map(DiffJsonRenderer::field).toList());
    return m;
  }

  private static Map<String, Object> field(FieldChange f) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("change", f.change().word());
    m.put("path", f.path());
    m.put("line", f.line());
    m.put("contentOnly", f.contentOnly());
    m.put("before", f.change() == DesiredDiff.Change.ADDED ? null : ValueFormatter.json(f.before()));
    m.put("after", f.change() == DesiredDiff.Change.REMOVED ? null : ValueFormatter.json(f.after()));
    m.put("beforeFile", ValueFormatter.json(f.beforeFile()));
    m.put("afterFile", ValueFormatter.json(f.afterFile()));
    return m;
  }

  private static Map<String, Object> file(FileChange f) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("change", f.change().word());
    m.put("path", f.path());
    m.put("before", ValueFormatter.json(f.before()));
    m.put("after", ValueFormatter.json(f.after()));
    return m;
  }
}
