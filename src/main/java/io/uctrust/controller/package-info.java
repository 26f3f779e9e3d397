/**
 * The controller's services (issue 8): today its notifications. A {@link io.uctrust.controller.Notifier} sends
 * {@link io.uctrust.controller.Notification}s (certificate expiring or revoked, reconcile failed, drift, ...) to
 * its channels ({@link io.uctrust.controller.EmailChannel} over SMTP, {@link io.uctrust.controller.WebhookChannel}
 * as a signed JSON POST), at most once per event type and key within the event's repeat interval, as recorded in a
 * {@link io.uctrust.controller.NotificationLedger}, and batched into one digest per event type and run.
 *
 * <p>Not for: deciding which events exist (the controller's checks do: expiry, {@link io.uctrust.pki.OcspChecker},
 * reconcile results), or scheduling them (Quartz, in the controller core).
 */
package io.uctrust.controller;
