package io.uctrust.desired;

import io.uctrust.diagnostic.SourceLocation;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Where each field of one YAML document was written: dotted field path ({@code spec.ports[0].phone})
 * to 1-based line and column. Lets rules that run long after parsing still point at the exact spot.
 *
 * <p>Holds only numbers, not the parser's marks (which retain the whole input buffer).
 */
public final class SourceMap {
  private final Path file;
  private final Map<String, Long> positions = new HashMap<>();
  private final java.util.List<String> failed = new java.util.ArrayList<>();

  public SourceMap(Path file) {
    this.file = file;
  }

  public Path file() {
    return file;
  }

  void put(String path, int line, int column) {
    positions.putIfAbsent(path, ((long) line << 32) | (column & 0xffffffffL));
  }

  /**
   * The location of {@code path}; when the field itself was not written (a missing field), the
   * nearest enclosing field that was.
   */
  public SourceLocation locate(String path) {
    String probe = path;
    while (true) {
      Long packed = positions.get(probe);
      if (packed != null) {
        return new SourceLocation(file, (int) (packed >>> 32), (int) (long) packed, path);
      }
      int cut = Math.max(probe.lastIndexOf('.'), probe.lastIndexOf('['));
      if (cut <= 0) {
        Long root = positions.get("");
        return root == null
            ? new SourceLocation(file, 0, 0, path)
            : new SourceLocation(file, (int) (root >>> 32), (int) (long) root, path);
      }
      probe = probe.substring(0, cut);
    }
  }

  void fail(String path) {
    failed.add(path);
  }

  /**
   * Whether a structural error was already reported at {@code path}, inside it or around it; a field
   * constraint on such a path would only repeat it (an empty list after its bad entries were dropped).
   */
  public boolean failedNear(String path) {
    for (String f : failed) {
      if (within(f, path) || within(path, f)) {
        return true;
      }
    }
    return false;
  }

  private static boolean within(String inner, String outer) {
    return inner.equals(outer) || inner.startsWith(outer)
        && (inner.charAt(outer.length()) == '.' || inner.charAt(outer.length()) == '[');
  }

  /** Whether {@code path} was written in the document. */
  public boolean contains(String path) {
    return positions.containsKey(path);
  }
}
