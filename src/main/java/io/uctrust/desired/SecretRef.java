package io.uctrust.desired;

import java.util.Objects;

/**
 * A reference to a secret (CA password, authentication string, private key): {@code env:NAME} reads an
 * environment variable, {@code file:PATH} a file (relative to the YAML file that names it), and {@code
 * generate-unique} asks uctrust to generate one where the field allows it. A literal value is kept only
 * so that validation can reject it (unless literals are explicitly allowed).
 *
 * <p>{@link #toString()} never shows a literal value. Not for: holding a resolved secret; resolution
 * happens at apply time and the value must not be stored in any desired-state object.
 */
public record SecretRef(Source source, String reference) {

  /** How the secret is obtained. */
  public enum Source {
    ENV,
    FILE,
    GENERATE_UNIQUE,
    LITERAL
  }

  public static final String GENERATE_UNIQUE = "generate-unique";

  public SecretRef {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(reference, "reference");
  }

  /** Parses the YAML text of a secret field; anything that is not a reference is a literal. */
  public static SecretRef parse(String text) {
    if (text.startsWith("env:")) {
      return new SecretRef(Source.ENV, text.substring(4));
    }
    if (text.startsWith("file:")) {
      return new SecretRef(Source.FILE, text.substring(5));
    }
    if (text.equals(GENERATE_UNIQUE)) {
      return new SecretRef(Source.GENERATE_UNIQUE, "");
    }
    return new SecretRef(Source.LITERAL, text);
  }

  public boolean isLiteral() {
    return source == Source.LITERAL;
  }

  /** The reference as a user wrote it, with literal values replaced by {@code <redacted>}. */
  @Override
  public String toString() {
    return switch (source) {
      case ENV -> "env:" + reference;
      case FILE -> "file:" + reference;
      case GENERATE_UNIQUE -> GENERATE_UNIQUE;
      case LITERAL -> "<redacted>";
    };
  }
}
