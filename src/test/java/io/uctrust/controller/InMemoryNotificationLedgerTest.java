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
import org.junit.jupiter.api.Test;

/** {@link InMemoryNotificationLedger}: the claim and release semantics a shared ledger must have. */
class InMemoryNotificationLedgerTest {
  private static final NotificationType TYPE = NotificationType.CERTIFICATE_EXPIRING;
  private static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");
  private static final Instant T1 = T0.plusSeconds(3600);

  private final InMemoryNotificationLedger ledger = new InMemoryNotificationLedger();

  @Test
  void ofManyThreadsClaimingTheSameKeyAtOnceExactlyOneWins() throws Exception {
    int threads = 16;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Optional<NotificationLedger.Claim>>> claims = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        Callable<Optional<NotificationLedger.Claim>> claim = () -> {
          start.await();
          return ledger.claim(TYPE, "lab/cucm-pub/tomcat", T0.minusSeconds(60), T0);
        };
        claims.add(pool.submit(claim));
      }
      start.countDown();
      int won = 0;
      for (Future<Optional<NotificationLedger.Claim>> claim : claims) {
        won += claim.get().isPresent() ? 1 : 0;
      }
      assertThat(won).isEqualTo(1);
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
  void releasingAClaimRestoresWhatWasThereBefore() {
    ledger.record(TYPE, "sent-before", T0);
    NotificationLedger.Claim again = ledger.claim(TYPE, "sent-before", T0, T1).orElseThrow();
    NotificationLedger.Claim first = ledger.claim(TYPE, "never-sent", T0, T1).orElseThrow();

    ledger.release(again);
    ledger.release(first);

    assertThat(ledger.lastSent(TYPE, "sent-before")).contains(T0);
    assertThat(ledger.lastSent(TYPE, "never-sent")).isEmpty();
  }

  @Test
  void releasingAClaimSomeoneElseSupersededLeavesTheirs() {
    NotificationLedger.Claim stale = ledger.claim(TYPE, "k", T0, T0).orElseThrow();
    ledger.record(TYPE, "k", T1);

    ledger.release(stale);

    assertThat(ledger.lastSent(TYPE, "k")).contains(T1);
  }
}
