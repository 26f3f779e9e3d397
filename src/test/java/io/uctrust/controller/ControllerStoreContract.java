package io.uctrust.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.uctrust.controller.ControllerStatus.Mode;
import io.uctrust.controller.ControllerStatus.RunOutcome;
import io.uctrust.target.cucm.FakeTime;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the controller's own tables must do on every database it runs on: the schema is created once and found again,
 * a cluster lease has exactly one owner, expires and is renewed, and the run history keeps what a run recorded. The
 * H2 and PostgreSQL test classes run these same tests.
 */
abstract class ControllerStoreContract {

  private static final Duration LEASE = Duration.ofMinutes(2);

  final FakeTime time = new FakeTime();
  ControllerDatabase database;
  ClusterLocker locker;
  RunRecorder runs;

  /** A fresh, empty database. */
  abstract ControllerDatabase open() throws Exception;

  @BeforeEach
  void createTables() throws Exception {
    database = open();
    database.createSchema(time);
    locker = new ClusterLocker(database.dataSource(), time);
    runs = new RunRecorder(database.dataSource());
  }

  @AfterEach
  void closeDatabase() {
    if (database != null) {
      database.close();
    }
  }

  @Test
  void creatingTheSchemaAgainChangesNothingAndRecordsItsVersion() throws SQLException {
    runs.started("lab", "a", Mode.APPLY, time.instant());

    database.createSchema(time);

    assertThat(database.schemaVersion()).isEqualTo(ControllerDatabase.SCHEMA_VERSION);
    assertThat(runs.recent("lab", 10)).hasSize(1);
  }

  @Test
  void ofTwoOwnersOnlyTheFirstGetsTheLeaseUntilItIsReleased() throws SQLException {
    Optional<ClusterLocker.Lease> first = locker.acquire("lab", "instance-a", LEASE);
    Optional<ClusterLocker.Lease> second = locker.acquire("lab", "instance-b", LEASE);

    assertThat(first).isPresent();
    assertThat(second).isEmpty();
    assertThat(locker.holder("lab")).map(ClusterLocker.Lease::owner).contains("instance-a");
    assertThat(locker.acquire("branch", "instance-b", LEASE)).as("another cluster").isPresent();

    locker.release(first.orElseThrow());

    assertThat(locker.holder("lab")).isEmpty();
    assertThat(locker.acquire("lab", "instance-b", LEASE)).isPresent();
  }

  @Test
  void anExpiredLeaseGoesToTheNextOwnerAndTheOldOneCannotRenewIt() throws SQLException {
    ClusterLocker.Lease old = locker.acquire("lab", "instance-a", LEASE).orElseThrow();

    time.sleep(LEASE.plusSeconds(1));
    Optional<ClusterLocker.Lease> taken = locker.acquire("lab", "instance-b", LEASE);

    assertThat(taken).isPresent();
    assertThat(locker.renew(old, LEASE)).isEmpty();
    locker.release(old);
    assertThat(locker.holder("lab")).map(ClusterLocker.Lease::owner).contains("instance-b");
  }

  @Test
  void aRenewedLeaseOutlivesItsFirstExpiry() throws SQLException {
    ClusterLocker.Lease lease = locker.acquire("lab", "instance-a", LEASE).orElseThrow();

    time.sleep(LEASE.minusSeconds(10));
    Optional<ClusterLocker.Lease> renewed = locker.renew(lease, LEASE);
    time.sleep(Duration.ofSeconds(30));

    assertThat(renewed.orElseThrow().expiresAt()).isEqualTo(time.instant().plus(LEASE).minusSeconds(30));
    assertThat(locker.acquire("lab", "instance-b", LEASE)).isEmpty();
    assertThat(locker.holder("lab")).map(ClusterLocker.Lease::owner).contains("instance-a");
  }

  @Test
  void releasingEveryLeaseOfAnOwnerLeavesTheOthers() throws SQLException {
    locker.acquire("lab", "instance-a", LEASE);
    locker.acquire("branch", "instance-a", LEASE);
    locker.acquire("hq", "instance-b", LEASE);

    assertThat(locker.releaseAll("instance-a")).isEqualTo(2);
    assertThat(locker.holder("lab")).isEmpty();
    assertThat(locker.holder("hq")).isPresent();
  }

