package io.uctrust.desired;

import io.uctrust.diagnostic.SourceLocation;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One desired-state document ({@code apiVersion: uctrust/v1}, kind, metadata, spec) with where it came
 * from, so that any later finding can point at the exact line.
 *
 * @param <S> the spec record of the kind
 */
public record Document<S>(Kind kind, Metadata metadata, S spec, SourceMap sourceMap, int index) {

  public static final String API_VERSION = "uctrust/v1";

  public Document {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(sourceMap, "sourceMap");
  }

  public Path file() {
    return sourceMap.file();
  }

  public String name() {
    return metadata.name();
  }

  /** Location of a field, as a path below the document ({@code spec.ports[0].phone}). */
  public SourceLocation locate(String path) {
    return sourceMap.locate(path);
  }

  /** Resolves a file reference written in this document (relative to its YAML file). */
  public Path resolve(String relative) {
    Path parent = file().toAbsolutePath().getParent();
    return parent.resolve(relative).normalize();
  }

  /** {@code Kind/name}, as documents are named in messages. */
  public String address() {
    return kind.yaml() + "/" + metadata.name();
  }

  @Override
  public String toString() {
    return address();
  }
}
