package io.uctrust.reconcile;

import io.uctrust.validate.ValidationReport;
import java.util.List;

/** The result of a reconcile: validation, then one result per cluster (none when validation failed). */
public record ReconcileResult(ValidationReport validation, List<ClusterResult> clusters) {

  public ReconcileResult {
    clusters = List.copyOf(clusters);
  }

  /** Exit code of a dry run: 0 in sync, 2 changes pending, 1 invalid input or error. */
  public int dryRunExitCode() {
    if (!validation.valid() || clusters.stream().anyMatch(c -> c.error() != null)) {
      return 1;
    }
    return clusters.stream().allMatch(c -> c.plan().inSync()) ? 0 : 2;
  }

  /** Exit code of an apply: 0 when every change succeeded (or nothing was to do), 1 otherwise. */
  public int applyExitCode() {
    return !validation.valid() || clusters.stream().anyMatch(ClusterResult::failed) ? 1 : 0;
  }
}
