package io.uctrust.controller;

import io.uctrust.desired.DesiredState;
import io.uctrust.desired.MonitoringSpec;
import io.uctrust.observed.ObservedCluster;
import io.uctrust.pki.OcspChecker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cluster's periodic checks, run by {@link MonitorJob}s on the cluster as this instance's last reconcile observed it:
 * expiry notifications ({@link ExpiryMonitor}, hourly, so notifications near expiry come every hour as Cisco's monitor
 * sends them), stale LSCs ({@link StaleLscReporter}, every notification frequency) and OCSP revocation checks ({@link
 * RevocationMonitor}, every {@code checkEvery}, when OCSP is on; what is revoked is stored for the planner, which
 * re-issues it on the next reconcile). It is also the controller's {@link TriggerPlanner}: the intervals come from the
 * cluster's Monitoring document at the commit just reconciled.
 *
 * <p>Not for: observing clusters itself (it is handed the latest observation: the last reconcile's on this instance, or
 * one the {@link ReconcileRunner} makes for it), or notifications of reconcile runs (the runner sends those).
 */
public final class ClusterMonitor implements TriggerPlanner {

  /** The scheduler context key of the running {@link ClusterMonitor}. */
  public static final String CONTEXT = "uctrust.cluster-monitor";

  /** The checks, each a periodic job per cluster named by {@link #jobName()}. */
  public enum Check {
    EXPIRY("expiry"),
    STALE_LSC("stale-lsc"),
    REVOCATION("revocation");

    private final String jobName;

    Check(String jobName) {
      this.jobName = jobName;
    }

    /** The job's name within its cluster ({@code lab.expiry}). */
    public String jobName() {
      return jobName;
    }

    /** The check of a job name. */
    public static Optional<Check> ofJobName(String name) {
      for (Check check : values()) {
        if (check.jobName.equals(name)) {
          return Optional.of(check);
        }
      }
      return Optional.empty();
    }
  }

  /**
   * What the last reconcile on this instance saw of a cluster.
   *
   * @param observed the cluster
   * @param monitoring its Monitoring document at that commit; null when it has none
   * @param at when it was observed
   */
  public record Observation(ObservedCluster observed, MonitoringSpec monitoring, Instant at) {
    public Observation {
      Objects.requireNonNull(observed, "observed");
      Objects.requireNonNull(at, "at");
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger(ClusterMonitor.class);
  private static final Duration HOURLY = Duration.ofHours(1);

  private final Notifier notifier;
  private final RevokedCertificates revoked;
  private final ExpiryMonitor expiry;
  private final StaleLscReporter staleLscs;
  private final RevocationMonitor revocation;
  private final Function<String, Optional<Observation>> observations;

  /**
   * @param observations the latest observation of a cluster (the reconcile runner's, or one made for the check)
   */
  public ClusterMonitor(Clock clock, Notifier notifier, RevokedCertificates revoked,
      Function<String, Optional<Observation>> observations) {
    this.notifier = notifier;
    this.revoked = revoked;
    this.expiry = new ExpiryMonitor(clock);
    this.staleLscs = new StaleLscReporter(clock);
    this.revocation = new RevocationMonitor(new OcspChecker(clock), clock);
    this.observations = observations;
  }

  /** The checks of {@code cluster} with the intervals its Monitoring document in {@code state} asks for. */
  @Override
  public TriggerPlan plan(String cluster, DesiredState state) {
    MonitoringSettings settings = MonitoringSettings.of(ReconcileRunner.monitoring(cluster, state), null);
    return new TriggerPlan(cluster, List.of(
        new TriggerPlan.Periodic(Check.EXPIRY.jobName(), MonitorJob.class, HOURLY, Map.of()),
        new TriggerPlan.Periodic(Check.STALE_LSC.jobName(), MonitorJob.class, settings.frequency(), Map.of()),
        // the cluster's own OCSP setting may turn checks on: the job looks at run time
        new TriggerPlan.Periodic(Check.REVOCATION.jobName(), MonitorJob.class, settings.checkEvery(), Map.of())));
  }

  /**
   * The observation the checks of {@code cluster} use now: the latest one, or one made for them when there is none
   * recent; empty when the cluster cannot be observed.
   */
  public Optional<Observation> observation(String cluster) {
    return observations.apply(cluster);
  }

  /**
   * Runs {@code check} of {@code cluster} on its latest observation and sends what is due; returns the notifications
   * it found due (the notifier's ledger decides which of them are sent now), or none when nothing was observed yet.
   */
  public List<Notification> check(String cluster, Check check) {
    Optional<Observation> latest = observation(cluster);
    if (latest.isEmpty()) {
      LOG.info("cluster {}: {} check skipped: the cluster could not be observed", cluster, check.jobName());
      return List.of();
    }
    ObservedCluster observed = latest.get().observed();
    MonitoringSettings settings = MonitoringSettings.of(latest.get().monitoring(), observed);
    List<Notification> due = switch (check) {
      case EXPIRY -> expiry.due(observed, settings);
      case STALE_LSC -> staleLscs.report(observed, settings);
      case REVOCATION -> {
        RevocationMonitor.Report report = revocation.check(observed, settings);
        if (!report.checks().isEmpty()) {
          revoked.remember(report);
        }
        yield report.notifications();
      }
    };
    if (!due.isEmpty()) {
      Notifier.Dispatch dispatch = notifier.send(due);
      dispatch.failures().forEach(f -> LOG.warn("cluster {}: notification {} to {} failed: {}", cluster, f.type(),
          f.channel(), f.message()));
      LOG.info("cluster {}: {} check: {} due, {} digest{} sent", cluster, check.jobName(), due.size(),
          dispatch.sent().size(), dispatch.sent().size() == 1 ? "" : "s");
    }
    return due;
  }
}
