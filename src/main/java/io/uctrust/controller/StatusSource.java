package io.uctrust.controller;

/**
 * Where the HTTP side gets the controller's status from; the scheduler core implements it. Called on every
 * {@code /readyz}, {@code /api/status}, status page and timeline request, from the HTTP threads, so it must be
 * cheap and thread-safe (return the latest snapshot, do not compute one).
 *
 * <p>Not for: triggering work (see {@link SyncTrigger}) or metrics (see {@link ControllerMetrics}).
 */
@FunctionalInterface
public interface StatusSource {

  /** The current status. */
  ControllerStatus status();
}
