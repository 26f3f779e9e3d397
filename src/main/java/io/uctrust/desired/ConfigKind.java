package io.uctrust.desired;

import java.util.Locale;
import java.util.Objects;

/**
 * A kind of configuration document that is not desired state but is written the same way ({@code apiVersion:
 * uctrust/v1}, {@code kind}, {@code metadata}, {@code spec}) and bound, checked and published as JSON Schema with the
 * same model annotations: the controller's {@code controller.yaml}.
 *
 * <p>Not for: desired-state kinds ({@link Kind}); a configuration kind is never accepted in a desired-state folder.
 *
 * @param kind the spelling in {@code kind:}
 * @param metadataType the record {@code metadata} binds to
 * @param specType the record {@code spec} binds to
 */
public record ConfigKind(String kind, Class<?> metadataType, Class<?> specType) {

  public ConfigKind {
    Objects.requireNonNull(kind, "kind");
    if (!metadataType.isRecord() || !specType.isRecord()) {
      throw new IllegalArgumentException("metadata and spec of " + kind + " must be records");
    }
  }

  /** File name of its JSON Schema in {@code schemas/}. */
  public String schemaFile() {
    return kind.toLowerCase(Locale.ROOT) + ".schema.json";
  }
}
