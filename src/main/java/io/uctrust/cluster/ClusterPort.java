package io.uctrust.cluster;

import io.uctrust.observed.ObservedCluster;

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

  @Override
  void close() throws ClusterException;
}
