package io.uctrust.target.cucm.platform;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What to ask a node for in {@code POST csr}: the service whose key pair the node generates (and keeps:
 * a CSR is bound to it, so always upload against the latest CSR), {@code this-server} or
 * {@code multi-server} distribution, the common name, key type and length, hash, and subject alternative
 * names. Checked against Unified CM's rules on construction: no wildcard names, RSA keys at most 4096
 * bits.
 *
 * <p>Not for: CSRs uctrust makes itself (the node keeps the private key), or choosing the values (the
 * planner does that).
 */
public record CsrRequest(String service, String distribution, String commonName, String keyType, int keyLength,
    String hashAlgorithm, List<String> altNames) {

  /** One node's own certificate (observed value). */
  public static final String THIS_SERVER = "this-server";
  /** One certificate for several nodes of the cluster, named in the alternative names (assumed value). */
  public static final String MULTI_SERVER = "multi-server";
  public static final String RSA = "rsa";
  public static final String EC = "ec";
  public static final int MAX_RSA_BITS = 4096;

  public CsrRequest {
    nonBlank(service, "service");
    nonBlank(distribution, "distribution");
    nonBlank(commonName, "common name");
    nonBlank(keyType, "key type");
    nonBlank(hashAlgorithm, "hash algorithm");
    noWildcard(commonName);
    if (keyLength < 1) {
      throw new IllegalArgumentException("the CSR key length must be positive (got " + keyLength + ")");
    }
    if (RSA.equals(keyType.toLowerCase(Locale.ROOT)) && keyLength > MAX_RSA_BITS) {
      throw new IllegalArgumentException("Unified CM accepts RSA keys of at most " + MAX_RSA_BITS + " bits (got "
          + keyLength + ")");
    }
    altNames = altNames == null ? List.of() : List.copyOf(altNames);
    for (String name : altNames) {
      nonBlank(name, "alternative name");
      if (!allowsWildcards(service)) {
        noWildcard(name);
      }
    }
  }

  /** A {@code this-server} RSA 2048 / SHA-256 request. */
  public static CsrRequest thisServer(String service, String commonName, List<String> altNames) {
    return new CsrRequest(service, THIS_SERVER, commonName, RSA, 2048, "sha256", altNames);
  }

  private static void nonBlank(String value, String what) {
    if (Objects.requireNonNull(value, what).isBlank()) {
      throw new IllegalArgumentException("the CSR " + what + " must not be blank");
    }
  }

  /**
   * IM and Presence XMPP certificates may carry wildcard names (Enable Wildcards in XMPP Federation Security
   * Certificates); Unified CM's own certificates may not.
   */
  static boolean allowsWildcards(String service) {
    return service.strip().toLowerCase(java.util.Locale.ROOT).startsWith("cup-xmpp");
  }

  private static void noWildcard(String name) {
    if (name.indexOf('*') >= 0) {
      throw new IllegalArgumentException("Unified CM does not accept wildcard certificates (got " + name + ")");
    }
  }
}
