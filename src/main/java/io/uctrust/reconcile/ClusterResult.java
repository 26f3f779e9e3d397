package io.uctrust.reconcile;

import io.uctrust.apply.Outcome;
import io.uctrust.observed.ObservedCluster;
import io.uctrust.plan.Plan;
import java.nio.file.Path;
import java.util.List;

/**
 * What reconciling one cluster gave: the snapshot the plan was made from and the plan (both null when the
 * cluster could not be read), the outcomes of an apply (empty for a dry run), an error, and where generated
 * authentication strings were written, and the CSRs waiting for an offline CA (files under the desired-state folder).
 */
public record ClusterResult(String cluster, ObservedCluster observed, Plan plan, List<Outcome> outcomes, String error,
    Path authenticationStrings, List<String> pendingCsrs) {

  public ClusterResult {
    outcomes = List.copyOf(outcomes);
    pendingCsrs = pendingCsrs == null ? List.of() : List.copyOf(pendingCsrs);
  }

  public ClusterResult(String cluster, ObservedCluster observed, Plan plan, List<Outcome> outcomes, String error,
      Path authenticationStrings) {
    this(cluster, observed, plan, outcomes, error, authenticationStrings, List.of());
  }

  public boolean failed() {
    return error != null || outcomes.stream().anyMatch(o -> o.status() == Outcome.Status.FAILED);
  }
}
