package io.uctrust.controller;

import io.uctrust.apply.Applier;
import io.uctrust.apply.Outcome;
import io.uctrust.controller.ControllerStatus.Certificate;
import io.uctrust.controller.ControllerStatus.CertificateKind;
import io.uctrust.controller.ControllerStatus.Changes;
import io.uctrust.controller.ControllerStatus.Commit;
import io.uctrust.controller.ControllerStatus.Mode;
import io.uctrust.controller.ControllerStatus.Run;
import io.uctrust.controller.ControllerStatus.RunOutcome;
import io.uctrust.desired.DesiredState;
import io.uctrust.desired.Document;
import io.uctrust.desired.Kind;
import io.uctrust.desired.MonitoringSpec;
import io.uctrust.diagnostic.Diagnostic;
import io.uctrust.gitops.Checkout;
import io.uctrust.gitops.CommitSignatureVerifier;
import io.uctrust.gitops.GitSourceException;
import io.uctrust.gitops.RepositoryFetcher;
import io.uctrust.gitops.SourceRevision;
import io.uctrust.gitops.TrustedKeys;
import io.uctrust.gitops.UnverifiedCommitException;
import io.uctrust.observed.ObservedCluster;
import io.uctrust.plan.Action;
import io.uctrust.plan.Change;
import io.uctrust.plan.Plan;
import io.uctrust.reconcile.ClusterResult;
import io.uctrust.reconcile.ReconcileResult;
import io.uctrust.reconcile.Reconciler;
import io.uctrust.target.ConnectTo;
import io.uctrust.target.TargetOptions;
import io.uctrust.validate.ValidationOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One controller run of one cluster, start to end: fetch its repository (with the signed-commit check when the
 * repository requires it: an unverified commit fails the run and nothing of it is read), then in report mode a dry run
 * that records the drift; in apply mode take the cluster's lease, plan, keep the changes that need a maintenance window
 * out of the plan when none is open, apply the rest (stopping between changes when the controller stops or the lease is
 * lost), release the lease. Every run is recorded in the run history with its changes, the status board and metrics are
 * updated, notifications go out (drift, changes applied, failure, unverified commit), and a new commit rebuilds the
 * cluster's periodic jobs through the {@link TriggerPlanner}.
 *
 * <p>Thread safe; runs of different clusters may run at once (each has its own clone, journal and lease). Not for:
 * scheduling (the {@link ReconcileJob} calls it), or running one cluster twice at once (Quartz prevents that).
 */
public final class ReconcileRunner implements AutoCloseable {

  /** Why a run stopped by the controller's shutdown is recorded as failed (it is resumed, not lost). */
  public static final String STOPPED = "stopped: the controller is stopping; the next run resumes the apply";

  private static final Logger LOG = LoggerFactory.getLogger(ReconcileRunner.class);

