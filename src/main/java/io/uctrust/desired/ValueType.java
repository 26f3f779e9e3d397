package io.uctrust.desired;

import java.lang.reflect.AnnotatedElement;
import java.util.Map;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * A desired-state value with its own YAML syntax (a secret reference, a duration, {@code all} or a list
 * of nodes). Each one both reads YAML and describes itself in JSON Schema, so the loader and the
 * published schema cannot drift apart.
 *
 * @param <T> the Java value produced
 */
interface ValueType<T> {

  /**
   * Reads {@code node}, written at field {@code path}; reports problems through {@code reading} and
   * returns null when the value is unusable.
   */
  T read(Node node, String path, AnnotatedElement field, NodeBinder.Reading reading);

  /** The JSON Schema of the YAML form, for a field annotated as {@code field}. */
  Map<String, Object> schema(AnnotatedElement field);
}
