package io.uctrust.reconcile;

import io.uctrust.cluster.ClusterException;
import io.uctrust.cluster.SecretResolver;
import io.uctrust.desired.SecretRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Resolves secret references when an operation runs: {@code env:NAME} from the environment, {@code
 * file:PATH} from a file (absolute by then), {@code generate-unique} as a fresh 4 to 10 digit string per
 * subject (phone), remembered so it can be handed to the administrator once.
 */
final class Secrets implements SecretResolver {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Map<String, String> environment;
  private final Map<String, String> generated = new LinkedHashMap<>();

  Secrets(Map<String, String> environment) {
    this.environment = environment;
  }

  @Override
  public String resolve(SecretRef ref, String subject) throws ClusterException {
    return switch (ref.source()) {
      case ENV -> {
        String value = environment.get(ref.reference());
        if (value == null || value.isEmpty()) {
          throw new ClusterException("secret " + ref + " is not set in the environment");
        }
        yield value;
      }
      case FILE -> {
        try {
          yield Files.readString(Path.of(ref.reference())).strip();
        } catch (IOException e) {
          throw new ClusterException("secret " + ref + " cannot be read (" + e.getClass().getSimpleName() + ")");
        }
      }
      case GENERATE_UNIQUE -> {
        int length = 4 + RANDOM.nextInt(7);
        StringBuilder digits = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
          digits.append((char) ('0' + RANDOM.nextInt(10)));
        }
        generated.put(subject, digits.toString());
        yield digits.toString();
      }
      case LITERAL -> ref.reference();
    };
  }

  /** The strings generated so far, by subject. */
  Map<String, String> generated() {
    return generated;
  }
}
