package io.uctrust.target.snapshot;

import io.uctrust.cluster.ClusterException;
import io.uctrust.cluster.ClusterPort;
import io.uctrust.cluster.Operation;
import io.uctrust.cluster.SecretResolver;
import io.uctrust.desired.CertificateSpec;
import io.uctrust.observed.ObservedCluster;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A cluster port over one recorded cluster: {@link #observe()} gives what was recorded, and everything that would
 * change or contact the cluster fails, saying so. What a dry run against a snapshot reads instead of the cluster.
 *
 * <p>Not for: applying, or checking what a node serves: a snapshot has no nodes to ask.
 */
public final class SnapshotCluster implements ClusterPort {

  private final Path file;
  private final Snapshot.RecordedCluster recorded;

  SnapshotCluster(Path file, Snapshot.RecordedCluster recorded) {
    this.file = file;
    this.recorded = recorded;
  }

  /** The cluster as recorded, with its metadata and online CA probe. */
  public Snapshot.RecordedCluster recorded() {
    return recorded;
  }

  /** Where the plan's cluster state came from, for the plan's {@code target}: "snapshot FILE observed TIME". */
  public String describe() {
    return "snapshot " + file + " observed " + recorded.observedAt();
  }

  @Override
  public ObservedCluster observe() {
    return recorded.observed();
  }

  @Override
  public String perform(Operation operation, SecretResolver secrets) throws ClusterException {
    throw refused("perform " + operation.getClass().getSimpleName());
  }

  @Override
  public String requestCsr(Operation.IssueIdentity request) throws ClusterException {
    throw refused("request a CSR from " + request.node());
  }

  @Override
  public X509Certificate identity(String node, CertificateSpec.Service service) throws ClusterException {
    throw refused("read the identity store of " + node);
  }

  @Override
  public List<X509Certificate> servedChain(String node, CertificateSpec.Service service, CertificateSpec.KeyType keyType)
      throws ClusterException {
    throw refused("connect to " + node);
  }

  @Override
  public void close() {
    // nothing was opened
  }

  private ClusterException refused(String what) {
    return new ClusterException("a snapshot cannot " + what + " (" + file + " is a recording of cluster '"
        + recorded.cluster() + "'); plan with --dry-run, apply against the live cluster");
  }
}
