package io.uctrust.controller;

import io.uctrust.desired.MonitoringSpec;
import io.uctrust.desired.TimeAmount;
import io.uctrust.observed.ObservedCluster;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * The Certificate Monitor and OCSP settings the controller's monitors follow for one cluster, field by field: the
 * cluster's Monitoring document when it sets the field, else what the cluster itself is set to (absent means
 * unmanaged, so the cluster's own Certificate Monitor settings stand), else Unified CM's defaults (notifications
 * from 30 days before expiry, daily, without LSCs; OCSP off; revocation checks daily).
 *
 * <p>Not for: validating a Monitoring document (the validator does) or planning changes to the cluster's settings
 * (the settings planner does).
 *
 * @param notificationStartDays how many days before expiry notifications start
 * @param frequency how often an expiry notification repeats until one day before expiry
 * @param lscMonitoring whether phone LSCs are watched too
 * @param ocspEnabled whether revocation checks run at all
 * @param ocspResponder the configured OCSP responder; null: the URL in each certificate's Authority Information
 *     Access
 * @param checkEvery how often revocation checks run
 */
public record MonitoringSettings(int notificationStartDays, Duration frequency, boolean lscMonitoring,
    boolean ocspEnabled, URI ocspResponder, Duration checkEvery) {

  /** Unified CM's default Notification Start Time, in days. */
  public static final int DEFAULT_NOTIFICATION_START_DAYS = 30;
  /** Unified CM's default revocation check interval (Validity Check Frequency: one day). */
  public static final Duration DEFAULT_CHECK_EVERY = Duration.ofDays(1);

  private static final String CONFIGURED_LABEL = "Use configured OCSP URI";

  public MonitoringSettings {
    Objects.requireNonNull(frequency, "frequency");
    Objects.requireNonNull(checkEvery, "checkEvery");
    if (notificationStartDays < 1) {
      throw new IllegalArgumentException("notificationStartDays must be at least 1: " + notificationStartDays);
    }
    if (frequency.isNegative() || frequency.isZero() || checkEvery.isNegative() || checkEvery.isZero()) {
      throw new IllegalArgumentException("frequency and checkEvery must be positive");
    }
  }

  /** Unified CM's defaults. */
  public static MonitoringSettings defaults() {
    return new MonitoringSettings(DEFAULT_NOTIFICATION_START_DAYS, Notifier.DEFAULT_FREQUENCY, false, false, null,
        DEFAULT_CHECK_EVERY);
  }

  /**
   * The settings for a cluster whose Monitoring document is {@code desired} (null: it has none) and that was
   * observed as {@code observed} (null: not observed yet).
   */
  public static MonitoringSettings of(MonitoringSpec desired, ObservedCluster observed) {
    MonitoringSpec.CertificateMonitor monitor = desired == null ? null : desired.certificateMonitor();
    MonitoringSpec.Ocsp ocsp = desired == null || desired.revocation() == null ? null : desired.revocation().ocsp();
    ObservedCluster.Monitoring own = observed == null ? null : observed.monitoring();

    int startDays = monitor != null && monitor.notificationStartDays() != null ? monitor.notificationStartDays()
        : own != null && own.notificationStartDays() > 0 ? own.notificationStartDays()
        : DEFAULT_NOTIFICATION_START_DAYS;
    Duration frequency = monitor != null && monitor.frequency() != null ? monitor.frequency().duration()
        : own != null ? amount(own.frequency(), Notifier.DEFAULT_FREQUENCY) : Notifier.DEFAULT_FREQUENCY;
    boolean lsc = monitor != null && monitor.lscMonitoring() != null ? monitor.lscMonitoring()
        : own != null && own.lscMonitoring();

    boolean enabled = ocsp != null && ocsp.enabled() != null ? ocsp.enabled() : own != null && own.ocspEnabled();
    URI responder;
    if (ocsp != null && (ocsp.responder() != null || ocsp.uri() != null)) {
      // a URI without a responder mode can only mean "use this one"
      responder = ocsp.responder() == MonitoringSpec.Responder.FROM_CERTIFICATE || ocsp.uri() == null ? null
          : URI.create(ocsp.uri());
    } else {
      // the cluster stores the radio button's label: "Use configured OCSP URI" or "Use OCSP URI from Certificate"
      responder = own != null && CONFIGURED_LABEL.equalsIgnoreCase(own.ocspResponder()) && own.ocspUri() != null
          ? uri(own.ocspUri()) : null;
    }
    Duration validityCheck = observed == null || observed.enterprise() == null
        || observed.enterprise().validityCheckFrequencyDays() < 1 ? DEFAULT_CHECK_EVERY
        : Duration.ofDays(observed.enterprise().validityCheckFrequencyDays());
    // the Certificate Revocation page's Check Every overrides the Validity Check Frequency enterprise parameter
    Duration checkEvery = ocsp != null && ocsp.checkEvery() != null ? ocsp.checkEvery().duration()
        : own != null ? amount(own.checkEvery(), validityCheck) : validityCheck;
    return new MonitoringSettings(startDays, frequency, lsc, enabled, responder, checkEvery);
  }

  /** As the Monitoring document's Certificate Monitor, for {@link Notifier#expiryRepeat}. */
  public MonitoringSpec.CertificateMonitor certificateMonitor() {
    return new MonitoringSpec.CertificateMonitor(notificationStartDays, new TimeAmount(frequency, frequency.toString()),
        lscMonitoring, null);
  }

  /** How long before expiry notifications start. */
  public Duration window() {
    return Duration.ofDays(notificationStartDays);
  }

  /** The cluster's configured URI; null when it is not one (the cluster checks its own input less strictly). */
  private static URI uri(String text) {
    try {
      return URI.create(text.strip());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static Duration amount(String text, Duration otherwise) {
    TimeAmount amount = text == null ? null : TimeAmount.parse(text.strip());
    return amount == null ? otherwise : amount.duration();
  }
}
