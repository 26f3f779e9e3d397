package io.uctrust.plan;

import io.uctrust.gitops.SourceRevision;
import java.time.Instant;
import java.util.List;

/**
 * The ordered changes that bring one cluster to its desired state, computed from a desired state and a
 * snapshot of the cluster: a value, rendered as text, JSON or Markdown, saved and applied later exactly
 * as it is. The two fingerprints make a saved plan stale when either input changes, and so does another
 * commit when the desired state came from git.
 *
 * @param notes things uctrust noticed but does not change (not yet supported, or left to people)
 * @param source the git commit the desired state was read from; null when it was a plain folder
 */
public record Plan(String format, String cluster, String target, Instant createdAt, String desiredFingerprint,
    String observedFingerprint, List<Change> changes, List<String> notes, SourceRevision source) {

  public static final String FORMAT = "uctrust.plan/v1";

  public Plan {
    changes = List.copyOf(changes);
    notes = List.copyOf(notes);
  }

  /** This plan with {@code target} saying where its cluster state came from (a recorded snapshot, say). */
  public Plan withTarget(String newTarget) {
    return new Plan(format, cluster, newTarget, createdAt, desiredFingerprint, observedFingerprint, changes, notes, source);
  }

  /** A plan of a desired state read from a plain folder. */
  public Plan(String format, String cluster, String target, Instant createdAt, String desiredFingerprint,
      String observedFingerprint, List<Change> changes, List<String> notes) {
    this(format, cluster, target, createdAt, desiredFingerprint, observedFingerprint, changes, notes, null);
  }

  /** This plan, recorded as made from {@code revision} (null: a plain folder). */
  public Plan withSource(SourceRevision revision) {
    return new Plan(format, cluster, target, createdAt, desiredFingerprint, observedFingerprint, changes, notes, revision);
  }

  /** Nothing to change: no changes, or only settings to check by hand (which no run can verify). */
  public boolean inSync() {
    return changes.stream().allMatch(c -> c.action() == Action.CHECK);
  }

  /** Counts for the summary line: "N to add, M to change, K to remove, R restarts, P phones affected". */
  public Summary summary() {
    int add = 0;
    int change = 0;
    int remove = 0;
    int restarts = 0;
    int phones = 0;
    int manual = 0;
    for (Change c : changes) {
      switch (c.action()) {
        case CREATE, ACTIVATE -> add++;
        case UPDATE, REPLACE -> change++;
        case DELETE -> remove++;
        case RESTART -> restarts++;
        case MANUAL, CHECK -> manual++;
        case VERIFY -> {
          // a check of other changes, not one of its own
        }
        default -> throw new IllegalStateException();
      }
      phones += c.impact().phones();
    }
    return new Summary(add, change, remove, restarts, phones, manual);
  }

  /** The plan's counts. */
  public record Summary(int add, int change, int remove, int restarts, int phones, int manual) {
    /** Nothing to do. */
    public static final Summary NONE = new Summary(0, 0, 0, 0, 0, 0);

    /** The counts of this and {@code other} together (several clusters' plans). */
    public Summary plus(Summary other) {
      return new Summary(add + other.add, change + other.change, remove + other.remove, restarts + other.restarts,
          phones + other.phones, manual + other.manual);
    }

    public String line() {
      return add + " to add, " + change + " to change, " + remove + " to remove, " + restarts + " restart"
          + (restarts == 1 ? "" : "s") + ", " + phones + " phone" + (phones == 1 ? "" : "s") + " affected"
          + (manual == 0 ? "" : ", " + manual + " manual step" + (manual == 1 ? "" : "s"));
    }
  }
}