  @Test
  void ofManyOwnersTakingOneLeaseAtOnceExactlyOneWins() throws Exception {
    int owners = 8;
    ExecutorService pool = Executors.newFixedThreadPool(owners);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Optional<ClusterLocker.Lease>>> attempts = new ArrayList<>();
      for (int i = 0; i < owners; i++) {
        String owner = "instance-" + i;
        Callable<Optional<ClusterLocker.Lease>> attempt = () -> {
          start.await();
          return locker.acquire("lab", owner, LEASE);
        };
        attempts.add(pool.submit(attempt));
      }
      start.countDown();
      int winners = 0;
      for (Future<Optional<ClusterLocker.Lease>> attempt : attempts) {
        winners += attempt.get().isPresent() ? 1 : 0;
      }
      assertThat(winners).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void theSchedulerKeepsAJobPerClusterSuspendsThemAndRebuildsPeriodicJobs() throws Exception {
    ControllerConfig config = new ControllerConfig(java.nio.file.Path.of("/etc/uctrust/controller.yaml").toAbsolutePath(),
        "test", new ControllerSpec(null, null, null, null,
            List.of(new ControllerSpec.Repository("desired", "file:///srv/git/desired.git", null, null, null, null, null,
                null, null)),
            List.of(cluster("lab"), cluster("branch")), null),
        java.nio.file.Path.of("/tmp/state"), ControllerConfig.Database.defaultFor(java.nio.file.Path.of("/tmp/state")),
        new java.net.InetSocketAddress("127.0.0.1", 0));
    // Quartz runs on the real clock (and keeps milliseconds): the first runs are an hour away from now
    Instant first = Instant.now().plus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    ControllerScheduler scheduler = ControllerScheduler.create(database, ControllerScheduler.Settings.DEFAULTS);
    try {
      scheduler.keepReconcileJobs(config, first);
      scheduler.start();
      scheduler.suspend("lab");
      scheduler.rebuild(new TriggerPlan("lab", List.of(new TriggerPlan.Periodic("expiry", ReconcileJob.class,
          Duration.ofHours(1), java.util.Map.of("what", "expiry")))));

      assertThat(scheduler.knows("lab")).isTrue();
      assertThat(scheduler.nextRun("branch")).isEqualTo(first);
      assertThat(scheduler.suspended("lab")).isTrue();
      assertThat(scheduler.suspended("branch")).isFalse();
      assertThat(scheduler.runSoon("lab")).as("a suspended cluster is not queued").isFalse();
      assertThat(scheduler.quartz().getJobKeys(org.quartz.impl.matchers.GroupMatcher.jobGroupEquals(
          ControllerScheduler.MONITORS))).extracting(org.quartz.JobKey::getName).containsExactly("lab.expiry");
      assertThat(scheduler.quartz().getTriggerState(org.quartz.TriggerKey.triggerKey("lab.expiry",
          ControllerScheduler.MONITORS))).as("new periodic jobs of a suspended cluster start paused")
          .isEqualTo(org.quartz.Trigger.TriggerState.PAUSED);

      scheduler.resume("lab");
      scheduler.rebuild(TriggerPlan.none("lab"));
      scheduler.scheduleNext("branch", first.plus(Duration.ofMinutes(5)));

      assertThat(scheduler.suspended("lab")).isFalse();
      assertThat(scheduler.quartz().getJobKeys(org.quartz.impl.matchers.GroupMatcher.jobGroupEquals(
          ControllerScheduler.MONITORS))).isEmpty();
      assertThat(scheduler.nextRun("branch")).isEqualTo(first.plus(Duration.ofMinutes(5)));
    } finally {
      scheduler.shutdown(true);
    }
  }

  private static ControllerSpec.Cluster cluster(String name) {
    return new ControllerSpec.Cluster(name, "desired", null, null, null, null, null, null, null);
  }

  @Test
  void aFinishedRunKeepsItsCountsAndChanges() throws SQLException {
    Instant started = time.instant();
    long id = runs.started("lab", "instance-a", Mode.APPLY, started);
    time.sleep(Duration.ofSeconds(42));
    runs.finished(id, new RunRecorder.Ending("3f2a9c1d4e5b6a7980112233445566778899aabb", "Renew tomcat",
        time.instant(), RunOutcome.SUCCEEDED, 3, 1, 0, 2, Instant.parse("2026-01-03T22:00:00Z"), null, List.of(
            new RunRecord.ChangeRecord(1, "create", "cucm-pub/tomcat-trust/Root", "succeeded", "uploaded"),
            new RunRecord.ChangeRecord(2, "restart", "Cisco Tomcat@cucm-pub", "waiting", "x".repeat(5000)))));

    RunRecord run = runs.run(id).orElseThrow();

    assertThat(run.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(run.duration()).isEqualTo(Duration.ofSeconds(42));
    assertThat(run.commit()).startsWith("3f2a9c1d");
    assertThat(run.waiting()).isEqualTo(2);
    assertThat(run.nextWindow()).isEqualTo(Instant.parse("2026-01-03T22:00:00Z"));
    assertThat(run.changes()).extracting(RunRecord.ChangeRecord::status).containsExactly("succeeded", "waiting");
    assertThat(run.changes().get(1).detail()).hasSize(4000);
    assertThat(runs.lastFinished("lab")).map(RunRecord::id).contains(id);
    assertThat(runs.lastSuccessfulSync("lab")).as("changes still wait").isEmpty();
  }

  @Test
  void recentRunsComeNewestFirstAndOnlyTheClustersOwn() throws SQLException {
    for (int i = 0; i < 3; i++) {
      long id = runs.started("lab", "instance-a", Mode.REPORT, time.instant());
      time.sleep(Duration.ofMinutes(10));
      runs.finished(id, new RunRecorder.Ending(null, null, time.instant(), RunOutcome.IN_SYNC, 0, 0, 0, 0, null, null,
          List.of()));
    }
    runs.started("branch", "instance-a", Mode.REPORT, time.instant());
    long running = runs.started("lab", "instance-a", Mode.REPORT, time.instant());

    List<RunRecord> recent = runs.recent("lab", 2);

    assertThat(recent).extracting(RunRecord::id).first().isEqualTo(running);
    assertThat(recent).hasSize(2);
    assertThat(recent.get(0).outcome()).isNull();
    assertThat(runs.lastSuccessfulSync("lab")).contains(time.instant());
  }

  @Test
  void anOpenRunOfAnInstanceThatIsGoneIsClosedAsAbandonedButNotThoseOfLiveInstances() throws SQLException {
    long gone = runs.started("lab", "gone-1", Mode.APPLY, time.instant());
    long live = runs.started("lab", "live-1", Mode.APPLY, time.instant());
    long own = runs.started("lab", "self-1", Mode.APPLY, time.instant());
    long other = runs.started("branch", "gone-1", Mode.APPLY, time.instant());
    try (var connection = database.dataSource().getConnection();
        var insert = connection.prepareStatement("INSERT INTO qrtz_scheduler_state (sched_name, instance_name,"
            + " last_checkin_time, checkin_interval) VALUES (?, 'live-1', 0, 5000)")) {
      insert.setString(1, ControllerScheduler.NAME);
      insert.executeUpdate();
    }
    time.sleep(Duration.ofSeconds(30));

    List<Long> closed = runs.closeAbandoned("lab", "self-1", time.instant());

    assertThat(closed).containsExactly(gone);
    RunRecord abandoned = runs.run(gone).orElseThrow();
    assertThat(abandoned.outcome()).isEqualTo(RunOutcome.FAILED);
    assertThat(abandoned.finishedAt()).isNotNull();
    assertThat(abandoned.error())
        .isEqualTo("abandoned: controller instance gone-1 stopped during the run; closed by self-1");
    assertThat(List.of(live, own, other)).allSatisfy(id -> assertThat(runs.run(id).orElseThrow().finishedAt()).isNull());
    assertThat(runs.closeAbandoned("lab", "self-1", time.instant())).as("closed once").isEmpty();
  }
}
