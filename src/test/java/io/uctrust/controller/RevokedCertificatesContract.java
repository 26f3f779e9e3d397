package io.uctrust.controller;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.uctrust.observed.ObservedCluster;
import io.uctrust.pki.Revocation;
import io.uctrust.pki.RevocationStatus;
import io.uctrust.pki.RevocationStatus.Reason;
import io.uctrust.pki.RevocationStatus.State;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link RevokedCertificates} on a real database: what the planner is given is what was recorded, per cluster; a
 * later good answer forgets it; instances recording at once leave one row. A subclass says which database.
 */
abstract class RevokedCertificatesContract {
  static final URI RESPONDER = URI.create("http://ocsp.example.com:8080/");
  static final Instant REVOKED_AT = Instant.parse("2026-05-01T10:00:00Z");
  static final Instant CHECKED_AT = Instant.parse("2026-05-02T06:30:00.123456Z");
  static final String A = "a".repeat(64);
  static final String B = "b".repeat(64);

  private final List<HikariDataSource> pools = new ArrayList<>();
  private String url;
  RevokedCertificates store;

  /** A JDBC URL of a fresh, empty database, with {@link #user()} and {@link #password()}. */
  abstract String freshDatabase() throws Exception;

  abstract String user();

  abstract String password();

  @BeforeEach
  void emptyStore() throws Exception {
    url = freshDatabase();
    store = new RevokedCertificates(pool());
  }

  @AfterEach
  void closePools() {
    pools.forEach(HikariDataSource::close);
  }

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
  void aRevocationReadsBackWithItsReasonResponderAndTimesForItsClusterOnly() {
    Revocation revocation = new Revocation(A, REVOKED_AT, Reason.KEY_COMPROMISE, RESPONDER, CHECKED_AT);

    store.record("lab", revocation);

    assertThat(store.revoked("lab")).containsExactly(Map.entry(A, revocation));
    assertThat(store.revoked("branch")).isEmpty();
    assertThat(new RevokedCertificates(pool()).revoked("lab")).containsExactly(Map.entry(A, revocation));
  }

  @Test
  void recordingAgainUpdatesTheRowAndAMissingReasonStaysMissing() {
    store.record("lab", new Revocation(A, REVOKED_AT, Reason.KEY_COMPROMISE, RESPONDER, CHECKED_AT));
    Revocation later = new Revocation(A, REVOKED_AT, null, URI.create("http://other.example.com/"),
        CHECKED_AT.plusSeconds(86_400));

    store.record("lab", later);

    assertThat(store.revoked("lab")).containsExactly(Map.entry(A, later));
  }

  @Test
  void aReportRecordsItsRevokedCertificatesAndForgetsThoseNowGood() {
    store.record("lab", new Revocation(B, REVOKED_AT, Reason.CERTIFICATE_HOLD, RESPONDER, CHECKED_AT));
    RevocationStatus revoked = new RevocationStatus(State.REVOKED, RESPONDER, REVOKED_AT, Reason.SUPERSEDED,
        CHECKED_AT, null, CHECKED_AT);
    RevocationStatus good = new RevocationStatus(State.GOOD, RESPONDER, null, null, CHECKED_AT, null, CHECKED_AT);
    Instant now = CHECKED_AT.plusSeconds(3600);
    RevocationMonitor.Report report = new RevocationMonitor.Report("lab", now, List.of(
        new RevocationMonitor.Check("cucm-pub.example.com", "tomcat", certificate(A), revoked, null),
        new RevocationMonitor.Check("cucm-pub.example.com", "CallManager", certificate(B), good, null)), List.of());

    store.remember(report);

    assertThat(store.revoked("lab")).containsExactly(Map.entry(A, new Revocation(A, REVOKED_AT, Reason.SUPERSEDED,
        RESPONDER, now)));
  }

  @Test
  void forgettingWhatWasNeverRecordedChangesNothing() {
    store.record("lab", new Revocation(A, REVOKED_AT, Reason.KEY_COMPROMISE, RESPONDER, CHECKED_AT));

    store.forget("lab", B);
    store.forget("branch", A);

    assertThat(store.revoked("lab")).containsOnlyKeys(A);
  }

  @Test
  void instancesRecordingTheSameRevocationAtOnceLeaveOneRow() throws Exception {
    int instances = 8;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(instances);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < instances; i++) {
        RevokedCertificates instance = new RevokedCertificates(pool());
        Instant checked = CHECKED_AT.plusSeconds(i);
        done.add(pool.submit(() -> {
          start.await();
          instance.record("lab", new Revocation(A, REVOKED_AT, Reason.KEY_COMPROMISE, RESPONDER, checked));
          return null;
        }));
      }
      start.countDown();
      for (Future<?> future : done) {
        future.get();
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(store.revoked("lab")).containsOnlyKeys(A);
    assertThat(store.revoked("lab").get(A).checkedAt()).isBetween(CHECKED_AT, CHECKED_AT.plusSeconds(7));
  }

  private static ObservedCluster.Certificate certificate(String sha256) {
    return new ObservedCluster.Certificate("CN=cucm-pub.example.com", "cucm-pub.example.com", "CN=Corp Issuing CA",
        sha256, REVOKED_AT.minusSeconds(86_400), REVOKED_AT.plusSeconds(86_400 * 365), "RSA", 2048, List.of(), null);
  }
}
