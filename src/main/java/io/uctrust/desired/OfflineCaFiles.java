package io.uctrust.desired;

import java.util.HashSet;
import java.util.Set;

/**
 * Whose file it is under {@code offline-ca/pending/} and {@code offline-ca/signed/}: a service identity's files are
 * named {@code <node>-<service>} ({@code .csr}, {@code .pem}) with a node of a Cluster document and the service as
 * spelled in YAML (multi-server: the first node of the certificate); every other name is a phone's ({@code SEP...}).
 * This is the one rule that tells the two apart.
 *
 * <p>Not for: reading or writing the files (the resolver reads them; the reconciler and the identity signer write).
 */
public final class OfflineCaFiles {
  private OfflineCaFiles() {}

  /** The file name, without extension, of an identity's CSR and signed chain, such as {@code cucm-pub.example.com-tomcat}. */
  public static String identity(String node, CertificateSpec.Service service) {
    return node + "-" + service.yaml();
  }

  /** {@code offline-ca/pending/<node>-<service>.csr}: where the node's CSR waits for the offline CA. */
  public static String pendingCsr(String node, CertificateSpec.Service service) {
    return ResolvedDesired.OFFLINE_PENDING + "/" + identity(node, service) + ".csr";
  }

  /** {@code offline-ca/signed/<node>-<service>.pem}: where the administrator commits the signed chain. */
  public static String signedChain(String node, CertificateSpec.Service service) {
    return ResolvedDesired.OFFLINE_SIGNED + "/" + identity(node, service) + ".pem";
  }

  /** Whether {@code name} (without extension) is an identity's file for a node of {@code state}, not a phone's. */
  public static boolean isIdentity(String name, DesiredState state) {
    return identities(state).contains(name);
  }

  /** Every identity file name {@code state} can have: each node of each Cluster document with each service. */
  public static Set<String> identities(DesiredState state) {
    Set<String> names = new HashSet<>();
    for (Document<ClusterSpec> cluster : state.clusters()) {
      if (cluster.spec() == null || cluster.spec().nodes() == null) {
        continue;
      }
      for (ClusterSpec.ClusterNode node : cluster.spec().nodes()) {
        if (node != null && node.name() != null) {
          for (CertificateSpec.Service service : CertificateSpec.Service.values()) {
            names.add(identity(node.name(), service));
          }
        }
      }
    }
    return names;
  }
}
