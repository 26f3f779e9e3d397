package io.uctrust.cli;

/** The exit code contract of every uctrust command. */
final class ExitCode {
  private ExitCode() {}

  /** Success: valid, or in sync. */
  static final int OK = 0;

  /** Invalid or unreadable input, bad options, or a failure. */
  static final int INVALID = 1;

  /** A dry-run found changes to make. */
  static final int CHANGES = 2;
}
