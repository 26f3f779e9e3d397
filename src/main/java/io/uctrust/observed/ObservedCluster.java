package io.uctrust.observed;

import io.uctrust.desired.CapfSpec.CapfIssuer;
import io.uctrust.desired.CertificateSpec;
import io.uctrust.desired.ClusterSpec.NodeRole;
import io.uctrust.desired.PhoneCertificatePolicySpec;
import io.uctrust.desired.SipOAuthSpec;
import io.uctrust.desired.TrustStoreSpec.Store;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An immutable snapshot of everything uctrust manages on a live cluster, as read through the cluster
 * port at one moment, with a fingerprint that changes whenever any of it changes.
 *
 * <p>Not for: writing; changes go through {@code ClusterPort.perform}. Holds no secrets: write-only
 * values (passwords) appear only as whether they are set.
 */
public record ObservedCluster(
    String name,
    List<Node> nodes,
    Security security,
    Enterprise enterprise,
    ImAndPresence imAndPresence,
    Capf capf,
    SipOAuth sipOAuth,
    Monitoring monitoring,
    List<Phone> phones,
    List<StaleLsc> staleLscs,
    List<PendingCsr> pendingCsrs,
    String fingerprint) {

  public ObservedCluster {
    nodes = List.copyOf(nodes);
    phones = List.copyOf(phones);
    staleLscs = staleLscs == null ? List.of() : List.copyOf(staleLscs);
    pendingCsrs = pendingCsrs == null ? List.of() : List.copyOf(pendingCsrs);
  }

  /** An LSC that CAPF issued for a phone's CSR and the phone never installed, because it sent a newer CSR first. */
  public record StaleLsc(String phone, String serial, Instant issued) {}

  /**
   * A phone's CSR waiting in CAPF for an offline CA's certificate ({@code utils capf csr list}); {@code pem} is null
   * when the interface lists only the device name.
   */
  public record PendingCsr(String phone, String pem, Instant created) {}

  /** One node with its identities, trust stores and services. */
  public record Node(String name, NodeRole role, List<Identity> identities, List<TrustEntry> trust,
      Map<String, String> services) {
    public Node {
      identities = List.copyOf(identities);
      trust = List.copyOf(trust);
      services = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(services));
    }
  }

  /** A service identity certificate installed on a node. */
  public record Identity(CertificateSpec.Service service, Certificate certificate, boolean selfSigned) {}

  /** A certificate in a node's trust store; {@code owner} says who put it there. */
  public record TrustEntry(Store store, Certificate certificate, String description, Owner owner) {}

  /** Who put a trust entry in place: uctrust (may be pruned), Cisco (built in) or someone else. */
  public enum Owner {
    UCTRUST,
    CISCO,
    OTHER
  }

  /**
   * The facts of one certificate, and its PEM text (re-encoded, so the same certificate reads the same from
   * every target) for those who hand it on, such as {@code uctrust bundle}. The PEM text is left out of the
   * snapshot's fingerprint: {@code sha256} already stands for it.
   */
  public record Certificate(String subject, String commonName, String issuer, String sha256, Instant notBefore,
      Instant notAfter, String keyAlgorithm, int keyBits, List<String> dnsNames,
      @com.fasterxml.jackson.annotation.JsonIgnore String pem) {
    public Certificate {
      dnsNames = dnsNames == null ? List.of() : List.copyOf(dnsNames);
    }
  }

  /** Cluster security modes. */
  public record Security(boolean mixedMode, boolean fipsMode) {}

  /** Enterprise parameters uctrust manages. */
  public record Enterprise(boolean enableIpv6, boolean oauthWithRefreshLoginFlow, boolean certificateValidityCheck,
      int validityCheckFrequencyDays) {

    /**
     * The enterprise parameters from their values by display name, as a cluster stores them ("True",
     * "Enabled", days as a number; unset or blank = the cluster's default).
     */
    public static Enterprise ofParameters(Map<String, String> byDisplayName) {
      String frequency = byDisplayName.get("Validity Check Frequency");
      return new Enterprise("True".equals(byDisplayName.get("Enable IPv6")),
          "Enabled".equals(byDisplayName.get("OAuth with Refresh Login Flow")),
          "True".equals(byDisplayName.get("Certificate Validity Check")),
          frequency == null || frequency.isBlank() ? 1 : Integer.parseInt(frequency.strip()));
    }
  }

  /** IM and Presence security settings. */
  public record ImAndPresence(String xmppDomain, List<String> hostedDomains, boolean useDomainNameForXmppSan,
      boolean enableWildcardsInXmppFederationCertificates, String sipTrunkSecurityProfile) {
    public ImAndPresence {
      hostedDomains = hostedDomains == null ? List.of() : List.copyOf(hostedDomains);
    }
  }

  /** CAPF service parameters and keepalive. */
  public record Capf(CapfIssuer issuer, int certificateValidityDays, int keepAliveMinutes, String onlineCaHostname,
      Integer onlineCaPort, String onlineCaTemplate, String onlineCaType, String onlineCaUsername,
      boolean onlineCaPasswordSet, boolean enrollmentServiceActive) {}

  /** SIP OAuth state. */
  public record SipOAuth(boolean enabled, Map<String, Ports> ports, List<ExpresswayC> expresswayC,
      List<SecurityProfile> phoneSecurityProfiles) {
    public SipOAuth {
      ports = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(ports));
      expresswayC = List.copyOf(expresswayC);
      phoneSecurityProfiles = List.copyOf(phoneSecurityProfiles);
    }
  }

  /** OAuth ports of one node. */
  public record Ports(int phone, int mra) {}

  /** An Expressway-C entry. */
  public record ExpresswayC(String host, String description, List<String> subjectNames) {
    public ExpresswayC {
      subjectNames = List.copyOf(subjectNames);
    }
  }

  /** A phone security profile. */
  public record SecurityProfile(String name, String description, String phoneType, SipOAuthSpec.Protocol protocol,
      SipOAuthSpec.DeviceSecurityMode deviceSecurityMode, SipOAuthSpec.Transport transport, boolean oauth,
      boolean digestAuthentication, boolean tftpEncryptedConfig) {}

  /** Certificate monitor and OCSP settings. */
  public record Monitoring(int notificationStartDays, String frequency, boolean lscMonitoring, boolean emailEnabled,
      List<String> emailTo, boolean ocspEnabled, String ocspResponder, String ocspUri, String checkEvery) {
    public Monitoring {
      emailTo = emailTo == null ? List.of() : List.copyOf(emailTo);
    }
  }

  /** A phone with its certificates and CAPF settings. */
  public record Phone(String name, String model, String devicePool, String securityProfile, PhoneCapf capf,
      PhoneCertificate mic, PhoneCertificate lsc, Mra mra) {}

  /** The CAPF fields of a phone. */
  public record PhoneCapf(PhoneCertificatePolicySpec.Operation operation,
      PhoneCertificatePolicySpec.AuthenticationMode authenticationMode, PhoneCertificatePolicySpec.KeyOrder keyOrder,
      int rsaSize, int ecSize, String completeBy, String status) {}

  /** A phone certificate (MIC or LSC): who issued it and when it expires. */
  public record PhoneCertificate(String issuer, String serial, Instant notBefore, Instant notAfter) {}

  /** MRA activation-code settings of a phone. */
  public record Mra(boolean allowActivationCodeViaMra, String serviceDomain) {}
}
