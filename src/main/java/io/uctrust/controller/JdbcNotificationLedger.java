package io.uctrust.controller;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * A {@link NotificationLedger} in the controller's database (H2 or PostgreSQL), shared by every controller instance
 * using it: one row per notification type and key in {@code uctrust_notification} ({@code type},
 * {@code notification_key}, {@code last_sent}, and {@code claimed_by}/{@code claimed_at}: which instance's claim set
 * {@code last_sent}, null after {@link #record} or {@link #release}). The table is created when missing.
 *
 * <p>Claims are compare-and-set: read the row, then update it only where {@code last_sent} is still what was read,
 * or insert it where there was none, which the primary key lets only one instance do. A loser sees the winner's
 * time on its next read and gives up. This holds under READ COMMITTED, the default of both databases, with
 * autocommit statements, so no locks are held between statements. The key column is not called {@code key}
 * because that is a reserved word in H2.
 *
 * <p>Not for: delivery reports or messages (only times), or a database whose clock matters: every time is the
 * caller's.
 */
public final class JdbcNotificationLedger implements NotificationLedger {
  /** The table's name. */
  public static final String TABLE = "uctrust_notification";

  // a claim loses a race only when another instance changed the row between two statements; after this many in a
  // row something is wrong beyond contention
  private static final int ATTEMPTS = 20;

  private final DataSource dataSource;
  private final String instance;

  /**
   * A ledger on {@code dataSource} whose claims are marked {@code claimed_by} {@code instance} (the controller
   * instance id); creates the table when missing.
   *
   * @throws ControllerDatabaseException when the table cannot be created
   */
  public JdbcNotificationLedger(DataSource dataSource, String instance) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.instance = Objects.requireNonNull(instance, "instance");
    JdbcTables.create(dataSource, TABLE, """
        CREATE TABLE IF NOT EXISTS uctrust_notification (
          type VARCHAR(64) NOT NULL,
          notification_key VARCHAR(1024) NOT NULL,
          last_sent TIMESTAMP(6) WITH TIME ZONE NOT NULL,
          claimed_by VARCHAR(255),
          claimed_at TIMESTAMP(6) WITH TIME ZONE,
          PRIMARY KEY (type, notification_key))""");
  }

  @Override
  public Optional<Instant> lastSent(NotificationType type, String key) {
    try (Connection connection = dataSource.getConnection()) {
      return Optional.ofNullable(read(connection, type, key));
    } catch (SQLException e) {
      throw failure("read when " + type + " " + key + " was last sent", e);
    }
  }

  @Override
  public void record(NotificationType type, String key, Instant time) {
    try (Connection connection = dataSource.getConnection()) {
      for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
        try (PreparedStatement update = connection.prepareStatement("UPDATE " + TABLE + " SET last_sent = ?, "
            + "claimed_by = NULL, claimed_at = NULL WHERE type = ? AND notification_key = ?")) {
          JdbcTables.set(update, 1, time);
          update.setString(2, type.name());
          update.setString(3, key);
          if (update.executeUpdate() == 1 || insert(connection, type, key, time, null)) {
            return;
          }
        }
      }
      throw new ControllerDatabaseException("cannot record " + type + " " + key + " in " + TABLE + ": the row kept "
          + "changing under " + ATTEMPTS + " attempts");
    } catch (SQLException e) {
      throw failure("record " + type + " " + key, e);
    }
  }

  @Override
  public Optional<Claim> claim(NotificationType type, String key, Instant notSentSince, Instant time) {
    try (Connection connection = dataSource.getConnection()) {
      for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
        Instant previous = read(connection, type, key);
        if (previous == null) {
          if (insert(connection, type, key, time, instance)) {
            return Optional.of(new Claim(type, key, time, null));
          }
          continue; // another instance inserted it first: read what it wrote
        }
        if (previous.isAfter(notSentSince)) {
          return Optional.empty();
        }
        try (PreparedStatement update = connection.prepareStatement("UPDATE " + TABLE + " SET last_sent = ?, "
            + "claimed_by = ?, claimed_at = ? WHERE type = ? AND notification_key = ? AND last_sent = ?")) {
          JdbcTables.set(update, 1, time);
          update.setString(2, instance);
          JdbcTables.set(update, 3, time);
          update.setString(4, type.name());
          update.setString(5, key);
          JdbcTables.set(update, 6, previous);
          if (update.executeUpdate() == 1) {
            return Optional.of(new Claim(type, key, time, previous));
          }
        }
      }
      throw new ControllerDatabaseException("cannot claim " + type + " " + key + " in " + TABLE + ": the row kept "
          + "changing under " + ATTEMPTS + " attempts");
    } catch (SQLException e) {
      throw failure("claim " + type + " " + key, e);
    }
  }

  @Override
  public void release(Claim claim) {
    // only while the row still holds this claim's time: a later claim or record is someone else's and stays
    String sql = claim.previous() == null
        ? "DELETE FROM " + TABLE + " WHERE type = ? AND notification_key = ? AND last_sent = ?"
        : "UPDATE " + TABLE + " SET last_sent = ?, claimed_by = NULL, claimed_at = NULL "
            + "WHERE type = ? AND notification_key = ? AND last_sent = ?";
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      int index = 1;
      if (claim.previous() != null) {
        JdbcTables.set(statement, index++, claim.previous());
      }
      statement.setString(index++, claim.type().name());
      statement.setString(index++, claim.key());
      JdbcTables.set(statement, index, claim.time());
      statement.executeUpdate();
    } catch (SQLException e) {
      throw failure("release the claim of " + claim.type() + " " + claim.key(), e);
    }
  }

  private static Instant read(Connection connection, NotificationType type, String key) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement("SELECT last_sent FROM " + TABLE
        + " WHERE type = ? AND notification_key = ?")) {
      select.setString(1, type.name());
      select.setString(2, key);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? JdbcTables.get(rows, "last_sent") : null;
      }
    }
  }

  /** Inserts the row; false when another instance inserted it first. */
  private static boolean insert(Connection connection, NotificationType type, String key, Instant time,
      String claimedBy) throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + TABLE
        + " (type, notification_key, last_sent, claimed_by, claimed_at) VALUES (?, ?, ?, ?, ?)")) {
      insert.setString(1, type.name());
      insert.setString(2, key);
      JdbcTables.set(insert, 3, time);
      insert.setString(4, claimedBy);
      JdbcTables.set(insert, 5, claimedBy == null ? null : time);
      insert.executeUpdate();
      return true;
    } catch (SQLException e) {
      if (JdbcTables.duplicate(e)) {
        return false;
      }
      throw e;
    }
  }

  private static ControllerDatabaseException failure(String what, SQLException e) {
    return new ControllerDatabaseException("cannot " + what + " in " + TABLE + ": " + e.getMessage(), e);
  }
}
