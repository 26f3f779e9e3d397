package io.uctrust.diff;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Shows desired-state values as short YAML flow text ({@code {file: certs/a.pem, description: A}}, strings that
 * would read as another type quoted) and file summaries as subjects with short fingerprints, for the text and
 * Markdown renderers; and as JSON-ready values for the JSON renderer. Redacted secrets show as
 * {@code (redacted)} everywhere.
 */
final class ValueFormatter {
  private ValueFormatter() {}

  /** Longest value shown in text before it is cut; long phone lists stay readable. */
  static final int TEXT_LIMIT = 160;

  /** Digits of a SHA-256 shown in text, as the plan shows them. */
  private static final int SHORT_HASH = 16;

  static String text(Object value) {
    String text = flow(value);
    return text.length() <= TEXT_LIMIT ? text
        : text.substring(0, TEXT_LIMIT) + "…" + (value instanceof List<?> l ? " (" + l.size() + " items)" : "");
  }

  private static String flow(Object value) {
    if (value instanceof Map<?, ?> map) {
      return map.entrySet().stream().map(e -> e.getKey() + ": " + flow(e.getValue()))
          .collect(Collectors.joining(", ", "{", "}"));
    }
    if (value instanceof List<?> list) {
      return list.stream().map(ValueFormatter::flow).collect(Collectors.joining(", ", "[", "]"));
    }
    if (value instanceof String s) {
      return needsQuotes(s) ? quoted(s) : s;
    }
    return String.valueOf(value);
  }

  private static boolean needsQuotes(String s) {
    return s.isEmpty() || !s.strip().equals(s)
        || s.matches("(?i)[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)(e[-+]?[0-9]+)?|0x[0-9a-f]+|0o[0-7]+|[-+]?\\.inf|\\.nan")
        || s.matches("(?i)true|false|yes|no|on|off|null|~")
        || s.matches("[-?:,\\[\\]{}#&*!|>'\"%@`].*") || s.contains(": ") || s.contains(" #") || s.contains(",")
        || s.contains("\n") || s.equals(RedactedSecret.SHOWN);
  }

  private static String quoted(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\t", "\\t") + "\"";
  }

  /** {@code CN=Root,O=Example (sha256 4f1e3c34268b18fc)}, each certificate of a chain; only the hash otherwise. */
  static String file(FileSummary summary) {
    if (summary.items().isEmpty()) {
      return "sha256 " + summary.sha256().substring(0, SHORT_HASH);
    }
    return summary.items().stream()
        .map(i -> (i.type() == FileSummary.Type.CERTIFICATE_REQUEST ? "request " : "") + i.subject()
            + " (sha256 " + i.sha256().substring(0, SHORT_HASH) + ")")
        .collect(Collectors.joining("; "));
  }

  /** The value for JSON: maps, lists and scalars as they are, redacted secrets as {@code (redacted)}. */
  static Object json(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(String.valueOf(k), json(v)));
      return copy;
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>();
      list.forEach(v -> copy.add(json(v)));
      return copy;
    }
    return value instanceof RedactedSecret ? RedactedSecret.SHOWN : value;
  }

  /** A file summary for JSON, or null. */
  static Map<String, Object> json(FileSummary summary) {
    if (summary == null) {
      return null;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("sha256", summary.sha256());
    m.put("items", summary.items().stream().map(i -> {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("type", i.type() == FileSummary.Type.CERTIFICATE ? "certificate" : "certificate-request");
      item.put("subject", i.subject());
      item.put("sha256", i.sha256());
      return item;
    }).toList());
    return m;
  }

  /** {@code 2 documents: 1 added, 1 changed; 1 offline CA file: 1 added}, or null when nothing changed. */
  static String counts(DesiredDiff diff) {
    List<String> parts = new ArrayList<>();
    if (!diff.documents().isEmpty()) {
      parts.add(count(diff.documents().size(), "document", diff.documents().stream().map(DesiredDiff.DocumentChange::change).toList()));
    }
    if (!diff.files().isEmpty()) {
      parts.add(count(diff.files().size(), "offline CA file", diff.files().stream().map(DesiredDiff.FileChange::change).toList()));
    }
    return parts.isEmpty() ? null : String.join("; ", parts);
  }

  private static String count(int total, String noun, List<DesiredDiff.Change> changes) {
    List<String> how = new ArrayList<>();
    for (DesiredDiff.Change change : DesiredDiff.Change.values()) {
      long n = changes.stream().filter(c -> c == change).count();
      if (n > 0) {
        how.add(n + " " + change.word());
      }
    }
    return total + " " + noun + (total == 1 ? "" : "s") + ": " + String.join(", ", how);
  }
}
