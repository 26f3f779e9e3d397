package io.uctrust.controller;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Quartz job of one cluster's reconcile (one durable job per cluster, never two runs of it at once on any
 * instance): runs the cluster through the {@link ReconcileRunner} found in the scheduler context, then moves the
 * cluster's trigger to its next time (interval plus or minus jitter, from now).
 *
 * <p>Holds no state: Quartz makes a new one per run. Not for: being scheduled by hand (use {@link ControllerScheduler}).
 */
@DisallowConcurrentExecution
public final class ReconcileJob implements Job {

  /** The scheduler context key of the {@link ReconcileRunner}. */
  public static final String RUNNER = "uctrust.reconcile-runner";

  private static final Logger LOG = LoggerFactory.getLogger(ReconcileJob.class);

  @Override
  public void execute(JobExecutionContext context) {
    String cluster = context.getMergedJobDataMap().getString(ControllerScheduler.CLUSTER);
    ReconcileRunner runner;
    try {
      runner = (ReconcileRunner) context.getScheduler().getContext().get(RUNNER);
    } catch (SchedulerException e) {
      LOG.error("cluster {}: no reconcile runner in the scheduler context", cluster, e);
      return;
    }
    if (runner == null) {
      LOG.error("cluster {}: no reconcile runner in the scheduler context", cluster);
      return;
    }
    try {
      runner.run(cluster);
    } catch (RuntimeException e) {
      LOG.error("cluster {}: the run failed unexpectedly", cluster, e);
    } finally {
      runner.scheduleNext(cluster);
    }
  }
}
