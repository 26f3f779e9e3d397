package io.uctrust.desired;

import java.util.List;
import java.util.Map;

/**
 * Writes {@code docs/reference.md}, the field reference of every kind, from the JSON Schema the
 * {@link SchemaGenerator} derives, so documentation, schema and model share one source.
 */
public final class ReferenceGenerator {

  private final SchemaGenerator schemas = new SchemaGenerator();

  /** The reference of the desired-state kinds. */
  public String markdown() {
    return markdown(List.of());
  }

  /** The reference of the desired-state kinds, then of the configuration kinds {@code configs}. */
  public String markdown(List<ConfigKind> configs) {
    StringBuilder out = new StringBuilder();
    out.append("# Desired-state reference\n\n")
        .append("Generated from the model by `uctrust schema --out schemas --reference docs/reference.md`; ")
        .append("do not edit by hand. Every document has `apiVersion: ").append(Document.API_VERSION)
        .append("`, `kind`, `metadata` and `spec`.\n\n")
        .append("Secret fields take `env:NAME` or `file:PATH` (relative to the YAML file); literal values are rejected ")
        .append("unless `--allow-literal-secrets`. Durations are a whole number and a unit: `s`, `m`, `h`, `d` or `w`. ")
        .append("A field that is absent is not managed: uctrust leaves the cluster's value alone.\n\n");
    for (Kind kind : Kind.values()) {
      out.append("- [").append(kind.yaml()).append("](#").append(kind.yaml().toLowerCase(java.util.Locale.ROOT)).append(")\n");
    }
    for (ConfigKind config : configs) {
      out.append("- [").append(config.kind()).append("](#").append(config.kind().toLowerCase(java.util.Locale.ROOT))
          .append(") (configuration, not desired state)\n");
    }
    out.append('\n');
    for (Kind kind : Kind.values()) {
      section(out, kind.yaml(), kind.schemaFile(), schemas.document(kind));
    }
    for (ConfigKind config : configs) {
      section(out, config.kind(), config.schemaFile(), schemas.document(config));
    }
    return out.toString();
  }

  private static void section(StringBuilder out, String kind, String schemaFile, Map<String, Object> schema) {
    out.append("## ").append(kind).append("\n\n");
    out.append(schema.getOrDefault("description", "")).append(" Schema: `schemas/").append(schemaFile)
        .append("`.\n\n");
    out.append("| field | type | required | description |\n|---|---|---|---|\n");
    Map<String, Object> properties = cast(schema.get("properties"));
    rows(out, "metadata", cast(properties.get("metadata")), true);
    rows(out, "spec", cast(properties.get("spec")), true);
    out.append('\n');
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Object o) {
    return (Map<String, Object>) o;
  }

  private static void rows(StringBuilder out, String path, Map<String, Object> schema, boolean required) {
    Map<String, Object> properties = cast(schema.get("properties"));
    if (properties == null) {
      return;
    }
    @SuppressWarnings("unchecked")
    List<String> requiredFields = (List<String>) schema.getOrDefault("required", List.of());
    properties.forEach((name, value) -> {
      Map<String, Object> field = cast(value);
      String fieldPath = path + "." + name;
      out.append("| `").append(fieldPath).append("` | ").append(typeOf(field).replace(" | ", " \\| ")).append(" | ")
          .append(requiredFields.contains(name) ? "yes" : "").append(" | ")
          .append(String.valueOf(field.getOrDefault("description", "")).replace("|", "\\|")).append(" |\n");
      if ("object".equals(field.get("type")) && field.containsKey("properties")) {
        rows(out, fieldPath, field, false);
      }
      if ("array".equals(field.get("type"))) {
        Map<String, Object> items = cast(field.get("items"));
        if ("object".equals(items.get("type")) && items.containsKey("properties")) {
          rows(out, fieldPath + "[]", items, false);
        }
      }
    });
  }

  private static String typeOf(Map<String, Object> field) {
    StringBuilder type = new StringBuilder();
    if (field.containsKey("enum")) {
      type.append(String.join(" \\| ", ((List<?>) field.get("enum")).stream().map(e -> "`" + e + "`").toList()));
    } else if (field.containsKey("oneOf")) {
      type.append("`all` or list of node names");
    } else if (field.containsKey("x-uctrust-secret")) {
      type.append("secret (").append(field.get("x-uctrust-secret")).append(")");
    } else if ("array".equals(field.get("type"))) {
      Map<String, Object> items = cast(field.get("items"));
      type.append("list of ").append("object".equals(items.get("type")) ? "objects" : typeOf(items));
    } else if (field.containsKey("pattern") && String.valueOf(field.get("pattern")).contains("(s|m|h|d|w)")) {
      type.append("duration");
    } else {
      type.append(field.getOrDefault("type", "value"));
    }
    if (field.containsKey("minimum")) {
      type.append(", ").append(field.get("minimum")).append("..").append(field.getOrDefault("maximum", ""));
    }
    if (field.containsKey("maxLength")) {
      type.append(", at most ").append(field.get("maxLength")).append(" chars");
    }
    return type.toString();
  }

}
