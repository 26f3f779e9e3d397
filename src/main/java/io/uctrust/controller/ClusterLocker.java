package io.uctrust.controller;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Per-cluster leases in {@code uctrust_cluster_lock}, so that at most one controller instance (of all that share the
 * database) applies to a cluster at a time. A lease is taken with a conditional UPDATE (the row is free, expired or
 * already ours) or, when there is no row, an INSERT that the primary key makes exclusive: of several takers exactly
 * one wins. The holder renews it while it applies and releases it at the end; a holder that died loses it when it
 * expires. Every statement runs in its own transaction, in SQL that H2 and PostgreSQL both accept.
 *
 * <p>Not for: locking within one process (Quartz's {@code @DisallowConcurrentExecution} does that), or a cluster's
 * lab (the reconciler's file lock guards the lab's files).
 */
public final class ClusterLocker {

  /**
   * A lease held.
   *
   * @param cluster the cluster
   * @param owner who holds it (a controller instance id)
   * @param expiresAt when it ends unless renewed
   */
  public record Lease(String cluster, String owner, Instant expiresAt) {
    public Lease {
      Objects.requireNonNull(cluster, "cluster");
      Objects.requireNonNull(owner, "owner");
      Objects.requireNonNull(expiresAt, "expiresAt");
    }
  }

  private final DataSource database;
  private final Clock clock;

  public ClusterLocker(DataSource database, Clock clock) {
    this.database = database;
    this.clock = clock;
  }

  /**
   * Takes the lease of {@code cluster} for {@code owner} for {@code length}, when nobody else holds it (or their lease
   * expired); taking one already held by {@code owner} extends it.
   *
   * @return the lease, or empty when another owner holds it
   */
  public Optional<Lease> acquire(String cluster, String owner, Duration length) throws SQLException {
    Instant now = clock.instant();
    Instant until = now.plus(length);
    try (Connection connection = database.getConnection()) {
      connection.setAutoCommit(true);
      try (PreparedStatement update = connection.prepareStatement("UPDATE uctrust_cluster_lock SET owner = ?,"
          + " acquired_at = ?, expires_at = ? WHERE cluster = ? AND (owner = ? OR expires_at <= ?)")) {
        update.setString(1, owner);
        update.setObject(2, JdbcTables.utc(now));
        update.setObject(3, JdbcTables.utc(until));
        update.setString(4, cluster);
        update.setString(5, owner);
        update.setObject(6, JdbcTables.utc(now));
        if (update.executeUpdate() == 1) {
          return Optional.of(new Lease(cluster, owner, until));
        }
      }
      try (PreparedStatement insert = connection.prepareStatement("INSERT INTO uctrust_cluster_lock"
          + " (cluster, owner, acquired_at, expires_at) VALUES (?, ?, ?, ?)")) {
        insert.setString(1, cluster);
        insert.setString(2, owner);
        insert.setObject(3, JdbcTables.utc(now));
        insert.setObject(4, JdbcTables.utc(until));
        insert.executeUpdate();
        return Optional.of(new Lease(cluster, owner, until));
      } catch (SQLException e) {
        if (JdbcTables.duplicate(e)) {
          return Optional.empty(); // a row exists: someone else holds it
        }
        throw e;
      }
    }
  }

  /**
   * Extends {@code lease} to {@code length} from now, if its owner still holds it.
   *
   * @return the renewed lease, or empty when it was lost (it expired and another owner took it, or it was released)
   */
  public Optional<Lease> renew(Lease lease, Duration length) throws SQLException {
    Instant until = clock.instant().plus(length);
    try (Connection connection = database.getConnection();
        PreparedStatement update = connection.prepareStatement(
            "UPDATE uctrust_cluster_lock SET expires_at = ? WHERE cluster = ? AND owner = ?")) {
      connection.setAutoCommit(true);
      update.setObject(1, JdbcTables.utc(until));
      update.setString(2, lease.cluster());
      update.setString(3, lease.owner());
      return update.executeUpdate() == 1 ? Optional.of(new Lease(lease.cluster(), lease.owner(), until))
          : Optional.empty();
    }
  }

  /** Gives {@code lease} up, if its owner still holds it. */
  public void release(Lease lease) throws SQLException {
    try (Connection connection = database.getConnection();
        PreparedStatement delete = connection.prepareStatement(
            "DELETE FROM uctrust_cluster_lock WHERE cluster = ? AND owner = ?")) {
      connection.setAutoCommit(true);
      delete.setString(1, lease.cluster());
      delete.setString(2, lease.owner());
      delete.executeUpdate();
    }
  }

  /** Gives up every lease of {@code owner} (at shutdown); returns how many there were. */
  public int releaseAll(String owner) throws SQLException {
    try (Connection connection = database.getConnection();
        PreparedStatement delete = connection.prepareStatement("DELETE FROM uctrust_cluster_lock WHERE owner = ?")) {
      connection.setAutoCommit(true);
      delete.setString(1, owner);
      return delete.executeUpdate();
    }
  }

  /**
   * Gives up every lease of every owner; only for a database one process uses at a time (H2), where any lease found at
   * start was left by a process that died.
   */
  public int releaseAll() throws SQLException {
    try (Connection connection = database.getConnection();
        PreparedStatement delete = connection.prepareStatement("DELETE FROM uctrust_cluster_lock")) {
      return delete.executeUpdate();
    }
  }

  /** Who holds the lease of {@code cluster} now; empty when nobody does (no row, or it expired). */
  public Optional<Lease> holder(String cluster) throws SQLException {
    try (Connection connection = database.getConnection();
        PreparedStatement select = connection.prepareStatement(
            "SELECT owner, expires_at FROM uctrust_cluster_lock WHERE cluster = ? AND expires_at > ?")) {
      select.setString(1, cluster);
      select.setObject(2, JdbcTables.utc(clock.instant()));
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? Optional.of(new Lease(cluster, rows.getString(1),
            JdbcTables.get(rows, 2))) : Optional.empty();
      }
    }
  }

}
