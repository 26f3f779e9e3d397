package io.uctrust.cluster;

import io.uctrust.desired.SecretRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads the value behind a secret reference: {@code env:NAME} from the given environment, {@code
 * file:PATH} from a file (relative paths against a base folder, usually the YAML file's), a literal as
 * written. Errors name the reference and never a value.
 *
 * <p>Not for: {@code generate-unique}, which makes values rather than reading them (the reconciler's
 * resolver does that), or keeping values: read them when they are needed.
 */
public final class SecretReader {

  private final Map<String, String> environment;

  public SecretReader(Map<String, String> environment) {
    this.environment = environment;
  }

  /** The value of {@code ref}; {@code base} resolves relative file paths (null: as given). */
  public String read(SecretRef ref, Path base) throws ClusterException {
    return switch (ref.source()) {
      case ENV -> {
        String value = environment.get(ref.reference());
        if (value == null || value.isEmpty()) {
          throw new ClusterException("secret " + ref + " is not set in the environment");
        }
        yield value;
      }
      case FILE -> {
        Path file = base == null ? Path.of(ref.reference()) : base.resolve(ref.reference());
        try {
          yield Files.readString(file).strip();
        } catch (IOException e) {
          throw new ClusterException("secret " + ref + " cannot be read (" + e.getClass().getSimpleName() + ")");
        }
      }
      case LITERAL -> ref.reference();
      case GENERATE_UNIQUE -> throw new ClusterException("secret " + ref + " cannot be read: generate-unique makes a new "
          + "value per phone and is only allowed for authentication strings");
    };
  }
}
