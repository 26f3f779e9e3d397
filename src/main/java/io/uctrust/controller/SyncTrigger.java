package io.uctrust.controller;

import java.util.List;

/**
 * Queues a sync of the clusters whose desired state comes from one repository, as a git webhook asks; the
 * scheduler core implements it. Called from the HTTP threads after the webhook was authenticated: it must only
 * queue (return at once) and never run the sync itself.
 *
 * <p>Not for: running a reconcile synchronously, or for repositories the caller has not authenticated.
 */
@FunctionalInterface
public interface SyncTrigger {

  /**
   * Queues a sync of every cluster fed by the repository named by any of {@code namesOrUrls}: its name in the
   * controller's configuration or one of its URLs (a webhook payload names one repository by several URLs:
   * https, ssh, web page). Matching (such as a trailing {@code .git}) is the implementation's choice.
   *
   * @return the names of the clusters queued; empty when no cluster follows that repository or all are
   *     suspended
   */
  List<String> requestSync(List<String> namesOrUrls);
}
