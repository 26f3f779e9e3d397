package io.uctrust.controller;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.uctrust.controller.ControllerStatus.Certificate;
import io.uctrust.controller.ControllerStatus.RunOutcome;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The controller's Prometheus metrics, in a registry of their own: certificate expiry per certificate, reconcile
 * runs and their durations by outcome, drift, last successful sync and {@code uctrust_up}. The scheduler core
 * calls the update methods as runs finish; {@code /metrics} writes the registry in the Prometheus text format.
 *
 * <p>Label cardinality: one expiry series per certificate (subject and sha256 are labels, so two certificates
 * with one subject stay apart); a cluster's phone LSCs add one series each, which the core may choose to leave
 * out. Not for: the status page or {@code /api/status} (they read {@link ControllerStatus}), or JVM metrics.
 */
public final class ControllerMetrics {
  /** The content type {@link #writeText} produces: Prometheus text format 0.0.4. */
  public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

  /** Reconcile durations run from seconds (in sync, lab) to an hour (thousands of phones, paced). */
  private static final double[] DURATION_BUCKETS = {0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600};

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
  private final Gauge expiry = Gauge.builder()
      .name("uctrust_certificate_expiry_timestamp_seconds")
      .help("End of a certificate's validity (notAfter) as a Unix timestamp")
      .labelNames("cluster", "node", "store", "kind", "subject", "sha256")
      .register(registry);
  private final Counter runs = Counter.builder()
      .name("uctrust_reconcile_runs_total")
      .help("Finished reconcile runs by outcome (succeeded, failed, drift-only, in-sync)")
      .labelNames("cluster", "outcome")
      .register(registry);
  private final Histogram durations = Histogram.builder()
      .name("uctrust_reconcile_duration_seconds")
      .help("Duration of finished reconcile runs by outcome")
      .labelNames("cluster", "outcome")
      .classicOnly()
      .classicUpperBounds(DURATION_BUCKETS)
      .register(registry);
  private final Gauge drift = Gauge.builder()
      .name("uctrust_drift_changes")
      .help("Planned changes the last run did not apply")
      .labelNames("cluster")
      .register(registry);
  private final Gauge lastSync = Gauge.builder()
      .name("uctrust_last_successful_sync_timestamp_seconds")
      .help("When a run last left the cluster as desired, as a Unix timestamp")
      .labelNames("cluster")
      .register(registry);

  /** The expiry label values exported per cluster, so that a new list can drop the certificates that left. */
  private final Map<String, Set<List<String>>> exported = new HashMap<>();
  private final Set<String> clusters = new HashSet<>();

  public ControllerMetrics() {
    Gauge.builder().name("uctrust_up").help("1 while the controller serves").register(registry).set(1);
  }

  /** The registry, for collectors the core adds (e.g. JVM metrics). */
  public PrometheusRegistry registry() {
    return registry;
  }

  /** Counts a finished run of {@code cluster} and observes its duration. */
  public void runFinished(String cluster, RunOutcome outcome, Duration duration) {
    known(cluster);
    runs.labelValues(cluster, outcome.label()).inc();
    durations.labelValues(cluster, outcome.label()).observe(duration.toNanos() / 1e9);
  }

  /**
   * Replaces the expiry series of {@code cluster} with one per certificate in {@code certificates}: a
   * certificate no longer listed loses its series (rather than reporting a stale expiry forever).
   */
  public synchronized void certificates(String cluster, List<Certificate> certificates) {
    known(cluster);
    Set<List<String>> now = new HashSet<>();
    for (Certificate c : certificates) {
      List<String> labels = List.of(cluster, c.node(), c.store(), c.kind().label(), c.subject(), c.sha256());
      now.add(labels);
      expiry.labelValues(labels.toArray(String[]::new)).set(seconds(c.notAfter()));
    }
    // set the new series before removing the old, so no scrape sees the cluster without certificates
    for (List<String> gone : exported.getOrDefault(cluster, Set.of())) {
      if (!now.contains(gone)) {
        expiry.remove(gone.toArray(String[]::new));
      }
    }
    exported.put(cluster, now);
  }

  /** Sets the number of planned changes of {@code cluster} that are not applied. */
  public void drift(String cluster, int changes) {
    known(cluster);
    drift.labelValues(cluster).set(changes);
  }

  /** Records that a run left {@code cluster} as desired at {@code at}. */
  public void synced(String cluster, Instant at) {
    known(cluster);
    lastSync.labelValues(cluster).set(seconds(at));
  }

  /** Drops every series of a cluster that is no longer managed. */
  public synchronized void forget(String cluster) {
    clusters.remove(cluster);
    exported.remove(cluster);
    expiry.removeIf(labels -> labels.get(0).equals(cluster));
    runs.removeIf(labels -> labels.get(0).equals(cluster));
    durations.removeIf(labels -> labels.get(0).equals(cluster));
    drift.remove(cluster);
    lastSync.remove(cluster);
  }

  /** Writes every metric in the Prometheus text format ({@link #CONTENT_TYPE}). */
  public void writeText(OutputStream out) throws IOException {
    writer.write(out, registry.scrape());
  }

  /** Shows every outcome of a new cluster at 0, so that {@code increase()} sees its first failure. */
  private synchronized void known(String cluster) {
    if (clusters.add(cluster)) {
      for (RunOutcome outcome : RunOutcome.values()) {
        runs.initLabelValues(cluster, outcome.label());
      }
    }
  }

  private static double seconds(Instant instant) {
    return instant.getEpochSecond() + instant.getNano() / 1e9;
  }
}
