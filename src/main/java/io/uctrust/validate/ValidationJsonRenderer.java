package io.uctrust.validate;

import io.uctrust.diagnostic.Diagnostic;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Renders a {@link ValidationReport} as versioned JSON for machines ({@code format:
 * uctrust.validation/v1}). Fields are only ever added within a version.
 */
public final class ValidationJsonRenderer {
  public static final String FORMAT = "uctrust.validation/v1";

  private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  private final Path base;

  public ValidationJsonRenderer(Path base) {
    this.base = base.toAbsolutePath().normalize();
  }

  public String render(ValidationReport report) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("format", FORMAT);
    root.put("valid", report.valid());
    root.put("errors", report.errors());
    root.put("warnings", report.warnings());
    root.put("files", report.files());
    root.put("documents", report.documents());
    List<Map<String, Object>> diagnostics = report.diagnostics().stream().map(this::diagnostic).toList();
    root.put("diagnostics", diagnostics);
    return JSON.writeValueAsString(root) + "\n";
  }

  private Map<String, Object> diagnostic(Diagnostic d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("severity", d.severity().word());
    m.put("code", d.code());
    Path file = d.location().file().toAbsolutePath().normalize();
    m.put("file", file.startsWith(base) && !file.equals(base) ? base.relativize(file).toString() : file.toString());
    m.put("line", d.location().line());
    m.put("column", d.location().column());
    m.put("field", d.location().field());
    m.put("message", d.message());
    m.put("hint", d.hint());
    return m;
  }
}
