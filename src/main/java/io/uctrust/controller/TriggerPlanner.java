package io.uctrust.controller;

import io.uctrust.desired.DesiredState;

/**
 * The extension point for the controller's periodic checks: given a cluster and the desired state of the commit just
 * reconciled, the jobs to schedule besides reconcile ({@link TriggerPlan}). The monitors (expiry, OCSP, stale LSC)
 * provide one; until they do, {@link #NONE} schedules nothing more.
 *
 * <p>Called from a reconcile job's thread after a run that saw a new commit, with a valid desired state. Not for: doing
 * the checks (its jobs do), or anything slow: it only reads the state.
 */
@FunctionalInterface
public interface TriggerPlanner {

  /** No periodic jobs besides reconcile. */
  TriggerPlanner NONE = (cluster, state) -> TriggerPlan.none(cluster);

  /** The periodic jobs of {@code cluster} as {@code state} (its desired-state folder at the new commit) asks. */
  TriggerPlan plan(String cluster, DesiredState state);
}
