package io.uctrust.desired;

import java.util.Collection;

/** "Did you mean" for names users type: the closest allowed spelling, when it is a likely typo. */
public final class Suggestion {
  private Suggestion() {}

  /** The closest of {@code allowed} to {@code given}, or null when none is close. */
  public static String closest(String given, Collection<String> allowed) {
    return NodeBinder.suggest(given, allowed);
  }
}
