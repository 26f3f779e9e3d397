package io.uctrust.reconcile;

import io.uctrust.apply.Outcome;
import io.uctrust.plan.Plan;
import java.nio.file.Path;
import java.util.List;

/**
 * What reconciling one cluster gave: the plan (null when the cluster could not be read), the outcomes
 * of an apply (empty for a dry run), an error, and where generated authentication strings were written.
 */
public record ClusterResult(String cluster, Plan plan, List<Outcome> outcomes, String error, Path authenticationStrings) {

  public ClusterResult {
    outcomes = List.copyOf(outcomes);
  }

  public boolean failed() {
    return error != null || outcomes.stream().anyMatch(o -> o.status() == Outcome.Status.FAILED);
  }
}
