package io.uctrust.controller;

import java.util.Optional;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Quartz job of one periodic check of one cluster (named {@code <cluster>.<check>}, scheduled from the {@link
 * ClusterMonitor}'s {@link TriggerPlan}): runs the check through the {@link ClusterMonitor} in the scheduler context.
 *
 * <p>Holds no state. Not for: scheduling by hand, or checks other than {@link ClusterMonitor.Check}.
 */
@DisallowConcurrentExecution
public final class MonitorJob implements Job {

  private static final Logger LOG = LoggerFactory.getLogger(MonitorJob.class);

  @Override
  public void execute(JobExecutionContext context) {
    String cluster = context.getMergedJobDataMap().getString(ControllerScheduler.CLUSTER);
    String name = context.getJobDetail().getKey().getName();
    Optional<ClusterMonitor.Check> check = ClusterMonitor.Check.ofJobName(name.substring(name.indexOf('.') + 1));
    try {
      if (check.isPresent() && context.getScheduler().getContext().get(ClusterMonitor.CONTEXT)
          instanceof ClusterMonitor monitor) {
        monitor.check(cluster, check.get());
      } else {
        LOG.error("job {}: no such check, or no cluster monitor in the scheduler context", name);
      }
    } catch (SchedulerException | RuntimeException e) {
      LOG.error("cluster {}: the {} check failed: {}", cluster, name, e.toString());
    }
  }
}
