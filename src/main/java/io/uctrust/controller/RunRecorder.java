package io.uctrust.controller;

import io.uctrust.controller.ControllerStatus.Mode;
import io.uctrust.controller.ControllerStatus.RunOutcome;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Writes and reads the run history ({@code uctrust_run} and {@code uctrust_run_change}) with plain JDBC: a row when a
 * run starts, completed when it ends (with one row per change), the newest runs per cluster, and pruning of old ones.
 * Shared by every controller instance on the database, so any of them shows every run.
 *
 * <p>Not for: the apply journal (which resumes interrupted applies on the machine that applied), or the schedule.
 */
public final class RunRecorder {

  /** Runs kept per cluster; older ones are pruned as new ones finish. */
  public static final int KEPT_PER_CLUSTER = 500;

  private static final int DETAIL = 4000;
  private static final int ERROR = 2000;

  private final DataSource database;

  public RunRecorder(DataSource database) {
    this.database = database;
  }

  /** How a run ended, for {@link #finished}. */
  public record Ending(String commit, String subject, Instant finishedAt, RunOutcome outcome, int planned, int applied,
      int failed, int waiting, Instant nextWindow, String error, List<RunRecord.ChangeRecord> changes) {
    public Ending {
      changes = List.copyOf(changes);
    }
  }

  /** Records that a run of {@code cluster} started; returns its id. */
  public long started(String cluster, String instance, Mode mode, Instant at) throws SQLException {
    try (Connection connection = database.getConnection();
        PreparedStatement insert = connection.prepareStatement("INSERT INTO uctrust_run (cluster, instance, mode,"
            + " started_at) VALUES (?, ?, ?, ?)", new String[] {"id"})) {
      insert.setString(1, cluster);
      insert.setString(2, instance);
      insert.setString(3, mode.label());
      insert.setObject(4, JdbcTables.utc(at));
      insert.executeUpdate();
      try (ResultSet keys = insert.getGeneratedKeys()) {
        if (!keys.next()) {
          throw new SQLException("the database returned no id for the new run");
        }
        return keys.getLong(1);
      }
    }
  }

  /** Why a run whose instance died is closed as failed by another instance. */
  static final String ABANDONED = "abandoned: controller instance %s stopped during the run; closed by %s";

