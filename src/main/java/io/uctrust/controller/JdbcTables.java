package io.uctrust.controller;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import javax.sql.DataSource;

/**
 * What uctrust's own tables in the controller database need on both H2 and PostgreSQL: creating a table when it is
 * missing (also when another instance creates it at the same moment), and instants as {@code TIMESTAMP(6) WITH TIME
 * ZONE} values, truncated to the microseconds both store, so that a value written compares equal when read back.
 *
 * <p>Not for: Quartz's tables (Quartz's own DDL) or queries (each store writes its own SQL).
 */
final class JdbcTables {
  /** SQLSTATE of a unique or primary key violation, in H2 and PostgreSQL alike. */
  static final String DUPLICATE_KEY = "23505";
  /** PostgreSQL's SQLSTATE for a table that exists already. */
  private static final String DUPLICATE_TABLE = "42P07";

  private JdbcTables() {}

  /**
   * Runs {@code ddl} (a {@code CREATE TABLE IF NOT EXISTS}); when two instances create the table at once,
   * PostgreSQL may refuse the loser with a duplicate key in its catalogue, so that is tried once more.
   */
  static void create(DataSource dataSource, String table, String ddl) {
    for (int attempt = 1; ; attempt++) {
      try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
        statement.execute(ddl);
        return;
      } catch (SQLException e) {
        boolean race = DUPLICATE_KEY.equals(e.getSQLState()) || DUPLICATE_TABLE.equals(e.getSQLState());
        if (!race || attempt == 2) {
          throw new ControllerDatabaseException("cannot create the table " + table + ": " + e.getMessage(), e);
        }
      }
    }
  }

  /** Whether {@code e} is a unique or primary key violation. */
  static boolean duplicate(SQLException e) {
    return DUPLICATE_KEY.equals(e.getSQLState());
  }

  /** {@code instant} as the database stores it: UTC, whole microseconds. */
  static Instant stored(Instant instant) {
    return instant.truncatedTo(ChronoUnit.MICROS);
  }

  /** Binds {@code instant} (null: SQL NULL) as a timestamp with time zone, in whole microseconds. */
  static void set(PreparedStatement statement, int index, Instant instant) throws SQLException {
    if (instant == null) {
      statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      statement.setObject(index, utc(stored(instant)));
    }
  }

  /** {@code instant} as the JDBC value of a timestamp with time zone (null stays null). */
  static OffsetDateTime utc(Instant instant) {
    return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }

  /** The timestamp in {@code column}, or null. */
  static Instant get(ResultSet rows, String column) throws SQLException {
    return instant(rows.getObject(column, OffsetDateTime.class));
  }

  /** The timestamp in column {@code index}, or null. */
  static Instant get(ResultSet rows, int index) throws SQLException {
    return instant(rows.getObject(index, OffsetDateTime.class));
  }

  private static Instant instant(OffsetDateTime value) {
    return value == null ? null : value.toInstant();
  }
}
