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

  @Override
  void close() throws ClusterException;
}
