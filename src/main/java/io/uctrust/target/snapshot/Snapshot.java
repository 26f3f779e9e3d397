package io.uctrust.target.snapshot;

import io.uctrust.capf.OnlineCaClient;
import io.uctrust.observed.ObservedCluster;
import io.uctrust.pki.Pem;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What {@code uctrust snapshot save} recorded of the clusters of a desired state: per cluster its observed state (secrets
 * redacted), when and through which target it was observed, and its online CA as probed from where it was recorded.
 * A plan made against it equals the plan made against the live cluster at that moment.
 *
 * <p>Not for: applying (a snapshot is no cluster) or restoring a cluster; nor as proof of what a cluster holds now.
 *
 * @param format {@link #FORMAT}; a reader refuses any other
 * @param uctrustVersion the uctrust that recorded it
 * @param savedAt when it was written
 */
public record Snapshot(String format, String uctrustVersion, Instant savedAt, List<RecordedCluster> clusters) {

  public static final String FORMAT = "uctrust.snapshot/v1";

  public Snapshot {
    clusters = List.copyOf(clusters);
  }

  /** The recorded cluster named {@code name}. */
  public Optional<RecordedCluster> cluster(String name) {
    return clusters.stream().filter(c -> c.cluster().equals(name)).findFirst();
  }

  /**
   * One cluster as it was observed.
   *
   * @param target the Cluster document's target type when it was observed ({@code lab}, {@code cucm})
   * @param onlineCaProbe the Capf document's online CA as probed then; null when the cluster used none
   * @param redacted how many values the writer redacted (0 normally: the fingerprint is then the live cluster's)
   */
  public record RecordedCluster(String cluster, String target, Instant observedAt, RecordedProbe onlineCaProbe,
      int redacted, ObservedCluster observed) {}

  /**
   * An online CA probe as recorded: which host and port were probed, and what {@link OnlineCaClient.Probe} found, the
   * served chain as PEM. Trusted no more than a live probe: the planner checks the chain against CAPF-trust.
   */
  public record RecordedProbe(String host, int port, boolean resolved, List<String> addresses, List<String> servedChain,
      String error) {

    public RecordedProbe {
      addresses = addresses == null ? List.of() : List.copyOf(addresses);
      servedChain = servedChain == null ? List.of() : List.copyOf(servedChain);
    }

    /** The record of {@code probe}, a probe of {@code host} on {@code port}. */
    public static RecordedProbe of(String host, int port, OnlineCaClient.Probe probe) {
      return new RecordedProbe(host, port, probe.resolved(), probe.addresses(),
          probe.servedChain().stream().map(Pem::encode).toList(), probe.error());
    }

    /** The probe, as the planner takes it. */
    public OnlineCaClient.Probe probe() {
      List<X509Certificate> chain = servedChain.stream().map(Pem::certificate).toList();
      return new OnlineCaClient.Probe(resolved, addresses, chain, error);
    }
  }
}
