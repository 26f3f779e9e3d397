package io.uctrust.controller;

import io.uctrust.controller.ControllerStatus.Certificate;
import io.uctrust.controller.ControllerStatus.Cluster;
import io.uctrust.controller.ControllerStatus.Commit;
import io.uctrust.controller.ControllerStatus.Repository;
import io.uctrust.controller.ControllerStatus.Run;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The controller's latest status, kept up to date by the runs ({@link #ran}) and by a periodic read of the shared
 * database ({@link #refreshed}: runs of other instances, suspension, the next run), and handed out as an immutable
 * {@link ControllerStatus} to the HTTP side at no cost. Thread safe.
 *
 * <p>Not for: the history (the database has it) or anything secret (the status is public).
 */
public final class StatusBoard implements StatusSource {

  private final String instance;
  private final Instant startedAt;
  private final Map<String, Cluster> clusters = new LinkedHashMap<>();
  private boolean ready;
  private List<String> notReady = List.of("starting");

  /** A board of {@code clusters} (their initial entries, in configuration order). */
  public StatusBoard(String instance, Instant startedAt, List<Cluster> clusters) {
    this.instance = instance;
    this.startedAt = startedAt;
    clusters.forEach(c -> this.clusters.put(c.name(), c));
  }

  @Override
  public synchronized ControllerStatus status() {
    return new ControllerStatus(instance, startedAt, ready, notReady, new ArrayList<>(clusters.values()));
  }

  /** The entry of {@code cluster}. */
  public synchronized Cluster cluster(String cluster) {
    return clusters.get(cluster);
  }

  /** The reason an instance is not ready while {@code cluster} has no finished run. */
  static String noRunYet(String cluster) {
    return "cluster " + cluster + ": no run has finished yet";
  }

  /** Sets readiness and why not. */
  public synchronized void readiness(boolean isReady, List<String> reasons) {
    this.ready = isReady;
    this.notReady = isReady ? List.of() : List.copyOf(reasons);
  }

  /**
   * Records a run of this instance: its result, the commit it saw, its drift and what it observed of the cluster's
   * certificates (null: not observed, keep the last known).
   */
  public synchronized void ran(String cluster, Run run, Commit seen, int drift, Instant lastSuccessfulSync,
      List<Certificate> certificates, Integer notificationStartDays) {
    // ready as soon as the run is recorded, not at the next refresh from the database
    List<String> left = notReady.stream().filter(r -> !r.equals(noRunYet(cluster))).toList();
    if (left.size() != notReady.size()) {
      readiness(left.isEmpty(), left);
    }
    Cluster c = clusters.get(cluster);
    Repository repository = c.repository() == null ? null
        : new Repository(c.repository().name(), c.repository().url(), seen != null ? seen : c.repository().lastSeen());
    clusters.put(cluster, new Cluster(c.name(), c.mode(), c.suspended(), repository, run,
        lastSuccessfulSync != null ? lastSuccessfulSync : c.lastSuccessfulSync(), drift, c.nextRun(),
        notificationStartDays != null ? notificationStartDays : c.notificationStartDays(),
        certificates != null ? certificates : c.certificates()));
  }

  /** Records what the database says of {@code cluster} now (the last run of any instance, when newer). */
  public synchronized void refreshed(String cluster, Run lastRun, Commit seen, int drift, Instant lastSuccessfulSync,
      boolean suspended, Instant nextRun) {
    Cluster c = clusters.get(cluster);
    boolean newer = lastRun != null && (c.lastRun() == null || lastRun.startedAt().isAfter(c.lastRun().startedAt()));
    Repository repository = c.repository() == null || !newer || seen == null ? c.repository()
        : new Repository(c.repository().name(), c.repository().url(), seen);
    clusters.put(cluster, new Cluster(c.name(), c.mode(), suspended, repository, newer ? lastRun : c.lastRun(),
        lastSuccessfulSync != null ? lastSuccessfulSync : c.lastSuccessfulSync(), newer ? drift : c.drift(), nextRun,
        c.notificationStartDays(), c.certificates()));
  }
}
