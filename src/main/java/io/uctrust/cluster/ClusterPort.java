package io.uctrust.cluster;

import io.uctrust.desired.CertificateSpec;
import io.uctrust.observed.ObservedCluster;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The one interface through which uctrust reads and changes a cluster. The embedded lab implements it
 * now; the real-cluster adapter (AXL, platform REST, ControlCenterServices, admin CLI) implements the
 * same interface.
 *
 * <p>Not for: deciding what to change (the planner does that) or holding state between runs.
 */
public interface ClusterPort extends AutoCloseable {

  /** Reads a consistent snapshot of everything uctrust manages. */
  ObservedCluster observe() throws ClusterException;

  /** Performs one operation; returns a one-line result for the outcome record. */
  String perform(Operation operation, SecretResolver secrets) throws ClusterException;

  /**
   * Has {@code request.node()} generate a key pair and a CSR for the request's service, names, key and subject, and
   * returns the CSR (PEM). The node keeps the key: a later {@link Operation.InstallIdentity} must match this CSR,
   * and a newer CSR replaces it.
   */
  String requestCsr(Operation.IssueIdentity request) throws ClusterException;

  /**
   * The leaf certificate in {@code node}'s identity store for {@code service}: what the service serves once it has
   * restarted. Fails when the node has no such identity.
   */
  X509Certificate identity(String node, CertificateSpec.Service service) throws ClusterException;

  /**
   * The chain a TLS handshake with {@code service} on {@code node} returns, leaf first ({@link IdentityPort}); where an
   * RSA and an ECDSA identity share the port, the one for a key of {@code keyType}. Nothing about the chain is
   * trusted: the caller compares its bytes. Fails when nothing answers or the service has no TLS port.
   */
  List<X509Certificate> servedChain(String node, CertificateSpec.Service service, CertificateSpec.KeyType keyType)
      throws ClusterException;

  @Override
  void close() throws ClusterException;
}
