package io.uctrust.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.uctrust.controller.ControllerStatus.Changes;
import io.uctrust.controller.ControllerStatus.Cluster;
import io.uctrust.controller.ControllerStatus.Mode;
import io.uctrust.controller.ControllerStatus.Run;
import io.uctrust.controller.ControllerStatus.RunOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The status board's readiness follows the runs at once, not only the periodic refresh from the database. */
class StatusBoardTest {

  private static final Instant START = Instant.parse("2026-12-01T00:00:00Z");

  private static Cluster cluster(String name) {
    return new Cluster(name, Mode.APPLY, false, null, null, null, 0, null, 30, List.of());
  }

  private static Run run(RunOutcome outcome) {
    return new Run(null, START.plusSeconds(5), Duration.ofSeconds(20), outcome, new Changes(3, 3, 0));
  }

  @Test
  void anInstanceIsReadyOnceEveryClusterHasFinishedARun() {
    StatusBoard board = new StatusBoard("a", START, List.of(cluster("lab"), cluster("branch")));
    board.readiness(false, List.of(StatusBoard.noRunYet("lab"), StatusBoard.noRunYet("branch")));

    board.ran("lab", run(RunOutcome.SUCCEEDED), null, 0, START.plusSeconds(25), null, null);

    assertThat(board.status().ready()).isFalse();
    assertThat(board.status().notReadyReasons()).containsExactly(StatusBoard.noRunYet("branch"));

    board.ran("branch", run(RunOutcome.FAILED), null, 3, null, null, null);

    assertThat(board.status().ready()).isTrue();
    assertThat(board.status().notReadyReasons()).isEmpty();
  }

  @Test
  void aRunDoesNotHideOtherReasonsForNotBeingReady() {
    StatusBoard board = new StatusBoard("a", START, List.of(cluster("lab")));
    board.readiness(false, List.of("the database cannot be read: timeout", StatusBoard.noRunYet("lab")));

    board.ran("lab", run(RunOutcome.IN_SYNC), null, 0, START.plusSeconds(25), null, null);

    assertThat(board.status().ready()).isFalse();
    assertThat(board.status().notReadyReasons()).containsExactly("the database cannot be read: timeout");
  }
}
