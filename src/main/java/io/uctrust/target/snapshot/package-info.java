/**
 * Recorded snapshots: what {@code uctrust snapshot save} observed of a desired state's clusters, written to one JSON
 * file, and a read-only cluster port over it, so {@code reconcile --dry-run --against FILE} plans without credentials
 * or network (a CI job). A target like {@code lab} and {@code cucm}, since the reconciler reads it through the same
 * {@link io.uctrust.cluster.ClusterPort}; only it can change nothing.
 *
 * <p>Not for: applying, backups of a cluster, or restoring one.
 */
package io.uctrust.target.snapshot;
