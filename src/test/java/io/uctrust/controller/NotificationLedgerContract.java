package io.uctrust.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The claim and release semantics every {@link NotificationLedger} must have, run against each implementation by a
 * subclass: in memory, and on H2 and PostgreSQL through {@link JdbcNotificationLedger}.
 */
abstract class NotificationLedgerContract {
  static final NotificationType TYPE = NotificationType.CERTIFICATE_EXPIRING;
  static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");
  static final Instant T1 = T0.plusSeconds(3600);

  NotificationLedger ledger;

  /** A fresh, empty ledger for one test. */
  abstract NotificationLedger newLedger() throws Exception;

  /**
   * Another controller instance's view of the same ledger as {@link #ledger} (the same object where the ledger is
   * not shared between processes).
   */
  abstract NotificationLedger sameLedgerElsewhere(String instance) throws Exception;

  @BeforeEach
  void emptyLedger() throws Exception {
    ledger = newLedger();
  }

  @Test
  void ofManyThreadsClaimingTheSameKeyAtOnceExactlyOneWins() throws Exception {
    int threads = 16;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Optional<NotificationLedger.Claim>>> claims = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        NotificationLedger instance = sameLedgerElsewhere("controller-" + i);
        Callable<Optional<NotificationLedger.Claim>> claim = () -> {
          start.await();
          return instance.claim(TYPE, "lab/cucm-pub/tomcat", T0.minusSeconds(60), T0);
        };
        claims.add(pool.submit(claim));
      }
      start.countDown();
      int won = 0;
      for (Future<Optional<NotificationLedger.Claim>> claim : claims) {
        won += claim.get().isPresent() ? 1 : 0;
      }
      assertThat(won).isEqualTo(1);
      assertThat(ledger.lastSent(TYPE, "lab/cucm-pub/tomcat")).contains(T0);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void ofManyThreadsClaimingAKeySentBeforeTheIntervalExactlyOneWins() throws Exception {
    ledger.record(TYPE, "lab/cucm-pub/tomcat", T0);
    int threads = 16;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Optional<NotificationLedger.Claim>>> claims = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        NotificationLedger instance = sameLedgerElsewhere("controller-" + i);
        // each claims at its own time, as instances whose clocks differ a little would
        Instant time = T1.plusMillis(i);
        claims.add(pool.submit(() -> {
          start.await();
          return instance.claim(TYPE, "lab/cucm-pub/tomcat", T1.minusSeconds(60), time);
        }));
      }
      start.countDown();
      List<NotificationLedger.Claim> won = new ArrayList<>();
      for (Future<Optional<NotificationLedger.Claim>> claim : claims) {
        claim.get().ifPresent(won::add);
      }
      assertThat(won).singleElement().satisfies(claim -> {
        assertThat(claim.previous()).isEqualTo(T0);
        assertThat(ledger.lastSent(TYPE, "lab/cucm-pub/tomcat")).contains(claim.time());
      });
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aKeySentWithinTheIntervalCannotBeClaimedAndOneSentBeforeItCan() {
    ledger.record(TYPE, "k", T0);

    assertThat(ledger.claim(TYPE, "k", T0.minusSeconds(1), T1)).isEmpty();
    assertThat(ledger.lastSent(TYPE, "k")).contains(T0);
    assertThat(ledger.claim(TYPE, "k", T0, T1)).contains(new NotificationLedger.Claim(TYPE, "k", T1, T0));
    assertThat(ledger.lastSent(TYPE, "k")).contains(T1);
    assertThat(ledger.lastSent(NotificationType.CERTIFICATE_EXPIRED, "k")).isEmpty();
  }

  @Test
  void aClaimOfAnotherInstanceHoldsForThisOne() throws Exception {
    NotificationLedger other = sameLedgerElsewhere("controller-b");

    assertThat(ledger.claim(TYPE, "k", T0, T0)).isPresent();

    assertThat(other.lastSent(TYPE, "k")).contains(T0);
    assertThat(other.claim(TYPE, "k", T0.minusSeconds(1), T0.plusSeconds(1))).isEmpty();
  }

  @Test
  void recordingOverwritesWhateverWasThere() {
    ledger.record(TYPE, "k", T1);
    ledger.record(TYPE, "k", T0);

    assertThat(ledger.lastSent(TYPE, "k")).contains(T0);
  }

  @Test
  void releasingAClaimRestoresWhatWasThereBefore() {
    ledger.record(TYPE, "sent-before", T0);
    NotificationLedger.Claim again = ledger.claim(TYPE, "sent-before", T0, T1).orElseThrow();
    NotificationLedger.Claim first = ledger.claim(TYPE, "never-sent", T0, T1).orElseThrow();

    ledger.release(again);
    ledger.release(first);

    assertThat(ledger.lastSent(TYPE, "sent-before")).contains(T0);
    assertThat(ledger.lastSent(TYPE, "never-sent")).isEmpty();
    assertThat(ledger.claim(TYPE, "never-sent", T0, T1)).contains(new NotificationLedger.Claim(TYPE, "never-sent",
        T1, null));
  }

  @Test
  void releasingAClaimSomeoneElseSupersededLeavesTheirs() {
    NotificationLedger.Claim stale = ledger.claim(TYPE, "k", T0, T0).orElseThrow();
    ledger.record(TYPE, "k", T1);

    ledger.release(stale);

    assertThat(ledger.lastSent(TYPE, "k")).contains(T1);
  }

  @Test
  void typesAndKeysAreIndependentAndKeysKeepTheirCharacters() {
    String key = "lab/SEP00112233AABB/LSC/7f:3a 'quoted' \"and\" ünïcode";
    ledger.record(NotificationType.CERTIFICATE_EXPIRED, key, T0);

    assertThat(ledger.lastSent(NotificationType.CERTIFICATE_EXPIRED, key)).contains(T0);
    assertThat(ledger.lastSent(NotificationType.CERTIFICATE_EXPIRING, key)).isEmpty();
    assertThat(ledger.lastSent(NotificationType.CERTIFICATE_EXPIRED, key.toUpperCase())).isEmpty();
    assertThat(ledger.claim(NotificationType.CERTIFICATE_EXPIRING, key, T0, T0)).isPresent();
  }
}
