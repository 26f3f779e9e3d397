package io.uctrust.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.security.auth.module.UnixSystem;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link PostgresServer} proves itself with the real PostgreSQL JDBC driver against the real server: what Quartz's
 * clustered JDBC job store needs (password login, shared committed rows, row locks that others skip or wait for,
 * its own DDL), and that it cleans up. Run as root it exercises the {@code runuser} path.
 */
@ExtendWith(PostgresServerProvider.class)
class PostgresServerIT {
  /** Quartz's DDL for PostgreSQL, as the quartz jar ships it. */
  private static final String QUARTZ_TABLES = "org/quartz/impl/jdbcjobstore/tables_postgres.sql";

  @Test
  void twoConnectionsSeeEachOthersCommittedRowsOnly(PostgresServer postgres) throws SQLException {
    try (Connection first = connect(postgres); Connection second = connect(postgres)) {
      first.createStatement().execute("CREATE TABLE node (name TEXT PRIMARY KEY)");
      first.createStatement().execute("INSERT INTO node VALUES ('controller-a')");
      second.setAutoCommit(false);
      second.createStatement().execute("INSERT INTO node VALUES ('controller-b')");

      assertThat(names(second, "SELECT name FROM node ORDER BY name")).containsExactly("controller-a",
          "controller-b");
      assertThat(names(first, "SELECT name FROM node ORDER BY name")).containsExactly("controller-a");
      second.commit();
      assertThat(names(first, "SELECT name FROM node ORDER BY name")).containsExactly("controller-a",
          "controller-b");
    }
  }

  @Test
  void aWrongPasswordIsRefused(PostgresServer postgres) {
    assertThatThrownBy(() -> DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), "not-the-password"))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("password authentication failed");
  }

  @Test
  void skipLockedPassesOverRowsAnotherTransactionHoldsAndNowaitIsRefused(PostgresServer postgres)
      throws SQLException {
    String url = postgres.createDatabase("locks");
    try (Connection holder = DriverManager.getConnection(url, postgres.user(), postgres.password());
        Connection other = DriverManager.getConnection(url, postgres.user(), postgres.password())) {
      holder.createStatement().execute("CREATE TABLE job (id INT PRIMARY KEY)");
      holder.createStatement().execute("INSERT INTO job VALUES (1), (2), (3)");
      holder.setAutoCommit(false);
      other.setAutoCommit(false);
      assertThat(names(holder, "SELECT id FROM job WHERE id = 1 FOR UPDATE")).containsExactly("1");

      assertThat(names(other, "SELECT id FROM job ORDER BY id FOR UPDATE SKIP LOCKED")).containsExactly("2", "3");
      assertThatThrownBy(() -> names(other, "SELECT id FROM job WHERE id = 1 FOR UPDATE NOWAIT"))
          .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("55P03"));
      other.rollback();
      holder.commit();
      assertThat(names(other, "SELECT id FROM job WHERE id = 1 FOR UPDATE NOWAIT")).containsExactly("1");
      other.rollback();
    }
  }

  @Test
  void quartzsPostgresTablesAreCreatedAndItsRowLockHoldsAgainstASecondScheduler(PostgresServer postgres)
      throws Exception {
    String url = postgres.createDatabase("quartz");
    String ddl;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(QUARTZ_TABLES)) {
      assertThat(in).as(QUARTZ_TABLES + " in the quartz jar").isNotNull();
      ddl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    try (Connection first = DriverManager.getConnection(url, postgres.user(), postgres.password());
        Connection second = DriverManager.getConnection(url, postgres.user(), postgres.password())) {
      // the script ends in COMMIT: run it in the transaction it closes; twice, as its DROP ... IF EXISTS allows
      for (int run = 0; run < 2; run++) {
        first.setAutoCommit(false);
        first.createStatement().execute(ddl);
        first.setAutoCommit(true);
      }
      assertThat(names(first, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
          + "ORDER BY table_name")).containsExactly("qrtz_blob_triggers", "qrtz_calendars", "qrtz_cron_triggers",
              "qrtz_fired_triggers", "qrtz_job_details", "qrtz_locks", "qrtz_paused_trigger_grps",
              "qrtz_scheduler_state", "qrtz_simple_triggers", "qrtz_simprop_triggers", "qrtz_triggers");

      // StdRowLockSemaphore's statement: one scheduler of the cluster holds TRIGGER_ACCESS, another cannot take it
      first.createStatement().execute("INSERT INTO QRTZ_LOCKS VALUES ('uctrust', 'TRIGGER_ACCESS')");
      first.setAutoCommit(false);
      second.setAutoCommit(false);
      String lock = "SELECT * FROM QRTZ_LOCKS WHERE SCHED_NAME = 'uctrust' AND LOCK_NAME = 'TRIGGER_ACCESS' "
          + "FOR UPDATE";
      assertThat(names(first, lock)).containsExactly("uctrust");
      assertThatThrownBy(() -> names(second, lock + " NOWAIT"))
          .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("55P03"));
      first.commit();
      second.rollback();
    }
  }

  @Test
  void aRestartKeepsTheDataAndThePortAndCutsOpenConnections(PostgresServer postgres) throws Exception {
    int port = postgres.port();
    try (Connection before = connect(postgres)) {
      before.createStatement().execute("CREATE TABLE survivor (name TEXT)");
      before.createStatement().execute("INSERT INTO survivor VALUES ('kept')");

      postgres.restart();

      assertThat(before.isValid(5)).isFalse();
    }
    assertThat(postgres.port()).isEqualTo(port);
    try (Connection after = connect(postgres)) {
      assertThat(names(after, "SELECT name FROM survivor")).containsExactly("kept");
    }
  }

  @Test
  void aDatabaseNameThatIsNotAPlainIdentifierIsRefused(PostgresServer postgres) {
    assertThatThrownBy(() -> postgres.createDatabase("x; DROP DATABASE uctrust"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("allowed are [a-z_][a-z0-9_]*");
  }

  @Test
  void closeStopsTheServerAndDeletesItsFolderWhichAnUnprivilegedAccountOwnedUnderRoot() throws Exception {
    PostgresServer own = PostgresServer.start();
    Path folder = own.folder();
    int port = own.port();
    String owner = Files.getOwner(folder.resolve("data")).getName();
    String expected = new UnixSystem().getUid() != 0 ? System.getProperty("user.name")
        : accountExists("postgres") ? "postgres" : "nobody";
    assertThat(owner).isEqualTo(expected).isNotEqualTo("root");
    assertThat(accepts(port)).isTrue();

    own.close();

    assertThat(accepts(port)).isFalse();
    assertThat(folder).doesNotExist();
  }

  private static Connection connect(PostgresServer postgres) throws SQLException {
    return DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
  }

  /** The first column of every row, as text. */
  private static List<String> names(Connection connection, String query) throws SQLException {
    List<String> values = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(query); ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        values.add(rows.getString(1));
      }
    }
    return values;
  }

  private static boolean accountExists(String name) throws IOException {
    try {
      Path.of("/").getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(name);
      return true;
    } catch (UserPrincipalNotFoundException absent) {
      return false;
    }
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (IOException refused) {
      return false;
    }
  }
}
