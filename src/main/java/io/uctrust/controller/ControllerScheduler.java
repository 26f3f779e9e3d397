package io.uctrust.controller;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.quartz.JobBuilder;
import org.quartz.JobDataMap;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerContext;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.impl.jdbcjobstore.JobStoreTX;
import org.quartz.impl.matchers.GroupMatcher;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;

/**
 * The controller's Quartz scheduler on the JDBC job store in the {@link ControllerDatabase}: one durable reconcile job
 * per cluster ({@link ReconcileJob}, group {@value #RECONCILE}) with a one-shot trigger that each run moves to its next
 * time, and the periodic jobs of a {@link TriggerPlan} (group {@value #MONITORS}). On PostgreSQL it is clustered:
 * instances sharing the database share the jobs, each job runs on one of them, and a dead instance's jobs are
 * recovered. Suspending a cluster pauses its jobs in the database, so every instance sees it.
 *
 * <p>The properties are built here, not read from a file; jobs get their services from the scheduler context, never
 * from serialized job data (the store keeps only strings). Not for: running work itself, or a second scheduler name
 * in one process (Quartz keeps one scheduler per name per JVM).
 */
public final class ControllerScheduler {

  /** The job and trigger group of the reconcile jobs; a job's name is its cluster's. */
  public static final String RECONCILE = "reconcile";

  /** The job and trigger group of the periodic jobs of {@link TriggerPlan}s, named {@code <cluster>.<name>}. */
  public static final String MONITORS = "monitor";

  /** The key of a job's cluster in its {@code JobDataMap}. */
  public static final String CLUSTER = "cluster";

  /** The scheduler's name, the same for every instance on one database (Quartz's SCHED_NAME). */
  static final String NAME = "uctrust";

  private static final AtomicInteger DATA_SOURCES = new AtomicInteger();

  /**
   * How the scheduler runs.
   *
   * @param threads jobs that may run at once on this instance
   * @param clusterCheckin how often an instance on PostgreSQL checks in; another instance recovers its jobs when it
   *     misses check-ins
   */
  public record Settings(int threads, Duration clusterCheckin) {
    /** Four threads, check-in every five seconds. */
    public static final Settings DEFAULTS = new Settings(4, Duration.ofSeconds(5));

    public Settings {
      Objects.requireNonNull(clusterCheckin, "clusterCheckin");
      if (threads < 1) {
        throw new IllegalArgumentException("the scheduler needs at least one thread");
      }
    }
  }

  private final Scheduler scheduler;
  private final String dataSource;

  private ControllerScheduler(Scheduler scheduler, String dataSource) {
    this.scheduler = scheduler;
    this.dataSource = dataSource;
  }

  /**
   * A scheduler, not yet started, on {@code database} (whose schema must exist). Its connections come from the
   * database's pool, which the scheduler's shutdown leaves open: locks are released after the jobs end, then the
   * controller closes the pool.
   */
  public static ControllerScheduler create(ControllerDatabase database, Settings settings) throws SchedulerException {
    String name = "uctrust-" + DATA_SOURCES.incrementAndGet();
    DBConnectionManager.getInstance().addConnectionProvider(name, new PooledConnections(database.dataSource()));
    StdSchedulerFactory factory = new StdSchedulerFactory(properties(database.dialect(), name, settings));
    return new ControllerScheduler(factory.getScheduler(), name);
  }

