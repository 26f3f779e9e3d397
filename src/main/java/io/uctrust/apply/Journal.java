package io.uctrust.apply;

import io.uctrust.plan.Change;
import io.uctrust.plan.Phase;
import io.uctrust.plan.Plan;
import io.uctrust.plan.PlanJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The record of an apply in progress: the plan being applied ({@code current/plan.json}) and one line
 * per change outcome ({@code current/outcomes.jsonl}, appended and synced as each change ends). An apply
 * that finishes moves it to {@code history/}; one that is interrupted leaves it, so the next run knows
 * what was done and which restarts and checks are still owed. The last finished apply tells which
 * served-identity checks failed, which the next run owes too.
 */
public final class Journal {
  private static final String PLAN = "plan.json";
  private static final String OUTCOMES = "outcomes.jsonl";

  private final Path dir;

  public Journal(Path dir) {
    this.dir = dir;
  }

  private Path current() {
    return dir.resolve("current");
  }

  /** The plan and outcomes of an interrupted apply, if there is one. */
  public Optional<Interrupted> interrupted() throws IOException {
    return read(current());
  }

  /**
   * The served-identity checks that failed in the last apply that finished: the node did not serve its new
   * certificate, so that change is not done until a later check succeeds (the next plan owes the check again).
   */
  public List<Change> failedChecks() throws IOException {
    Path history = dir.resolve("history");
    if (!Files.isDirectory(history)) {
      return List.of();
    }
    Optional<Path> last;
    try (Stream<Path> list = Files.list(history)) {
      last = list.filter(p -> p.getFileName().toString().endsWith("-done")).max(java.util.Comparator.naturalOrder());
    }
    Optional<Interrupted> record = last.isPresent() ? read(last.get()) : Optional.empty();
    if (record.isEmpty()) {
      return List.of();
    }
    return record.get().plan().changes().stream().filter(c -> c.phase() == Phase.VERIFY)
        .filter(c -> record.get().outcomes().containsKey(c.id())
            && record.get().outcomes().get(c.id()).status() == Outcome.Status.FAILED)
        .toList();
  }

  private static Optional<Interrupted> read(Path record) throws IOException {
    Path plan = record.resolve(PLAN);
    if (!Files.exists(plan)) {
      return Optional.empty();
    }
    Plan previous = PlanJson.read(Files.readString(plan));
    Map<Integer, Outcome> outcomes = new HashMap<>();
    Path file = record.resolve(OUTCOMES);
    if (Files.exists(file)) {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          try {
            Outcome outcome = PlanJson.readOutcome(line);
            outcomes.put(outcome.change(), outcome);
          } catch (RuntimeException torn) {
            // the last line of a crashed apply can be incomplete; that change did not finish
          }
        }
      }
    }
    return Optional.of(new Interrupted(previous, outcomes));
  }

  /** An apply that did not finish: its plan and the outcomes it recorded. */
  public record Interrupted(Plan plan, Map<Integer, Outcome> outcomes) {}

  void start(Plan plan) throws IOException {
    Path current = current();
    if (Files.exists(current)) {
      archive("interrupted");
    }
    Files.createDirectories(current);
    Files.writeString(current.resolve(PLAN), PlanJson.write(plan), StandardCharsets.UTF_8);
    Files.writeString(current.resolve(OUTCOMES), "", StandardCharsets.UTF_8);
  }

  void record(Outcome outcome) throws IOException {
    Files.writeString(current().resolve(OUTCOMES), PlanJson.writeOutcome(outcome) + "\n", StandardCharsets.UTF_8,
        StandardOpenOption.APPEND, StandardOpenOption.SYNC);
  }

  /** Moves the current record to history once every change has an outcome. */
  void finish() throws IOException {
    archive("done");
  }

  private void archive(String label) throws IOException {
    Path history = dir.resolve("history");
    Files.createDirectories(history);
    String name = java.time.Instant.now().toString().replace(':', '-') + "-" + label;
    Files.move(current(), history.resolve(name));
    prune(history);
  }

  /** Keeps the 50 newest records. */
  private static void prune(Path history) throws IOException {
    List<Path> records = new ArrayList<>();
    try (Stream<Path> list = Files.list(history)) {
      list.sorted().forEach(records::add);
    }
    for (int i = 0; i < records.size() - 50; i++) {
      try (Stream<Path> walk = Files.walk(records.get(i))) {
        for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }
}
