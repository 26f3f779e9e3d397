package io.uctrust.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code uctrust controller} processes on one real PostgreSQL (Quartz clustered) keeping the same two lab clusters:
 * they share the runs, a cluster never has two runs at once and a fire never runs twice; when one is killed (SIGKILL)
 * while it holds a cluster's lease, the other takes its clusters over, closes the killed run as abandoned, applies a
 * commit pushed after the kill and converges both clusters.
 *
 * <p>Each process has its own state folder (its own git clones) but both see one lab folder through a symbolic link,
 * as two controllers on two machines see one real cluster: the lab is the shared cluster, not per instance.
 */
@ExtendWith(PostgresServerProvider.class)
class ControllerClusterIT {

  private static final Pattern INSTANCE = Pattern.compile("running \\(instance ([^)]+)\\)");
  private static final Duration CHECKIN = Duration.ofSeconds(1);
  private static final Duration LEASE = Duration.ofSeconds(3);
  private static final Duration INTERVAL = Duration.ofSeconds(2);
  /** Quartz declares an instance dead this long after its last check-in beyond the check-in interval. */
  private static final Duration QUARTZ_GRACE = Duration.ofMillis(7500);

  @TempDir Path temp;

  private ControllerProcesses processes;
  private String url;
  private PostgresServer postgres;

  @BeforeEach
  void start(PostgresServer postgres) throws Exception {
    this.postgres = postgres;
    processes = new ControllerProcesses(temp);
    url = postgres.createDatabase("cluster_it");
  }

  @AfterEach
  void killLeftovers() throws InterruptedException {
    processes.close();
  }

  /** One controller instance of the test. */
  private record Instance(String name, Process process, String id) {}

  private Instance instance(String name, Path config) throws Exception {
    Path state = Files.createDirectories(temp.resolve("state-" + name));
    Files.createSymbolicLink(state.resolve("lab"), Files.createDirectories(temp.resolve("shared-lab")));
    Process process = processes.start(name, config, Map.of("UCTRUST_LAB_LATENCY_MS", "20",
        "PGPASSWORD_UCTRUST", postgres.password()), "--database", url, "--database-user", postgres.user(),
        "--database-password", "env:PGPASSWORD_UCTRUST", "--state-dir", state.toString());
    Matcher id = INSTANCE.matcher(processes.await(name + ".out", out -> INSTANCE.matcher(out).find()));
    assertThat(id.find()).isTrue();
    return new Instance(name, process, id.group(1));
  }

  private Connection database() throws SQLException {
    return DriverManager.getConnection(url, postgres.user(), postgres.password());
  }

  /** A row of uctrust_run. */
  private record Run(long id, String cluster, String instance, OffsetDateTime started, OffsetDateTime finished,
      String outcome, String commit, int applied, String error) {}

  private List<Run> runs() throws SQLException {
    List<Run> runs = new ArrayList<>();
    try (Connection connection = database();
        Statement select = connection.createStatement();
        ResultSet rows = select.executeQuery("SELECT id, cluster, instance, started_at, finished_at, outcome,"
            + " commit_sha, applied, error FROM uctrust_run ORDER BY id")) {
      while (rows.next()) {
        runs.add(new Run(rows.getLong(1), rows.getString(2), rows.getString(3),
            rows.getObject(4, OffsetDateTime.class), rows.getObject(5, OffsetDateTime.class), rows.getString(6),
            rows.getString(7), rows.getInt(8), rows.getString(9)));
      }
    }
    return runs;
  }

