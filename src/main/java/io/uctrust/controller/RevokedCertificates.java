package io.uctrust.controller;

import io.uctrust.pki.Revocation;
import io.uctrust.pki.RevocationStatus;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The certificates OCSP responders said are revoked, per cluster, in the controller's database (H2 or PostgreSQL)
 * so that every instance's next reconcile re-issues them: table {@code uctrust_revoked} ({@code cluster},
 * {@code sha256}, {@code revoked_at}, {@code reason} as RFC 5280 names it, {@code responder}, {@code checked_at}),
 * created when missing. A certificate a responder later calls good (a lifted certificateHold) is forgotten.
 *
 * <p>Rows stay after the certificate is replaced: they are few, and a revoked certificate put back by hand is then
 * still re-issued. Not for: certificates that are merely expired or unknown to a responder, or check failures
 * (those are notifications only).
 */
public final class RevokedCertificates {
  /** The table's name. */
  public static final String TABLE = "uctrust_revoked";

  private final DataSource dataSource;

  /**
   * The store on {@code dataSource}; creates the table when missing.
   *
   * @throws ControllerDatabaseException when the table cannot be created
   */
  public RevokedCertificates(DataSource dataSource) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    JdbcTables.create(dataSource, TABLE, """
        CREATE TABLE IF NOT EXISTS uctrust_revoked (
          cluster VARCHAR(255) NOT NULL,
          sha256 VARCHAR(64) NOT NULL,
          revoked_at TIMESTAMP(6) WITH TIME ZONE NOT NULL,
          reason VARCHAR(32),
          responder VARCHAR(2048) NOT NULL,
          checked_at TIMESTAMP(6) WITH TIME ZONE NOT NULL,
          PRIMARY KEY (cluster, sha256))""");
  }

  /** Stores what {@code report} found: its revoked certificates recorded, its good ones forgotten. */
  public void remember(RevocationMonitor.Report report) {
    report.revoked().values().forEach(revocation -> record(report.cluster(), revocation));
    report.good().forEach(sha256 -> forget(report.cluster(), sha256));
  }

  /** Records (or updates) that {@code cluster}'s certificate {@code revocation.sha256()} is revoked. */
  public void record(String cluster, Revocation revocation) {
    try (Connection connection = dataSource.getConnection()) {
      // update first: after the first check, every later one finds the row
      for (int attempt = 0; attempt < 2; attempt++) {
        try (PreparedStatement update = connection.prepareStatement("UPDATE " + TABLE + " SET revoked_at = ?, "
            + "reason = ?, responder = ?, checked_at = ? WHERE cluster = ? AND sha256 = ?")) {
          bind(update, revocation, 1);
          update.setString(5, cluster);
          update.setString(6, revocation.sha256());
          if (update.executeUpdate() == 1) {
            return;
          }
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + TABLE
            + " (revoked_at, reason, responder, checked_at, cluster, sha256) VALUES (?, ?, ?, ?, ?, ?)")) {
          bind(insert, revocation, 1);
          insert.setString(5, cluster);
          insert.setString(6, revocation.sha256());
          insert.executeUpdate();
          return;
        } catch (SQLException e) {
          if (!JdbcTables.duplicate(e)) {
            throw e;
          }
          // another instance recorded it at the same moment: update that row instead
        }
      }
      throw new ControllerDatabaseException("cannot record the revocation of " + revocation.sha256() + " of "
          + cluster + " in " + TABLE + ": the row kept changing");
    } catch (SQLException e) {
      throw failure("record the revocation of " + revocation.sha256() + " of " + cluster, e);
    }
  }

  /** Forgets that {@code cluster}'s certificate {@code sha256} is revoked; nothing when it was not recorded. */
  public void forget(String cluster, String sha256) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement delete = connection.prepareStatement("DELETE FROM " + TABLE
            + " WHERE cluster = ? AND sha256 = ?")) {
      delete.setString(1, cluster);
      delete.setString(2, sha256);
      delete.executeUpdate();
    } catch (SQLException e) {
      throw failure("forget the revocation of " + sha256 + " of " + cluster, e);
    }
  }

  /** The revoked certificates of {@code cluster} by SHA-256, for {@code Planner.withRevoked}. */
  public Map<String, Revocation> revoked(String cluster) {
    Map<String, Revocation> revoked = new LinkedHashMap<>();
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = connection.prepareStatement("SELECT sha256, revoked_at, reason, responder, "
            + "checked_at FROM " + TABLE + " WHERE cluster = ? ORDER BY sha256")) {
      select.setString(1, cluster);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          String sha256 = rows.getString("sha256");
          revoked.put(sha256, new Revocation(sha256, JdbcTables.get(rows, "revoked_at"),
              reason(rows.getString("reason")), URI.create(rows.getString("responder")),
              JdbcTables.get(rows, "checked_at")));
        }
      }
      return revoked;
    } catch (SQLException e) {
      throw failure("read the revoked certificates of " + cluster, e);
    }
  }

  private static void bind(PreparedStatement statement, Revocation revocation, int first) throws SQLException {
    JdbcTables.set(statement, first, revocation.revokedAt());
    statement.setString(first + 1, revocation.reason() == null ? null : revocation.reason().word());
    statement.setString(first + 2, revocation.responder().toString());
    JdbcTables.set(statement, first + 3, revocation.checkedAt());
  }

  private static RevocationStatus.Reason reason(String word) {
    for (RevocationStatus.Reason reason : RevocationStatus.Reason.values()) {
      if (reason.word().equals(word)) {
        return reason;
      }
    }
    return null;
  }

  private static ControllerDatabaseException failure(String what, SQLException e) {
    return new ControllerDatabaseException("cannot " + what + " in " + TABLE + ": " + e.getMessage(), e);
  }
}
