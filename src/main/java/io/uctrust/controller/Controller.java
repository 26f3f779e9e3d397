package io.uctrust.controller;

import io.uctrust.cluster.ClusterException;
import io.uctrust.cluster.SecretReader;
import io.uctrust.controller.ControllerStatus.Changes;
import io.uctrust.controller.ControllerStatus.Commit;
import io.uctrust.controller.ControllerStatus.Repository;
import io.uctrust.controller.ControllerStatus.Run;
import java.net.URI;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running controller ({@code uctrust controller}): its database, the Quartz scheduler with a reconcile job per
 * cluster, the {@link ReconcileRunner} those jobs call, the status board, metrics and notifier, and the HTTP side.
 * {@link #start} brings them up in order; {@link #stop} takes them down gracefully: the HTTP side stops taking requests,
 * the scheduler fires nothing more, running applies stop after their current change, the scheduler waits for the jobs,
 * this instance's cluster leases are released and the pool closes, one log line per step. It is also the {@link
 * SyncTrigger} of the git webhook.
 *
 * <p>Not for: more than one running controller per process (Quartz keeps one scheduler per name), or reading the
 * configuration (see {@link ControllerConfigLoader}).
 */
public final class Controller implements SyncTrigger, AutoCloseable {

  /** The scheduler context key of the running {@link Controller}, for periodic jobs that need its services. */
  public static final String CONTEXT = "uctrust.controller";

  private static final Logger LOG = LoggerFactory.getLogger(Controller.class);

  /**
   * How the controller runs, beyond its configuration.
   *
   * @param scheduler Quartz's threads (the cluster check-in is the configuration's {@code database.checkinInterval})
   * @param statusRefresh how often the status is read again from the shared database
   * @param monitors the periodic jobs each cluster's desired state asks for; null: the {@link ClusterMonitor}'s checks
   * @param ledger where sent notifications are remembered; null: {@link JdbcNotificationLedger} in the controller's
   *     database, shared by every instance on it
   * @param httpGrace how long running HTTP requests may take when stopping
   */
  public record Options(ControllerScheduler.Settings scheduler, Duration statusRefresh, TriggerPlanner monitors,
      NotificationLedger ledger, Duration httpGrace) {
    public Options {
      Objects.requireNonNull(scheduler, "scheduler");
      Objects.requireNonNull(statusRefresh, "statusRefresh");
      Objects.requireNonNull(httpGrace, "httpGrace");
    }

    /** The defaults: four job threads, status every ten seconds, the monitors' checks, the database's ledger. */
    public static Options defaults() {
      return new Options(ControllerScheduler.Settings.DEFAULTS, Duration.ofSeconds(10), null, null,
          Duration.ofSeconds(5));
    }

    /** These options with {@code planner} providing the periodic checks. */
    public Options withMonitors(TriggerPlanner planner) {
      return new Options(scheduler, statusRefresh, planner, ledger, httpGrace);
    }
  }

  private final ControllerConfig config;
  private final Clock clock;
  private final ControllerDatabase database;
  private final ControllerScheduler scheduler;
  private final ClusterLocker locker;
  private final RunRecorder runs;
  private final StatusBoard board;
  private final ControllerMetrics metrics = new ControllerMetrics();
  private final Notifier notifier;
  /** How old an observation the periodic checks use may be before the cluster is observed again for them. */
  static final java.time.Duration OBSERVATION_AGE = java.time.Duration.ofHours(1);