  /**
   * Closes as failed the runs of {@code cluster} left unfinished by instances that are gone: not {@code instance} and
   * not checked in with the clustered scheduler ({@code qrtz_scheduler_state}, which Quartz clears of an instance that
   * missed its check-ins; on H2, which one process uses at a time, it is empty, so every other instance is gone).
   *
   * @return the ids of the runs closed
   */
  public List<Long> closeAbandoned(String cluster, String instance, Instant at) throws SQLException {
    List<Long> closed = new ArrayList<>();
    try (Connection connection = database.getConnection()) {
      connection.setAutoCommit(true);
      List<String> owners = new ArrayList<>();
      try (PreparedStatement select = connection.prepareStatement("SELECT id, instance FROM uctrust_run"
          + " WHERE cluster = ? AND finished_at IS NULL AND instance <> ? AND instance NOT IN"
          + " (SELECT instance_name FROM qrtz_scheduler_state WHERE sched_name = ?)")) {
        select.setString(1, cluster);
        select.setString(2, instance);
        select.setString(3, ControllerScheduler.NAME);
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            closed.add(rows.getLong(1));
            owners.add(rows.getString(2));
          }
        }
      }
      try (PreparedStatement update = connection.prepareStatement("UPDATE uctrust_run SET finished_at = ?, outcome = ?,"
          + " error = ? WHERE id = ? AND finished_at IS NULL")) {
        for (int i = 0; i < closed.size(); i++) {
          update.setObject(1, JdbcTables.utc(at));
          update.setString(2, RunOutcome.FAILED.label());
          update.setString(3, cut(ABANDONED.formatted(owners.get(i), instance), ERROR));
          update.setLong(4, closed.get(i));
          update.executeUpdate();
        }
      }
    }
    return closed;
  }

  /** Records how run {@code id} ended, with its changes, in one transaction; prunes the cluster's oldest runs. */
  public void finished(long id, Ending ending) throws SQLException {
    try (Connection connection = database.getConnection()) {
      connection.setAutoCommit(false);
      try {
        try (PreparedStatement update = connection.prepareStatement("UPDATE uctrust_run SET commit_sha = ?, subject = ?,"
            + " finished_at = ?, outcome = ?, planned = ?, applied = ?, failed = ?, waiting = ?, next_window = ?,"
            + " error = ? WHERE id = ?")) {
          update.setString(1, ending.commit());
          update.setString(2, cut(ending.subject(), 500));
          update.setObject(3, JdbcTables.utc(ending.finishedAt()));
          update.setString(4, ending.outcome().label());
          update.setInt(5, ending.planned());
          update.setInt(6, ending.applied());
          update.setInt(7, ending.failed());
          update.setInt(8, ending.waiting());
          if (ending.nextWindow() == null) {
            update.setNull(9, Types.TIMESTAMP_WITH_TIMEZONE);
          } else {
            update.setObject(9, JdbcTables.utc(ending.nextWindow()));
          }
          update.setString(10, cut(ending.error(), ERROR));
          update.setLong(11, id);
          update.executeUpdate();
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO uctrust_run_change (run_id, change_id,"
            + " action, address, status, detail) VALUES (?, ?, ?, ?, ?, ?)")) {
          for (RunRecord.ChangeRecord change : ending.changes()) {
            insert.setLong(1, id);
            insert.setInt(2, change.change());
            insert.setString(3, cut(change.action(), 16));
            insert.setString(4, cut(change.address(), 1000));
            insert.setString(5, cut(change.status(), 16));
            insert.setString(6, cut(change.detail(), DETAIL));
            insert.addBatch();
          }
          insert.executeBatch();
        }
        prune(connection, id);
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
    }
  }

  /** Deletes the runs of {@code id}'s cluster older than its newest {@link #KEPT_PER_CLUSTER} (changes cascade). */
  private static void prune(Connection connection, long id) throws SQLException {
    try (PreparedStatement delete = connection.prepareStatement("DELETE FROM uctrust_run WHERE cluster = ? AND id <"
        + " (SELECT MIN(id) FROM (SELECT id FROM uctrust_run WHERE cluster = ? ORDER BY id DESC FETCH FIRST "
        + KEPT_PER_CLUSTER + " ROWS ONLY) newest)")) {
      String cluster = clusterOf(connection, id);
      delete.setString(1, cluster);
      delete.setString(2, cluster);
      delete.executeUpdate();
    }
  }

  private static String clusterOf(Connection connection, long id) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement("SELECT cluster FROM uctrust_run WHERE id = ?")) {
      select.setLong(1, id);
      try (ResultSet rows = select.executeQuery()) {
        if (!rows.next()) {
          throw new SQLException("no run " + id + " in uctrust_run");
        }
        return rows.getString(1);
      }
    }
  }

  /** The newest runs of {@code cluster}, newest first, without their changes. */
  public List<RunRecord> recent(String cluster, int limit) throws SQLException {
    List<RunRecord> runs = new ArrayList<>();
    try (Connection connection = database.getConnection();
        PreparedStatement select = connection.prepareStatement(SELECT + " WHERE cluster = ? ORDER BY id DESC")) {
      select.setString(1, cluster);
      select.setMaxRows(limit);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          runs.add(run(rows, List.of()));
        }
      }
    }
    return runs;
  }

  /** The newest finished run of {@code cluster}, if any. */
  public Optional<RunRecord> lastFinished(String cluster) throws SQLException {
    try (Connection connection = database.getConnection();
        PreparedStatement select = connection.prepareStatement(SELECT
            + " WHERE cluster = ? AND finished_at IS NOT NULL ORDER BY id DESC")) {
      select.setString(1, cluster);
      select.setMaxRows(1);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? Optional.of(run(rows, List.of())) : Optional.empty();
      }
    }
  }

  /** When a run of {@code cluster} last left it as desired (succeeded with nothing waiting, or in sync). */
  public Optional<Instant> lastSuccessfulSync(String cluster) throws SQLException {
    try (Connection connection = database.getConnection();
        PreparedStatement select = connection.prepareStatement("SELECT MAX(finished_at) FROM uctrust_run"
            + " WHERE cluster = ? AND (outcome = ? OR (outcome = ? AND waiting = 0))")) {
      select.setString(1, cluster);
      select.setString(2, RunOutcome.IN_SYNC.label());
      select.setString(3, RunOutcome.SUCCEEDED.label());
      try (ResultSet rows = select.executeQuery()) {
        return Optional.ofNullable(rows.next() ? JdbcTables.get(rows, 1) : null);
      }
    }
  }

  /** Run {@code id} with its changes, in plan order. */
  public Optional<RunRecord> run(long id) throws SQLException {
    try (Connection connection = database.getConnection()) {
      List<RunRecord.ChangeRecord> changes = new ArrayList<>();
      try (PreparedStatement select = connection.prepareStatement("SELECT change_id, action, address, status, detail"
          + " FROM uctrust_run_change WHERE run_id = ? ORDER BY change_id")) {
        select.setLong(1, id);
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            changes.add(new RunRecord.ChangeRecord(rows.getInt(1), rows.getString(2), rows.getString(3),
                rows.getString(4), rows.getString(5)));
          }
        }
      }
      try (PreparedStatement select = connection.prepareStatement(SELECT + " WHERE id = ?")) {
        select.setLong(1, id);
        try (ResultSet rows = select.executeQuery()) {
          return rows.next() ? Optional.of(run(rows, changes)) : Optional.empty();
        }
      }
    }
  }

  private static final String SELECT = "SELECT id, cluster, instance, mode, commit_sha, subject, started_at, finished_at,"
      + " outcome, planned, applied, failed, waiting, next_window, error FROM uctrust_run";

  private static RunRecord run(ResultSet rows, List<RunRecord.ChangeRecord> changes) throws SQLException {
    String outcome = rows.getString(9);
    return new RunRecord(rows.getLong(1), rows.getString(2), rows.getString(3), mode(rows.getString(4)),
        rows.getString(5), rows.getString(6), JdbcTables.get(rows, 7), JdbcTables.get(rows, 8),
        outcome == null ? null : outcome(outcome), rows.getInt(10), rows.getInt(11), rows.getInt(12), rows.getInt(13),
        JdbcTables.get(rows, 14), rows.getString(15), changes);
  }


  private static Mode mode(String label) {
    for (Mode mode : Mode.values()) {
      if (mode.label().equals(label)) {
        return mode;
      }
    }
    throw new IllegalStateException("unknown mode in uctrust_run: " + label);
  }

  private static RunOutcome outcome(String label) {
    for (RunOutcome outcome : RunOutcome.values()) {
      if (outcome.label().equals(label)) {
        return outcome;
      }
    }
    throw new IllegalStateException("unknown outcome in uctrust_run: " + label);
  }

  private static String cut(String text, int max) {
    return text == null || text.length() <= max ? text : text.substring(0, max - 3) + "...";
  }
}
