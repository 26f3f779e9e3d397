package io.uctrust.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uctrust.plan.Action;
import io.uctrust.plan.Change;
import io.uctrust.plan.Impact;
import io.uctrust.plan.Phase;
import io.uctrust.plan.Plan;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Maintenance windows from cron expressions, and the plan split they make outside a window. */
class MaintenanceScheduleTest {

  /** Weekdays from 22:00 UTC for four hours; 2026-05-01 is a Friday. */
  private static final MaintenanceSchedule NIGHTS = MaintenanceSchedule.of(
      new MaintenanceSchedule.Window("0 0 22 ? * MON-FRI", Duration.ofHours(4), ZoneOffset.UTC));
  private static final Instant FRIDAY_NOON = Instant.parse("2026-05-01T12:00:00Z");

  private static Change change(int id, Phase phase, Action action, String address, Impact impact) {
    return new Change(id, phase, action, "resource", address, "", "", "why", "", impact, List.of(), List.of());
  }

  private static final Plan PLAN = new Plan(Plan.FORMAT, "lab", "lab", FRIDAY_NOON, "d", "o", List.of(
      change(1, Phase.TRUST, Action.CREATE, "cucm-pub/tomcat-trust/Root", Impact.restarting(List.of("Cisco Tomcat@cucm-pub"))),
      change(2, Phase.SETTINGS, Action.UPDATE, "capf/keepAliveMinutes", Impact.NONE),
      change(3, Phase.TRUST, Action.CREATE, "cucm-pub/CallManager-trust/Root", new Impact(List.of(), true, 0)),
      change(4, Phase.SETTINGS, Action.UPDATE, "enterprise/certificateValidityCheck", Impact.NONE),
      change(5, Phase.RESTART, Action.RESTART, "Cisco Tomcat@cucm-pub", Impact.NONE),
      change(6, Phase.VERIFY, Action.VERIFY, "cucm-pub/tomcat", Impact.NONE),
      change(7, Phase.PHONES, Action.UPDATE, "phones", new Impact(List.of(), false, 20))), List.of());

  @Test
  void aWindowIsOpenFromItsCronTimeForItsDuration() {
    assertThat(NIGHTS.isOpen(Instant.parse("2026-05-01T21:59:59Z"))).isFalse();
    assertThat(NIGHTS.isOpen(Instant.parse("2026-05-01T22:00:00Z"))).isTrue();
    assertThat(NIGHTS.isOpen(Instant.parse("2026-05-02T01:59:59Z"))).as("past midnight, into Saturday").isTrue();
    assertThat(NIGHTS.isOpen(Instant.parse("2026-05-02T02:00:00Z"))).isFalse();
    assertThat(NIGHTS.isOpen(Instant.parse("2026-05-02T22:30:00Z"))).as("no window opens on Saturday").isFalse();
  }

  @Test
  void theNextOpeningSkipsTheWeekend() {
    assertThat(NIGHTS.nextOpening(Instant.parse("2026-05-02T03:00:00Z"))).contains(Instant.parse("2026-05-04T22:00:00Z"));
  }

  @Test
  void aWindowFollowsItsTimeZone() {
    MaintenanceSchedule zurich = MaintenanceSchedule.of(
        new MaintenanceSchedule.Window("0 0 22 ? * MON-FRI", Duration.ofHours(4), ZoneId.of("Europe/Zurich")));

    assertThat(zurich.isOpen(Instant.parse("2026-05-01T20:30:00Z"))).as("22:30 summer time").isTrue();
    assertThat(zurich.isOpen(Instant.parse("2026-05-01T22:30:00Z"))).isTrue();
    assertThat(zurich.isOpen(Instant.parse("2026-05-02T00:30:00Z"))).isFalse();
  }

  @Test
  void outsideEveryWindowTheDisruptiveChangesAndTheChecksWaitAndTheRestKeepTheirOrder() {
    MaintenanceSchedule.Split split = NIGHTS.split(PLAN, FRIDAY_NOON);

    assertThat(split.applied().changes()).extracting(Change::id).containsExactly(2, 4);
    assertThat(split.waiting()).extracting(Change::id).containsExactly(1, 3, 5, 6, 7);
    assertThat(split.nextOpening()).isEqualTo(Instant.parse("2026-05-01T22:00:00Z"));
    assertThat(split.applied().notes()).containsExactly(
        "5 changes wait for a maintenance window (the next opens 2026-05-01T22:00:00Z)");
    assertThat(split.applied().desiredFingerprint()).isEqualTo(PLAN.desiredFingerprint());
  }

  @Test
  void insideAWindowEverythingIsApplied() {
    MaintenanceSchedule.Split split = NIGHTS.split(PLAN, Instant.parse("2026-05-01T23:00:00Z"));

    assertThat(split.applied()).isSameAs(PLAN);
    assertThat(split.waiting()).isEmpty();
    assertThat(split.nextOpening()).isNull();
  }

  @Test
  void withoutWindowsAnyTimeWillDo() {
    assertThat(MaintenanceSchedule.always().split(PLAN, FRIDAY_NOON).waiting()).isEmpty();
    assertThat(MaintenanceSchedule.always().nextOpening(FRIDAY_NOON)).isEmpty();
  }

  @Test
  void aPlanWithoutDisruptiveChangesIsAppliedWholeAtAnyTime() {
    Plan quiet = new Plan(Plan.FORMAT, "lab", "lab", FRIDAY_NOON, "d", "o",
        List.of(PLAN.changes().get(1), PLAN.changes().get(5)), List.of());

    assertThat(NIGHTS.split(quiet, FRIDAY_NOON).applied()).isSameAs(quiet);
  }

  @Test
  void aCronExpressionThatDoesNotParseIsRefusedWithTheParsersReason() {
    assertThatThrownBy(() -> new MaintenanceSchedule.Window("0 0 22 * * MON", Duration.ofHours(1), ZoneOffset.UTC))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("both a day-of-week AND a day-of-month");
  }
}