  private final ReconcileRunner runner;
  private final ClusterMonitor monitor;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final CountDownLatch done = new CountDownLatch(1);
  private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "uctrust-status");
    t.setDaemon(true);
    return t;
  });
  private ControllerHttpServer http;

  private Controller(ControllerConfig config, Options options, Map<String, String> environment, Clock clock,
      ControllerDatabase database, ControllerScheduler scheduler, Notifier notifier, RevokedCertificates revoked) {
    this.config = config;
    this.clock = clock;
    this.database = database;
    this.scheduler = scheduler;
    this.locker = new ClusterLocker(database.dataSource(), clock);
    this.runs = new RunRecorder(database.dataSource());
    this.notifier = notifier;
    this.board = new StatusBoard(scheduler.instanceId(), clock.instant(), initial(config));
    Map<String, ClusterMonitor.Observation> observations = new java.util.concurrent.ConcurrentHashMap<>();
    // this instance's observation of the last hour, else one made now: a check's trigger may fire on an instance that
    // has not reconciled the cluster lately (several instances share the jobs)
    this.monitor = new ClusterMonitor(clock, notifier, revoked, c -> Optional.ofNullable(observations.get(c))
        .filter(o -> o.at().isAfter(clock.instant().minus(OBSERVATION_AGE))).or(() -> observeNow(c)));
    this.runner = new ReconcileRunner(config, clock, environment, scheduler.instanceId(), locker, runs, notifier, board,
        metrics, scheduler, options.monitors() != null ? options.monitors() : monitor, revoked, observations,
        stopping::get);
  }

  private static List<ControllerStatus.Cluster> initial(ControllerConfig config) {
    List<ControllerStatus.Cluster> clusters = new ArrayList<>();
    for (ControllerSpec.Cluster cluster : config.clusters()) {
      ControllerSpec.Repository repository = config.repository(cluster);
      clusters.add(new ControllerStatus.Cluster(cluster.name(), ControllerConfig.mode(cluster),
          ControllerConfig.suspended(cluster), new Repository(repository.name(), repository.url(), null), null, null, 0,
          null, 30, List.of()));
    }
    return clusters;
  }

  /**
   * Starts the controller on {@code config}: opens the database and creates what is missing in it, schedules a
   * reconcile job per cluster (keeping the schedule the database has), starts the scheduler and the HTTP side.
   *
   * @param environment where {@code env:} references are read (the process environment)
   * @throws ControllerStartException when any part cannot start; what had started is stopped again
   */
  public static Controller start(ControllerConfig config, Options options, Map<String, String> environment, Clock clock)
      throws ControllerStartException {
    SecretReader secrets = new SecretReader(environment);
    String password = null;
    if (config.database().password() != null) {
      try {
        password = secrets.read(config.secret(config.database().password()), null);
      } catch (ClusterException e) {
        throw new ControllerStartException("database password: " + e.getMessage());
      }
    }
    ControllerDatabase database;
    try {
      database = ControllerDatabase.open(config.database().url(), config.database().user(), password);
    } catch (SQLException e) {
      throw new ControllerStartException(e.getMessage(), e);
    }
    Controller controller = null;
    ControllerScheduler scheduler = null;
    try {
      database.createSchema(clock);
      LOG.info("database {} ready ({})", ControllerDatabase.redacted(config.database().url()), database.dialect());
      if (database.dialect() == ControllerDatabase.Dialect.H2) {
        // one process at a time opens an H2 file: a lease in it was left by a process that died
        int stale = new ClusterLocker(database.dataSource(), clock).releaseAll();
        if (stale > 0) {
          LOG.info("{} cluster lock{} of a stopped controller released", stale, stale == 1 ? "" : "s");
        }
      }
      // the configured check-in wins over the options' default: it is what the operator set for failover
      scheduler = ControllerScheduler.create(database, new ControllerScheduler.Settings(options.scheduler().threads(),
          config.database().checkinInterval()));
      NotificationLedger ledger = options.ledger() != null ? options.ledger()
          : new JdbcNotificationLedger(database.dataSource(), scheduler.instanceId());
      controller = new Controller(config, options, environment, clock, database, scheduler,
          notifier(config, secrets, clock, ledger), new RevokedCertificates(database.dataSource()));
      scheduler.context().put(ReconcileJob.RUNNER, controller.runner);
      scheduler.context().put(ClusterMonitor.CONTEXT, controller.monitor);
      scheduler.context().put(CONTEXT, controller);
      scheduler.keepReconcileJobs(config, clock.instant());
      controller.refresh();
      // the HTTP side first: a taken port or an unreadable webhook secret fails the start before any run begins
      controller.http = ControllerHttpServer.start(new ControllerHttpServer.Settings(config.listen(),
          config.spec().webhookSecret() == null ? null : config.secret(config.spec().webhookSecret())), secrets,
          controller.board, controller, controller.metrics, clock);
      LOG.info("serving http://{}:{}/", controller.http.address().getHostString(), controller.http.address().getPort());
      scheduler.start();
      LOG.info("scheduler started: instance {}, {} cluster{}", scheduler.instanceId(), config.clusters().size(),
          config.clusters().size() == 1 ? "" : "s");
      long every = options.statusRefresh().toMillis();
      controller.refresher.scheduleWithFixedDelay(controller::refresh, every, every, TimeUnit.MILLISECONDS);
      return controller;
    } catch (SQLException | SchedulerException | ControllerHttpException | NotificationException
        | ControllerDatabaseException e) {
      if (controller != null) {
        controller.stop();
      } else {
        if (scheduler != null) {
          try {
            scheduler.shutdown(false);
          } catch (SchedulerException ignored) {
            // starting failed already; that is the error to report
          }
        }
        database.close();
      }
      throw new ControllerStartException(e.getMessage(), e);
    }
  }

  /** The notifier of {@code config}'s channels (none: notifications are only logged as undelivered). */
  static Notifier notifier(ControllerConfig config, SecretReader secrets, Clock clock, NotificationLedger ledger)
      throws NotificationException {
    List<NotificationChannel> channels = new ArrayList<>();
    ControllerSpec.Notifications notifications = config.spec().notifications();
    if (notifications != null && notifications.email() != null) {
      ControllerSpec.Mail mail = notifications.email();
      ControllerSpec.SmtpSecurity security = mail.security() == null ? ControllerSpec.SmtpSecurity.STARTTLS
          : mail.security();
      int port = mail.port() != null ? mail.port() : switch (security) {
        case STARTTLS -> 587;
        case SMTPS -> 465;
        case NONE -> 25;
      };
      EmailChannel.Security channelSecurity = switch (security) {
        case STARTTLS -> EmailChannel.Security.STARTTLS_REQUIRED;
        case SMTPS -> EmailChannel.Security.SMTPS;
        case NONE -> EmailChannel.Security.NONE;
      };
      channels.add(new EmailChannel(new EmailChannel.Settings(mail.host(), port, channelSecurity, mail.username(),
          mail.password() == null ? null : config.secret(mail.password()), mail.from(), mail.to(),
          Duration.ofSeconds(30), Duration.ofSeconds(60), config.resolve(mail.trust())), secrets, clock));
    }
    if (notifications != null) {
      for (ControllerSpec.Webhook webhook : notifications.webhooks()) {
        NotificationChannel channel = new WebhookChannel(new WebhookChannel.Settings(URI.create(webhook.url()),
            config.secret(webhook.secret()), Duration.ofSeconds(10), 2, Duration.ofSeconds(1)), secrets, clock);
        channels.add(webhook.events().isEmpty() ? channel : new EventFilter(channel, webhook.events()));
      }
    }
    return new Notifier(channels, ledger, clock);
  }

  /** A channel that gets only some event types; the others pass it by as delivered. */
  private record EventFilter(NotificationChannel channel, List<NotificationType> events) implements NotificationChannel {
    @Override
    public String name() {
      return channel.name();
    }

    @Override
    public void send(Digest digest) throws NotificationException {
      if (events.contains(digest.type())) {
        channel.send(digest);
      }
    }
  }

  private Optional<ClusterMonitor.Observation> observeNow(String cluster) {
    return runner.observe(cluster);
  }

  /** Reads what the shared database says of every cluster and this instance's readiness into the status board. */
  void refresh() {
    List<String> reasons = new ArrayList<>();
    if (!scheduler.running() && !stopping.get()) {
      reasons.add("the scheduler is not running");
    }
    try {
      for (ControllerSpec.Cluster cluster : config.clusters()) {
        Optional<RunRecord> last = runs.lastFinished(cluster.name());
        boolean suspended = ControllerConfig.suspended(cluster) || scheduler.suspended(cluster.name());
        board.refreshed(cluster.name(), last.map(Controller::run).orElse(null), last.map(Controller::commit).orElse(null),
            last.map(r -> Math.max(0, r.planned() - r.applied())).orElse(0), runs.lastSuccessfulSync(cluster.name())
                .orElse(null), suspended, scheduler.nextRun(cluster.name()));
        if (last.isEmpty() && !suspended) {
          reasons.add(StatusBoard.noRunYet(cluster.name()));
        }
      }
    } catch (SQLException | SchedulerException | RuntimeException e) {
      reasons.add("the database cannot be read: " + e.getMessage());
    }
    if (stopping.get()) {
      reasons.add("stopping");
    }
    board.readiness(reasons.isEmpty(), reasons);
  }

  static Run run(RunRecord record) {
    return new Run(commit(record), record.startedAt(), record.duration(), record.outcome(),
        new Changes(record.planned(), record.applied(), record.failed()));
  }

  static Commit commit(RunRecord record) {
    return record.commit() == null ? null : new Commit(record.commit(), record.subject() == null ? "" : record.subject());
  }

  /**
   * Queues a run of every cluster fed by the repository named by {@code namesOrUrls} (its name here, or any of its
   * URLs, compared by host and path: scheme, user, port, {@code .git} and case do not matter); suspended clusters are
   * left alone.
   */
  @Override
  public List<String> requestSync(List<String> namesOrUrls) {
    List<String> queued = new ArrayList<>();
    for (ControllerSpec.Cluster cluster : config.clusters()) {
      ControllerSpec.Repository repository = config.repository(cluster);
      boolean named = namesOrUrls.stream().anyMatch(n -> n.equals(repository.name())
          || RepositoryAddress.same(n, repository.url()));
      if (!named || ControllerConfig.suspended(cluster) || stopping.get()) {
        continue;
      }
      try {
        if (scheduler.runSoon(cluster.name())) {
          queued.add(cluster.name());
        }
      } catch (SchedulerException e) {
        LOG.warn("cluster {}: cannot queue a run for the webhook: {}", cluster.name(), e.getMessage());
      }
    }
    if (!queued.isEmpty()) {
      LOG.info("webhook: runs queued for {}", String.join(", ", queued));
    }
    return queued;
  }

  /** The configuration it runs. */
  public ControllerConfig config() {
    return config;
  }

  /** Its status, as the HTTP side serves it. */
  public StatusSource status() {
    return board;
  }

  /** Its metrics. */
  public ControllerMetrics metrics() {
    return metrics;
  }

  /** Its periodic checks. */
  public ClusterMonitor monitor() {
    return monitor;
  }

  /** Its notifier, for periodic checks that notify. */
  public Notifier notifier() {
    return notifier;
  }

  /** Its scheduler. */
  public ControllerScheduler scheduler() {
    return scheduler;
  }

  /** The run history. */
  public RunRecorder runs() {
    return runs;
  }

  /** The cluster leases. */
  public ClusterLocker locker() {
    return locker;
  }

  /** Its database, for the periodic checks' own tables. */
  public ControllerDatabase database() {
    return database;
  }

  /** This instance's id. */
  public String instance() {
    return scheduler.instanceId();
  }

  /** Where the HTTP side listens (with the actual port when 0 was configured). */
  public java.net.InetSocketAddress address() {
    return http.address();
  }

  /** Blocks until {@link #stop} has finished. */
  public void awaitStopped() throws InterruptedException {
    done.await();
  }

  /**
   * Stops gracefully (see the class description); returns when everything is stopped. Safe to call more than once and
   * from a shutdown hook.
   */
  public void stop() {
    if (stopped.getAndSet(true)) {
      try {
        done.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return;
    }
    try {
      LOG.info("stopping: HTTP requests are refused");
      if (http != null) {
        http.stop(Duration.ofSeconds(5));
      }
      LOG.info("stopping: no more runs start");
      step(scheduler::standby);
      stopping.set(true);
      LOG.info("stopping: running applies stop after their current change; waiting for them");
      step(() -> scheduler.shutdown(true));
      runner.close();
      refresher.shutdownNow();
      try {
        int released = locker.releaseAll(scheduler.instanceId());
        LOG.info("stopping: cluster locks released ({} left by runs)", released);
      } catch (SQLException e) {
        LOG.warn("stopping: cannot release the cluster locks (they expire on their own): {}", e.getMessage());
      }
      database.close();
      LOG.info("stopped: database closed");
    } finally {
      done.countDown();
    }
  }

  private interface Step {
    void run() throws SchedulerException;
  }

  private static void step(Step step) {
    try {
      step.run();
    } catch (SchedulerException e) {
      LOG.warn("stopping: {}", e.getMessage());
    }
  }

  @Override
  public void close() {
    stop();
  }

  @Override
  public String toString() {
    return "controller " + config.name() + " (" + Instant.now(clock) + ")";
  }
}
