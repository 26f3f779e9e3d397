package io.uctrust.target.cucm.platform;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What to ask a node for in {@code POST identity/selfsigned} ({@link PlatformApi#SELF_SIGNED}, an
 * assumption): a new key pair and self-signed identity for {@code service} (e.g. {@code tomcat}) with the
 * key type ({@code RSA} or {@code EC}) and length, hash, common name, subject alternative names and validity
 * in days. Checked against Unified CM's rules on construction like {@link CsrRequest}: no wildcard names,
 * RSA keys at most 4096 bits, a positive validity.
 *
 * <p>Not for: CA-signed identities ({@link CsrRequest} and {@link PlatformClient#uploadIdentity}), or
 * choosing the values (the planner does that).
 */
public record SelfSignedRequest(String service, String keyType, int keyLength, String hashAlgorithm, String commonName,
    List<String> altNames, int validityDays) {

  public static final String RSA = "RSA";
  public static final String EC = "EC";

  public SelfSignedRequest {
    nonBlank(service, "service");
    nonBlank(keyType, "key type");
    nonBlank(hashAlgorithm, "hash algorithm");
    nonBlank(commonName, "common name");
    noWildcard(commonName);
    String type = keyType.strip().toUpperCase(Locale.ROOT);
    if (!type.equals(RSA) && !type.equals(EC)) {
      throw new IllegalArgumentException("the self-signed key type must be RSA or EC (got " + keyType + ")");
    }
    keyType = type;
    if (keyLength < 1) {
      throw new IllegalArgumentException("the self-signed key length must be positive (got " + keyLength + ")");
    }
    if (RSA.equals(keyType) && keyLength > CsrRequest.MAX_RSA_BITS) {
      throw new IllegalArgumentException("Unified CM accepts RSA keys of at most " + CsrRequest.MAX_RSA_BITS
          + " bits (got " + keyLength + ")");
    }
    if (validityDays < 1) {
      throw new IllegalArgumentException("the self-signed validity must be at least one day (got " + validityDays + ")");
    }
    altNames = altNames == null ? List.of() : List.copyOf(altNames);
    for (String name : altNames) {
      nonBlank(name, "alternative name");
      if (!CsrRequest.allowsWildcards(service)) {
        noWildcard(name);
      }
    }
  }

  private static void nonBlank(String value, String what) {
    if (Objects.requireNonNull(value, what).isBlank()) {
      throw new IllegalArgumentException("the self-signed " + what + " must not be blank");
    }
  }

  private static void noWildcard(String name) {
    if (name.indexOf('*') >= 0) {
      throw new IllegalArgumentException("Unified CM does not accept wildcard certificates (got " + name + ")");
    }
  }
}
