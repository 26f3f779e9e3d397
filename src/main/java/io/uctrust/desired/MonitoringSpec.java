package io.uctrust.desired;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Pattern;
import java.util.List;
import org.hibernate.validator.constraints.Range;

/** Certificate expiry monitoring and OCSP revocation checks (seed 001). */
@Doc("Certificate expiry monitoring and OCSP revocation checks.")
public record MonitoringSpec(
    @Doc("Certificate Monitor: when and how to warn about expiring certificates.") @Valid CertificateMonitor certificateMonitor,
    @Doc("Certificate revocation checks.") @Valid Revocation revocation) {

  /** Which OCSP responder to ask. */
  public enum Responder {
    CONFIGURED,
    FROM_CERTIFICATE
  }

  /** Certificate Monitor settings. */
  @Doc("Certificate Monitor settings.")
  public record CertificateMonitor(
      @Doc("Notification Start Time: days before expiry when notifications start.") @Range(min = 1, max = 365) Integer notificationStartDays,
      @Doc("Notification Frequency, such as 1d or 12h; from one day before expiry, and after expiry, notifications are hourly.")
          TimeAmount frequency,
      @Doc("Enable LSC Monitoring: include phone LSCs.") Boolean lscMonitoring,
      @Doc("E-mail notification.") @Valid EmailNotification email) {}

  /** E-mail notification. */
  @Doc("E-mail notification.")
  public record EmailNotification(
      @Doc("Enable E-mail notification.") Boolean enabled,
      @Doc("Recipients (E-mail IDs).") List<@Email(message = "must be an e-mail address") @Pattern(regexp = "^[^@\\s]+@[^@\\s]+$", message = "must be an e-mail address") String> to) {

    public EmailNotification {
      to = to == null ? List.of() : List.copyOf(to);
    }
  }

  /** Revocation checks. */
  @Doc("Certificate revocation checks.")
  public record Revocation(@Doc("OCSP settings (Security > Certificate Revocation).") @Valid Ocsp ocsp) {}

  /** OCSP settings. */
  @Doc("OCSP revocation checking.")
  public record Ocsp(
      @Doc("Enable OCSP.") Boolean enabled,
      @Doc("configured (Use configured OCSP URI; set uri) or from-certificate (Use OCSP URI from Certificate).") Responder responder,
      @Doc("OCSP Configured URI, http:// or https://.") @Pattern(regexp = "^https?://[^\\s]+$", message = "must be an http:// or https:// URL") String uri,
      @Doc("Enable Revocation Check with this Check Every interval, such as 24h; it overrides Validity Check Frequency.")
          TimeAmount checkEvery) {}
}
