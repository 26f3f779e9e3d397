package io.uctrust.apply;

/** What happened to one change of a plan. */
public record Outcome(int change, Status status, String detail) {

  /** The end state of a change. */
  public enum Status {
    SUCCEEDED,
    FAILED,
    /** Not run: a change it depends on failed, or nothing that needed it succeeded. */
    SKIPPED,
    /** Done by an earlier, interrupted apply of the same plan. */
    ALREADY_DONE,
    /** A manual step: uctrust cannot do it; the plan says how. */
    MANUAL
  }
}
