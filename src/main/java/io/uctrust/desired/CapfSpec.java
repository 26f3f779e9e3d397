package io.uctrust.desired;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.hibernate.validator.constraints.Range;

/**
 * The cluster's Certificate Authority Proxy Function: who issues phone LSCs, for how long, and the
 * cluster-wide CAPF settings.
 */
@Doc("Certificate Authority Proxy Function: the issuer of phone LSCs and the cluster-wide CAPF settings.")
public record CapfSpec(
    @Doc("Certificate Issuer to Endpoint: cisco-capf (default; CAPF signs LSCs itself), online-ca (an external Microsoft CA signs them on line) or offline-ca (CSRs are signed by a CA outside the cluster).")
        CapfIssuer issuer,
    @Doc("Duration Of Certificate Validity (in Days) of LSCs issued by CAPF, 1 to 1825.")
        @Range(min = 1, max = 1825) Integer certificateValidityDays,
    @Doc("CAPF keepalive to endpoints in minutes, 5 to 60 (Cisco default 15); set with 'utils capf set keep_alive'.")
        @Range(min = 5, max = 60) Integer keepAliveMinutes,
    @Doc("Online CA parameters; required when issuer is online-ca.") @Valid OnlineCa onlineCa,
    @Doc("Offline CA settings; used when issuer is offline-ca.") @Valid OfflineCa offlineCa,
    @Doc("Delete stale LSCs (issued but never installed because the phone sent a newer CSR) with 'utils capf stale-lsc delete all'.")
        Boolean deleteStaleLscs) {

  /** Certificate Issuer to Endpoint. */
  public enum CapfIssuer {
    CISCO_CAPF("Cisco Certificate Authority Proxy Function"),
    ONLINE_CA("Online CA"),
    OFFLINE_CA("Offline CA");

    private final String parameter;

    CapfIssuer(String parameter) {
      this.parameter = parameter;
    }

    /** The value of the CAPF service parameter Certificate Issuer to Endpoint for this issuer. */
    public String parameter() {
      return parameter;
    }

    /** The issuer a Certificate Issuer to Endpoint value names; Cisco CAPF when unset or unknown (its default). */
    public static CapfIssuer ofParameter(String value) {
      for (CapfIssuer issuer : values()) {
        if (value != null && issuer.parameter.equals(value.strip())) {
          return issuer;
        }
      }
      return CISCO_CAPF;
    }
  }

  /** The kind of online CA. */
  public enum OnlineCaType {
    MICROSOFT_CA
  }

  /** Online CA service parameters of the CAPF service. */
  @Doc("Online CA parameters (service Cisco Certificate Authority Proxy Function).")
  public record OnlineCa(
      @Doc("Online CA Hostname: the FQDN of the CA; must equal the CN of the CA's HTTPS (IIS) certificate.")
          @Pattern(regexp = NamePatterns.FQDN, message = NamePatterns.FQDN_MESSAGE) String hostname,
      @Doc("Online CA Port, usually 443.") @Range(min = 1, max = 65535) Integer port,
      @Doc("Online CA Template: the certificate template created on the Microsoft CA for LSCs (key usage Digital Signature and Key Encipherment).")
          @Size(min = 1, max = 255) String template,
      @Doc("Online CA Type: microsoft-ca.") OnlineCaType type,
      @Doc("Online CA Username.") @Size(min = 1, max = 255) String username,
      @Doc("Online CA Password as env:NAME or file:PATH.") SecretRef password,
      @Doc("PEM file (relative to this file) with the CA root certificate that signs LSCs; the plan uploads it to CAPF-trust and CallManager-trust first where it is missing.")
          String caCertificate,
      @Doc("PEM file (relative to this file) with the CA's HTTPS (IIS) certificate, when it differs from the CA root; the plan uploads it to CAPF-trust when the root did not issue it (the guide's upload table).")
          String httpsCertificate) {}

  /** Offline CA settings. */
  @Doc("Offline CA settings.")
  public record OfflineCa(
      @Doc("PEM files (relative to this file) of the CA chain that signs LSCs offline; they must be in CAPF-trust and CallManager-trust.")
          List<@Size(min = 1) String> caCertificates) {

    public OfflineCa {
      caCertificates = caCertificates == null ? List.of() : List.copyOf(caCertificates);
    }
  }
}