  private final ControllerConfig config;
  private final Clock clock;
  private final Map<String, String> environment;
  private final String instance;
  private final ClusterLocker locker;
  private final RunRecorder runs;
  private final Notifier notifier;
  private final StatusBoard board;
  private final ControllerMetrics metrics;
  private final ControllerScheduler scheduler;
  private final TriggerPlanner monitors;
  private final RevokedCertificates revoked;
  private final Map<String, ClusterMonitor.Observation> observations;
  private final BooleanSupplier stopping;
  private final ScheduledExecutorService renewals = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "uctrust-lease-renewal");
    t.setDaemon(true);
    return t;
  });

  /**
   * The services a run needs.
   *
   * @param instance this controller instance's id: the lease owner and the run's instance
   * @param revoked the certificates OCSP found revoked, which the plan issues anew
   * @param observations where each run leaves what it observed of its cluster, for the periodic checks
   * @param stopping true once the controller stops: no new runs, and applies stop between changes
   */
  public ReconcileRunner(ControllerConfig config, Clock clock, Map<String, String> environment, String instance,
      ClusterLocker locker, RunRecorder runs, Notifier notifier, StatusBoard board, ControllerMetrics metrics,
      ControllerScheduler scheduler, TriggerPlanner monitors, RevokedCertificates revoked,
      Map<String, ClusterMonitor.Observation> observations, BooleanSupplier stopping) {
    this.config = config;
    this.clock = clock;
    this.environment = Map.copyOf(environment);
    this.instance = instance;
    this.locker = locker;
    this.runs = runs;
    this.notifier = notifier;
    this.board = board;
    this.metrics = metrics;
    this.scheduler = scheduler;
    this.monitors = monitors;
    this.revoked = revoked;
    this.observations = observations;
    this.stopping = stopping;
  }

  /** What one run found and did, before it is recorded. */
  private static final class Tally {
    SourceRevision revision;
    String unverifiedCommit;
    RunOutcome outcome;
    String error;
    int planned;
    int applied;
    int failed;
    int waiting;
    Instant nextWindow;
    boolean stopped;
    String observedFingerprint;
    ObservedCluster observed;
    DesiredState state;
    Map<String, io.uctrust.pki.Revocation> revoked = Map.of();
    final List<RunRecord.ChangeRecord> changes = new ArrayList<>();
  }

  /**
   * Runs {@code cluster} once, as configured; returns the run as recorded, or empty when it did not run (the controller
   * is stopping, the cluster is no longer configured, or the run history cannot be written).
   */
  public Optional<RunRecord> run(String cluster) {
    Optional<ControllerSpec.Cluster> configured = config.cluster(cluster);
    if (configured.isEmpty() || stopping.getAsBoolean()) {
      return Optional.empty();
    }
    Mode mode = ControllerConfig.mode(configured.get());
    Instant started = clock.instant();
    long id;
    String previousCommit;
    try {
      // a run another instance left open when it died ends here, so history never shows it running forever
      for (long abandoned : runs.closeAbandoned(cluster, instance, started)) {
        LOG.warn("cluster {}: run {} of an instance that stopped closed as abandoned", cluster, abandoned);
      }
      previousCommit = runs.lastFinished(cluster).map(RunRecord::commit).orElse(null);
      id = runs.started(cluster, instance, mode, started);
    } catch (SQLException e) {
      LOG.error("cluster {}: cannot record the run in the database, not running: {}", cluster, e.getMessage());
      return Optional.empty();
    }
    LOG.info("cluster {}: run {} ({}) started", cluster, id, mode.label());
    Tally tally = new Tally();
    try {
      reconcile(configured.get(), mode, tally);
    } catch (RuntimeException e) {
      LOG.error("cluster {}: run {} failed unexpectedly", cluster, id, e);
      tally.outcome = RunOutcome.FAILED;
      tally.error = "internal error: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
    if (tally.outcome == null) {
      tally.outcome = RunOutcome.FAILED;
      tally.error = "the run ended without a result";
    }
    Instant finished = clock.instant();
    RunRecord record = new RunRecord(id, cluster, instance, mode,
        tally.revision != null ? tally.revision.commit() : tally.unverifiedCommit,
        tally.revision != null ? tally.revision.subject() : null, started, finished, tally.outcome, tally.planned,
        tally.applied, tally.failed, tally.waiting, tally.nextWindow, tally.error, tally.changes);
    try {
      runs.finished(id, new RunRecorder.Ending(record.commit(), record.subject(), finished, record.outcome(),
          record.planned(), record.applied(), record.failed(), record.waiting(), record.nextWindow(), record.error(),
          record.changes()));
    } catch (SQLException e) {
      LOG.error("cluster {}: cannot record the end of run {}: {}", cluster, id, e.getMessage());
    }
    LOG.info("cluster {}: run {} {}: {} planned, {} applied, {} failed, {} waiting{}", cluster, id,
        record.outcome().label(), record.planned(), record.applied(), record.failed(), record.waiting(),
        record.error() == null ? "" : " (" + record.error() + ")");
    publish(cluster, record, tally);
    notify(cluster, mode, record, tally);
    if (tally.state != null && tally.revision != null && !tally.revision.commit().equals(previousCommit)) {
      rebuildMonitors(cluster, tally.state);
    }
    return Optional.of(record);
  }

  /** Moves {@code cluster}'s next run to its interval (plus or minus jitter) from now; now when an apply was stopped. */
  public void scheduleNext(String cluster) {
    Optional<ControllerSpec.Cluster> configured = config.cluster(cluster);
    if (configured.isEmpty()) {
      return;
    }
    Duration interval = ControllerConfig.interval(configured.get());
    long jitter = ControllerConfig.jitter(configured.get()).toMillis();
    long shift = jitter == 0 ? 0 : ThreadLocalRandom.current().nextLong(-jitter, jitter + 1);
    Instant next = stopping.getAsBoolean() ? clock.instant() : clock.instant().plus(interval).plusMillis(shift);
    try {
      scheduler.scheduleNext(cluster, next);
    } catch (SchedulerException e) {
      LOG.error("cluster {}: cannot schedule the next run: {}", cluster, e.getMessage());
    }
  }

  private void reconcile(ControllerSpec.Cluster cluster, Mode mode, Tally tally) {
    try (Checkout checkout = fetcher(cluster).fetch(config.source(cluster))) {
      tally.revision = checkout.revision();
      if (mode == Mode.REPORT) {
        report(cluster, checkout, tally);
      } else {
        apply(cluster, checkout, tally);
      }
    } catch (GitSourceException e) {
      tally.outcome = RunOutcome.FAILED;
      tally.error = e.getMessage();
      if (e.getCause() instanceof UnverifiedCommitException unverified) {
        tally.unverifiedCommit = unverified.commit().name();
      }
    }
  }

  /** The cluster's repository fetcher, verifying commits' signatures when the repository requires it. */
  private RepositoryFetcher fetcher(ControllerSpec.Cluster cluster) throws GitSourceException {
    ControllerSpec.Repository repository = config.repository(cluster);
    RepositoryFetcher fetcher = new RepositoryFetcher(config.gitCache(cluster.name()), environment);
    if (Boolean.TRUE.equals(repository.requireSignedCommits())) {
      Path keyring = config.resolve(repository.trustedKeys());
      TrustedKeys keys;
      try {
        keys = TrustedKeys.load(keyring);
      } catch (IOException e) {
        throw new GitSourceException(e.getMessage(), e);
      }
      fetcher.checkingCommits(new CommitSignatureVerifier(keys).asCommitCheck(signature -> LOG.info("cluster {}: commit {} {}",
          cluster.name(), signature.commit().abbreviate(12).name(), signature.describe())));
    }
    return fetcher;
  }

  /**
   * Observes {@code cluster} now, as a dry run does (fetch, validate, observe; nothing applied), and keeps the
   * observation for the periodic checks: what they use on an instance that has not reconciled the cluster itself
   * (with several instances, a check's trigger fires on any of them). Empty when it cannot be observed (logged).
   */
  public Optional<ClusterMonitor.Observation> observe(String cluster) {
    Optional<ControllerSpec.Cluster> configured = config.cluster(cluster);
    if (configured.isEmpty() || stopping.getAsBoolean()) {
      return Optional.empty();
    }
    Tally tally = new Tally();
    try (Checkout checkout = fetcher(configured.get()).fetch(config.source(configured.get()))) {
      ReconcileResult result = reconciler(configured.get(), checkout.revision(), tally).dryRun(checkout.folder(), cluster);
      checked(result, checkout, tally);
    } catch (GitSourceException e) {
      tally.error = e.getMessage();
    }
    if (tally.error != null) {
      LOG.warn("cluster {}: cannot observe it for the periodic checks: {}", cluster, tally.error);
    }
    return Optional.ofNullable(observations.get(cluster));
  }

  private Reconciler reconciler(ControllerSpec.Cluster cluster, SourceRevision revision, Tally tally) {
    tally.revoked = revoked.revoked(cluster.name());
    TargetOptions targets = new TargetOptions(config.clusterState(cluster.name()), TargetOptions.DEFAULT_LAB_PHONES,
        TargetOptions.labLatency(environment), ConnectTo.none(), environment);
    return new Reconciler(clock, targets, ValidationOptions.DEFAULTS, environment,
        line -> LOG.info("cluster {}: {}", cluster.name(), line))
        .pacing(cluster.phonesPerMinute()).readFrom(revision).withRevoked(tally.revoked);
  }

  private void report(ControllerSpec.Cluster cluster, Checkout checkout, Tally tally) {
    ReconcileResult result = reconciler(cluster, checkout.revision(), tally).dryRun(checkout.folder(), cluster.name());
    ClusterResult one = checked(result, checkout, tally);
    if (one == null) {
      return;
    }
    for (Change change : one.plan().changes()) {
      if (change.action() != Action.CHECK) {
        tally.planned++;
        tally.changes.add(record(change, "planned", change.reason()));
      }
    }
    tally.outcome = tally.planned == 0 ? RunOutcome.IN_SYNC : RunOutcome.DRIFT_ONLY;
  }

  private void apply(ControllerSpec.Cluster cluster, Checkout checkout, Tally tally) {
    Optional<ClusterLocker.Lease> lease;
    try {
      lease = locker.acquire(cluster.name(), instance, config.database().lease());
      if (lease.isEmpty()) {
        Optional<ClusterLocker.Lease> holder = locker.holder(cluster.name());
        tally.outcome = RunOutcome.FAILED;
        tally.error = "another controller instance (" + holder.map(ClusterLocker.Lease::owner).orElse("unknown")
            + ") is applying to this cluster; the next run tries again";
        return;
      }
    } catch (SQLException e) {
      tally.outcome = RunOutcome.FAILED;
      tally.error = "cannot take the cluster's lock in the database: " + e.getMessage();
      return;
    }
    AtomicBoolean lost = new AtomicBoolean();
    AtomicReference<ClusterLocker.Lease> held = new AtomicReference<>(lease.get());
    // renewed every third of its length, so two missed renewals still leave it held
    Duration length = config.database().lease();
    long every = length.toMillis() / 3;
    ScheduledFuture<?> renewal = renewals.scheduleAtFixedRate(() -> {
      try {
        Optional<ClusterLocker.Lease> renewed = locker.renew(held.get(), length);
        renewed.ifPresentOrElse(held::set, () -> lost.set(true));
      } catch (SQLException e) {
        LOG.warn("cluster {}: cannot renew the cluster lock: {}", cluster.name(), e.getMessage());
      }
      if (lost.get()) {
        LOG.error("cluster {}: lost the cluster lock; stopping the apply after the current change", cluster.name());
      }
    }, every, every, TimeUnit.MILLISECONDS);
    try {
      MaintenanceSchedule windows = ControllerConfig.windows(cluster);
      AtomicReference<MaintenanceSchedule.Split> split = new AtomicReference<>();
      ReconcileResult result = reconciler(cluster, checkout.revision(), tally)
          .narrowing(plan -> {
            split.set(windows.split(plan, clock.instant()));
            return split.get().applied();
          })
          .stoppingWhen(() -> stopping.getAsBoolean() || lost.get())
          .apply(checkout.folder(), cluster.name(), null);
      ClusterResult one = checked(result, checkout, tally);
      if (one == null) {
        return;
      }
      tally(one, split.get(), tally);
    } finally {
      renewal.cancel(false);
      try {
        locker.release(held.get());
      } catch (SQLException e) {
        LOG.warn("cluster {}: cannot release the cluster lock (it expires at {}): {}", cluster.name(),
            held.get().expiresAt(), e.getMessage());
      }
    }
  }

  /** The cluster's result when the desired state was valid and the cluster could be read; else records why not. */
  private ClusterResult checked(ReconcileResult result, Checkout checkout, Tally tally) {
    if (!result.validation().valid()) {
      List<Diagnostic> errors = result.validation().diagnostics().stream().filter(Diagnostic::isError).toList();
      Diagnostic first = errors.get(0);
      tally.outcome = RunOutcome.FAILED;
      tally.error = "the desired state at " + checkout.revision().shortCommit() + " is invalid: " + errors.size()
          + " error" + (errors.size() == 1 ? "" : "s") + "; first: " + first.location().render(checkout.root())
          + ": " + first.message();
      return null;
    }
    tally.state = result.validation().state();
    ClusterResult one = result.clusters().get(0);
    if (one.error() != null) {
      tally.outcome = RunOutcome.FAILED;
      tally.error = one.error();
      return null;
    }
    tally.observed = one.observed();
    tally.observedFingerprint = one.observed() == null ? "" : one.observed().fingerprint();
    if (one.observed() != null) {
      observations.put(one.cluster(), new ClusterMonitor.Observation(one.observed(),
          monitoring(one.cluster(), tally.state), clock.instant()));
    }
    return one;
  }

  private static void tally(ClusterResult one, MaintenanceSchedule.Split split, Tally tally) {
    Plan plan = one.plan();
    Map<Integer, Outcome> outcomes = new LinkedHashMap<>();
    one.outcomes().forEach(o -> outcomes.put(o.change(), o));
    for (Change change : plan.changes()) {
      if (change.action() == Action.CHECK) {
        continue;
      }
      tally.planned++;
      Outcome outcome = outcomes.get(change.id());
      if (outcome == null) {
        tally.changes.add(record(change, "planned", change.reason()));
        continue;
      }
      switch (outcome.status()) {
        case SUCCEEDED, ALREADY_DONE -> tally.applied++;
        case FAILED -> tally.failed++;
        case SKIPPED -> tally.stopped |= Applier.STOPPED.equals(outcome.detail());
        default -> { }
      }
      tally.changes.add(record(change, outcome.status().name().toLowerCase(Locale.ROOT).replace('_', '-'),
          outcome.detail()));
    }
    if (split != null) {
      for (Change change : split.waiting()) {
        tally.planned++;
        tally.waiting++;
        tally.changes.add(record(change, "waiting", split.nextOpening() == null ? "waits for a maintenance window"
            : "waits for the maintenance window opening " + split.nextOpening()));
      }
      tally.nextWindow = split.nextOpening();
    }
    if (tally.stopped) {
      tally.outcome = RunOutcome.FAILED;
      tally.error = STOPPED;
    } else if (tally.failed > 0) {
      tally.outcome = RunOutcome.FAILED;
      tally.error = tally.failed + " change" + (tally.failed == 1 ? "" : "s") + " failed";
    } else if (tally.planned == 0) {
      tally.outcome = RunOutcome.IN_SYNC;
    } else if (tally.applied == 0 && tally.waiting > 0) {
      tally.outcome = RunOutcome.DRIFT_ONLY;
    } else {
      tally.outcome = RunOutcome.SUCCEEDED;
    }
  }

  private static RunRecord.ChangeRecord record(Change change, String status, String detail) {
    return new RunRecord.ChangeRecord(change.id(), change.action().word(), change.resource() + " " + change.address(),
        status, detail);
  }

  /** Updates the status board and the metrics with the run. */
  private void publish(String cluster, RunRecord record, Tally tally) {
    Commit commit = record.commit() == null ? null : new Commit(record.commit(), record.subject() == null ? ""
        : record.subject());
    Run run = new Run(commit, record.startedAt(), record.duration(), record.outcome(),
        new Changes(record.planned(), record.applied(), record.failed()));
    int drift = Math.max(0, record.planned() - record.applied());
    boolean synced = record.outcome() == RunOutcome.IN_SYNC
        || record.outcome() == RunOutcome.SUCCEEDED && record.waiting() == 0;
    List<Certificate> certificates = tally.observed == null ? null : certificates(tally.observed, tally.revoked.keySet());
    board.ran(cluster, run, commit, drift, synced ? record.finishedAt() : null, certificates,
        tally.state == null ? null : notificationStartDays(cluster, tally.state));
    metrics.runFinished(cluster, record.outcome(), record.duration());
    metrics.drift(cluster, drift);
    if (synced) {
      metrics.synced(cluster, record.finishedAt());
    }
    if (certificates != null) {
      metrics.certificates(cluster, certificates);
    }
  }

  /** Every identity and trust entry the cluster has (phone LSCs are left to the monitors: one series per phone). */
  static List<Certificate> certificates(ObservedCluster observed, java.util.Set<String> revokedSha256) {
    List<Certificate> certificates = new ArrayList<>();
    for (ObservedCluster.Node node : observed.nodes()) {
      for (ObservedCluster.Identity identity : node.identities()) {
        ObservedCluster.Certificate c = identity.certificate();
        certificates.add(new Certificate(node.name(), identity.service().yaml(), CertificateKind.IDENTITY, c.subject(),
            c.sha256(), c.notAfter(), revokedSha256.contains(c.sha256())));
      }
      for (ObservedCluster.TrustEntry entry : node.trust()) {
        ObservedCluster.Certificate c = entry.certificate();
        certificates.add(new Certificate(node.name(), entry.store().yaml(), CertificateKind.TRUST, c.subject(),
            c.sha256(), c.notAfter(), revokedSha256.contains(c.sha256())));
      }
    }
    return certificates;
  }

  /** The Monitoring document's notification start (days before expiry), default 30. */
  static int notificationStartDays(String cluster, DesiredState state) {
    MonitoringSpec monitoring = monitoring(cluster, state);
    return monitoring != null && monitoring.certificateMonitor() != null
        && monitoring.certificateMonitor().notificationStartDays() != null
        ? monitoring.certificateMonitor().notificationStartDays() : MonitoringSettings.DEFAULT_NOTIFICATION_START_DAYS;
  }

  /** The Monitoring document of {@code cluster} in {@code state}; null when it has none. */
  static MonitoringSpec monitoring(String cluster, DesiredState state) {
    for (Document<MonitoringSpec> monitoring : state.of(Kind.MONITORING, MonitoringSpec.class)) {
      String belongs = monitoring.metadata().cluster();
      if (belongs == null || belongs.equals(cluster)) {
        return monitoring.spec();
      }
    }
    return null;
  }

  private void notify(String cluster, Mode mode, RunRecord record, Tally tally) {
    List<Notification> notifications = new ArrayList<>();
    String commit = record.commit() == null ? "" : record.commit().substring(0, Math.min(12, record.commit().length()));
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("cluster", cluster);
    facts.put("mode", mode.label());
    facts.put("run", String.valueOf(record.id()));
    if (record.commit() != null) {
      facts.put("commit", record.commit());
    }
    if (tally.unverifiedCommit != null) {
      notifications.add(Notification.of(NotificationType.UNVERIFIED_COMMIT, cluster + "/" + tally.unverifiedCommit,
          cluster + ": commit " + commit + " is not signed by a trusted key; nothing of it was applied",
          record.error(), facts, Notifier.DEFAULT_FREQUENCY, clock));
    } else if (record.outcome() == RunOutcome.FAILED && !tally.stopped) {
      notifications.add(Notification.of(NotificationType.RECONCILE_FAILED, cluster + "/" + commit + "/"
          + fingerprint(record.error()), cluster + ": reconcile failed" + (commit.isEmpty() ? "" : " at " + commit),
          record.error() + changesText(record), facts, Notifier.DEFAULT_FREQUENCY, clock));
    }
    if (mode == Mode.REPORT && record.outcome() == RunOutcome.DRIFT_ONLY) {
      notifications.add(Notification.of(NotificationType.DRIFT_DETECTED, cluster + "/" + record.commit() + "/"
          + tally.observedFingerprint, cluster + ": " + record.planned() + " change" + (record.planned() == 1 ? "" : "s")
          + " pending (report mode)", changesText(record), facts, Notifier.DEFAULT_FREQUENCY, clock));
    }
    if (mode == Mode.APPLY && record.applied() > 0) {
      notifications.add(Notification.of(NotificationType.CHANGES_APPLIED, cluster + "/run/" + record.id(),
          cluster + ": " + record.applied() + " change" + (record.applied() == 1 ? "" : "s") + " applied"
              + (commit.isEmpty() ? "" : " from " + commit), changesText(record), facts, Duration.ZERO, clock));
    }
    if (notifications.isEmpty()) {
      return;
    }
    try {
      Notifier.Dispatch dispatch = notifier.send(notifications);
      dispatch.failures().forEach(f -> LOG.warn("cluster {}: notification {} to {} failed: {}", cluster, f.type(),
          f.channel(), f.message()));
    } catch (RuntimeException e) {
      LOG.warn("cluster {}: notifications failed: {}", cluster, e.toString());
    }
  }

  private static String changesText(RunRecord record) {
    StringBuilder text = new StringBuilder();
    int shown = 0;
    for (RunRecord.ChangeRecord change : record.changes()) {
      if (shown++ == 20) {
        text.append("\n... and ").append(record.changes().size() - 20).append(" more");
        break;
      }
      text.append("\n#").append(change.change()).append(' ').append(change.action()).append(' ').append(change.address())
          .append(": ").append(change.status());
    }
    return text.toString();
  }

  private static String fingerprint(String text) {
    try {
      byte[] hash = java.security.MessageDigest.getInstance("SHA-256")
          .digest(String.valueOf(text).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 8);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private void rebuildMonitors(String cluster, DesiredState state) {
    try {
      scheduler.rebuild(monitors.plan(cluster, state));
    } catch (SchedulerException | RuntimeException e) {
      LOG.error("cluster {}: cannot rebuild the periodic checks: {}", cluster, e.getMessage());
    }
  }

  /** Stops lease renewals (after the runs ended). */
  @Override
  public void close() {
    renewals.shutdownNow();
  }
}
