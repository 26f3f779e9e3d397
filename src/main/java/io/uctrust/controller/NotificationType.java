package io.uctrust.controller;

/**
 * What a {@link Notification} is about. Each type is one kind of event: it is de-duplicated per key and batched
 * into one digest per run, so the set is small and stable (webhook consumers switch on the name).
 *
 * <p>Not for: severities (each type has a default; a notification may raise or lower it) or the event's details
 * (the notification's key, text and facts).
 */
public enum NotificationType {
  /** A certificate is within the Monitoring document's notification window. */
  CERTIFICATE_EXPIRING(Notification.Severity.WARNING, "certificate expiring", "certificates expiring"),
  /** A certificate has expired. */
  CERTIFICATE_EXPIRED(Notification.Severity.CRITICAL, "certificate expired", "certificates expired"),
  /** An OCSP responder says a certificate is revoked; the next reconcile re-issues it. */
  CERTIFICATE_REVOKED(Notification.Severity.CRITICAL, "certificate revoked", "certificates revoked"),
  /** An OCSP check gave no verified answer (responder unreachable, bad signature, ...). */
  REVOCATION_CHECK_FAILED(Notification.Severity.WARNING, "revocation check failed", "revocation checks failed"),
  /** A phone's LSC is stale (a CSR waits for the offline CA, or the phone never took its new certificate). */
  STALE_LSC(Notification.Severity.WARNING, "stale LSC", "stale LSCs"),
  /** The cluster differs from the desired state. */
  DRIFT_DETECTED(Notification.Severity.WARNING, "drift detected", "drifts detected"),
  /** A reconcile applied changes. */
  CHANGES_APPLIED(Notification.Severity.INFO, "changes applied", "change sets applied"),
  /** A reconcile failed (invalid desired state, unreachable cluster, failed changes). */
  RECONCILE_FAILED(Notification.Severity.CRITICAL, "reconcile failed", "reconciles failed"),
  /** The desired state's newest commit is not signed by a trusted key, so it was not applied. */
  UNVERIFIED_COMMIT(Notification.Severity.CRITICAL, "unverified commit", "unverified commits");

  private final Notification.Severity severity;
  private final String one;
  private final String many;

  NotificationType(Notification.Severity severity, String one, String many) {
    this.severity = severity;
    this.one = one;
    this.many = many;
  }

  /** The severity of a notification of this type unless it says otherwise. */
  public Notification.Severity severity() {
    return severity;
  }

  /** A digest's title: {@code 1 certificate expiring}, {@code 200 stale LSCs}. */
  public String count(int n) {
    return n + " " + (n == 1 ? one : many);
  }
}
