package io.uctrust.target.cucm.platform;

import java.util.List;

/**
 * What {@code GET snapshot/server} says about one node: its name as the node gives it (may be null), its
 * identity certificates (one entry per service) and its trusted certificates (one entry per certificate,
 * each with the service whose trust store holds it in {@link PlatformCertificate#service()}: {@code tomcat}
 * for tomcat-trust).
 *
 * <p>Not for: the cluster's other nodes (each node has its own snapshot), or settings the API does not
 * expose (certificate monitor, OCSP).
 */
public record PlatformSnapshot(String server, List<PlatformCertificate> identities, List<PlatformCertificate> trusts) {

  public PlatformSnapshot {
    identities = List.copyOf(identities);
    trusts = List.copyOf(trusts);
  }

  /** The identity of {@code service} (case-insensitive), or null. */
  public PlatformCertificate identity(String service) {
    return identities.stream().filter(c -> c.service().equalsIgnoreCase(service)).findFirst().orElse(null);
  }

  /**
   * The trusted certificates of {@code service}'s trust store ({@code tomcat} or {@code tomcat-trust},
   * case-insensitive), in the order the node listed them.
   */
  public List<PlatformCertificate> trusts(String service) {
    String wanted = PlatformResponses.serviceOfStore(service);
    return trusts.stream().filter(c -> c.service().equalsIgnoreCase(wanted)).toList();
  }
}
