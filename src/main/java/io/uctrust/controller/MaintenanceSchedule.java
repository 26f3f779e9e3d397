package io.uctrust.controller;

import io.uctrust.plan.Change;
import io.uctrust.plan.Phase;
import io.uctrust.plan.Plan;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TimeZone;
import org.quartz.CronExpression;

/**
 * A cluster's maintenance windows: each opens at the times of a Quartz cron expression and stays open for its
 * duration. Outside every window, changes that restart services or touch phones wait; {@link #split} takes them out
 * of a plan (with the checks, which would only find their work undone) and leaves the rest in their order. A schedule
 * without windows is always open.
 *
 * <p>Not for: deciding when runs happen (the interval does), or calendars with exceptions (holidays).
 */
public final class MaintenanceSchedule {

  /**
   * One window.
   *
   * @param cron the Quartz cron expression of when it opens
   * @param duration how long it stays open
   * @param zone the cron expression's time zone
   */
  public record Window(String cron, Duration duration, ZoneId zone) {
    public Window {
      Objects.requireNonNull(cron, "cron");
      Objects.requireNonNull(zone, "zone");
      if (duration == null || duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException("a maintenance window needs a positive duration");
      }
      parse(cron, zone);
    }

    /** Whether it is open at {@code now}: it opened at some time in (now - duration, now]. */
    boolean isOpen(Instant now) {
      Date opened = parse(cron, zone).getNextValidTimeAfter(Date.from(now.minus(duration)));
      return opened != null && !opened.toInstant().isAfter(now);
    }

    /** When it next opens after {@code now}, if ever. */
    Optional<Instant> nextOpening(Instant now) {
      return Optional.ofNullable(parse(cron, zone).getNextValidTimeAfter(Date.from(now))).map(Date::toInstant);
    }

    /**
     * A fresh expression each time: {@link CronExpression} keeps mutable state and is not meant to be shared.
     *
     * @throws IllegalArgumentException with the parser's message when {@code cron} is not a Quartz cron expression
     */
    private static CronExpression parse(String cron, ZoneId zone) {
      try {
        CronExpression expression = new CronExpression(cron);
        expression.setTimeZone(TimeZone.getTimeZone(zone));
        return expression;
      } catch (ParseException e) {
        throw new IllegalArgumentException(e.getMessage(), e);
      }
    }
  }

  /**
   * A plan split by the windows.
   *
   * @param applied the plan to apply now: the changes that need no window, in their order, ids kept
   * @param waiting the changes that wait for a window, in plan order
   * @param nextOpening when the next window opens; null when nothing waits or no window opens again
   */
  public record Split(Plan applied, List<Change> waiting, Instant nextOpening) {
    public Split {
      Objects.requireNonNull(applied, "applied");
      waiting = List.copyOf(waiting);
    }
  }

  private static final MaintenanceSchedule ALWAYS = new MaintenanceSchedule(List.of());

  private final List<Window> windows;

  private MaintenanceSchedule(List<Window> windows) {
    this.windows = List.copyOf(windows);
  }

  /** Windows as configured; a window without a time zone uses the host's. */
  public static MaintenanceSchedule of(List<ControllerSpec.MaintenanceWindow> configured) {
    List<Window> windows = new ArrayList<>();
    for (ControllerSpec.MaintenanceWindow w : configured) {
      ZoneId zone = w.timeZone() == null ? ZoneId.systemDefault() : ZoneId.of(w.timeZone());
      windows.add(new Window(w.cron(), w.duration().duration(), zone));
    }
    return windows.isEmpty() ? ALWAYS : new MaintenanceSchedule(windows);
  }

  /** These windows. */
  public static MaintenanceSchedule of(Window... windows) {
    return new MaintenanceSchedule(List.of(windows));
  }

  /** The schedule of a cluster without windows: always open. */
  public static MaintenanceSchedule always() {
    return ALWAYS;
  }

  /** Whether disruptive changes may be applied at {@code now}: no windows, or one of them is open. */
  public boolean isOpen(Instant now) {
    return windows.isEmpty() || windows.stream().anyMatch(w -> w.isOpen(now));
  }

  /** When the next window opens after {@code now}; empty without windows or when none opens again. */
  public Optional<Instant> nextOpening(Instant now) {
    return windows.stream().map(w -> w.nextOpening(now)).flatMap(Optional::stream).min(Instant::compareTo);
  }

  /** Whether {@code change} needs a window: it restarts a service, makes phones reset or download a trust list. */
  public static boolean disruptive(Change change) {
    return change.phase() == Phase.RESTART || change.phase() == Phase.PHONES || !change.impact().restarts().isEmpty()
        || change.impact().phones() > 0 || change.impact().trustListRefresh();
  }

  /**
   * Splits {@code plan} at {@code now}: inside a window (or without windows) everything is applied; outside, the
   * disruptive changes wait, and so do the checks that nodes serve new identities (with an identity or restart
   * waiting they would only fail). The plan applied keeps the waiting changes out and says in a note how many wait
   * and when the next window opens.
   */
  public Split split(Plan plan, Instant now) {
    if (isOpen(now)) {
      return new Split(plan, List.of(), null);
    }
    List<Change> applied = new ArrayList<>();
    List<Change> waiting = new ArrayList<>();
    boolean anyWaits = plan.changes().stream().anyMatch(MaintenanceSchedule::disruptive);
    for (Change change : plan.changes()) {
      if (disruptive(change) || anyWaits && change.phase() == Phase.VERIFY) {
        waiting.add(change);
      } else {
        applied.add(change);
      }
    }
    if (waiting.isEmpty()) {
      return new Split(plan, List.of(), null);
    }
    Instant next = nextOpening(now).orElse(null);
    List<String> notes = new ArrayList<>(plan.notes());
    notes.add(waiting.size() + " change" + (waiting.size() == 1 ? " waits" : "s wait") + " for a maintenance window ("
        + (next == null ? "none opens again" : "the next opens " + next) + ")");
    Plan narrowed = new Plan(plan.format(), plan.cluster(), plan.target(), plan.createdAt(), plan.desiredFingerprint(),
        plan.observedFingerprint(), applied, notes, plan.source());
    return new Split(narrowed, waiting, next);
  }
}