  static Properties properties(ControllerDatabase.Dialect dialect, String dataSource, Settings settings) {
    Properties p = new Properties();
    p.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_NAME, NAME);
    p.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_ID, StdSchedulerFactory.AUTO_GENERATE_INSTANCE_ID);
    p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
    // a trigger another instance schedules is seen within this time
    p.setProperty("org.quartz.scheduler.idleWaitTime", "5000");
    p.setProperty("org.quartz.threadPool.class", org.quartz.simpl.SimpleThreadPool.class.getName());
    p.setProperty("org.quartz.threadPool.threadCount", String.valueOf(settings.threads()));
    p.setProperty("org.quartz.threadPool.threadNamePrefix", "uctrust-job");
    p.setProperty("org.quartz.threadPool.makeThreadsDaemons", "true");
    p.setProperty("org.quartz.jobStore.class", JobStoreTX.class.getName());
    p.setProperty("org.quartz.jobStore.driverDelegateClass", dialect.delegate());
    p.setProperty("org.quartz.jobStore.dataSource", dataSource);
    p.setProperty("org.quartz.jobStore.tablePrefix", "QRTZ_");
    // job data holds strings only: nothing is serialized into the database
    p.setProperty("org.quartz.jobStore.useProperties", "true");
    p.setProperty("org.quartz.jobStore.misfireThreshold", "60000");
    boolean clustered = dialect == ControllerDatabase.Dialect.POSTGRESQL;
    p.setProperty("org.quartz.jobStore.isClustered", String.valueOf(clustered));
    if (clustered) {
      p.setProperty("org.quartz.jobStore.clusterCheckinInterval", String.valueOf(settings.clusterCheckin().toMillis()));
      p.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");
    }
    return p;
  }

  /**
   * This instance's id, unique among the instances on the database: Quartz's (host name and start time) when clustered;
   * on H2, which one process uses at a time and Quartz calls {@code NON_CLUSTERED}, the host name and process id.
   */
  public String instanceId() {
    try {
      String id = scheduler.getSchedulerInstanceId();
      return "NON_CLUSTERED".equals(id) ? LOCAL_INSTANCE : id;
    } catch (SchedulerException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final String LOCAL_INSTANCE = localInstance();

  private static String localInstance() {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      host = "localhost";
    }
    return host + "-" + ProcessHandle.current().pid();
  }

  /** The scheduler context, where jobs find their services. */
  public SchedulerContext context() throws SchedulerException {
    return scheduler.getContext();
  }

  /** Quartz's scheduler, for the periodic jobs' own needs. */
  public Scheduler quartz() {
    return scheduler;
  }

  static JobKey reconcileJob(String cluster) {
    return JobKey.jobKey(cluster, RECONCILE);
  }

  static TriggerKey reconcileTrigger(String cluster) {
    return TriggerKey.triggerKey(cluster, RECONCILE);
  }

  /**
   * Makes the reconcile jobs those of {@code config}: a job per cluster (kept, with its trigger, when it exists; a new
   * one runs first at {@code firstRun}); clusters the configuration suspends are paused; the jobs of clusters no longer
   * configured are deleted with their periodic jobs.
   */
  public void keepReconcileJobs(ControllerConfig config, Instant firstRun) throws SchedulerException {
    Set<String> configured = new HashSet<>();
    for (ControllerSpec.Cluster cluster : config.clusters()) {
      configured.add(cluster.name());
      JobDetail job = JobBuilder.newJob(ReconcileJob.class).withIdentity(reconcileJob(cluster.name()))
          .withDescription("reconcile cluster " + cluster.name()).usingJobData(CLUSTER, cluster.name())
          .storeDurably().requestRecovery().build();
      scheduler.addJob(job, true, true);
      if (!scheduler.checkExists(reconcileTrigger(cluster.name()))) {
        scheduler.scheduleJob(oneShot(cluster.name(), firstRun));
      }
      if (ControllerConfig.suspended(cluster)) {
        suspend(cluster.name());
      }
    }
    for (JobKey job : scheduler.getJobKeys(GroupMatcher.jobGroupEquals(RECONCILE))) {
      if (!configured.contains(job.getName())) {
        scheduler.deleteJob(job);
        rebuild(TriggerPlan.none(job.getName()));
      }
    }
  }

  private static Trigger oneShot(String cluster, Instant at) {
    return TriggerBuilder.newTrigger().withIdentity(reconcileTrigger(cluster)).forJob(reconcileJob(cluster))
        .startAt(Date.from(at)).withSchedule(SimpleScheduleBuilder.simpleSchedule().withMisfireHandlingInstructionFireNow())
        .build();
  }

  /**
   * Moves the cluster's next scheduled reconcile to {@code at}; a suspended cluster stays suspended. Called by the run
   * itself, so the time counts from the end of the last run.
   */
  public void scheduleNext(String cluster, Instant at) throws SchedulerException {
    TriggerKey key = reconcileTrigger(cluster);
    boolean paused = scheduler.getTriggerState(key) == Trigger.TriggerState.PAUSED;
    if (scheduler.rescheduleJob(key, oneShot(cluster, at)) == null) {
      scheduler.scheduleJob(oneShot(cluster, at));
    }
    if (paused) {
      scheduler.pauseTrigger(key);
    }
  }

  /** Queues a reconcile of {@code cluster} now (after the running one, if any); false when it is suspended. */
  public boolean runSoon(String cluster) throws SchedulerException {
    if (suspended(cluster)) {
      return false;
    }
    scheduler.triggerJob(reconcileJob(cluster));
    return true;
  }

  /** Whether the database holds {@code cluster}'s reconcile as suspended. */
  public boolean suspended(String cluster) throws SchedulerException {
    return scheduler.getTriggerState(reconcileTrigger(cluster)) == Trigger.TriggerState.PAUSED;
  }

  /** Whether the database knows {@code cluster}'s reconcile job (a controller started with it configured). */
  public boolean knows(String cluster) throws SchedulerException {
    return scheduler.checkExists(reconcileJob(cluster));
  }

  /** When {@code cluster}'s next scheduled reconcile is due; null when none is scheduled. */
  public Instant nextRun(String cluster) throws SchedulerException {
    Trigger trigger = scheduler.getTrigger(reconcileTrigger(cluster));
    return trigger == null || trigger.getNextFireTime() == null ? null : trigger.getNextFireTime().toInstant();
  }

  /** Pauses {@code cluster}'s reconcile and periodic jobs in the database (every instance stops running them). */
  public void suspend(String cluster) throws SchedulerException {
    scheduler.pauseJob(reconcileJob(cluster));
    for (JobKey job : monitorJobs(cluster)) {
      scheduler.pauseJob(job);
    }
  }

  /** Resumes what {@link #suspend} paused; a run missed meanwhile runs now. */
  public void resume(String cluster) throws SchedulerException {
    scheduler.resumeJob(reconcileJob(cluster));
    for (JobKey job : monitorJobs(cluster)) {
      scheduler.resumeJob(job);
    }
  }

  private List<JobKey> monitorJobs(String cluster) throws SchedulerException {
    return scheduler.getJobKeys(GroupMatcher.jobGroupEquals(MONITORS)).stream()
        .filter(k -> k.getName().startsWith(cluster + ".")).toList();
  }

  /**
   * Makes {@code plan}'s cluster's periodic jobs those of the plan: the others are deleted, each of the plan's is
   * (re)scheduled to run every {@code every}, first after one interval. A suspended cluster's new jobs start paused.
   */
  public void rebuild(TriggerPlan plan) throws SchedulerException {
    Set<JobKey> wanted = new HashSet<>();
    boolean paused = scheduler.checkExists(reconcileJob(plan.cluster())) && suspended(plan.cluster());
    for (TriggerPlan.Periodic periodic : plan.jobs()) {
      JobKey key = JobKey.jobKey(plan.cluster() + "." + periodic.name(), MONITORS);
      wanted.add(key);
      JobDataMap data = new JobDataMap(Map.copyOf(periodic.data()));
      data.put(CLUSTER, plan.cluster());
      JobDetail job = JobBuilder.newJob(periodic.job()).withIdentity(key).usingJobData(data).storeDurably().build();
      Trigger trigger = TriggerBuilder.newTrigger().withIdentity(TriggerKey.triggerKey(key.getName(), MONITORS))
          .forJob(key).startAt(Date.from(Instant.now().plus(periodic.every())))
          .withSchedule(SimpleScheduleBuilder.simpleSchedule().withIntervalInMilliseconds(periodic.every().toMillis())
              .repeatForever().withMisfireHandlingInstructionNextWithRemainingCount())
          .build();
      scheduler.scheduleJob(job, Set.of(trigger), true);
      if (paused) {
        scheduler.pauseJob(key);
      }
    }
    for (JobKey job : monitorJobs(plan.cluster())) {
      if (!wanted.contains(job)) {
        scheduler.deleteJob(job);
      }
    }
  }

  /** Starts running jobs. */
  public void start() throws SchedulerException {
    scheduler.start();
  }

  /** Stops firing triggers; running jobs go on. */
  public void standby() throws SchedulerException {
    scheduler.standby();
  }

  /** Whether it was started and not shut down. */
  public boolean running() {
    try {
      return scheduler.isStarted() && !scheduler.isShutdown() && !scheduler.isInStandbyMode();
    } catch (SchedulerException e) {
      return false;
    }
  }

  /** Shuts the scheduler down, with {@code waitForJobs} after the running jobs end. The database pool stays open. */
  public void shutdown(boolean waitForJobs) throws SchedulerException {
    scheduler.shutdown(waitForJobs);
  }

  /** The connections of the controller's pool, for Quartz; its shutdown leaves the pool to the controller. */
  private record PooledConnections(DataSource pool) implements ConnectionProvider {
    @Override
    public Connection getConnection() throws SQLException {
      return pool.getConnection();
    }

    @Override
    public void shutdown() {
      // the controller closes the pool once it has released its leases
    }

    @Override
    public void initialize() {
      // the pool is open already
    }
  }

  @Override
  public String toString() {
    return "scheduler " + NAME + " (" + dataSource + ")";
  }
}
