package io.uctrust.desired;

import io.uctrust.diagnostic.Diagnostic;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads a file holding exactly one document of a {@link ConfigKind} with the desired-state loader's parser, limits and
 * binder, so it reports the same way: every syntax and structure problem (unknown keys with a "did you mean", wrong
 * types, missing fields) with file, line and column. Never throws for bad input.
 *
 * <p>Not for: desired-state folders ({@link DesiredStateLoader}), or field constraints and rules (the caller checks
 * those on the result).
 */
public final class ConfigDocumentLoader {

  /** Loads {@code file} as one document of {@code kind}. */
  public <M, S> ConfigDocument<M, S> load(Path file, ConfigKind kind, Class<M> metadataType, Class<S> specType) {
    if (metadataType != kind.metadataType() || specType != kind.specType()) {
      throw new IllegalArgumentException("the types do not match " + kind);
    }
    Path absolute = file.toAbsolutePath().normalize();
    SourceMap sourceMap = new SourceMap(absolute);
    List<Diagnostic> diagnostics = new ArrayList<>();
    String text = DesiredStateLoader.readText(absolute, diagnostics);
    if (text == null) {
      return new ConfigDocument<>(null, null, sourceMap, diagnostics);
    }
    List<Node> documents = new ArrayList<>();
    DesiredStateLoader.composeEach(absolute, text, diagnostics, (node, index) -> documents.add(node));
    if (documents.isEmpty()) {
      if (diagnostics.isEmpty()) {
        diagnostics.add(Diagnostic.error("empty", io.uctrust.diagnostic.SourceLocation.ofFile(absolute),
            "the file holds no document", "write one " + kind.kind() + " document"));
      }
      return new ConfigDocument<>(null, null, sourceMap, diagnostics);
    }
    NodeBinder binder = new NodeBinder(sourceMap, diagnostics);
    NodeBinder.Reading reading = binder.reading();
    for (Node extra : documents.subList(1, documents.size())) {
      reading.error(extra, "", "documents", "a second document; this file holds exactly one " + kind.kind()
          + " document", "remove it, or the '---' before it");
    }
    Map<String, Node> fields = DesiredStateLoader.envelope(documents.get(0), sourceMap, reading);
    if (fields == null) {
      return new ConfigDocument<>(null, null, sourceMap, diagnostics);
    }
    Node kindNode = fields.get("kind");
    if (kindNode != null) {
      reading.record("kind", kindNode);
      String given = ValueTypes.stringOf(kindNode);
      if (!kind.kind().equals(given)) {
        reading.error(kindNode, "kind", "kind", "kind must be " + kind.kind() + ", got " + NodeBinder.describe(kindNode),
            "this file configures the " + kind.kind().toLowerCase(java.util.Locale.ROOT) + "; write kind: " + kind.kind());
      }
    }
    M metadata = metadataType.cast(bound(binder, fields.get("metadata"), metadataType, "metadata", "give it a name"));
    S spec = specType.cast(bound(binder, fields.get("spec"), specType, "spec", "give the settings, or {}"));
    return new ConfigDocument<>(metadata, spec, sourceMap, diagnostics);
  }

  private static Object bound(NodeBinder binder, Node node, Class<?> type, String path, String hint) {
    if (node == null) {
      return null;
    }
    if (NodeBinder.isNull(node)) {
      binder.reading().error(node, path, "null", path + " has no value", hint);
      return null;
    }
    return binder.bind(node, type, path, null);
  }
}
