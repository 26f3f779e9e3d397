package io.uctrust.plan;

/** What a change does to its address. */
public enum Action {
  CREATE,
  UPDATE,
  DELETE,
  /** A new certificate replaces the installed one. */
  REPLACE,
  ACTIVATE,
  RESTART,
  /** Changes nothing: checks that a change took effect (a node serves its new identity). */
  VERIFY,
  /** Cannot be done through any interface: the plan gives the steps and the GUI path. */
  MANUAL,
  /**
   * A setting no interface of the target reads or writes: the plan gives the GUI path to check it by hand.
   * Not drift: a plan of only these is in sync.
   */
  CHECK;

  public String word() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
