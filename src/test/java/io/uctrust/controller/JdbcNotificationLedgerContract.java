package io.uctrust.controller;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link JdbcNotificationLedger} on a real database: the {@link NotificationLedgerContract} with every controller
 * instance on its own connection pool, as separate processes would be, plus what only a database ledger has (its
 * table, who claimed, microsecond times). A subclass says which database.
 */
abstract class JdbcNotificationLedgerContract extends NotificationLedgerContract {
  private final List<HikariDataSource> pools = new ArrayList<>();
  private String url;

  /** A JDBC URL of a fresh, empty database, with {@link #user()} and {@link #password()}. */
  abstract String freshDatabase() throws Exception;

  abstract String user();

  abstract String password();

  @Override
  NotificationLedger newLedger() throws Exception {
    url = freshDatabase();
    return new JdbcNotificationLedger(pool(), "controller-a");
  }

  @Override
  NotificationLedger sameLedgerElsewhere(String instance) {
    return new JdbcNotificationLedger(pool(), instance);
  }

  @AfterEach
  void closePools() {
    pools.forEach(HikariDataSource::close);
  }

  /** A pool of its own on the test's database, as another controller process has. */
  DataSource pool() {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(user());
    config.setPassword(password());
    config.setMaximumPoolSize(2);
    HikariDataSource pool = new HikariDataSource(config);
    pools.add(pool);
    return pool;
  }

  @Test
  void theTableIsCreatedWithItsDocumentedColumnsAndASecondLedgerKeepsItsRows() throws Exception {
    ledger.record(TYPE, "k", T0);

    NotificationLedger second = new JdbcNotificationLedger(pool(), "controller-b");

    assertThat(second.lastSent(TYPE, "k")).contains(T0);
    assertThat(columns(JdbcNotificationLedger.TABLE)).containsExactly("claimed_at", "claimed_by", "last_sent",
        "notification_key", "type");
  }

  @Test
  void aClaimSaysWhichInstanceMadeItAndARecordOrReleaseClearsThat() throws Exception {
    ledger.record(TYPE, "k", T0);
    NotificationLedger other = sameLedgerElsewhere("controller-b");

    NotificationLedger.Claim claim = other.claim(TYPE, "k", T0, T1).orElseThrow();
    List<String> claimed = row("k");
    other.release(claim);
    List<String> released = row("k");
    ledger.claim(TYPE, "k", T0, T1).orElseThrow();
    ledger.record(TYPE, "k", T1.plusSeconds(1));

    assertThat(claimed).containsExactly("controller-b", "true");
    assertThat(released).containsExactly(null, "false");
    assertThat(row("k")).containsExactly(null, "false");
  }

  @Test
  void aClaimAtANanosecondIsReleasedThoughTheDatabaseKeepsMicroseconds() {
    Instant precise = T0.plusNanos(123_456_789);

    NotificationLedger.Claim claim = ledger.claim(TYPE, "k", T0, precise).orElseThrow();
    Instant stored = ledger.lastSent(TYPE, "k").orElseThrow();
    ledger.release(claim);

    assertThat(stored).isEqualTo(precise.truncatedTo(ChronoUnit.MICROS));
    assertThat(ledger.lastSent(TYPE, "k")).isEmpty();
  }

  private List<String> row(String key) throws SQLException {
    try (Connection connection = pool().getConnection();
        PreparedStatement select = connection.prepareStatement("SELECT claimed_by, claimed_at FROM "
            + JdbcNotificationLedger.TABLE + " WHERE type = ? AND notification_key = ?")) {
      select.setString(1, TYPE.name());
      select.setString(2, key);
      try (ResultSet rows = select.executeQuery()) {
        assertThat(rows.next()).isTrue();
        List<String> values = new ArrayList<>();
        values.add(rows.getString(1));
        values.add(Boolean.toString(rows.getObject(2) != null));
        return values;
      }
    }
  }

  /** The table's column names, lower case, sorted (H2 keeps unquoted names in upper case, PostgreSQL in lower). */
  private TreeSet<String> columns(String table) throws SQLException {
    TreeSet<String> columns = new TreeSet<>();
    try (Connection connection = pool().getConnection()) {
      for (String name : List.of(table, table.toUpperCase(Locale.ROOT))) {
        try (ResultSet rows = connection.getMetaData().getColumns(null, null, name, null)) {
          while (rows.next()) {
            columns.add(rows.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
          }
        }
      }
    }
    return columns;
  }
}
