package io.uctrust.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.uctrust.apply.Applier;
import io.uctrust.apply.Journal;
import io.uctrust.apply.Outcome;
import io.uctrust.target.TargetOptions;
import io.uctrust.validate.ValidationOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An apply told to stop finishes the change it runs, leaves the rest, and the next apply resumes it on the lab. */
class ReconcilerStopTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC);
  private static final Map<String, String> ENV = Map.of("UCTRUST_ONLINE_CA_PASSWORD", "online-ca-secret");
  private static final Path LAB = Path.of("examples/lab");

  @TempDir Path temp;

  private Reconciler reconciler(AtomicInteger changes, BooleanSupplier stop) {
    TargetOptions targets = new TargetOptions(temp.resolve("lab"), TargetOptions.DEFAULT_LAB_PHONES, Duration.ZERO, null, ENV);
    return new Reconciler(CLOCK, targets, ValidationOptions.DEFAULTS, ENV, line -> {
      if (line.startsWith("[")) {
        changes.incrementAndGet();
      }
    }).stoppingWhen(stop);
  }

  @Test
  void aStoppedApplySkipsTheRestKeepsItsJournalAndTheNextRunConverges() throws IOException {
    AtomicInteger done = new AtomicInteger();
    ClusterResult stopped = reconciler(done, () -> done.get() >= 5).apply(LAB, null, null).clusters().get(0);

    List<Outcome> outcomes = stopped.outcomes();
    assertThat(outcomes.subList(0, 5)).noneMatch(o -> Applier.STOPPED.equals(o.detail()));
    assertThat(outcomes.subList(5, outcomes.size())).isNotEmpty()
        .allMatch(o -> o.status() == Outcome.Status.SKIPPED && Applier.STOPPED.equals(o.detail()));
    Journal journal = new Journal(temp.resolve("lab/journal"));
    assertThat(journal.interrupted()).hasValueSatisfying(i -> assertThat(i.outcomes()).hasSize(5));

    ReconcileResult resumed = reconciler(new AtomicInteger(), () -> false).apply(LAB, null, null);

    assertThat(resumed.applyExitCode()).isZero();
    assertThat(journal.interrupted()).isEmpty();
    ClusterResult after = reconciler(new AtomicInteger(), () -> false).dryRun(LAB, null).clusters().get(0);
    assertThat(after.plan().inSync()).as("%s", after.plan().changes()).isTrue();
  }
}
