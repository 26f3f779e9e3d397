package io.uctrust.reconcile;

import io.uctrust.cluster.ClusterException;
import io.uctrust.cluster.SecretReader;
import io.uctrust.cluster.SecretResolver;
import io.uctrust.desired.SecretRef;
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

  private final SecretReader reader;
  private final Map<String, String> generated = new LinkedHashMap<>();

  Secrets(Map<String, String> environment) {
    this.reader = new SecretReader(environment);
  }

  @Override
  public String resolve(SecretRef ref, String subject) throws ClusterException {
    return switch (ref.source()) {
      case ENV, FILE, LITERAL -> reader.read(ref, null);
      case GENERATE_UNIQUE -> {
        int length = 4 + RANDOM.nextInt(7);
        StringBuilder digits = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
          digits.append((char) ('0' + RANDOM.nextInt(10)));
        }
        generated.put(subject, digits.toString());
        yield digits.toString();
      }
    };
  }

  /** The strings generated so far, by subject. */
  Map<String, String> generated() {
    return generated;
  }
}
