package io.uctrust.controller;

import io.uctrust.controller.ControllerStatus.Mode;
import io.uctrust.controller.ControllerStatus.RunOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One controller run of one cluster as the run history ({@code uctrust_run}) holds it: who ran it and when, the commit,
 * how it ended, its counts, the changes waiting for a maintenance window and when the next opens, the error, and per
 * change what became of it.
 *
 * <p>Not for: secrets (nothing here is secret: details are the applier's outcome texts, which never hold values).
 *
 * @param id the run's id in the database
 * @param instance the controller instance that ran it
 * @param commit the commit reconciled; null when the fetch failed
 * @param subject the commit's subject; null with it
 * @param finishedAt when it ended; null while it runs (or, when its instance died, until the next run of its cluster
 *     closes it as abandoned)
 * @param outcome how it ended; null while it runs
 * @param planned changes in the plan, waiting ones included
 * @param applied changes that succeeded
 * @param failed changes that failed
 * @param waiting changes that wait for a maintenance window
 * @param nextWindow when the next maintenance window opens, when changes wait
 * @param error why the run failed as a whole; null when it did not
 * @param changes what became of each change (empty when not asked for)
 */
public record RunRecord(long id, String cluster, String instance, Mode mode, String commit, String subject,
    Instant startedAt, Instant finishedAt, RunOutcome outcome, int planned, int applied, int failed, int waiting,
    Instant nextWindow, String error, List<ChangeRecord> changes) {

  public RunRecord {
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(startedAt, "startedAt");
    changes = List.copyOf(changes);
  }

  /** How long it took; zero while it runs. */
  public Duration duration() {
    return finishedAt == null ? Duration.ZERO : Duration.between(startedAt, finishedAt);
  }

  /** What became of a change: an applier status ({@code succeeded}, {@code failed}, ...), {@code planned} in report
   * mode, or {@code waiting} for a maintenance window. */
  public record ChangeRecord(int change, String action, String address, String status, String detail) {}
}
