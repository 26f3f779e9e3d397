package io.uctrust.controller;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.quartz.Job;

/**
 * The periodic jobs a cluster's desired state asks for besides its reconcile (certificate expiry checks, OCSP checks,
 * stale-LSC reports, with the intervals of its Monitoring document). {@link ControllerScheduler#rebuild} makes the
 * schedule match it whenever a new commit of the desired state is reconciled: jobs no longer listed are removed, the
 * others (re)scheduled to repeat every {@code every} from now.
 *
 * <p>Not for: the reconcile job itself (scheduled from the controller's configuration), or one-off work.
 *
 * @param cluster the cluster the jobs belong to
 * @param jobs the jobs, each named uniquely within the cluster
 */
public record TriggerPlan(String cluster, List<Periodic> jobs) {

  public TriggerPlan {
    Objects.requireNonNull(cluster, "cluster");
    jobs = List.copyOf(jobs);
  }

  /** No periodic jobs besides reconcile. */
  public static TriggerPlan none(String cluster) {
    return new TriggerPlan(cluster, List.of());
  }

  /**
   * A job to run every {@code every}.
   *
   * @param name its name within the cluster, such as {@code expiry} or {@code ocsp}
   * @param job the Quartz job class; it finds its services in the scheduler context, never in its data
   * @param every how often it runs
   * @param data strings the job reads from its {@code JobDataMap} (the cluster's name is added as {@code cluster})
   */
  public record Periodic(String name, Class<? extends Job> job, Duration every, Map<String, String> data) {
    public Periodic {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(job, "job");
      if (every == null || every.isNegative() || every.isZero()) {
        throw new IllegalArgumentException("a periodic job needs a positive interval");
      }
      data = data == null ? Map.of() : Map.copyOf(data);
    }
  }
}
