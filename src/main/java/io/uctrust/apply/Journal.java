package io.uctrust.apply;

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
 * what was done and which restarts are still owed.
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
    Path plan = current().resolve(PLAN);
    if (!Files.exists(plan)) {
      return Optional.empty();
    }
    Plan previous = PlanJson.read(Files.readString(plan));
    Map<Integer, Outcome> outcomes = new HashMap<>();
    Path file = current().resolve(OUTCOMES);
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
