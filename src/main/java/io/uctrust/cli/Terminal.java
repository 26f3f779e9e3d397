package io.uctrust.cli;

/** Whether output goes to a terminal that wants colour. */
final class Terminal {
  private Terminal() {}

  /** Colour only on an interactive terminal, and never when NO_COLOR is set. */
  static boolean colour() {
    return System.console() != null && System.getenv("NO_COLOR") == null && !"dumb".equals(System.getenv("TERM"));
  }
}