  private Optional<String> leaseHolder(String cluster) throws SQLException {
    try (Connection connection = database();
        PreparedStatement select = connection.prepareStatement(
            "SELECT owner FROM uctrust_cluster_lock WHERE cluster = ? AND expires_at > now()")) {
      select.setString(1, cluster);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
      }
    }
  }

  /**
   * The fires executing now, as (trigger, instance, fire id); recorded to show a fire never runs on two instances and
   * a job never runs twice at once.
   */
  private List<List<String>> executing(Connection connection) throws SQLException {
    List<List<String>> fires = new ArrayList<>();
    try (Statement select = connection.createStatement();
        ResultSet rows = select.executeQuery("SELECT job_name, instance_name, entry_id FROM qrtz_fired_triggers"
            + " WHERE job_group = 'reconcile' AND state = 'EXECUTING'")) {
      while (rows.next()) {
        fires.add(List.of(rows.getString(1), rows.getString(2), rows.getString(3)));
      }
    }
    return fires;
  }

  /** Waits up to {@code limit} for {@code done}, watching the executing fires meanwhile; false when it never was. */
  private boolean watch(Duration limit, List<List<String>> seen, Check done) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    try (Connection connection = database()) {
      while (System.nanoTime() < deadline) {
        List<List<String>> now = executing(connection);
        seen.addAll(now);
        assertThat(now.stream().map(f -> f.get(0)).toList()).as("jobs executing at once").doesNotHaveDuplicates();
        if (done.ok()) {
          return true;
        }
        Thread.sleep(50);
      }
    }
    return false;
  }

  /** A condition over the database. */
  private interface Check {
    boolean ok() throws Exception;
  }

  private boolean converged(String cluster, String commit) throws SQLException {
    List<Run> of = runs().stream().filter(r -> r.cluster().equals(cluster) && r.finished() != null).toList();
    return !of.isEmpty() && "in-sync".equals(of.get(of.size() - 1).outcome())
        && (commit == null || commit.equals(of.get(of.size() - 1).commit()));
  }

  @Test
  void twoInstancesShareTheClustersAndTheSurvivorOfAKillTakesOverWithoutLosingWork() throws Exception {
    LabRepository repository = LabRepository.createWithClusters(temp.resolve("git"), "lab-a", "lab-b");
    Path config = Files.writeString(temp.resolve("controller.yaml"), """
        apiVersion: uctrust/v1
        kind: Controller
        metadata: {name: ha}
        spec:
          listen: 127.0.0.1:0
          database: {checkinInterval: %ds, lease: %ds}
          repositories:
            - {name: desired, url: "%s"}
          clusters:
            - {name: lab-a, repository: desired, path: lab-a, interval: %ds, jitter: 1s}
            - {name: lab-b, repository: desired, path: lab-b, interval: %ds, jitter: 1s}
        """.formatted(CHECKIN.toSeconds(), LEASE.toSeconds(), repository.url(), INTERVAL.toSeconds(),
        INTERVAL.toSeconds()));
    Instance first = instance("first", config);
    Instance second = instance("second", config);
    Map<String, Instance> byId = Map.of(first.id(), first, second.id(), second);
    List<List<String>> fires = new ArrayList<>();

    // both clusters converge, and both instances have run something
    boolean shared = watch(Duration.ofSeconds(45), fires, () -> converged("lab-a", null) && converged("lab-b", null)
        && runs().stream().map(Run::instance).distinct().count() == 2);
    assertThat(shared).as("both clusters in sync and both instances ran: %s", runs()).isTrue();
    assertThat(fires.stream().map(f -> f.get(2)).distinct().toList())
        .as("every fire (entry id) ran on one instance only")
        .allSatisfy(entry -> assertThat(fires.stream().filter(f -> f.get(2).equals(entry))
            .map(f -> f.get(1)).distinct()).hasSize(1));
    assertThat(fires.stream().map(f -> f.get(1)).distinct()).containsAnyOf(first.id(), second.id());

    // kill -9 whichever instance holds a cluster's lease (each apply-mode run holds it, also in sync)
    List<String> holder = new ArrayList<>();
    boolean caught = watch(Duration.ofSeconds(20), fires, () -> {
      for (String cluster : List.of("lab-a", "lab-b")) {
        Optional<String> owner = leaseHolder(cluster);
        if (owner.isPresent() && byId.containsKey(owner.get())) {
          holder.add(cluster);
          holder.add(owner.get());
          byId.get(owner.get()).process().destroyForcibly(); // SIGKILL: no shutdown hook, the lease stays
          return true;
        }
      }
      return false;
    });
    assertThat(caught).as("a lease held by an instance").isTrue();
    Instance killed = byId.get(holder.get(1));
    Instance survivor = killed == first ? second : first;
    assertThat(killed.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
    String cluster = holder.get(0);

    // a commit pushed after the kill reaches both clusters through the survivor
    String commitA = repository.change("lab-a/capf.yaml", "keepAliveMinutes: 15", "keepAliveMinutes: 20",
        "CAPF keep-alive 20 minutes (a)");
    String last = repository.change("lab-b/capf.yaml", "keepAliveMinutes: 15", "keepAliveMinutes: 20",
        "CAPF keep-alive 20 minutes (b)");
    // takeover bound: Quartz notices the death (check-in + grace), the lease expires, the next run is due
    Duration takeover = CHECKIN.plus(QUARTZ_GRACE).plus(LEASE).plus(INTERVAL).plusSeconds(15);
    boolean converged = watch(takeover, fires, () -> converged("lab-a", last) && converged("lab-b", last));
    assertThat(converged).as("both clusters in sync at %s after the kill: %s\n%s", last, runs(),
        processes.log(survivor.name() + ".err")).isTrue();

    survivor.process().destroy(); // SIGTERM: graceful
    assertThat(survivor.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(survivor.process().exitValue()).isZero();

    List<Run> runs = runs();
    assertThat(runs).as("nothing left running").allSatisfy(r -> assertThat(r.finished()).isNotNull());
    assertThat(runs).as("the killed instance's run was closed as abandoned by the survivor")
        .anySatisfy(r -> {
          assertThat(r.cluster()).isEqualTo(cluster);
          assertThat(r.instance()).isEqualTo(killed.id());
          assertThat(r.outcome()).isEqualTo("failed");
          assertThat(r.error()).startsWith("abandoned: controller instance " + killed.id())
              .endsWith("closed by " + survivor.id());
        });
    assertThat(runs.stream().map(Run::instance).distinct()).containsExactlyInAnyOrder(first.id(), second.id());
    assertThat(runs).as("the new commit applied by the survivor")
        .anySatisfy(r -> {
          assertThat(r.instance()).isEqualTo(survivor.id());
          assertThat(r.commit()).isIn(commitA, last);
          assertThat(r.applied()).isPositive();
        });
    for (String each : List.of("lab-a", "lab-b")) {
      List<Run> of = runs.stream().filter(r -> r.cluster().equals(each)).toList();
      for (int i = 1; i < of.size(); i++) {
        assertThat(of.get(i).started()).as("run %s of %s starts after run %s ended", of.get(i).id(), each,
            of.get(i - 1).id()).isAfterOrEqualTo(of.get(i - 1).finished());
      }
    }
    assertThat(survivor.id()).isNotEqualTo(killed.id());
  }
}
