package io.uctrust.cluster;

import io.uctrust.observed.ObservedCluster.Owner;
import java.util.Set;
import javax.security.auth.x500.X500Principal;

/**
 * Who put a trust entry on a real cluster, told from what the cluster keeps: uctrust marks the description
 * of every certificate it uploads with {@value #MARK}; Cisco's own entries are the cluster's node
 * certificates (each node's identities, distributed to the trust stores) and certificates whose subject
 * names Cisco as the organisation (the manufacturing roots); everything else was put there by someone
 * else. Pruning removes only uctrust's entries, so the mark is what keeps uctrust off other people's
 * certificates.
 *
 * <p>Not for: the in-process lab, which records the owner directly.
 */
public final class TrustOwnership {

  /** Prefix of the description of every trust certificate uctrust uploads. */
  public static final String MARK = "uctrust: ";

  private TrustOwnership() {}

  /** The description uctrust stores on the cluster for a certificate it uploads. */
  public static String marked(String description) {
    return MARK + (description == null ? "" : description);
  }

  /** The description as the desired state gave it (the mark removed), or null when there is none. */
  public static String plain(String stored) {
    if (stored == null) {
      return null;
    }
    return stored.startsWith(MARK) ? stored.substring(MARK.length()) : stored;
  }

  /**
   * The owner of an entry with the stored {@code description} and certificate {@code subject} whose SHA-256
   * fingerprint is {@code sha256}; {@code clusterIdentities} are the fingerprints of all the cluster's node
   * identity certificates.
   */
  public static Owner owner(String description, X500Principal subject, String sha256, Set<String> clusterIdentities) {
    if (description != null && description.startsWith(MARK)) {
      return Owner.UCTRUST;
    }
    if (clusterIdentities.contains(sha256) || isCisco(subject)) {
      return Owner.CISCO;
    }
    return Owner.OTHER;
  }

  private static boolean isCisco(X500Principal subject) {
    for (String rdn : subject.getName(X500Principal.RFC2253).split("(?<!\\\\),")) {
      String trimmed = rdn.strip();
      if (trimmed.regionMatches(true, 0, "O=", 0, 2)) {
        String organisation = trimmed.substring(2).strip();
        if (organisation.equalsIgnoreCase("Cisco") || organisation.equalsIgnoreCase("Cisco Systems")
            || organisation.equalsIgnoreCase("Cisco Systems, Inc.") || organisation.equalsIgnoreCase("Cisco Systems\\, Inc.")) {
          return true;
        }
      }
    }
    return false;
  }
}
