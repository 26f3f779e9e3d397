package io.uctrust.diagnostic;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a problem is: a file, a 1-based line and column when known (0 when not), and the dotted field
 * path inside the document ({@code spec.ports[0].phone}) when the problem belongs to a field.
 *
 * <p>Not for: locating anything at run time on a cluster; it only points into desired-state input.
 */
public record SourceLocation(Path file, int line, int column, String field) {

  public SourceLocation {
    Objects.requireNonNull(file, "file");
    field = field == null ? "" : field;
  }

  /** A location for a whole file, before any line is known (unreadable file, file too large). */
  public static SourceLocation ofFile(Path file) {
    return new SourceLocation(file, 0, 0, "");
  }

  /** {@code file:line:column}, or just the file when no line is known. */
  public String render(Path relativeTo) {
    String name = relativeTo == null ? file.toString() : relativeTo.relativize(file).toString();
    return line > 0 ? name + ":" + line + ":" + column : name;
  }
}
