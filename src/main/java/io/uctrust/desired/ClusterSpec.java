package io.uctrust.desired;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.hibernate.validator.constraints.Range;

/** A Unified CM cluster (with its IM and Presence nodes) and how uctrust reaches it. */
@Doc("A Unified CM cluster with its IM and Presence nodes: how uctrust reaches it, its nodes and its cluster-wide security settings.")
public record ClusterSpec(
    @Doc("How uctrust talks to the cluster.") @NotNull @Valid Target target,
    @Doc(value = "Unified CM release as major.minor, used by rules that depend on the release (online CA needs 12.5+, SIP OAuth for phones 14+).",
        example = "\"15.0\"")
        @Pattern(regexp = NamePatterns.RELEASE, message = "must be a release such as 14.0 or 15.0")
        String release,
    @Doc("DNS domain of the cluster's servers, such as example.com.")
        @Pattern(regexp = NamePatterns.DOMAIN, message = "must be a DNS domain such as example.com")
        String domain,
    @Doc("The nodes of the cluster. Exactly one cucm-publisher; IM and Presence nodes are optional.")
        @NotNull @NotEmpty List<@Valid ClusterNode> nodes,
    @Doc("Cluster security: mixed mode and FIPS mode.") @Valid Security security,
    @Doc("Enterprise parameters (System > Enterprise Parameters) that uctrust manages.")
        @Valid EnterpriseParameters enterpriseParameters,
    @Doc("IM and Presence security settings (System > Security > Settings).") @Valid ImAndPresence imAndPresence) {

  /** AXL schema versions uctrust's requests are written and tested for. */
  public static final List<String> SUPPORTED_AXL_VERSIONS = List.of("14.0", "15.0");

  public ClusterSpec {
    nodes = nodes == null ? List.of() : List.copyOf(nodes);
  }

  /** The kind of cluster uctrust talks to. */
  public enum TargetType {
    LAB,
    CUCM
  }

  /** The role a node plays in the cluster. */
  public enum NodeRole {
    CUCM_PUBLISHER,
    CUCM_SUBSCRIBER,
    IMP_PUBLISHER,
    IMP_SUBSCRIBER;

    public boolean isImAndPresence() {
      return this == IMP_PUBLISHER || this == IMP_SUBSCRIBER;
    }

    public boolean isPublisher() {
      return this == CUCM_PUBLISHER || this == IMP_PUBLISHER;
    }
  }

  /** Where the cluster is and how to authenticate to it. */
  @Doc("How uctrust reaches the cluster: the embedded lab, or a real cluster over its management interfaces.")
  public record Target(
      @Doc("lab: the embedded simulated cluster; cucm: a real cluster over AXL, platform REST, ControlCenterServices and the admin CLI.")
          @NotNull TargetType type,
      @Doc("cucm: host name of the Unified CM publisher.")
          @Pattern(regexp = NamePatterns.HOST, message = "must be a host name or FQDN") String publisher,
      @Doc("cucm: host name of the IM and Presence database publisher.")
          @Pattern(regexp = NamePatterns.HOST, message = "must be a host name or FQDN") String imPublisher,
      @Doc("cucm: AXL application user (Standard AXL API Access).") @Valid Credentials axl,
      @Doc("cucm: OS platform administrator for the certificate REST API.") @Valid Credentials platform,
      @Doc("cucm: OS administrator for the admin CLI over SSH.") @Valid CliCredentials cli,
      @Doc("cucm: PEM bundle of the CAs that sign the cluster's tomcat certificates, as file:PATH relative to this file; TLS is always verified.")
          @Pattern(regexp = "^file:.+$", message = "must be file:PATH") String trust,
      @Doc("cucm: AXL schema version, such as 14.0 or 15.0.")
          @Pattern(regexp = NamePatterns.RELEASE, message = "must be a version such as 15.0") String axlVersion) {}

  /** A user name and a password reference. */
  @Doc("A user name and a password given by reference.")
  public record Credentials(
      @Doc("User name.") @NotNull @Size(min = 1, max = 128) String username,
      @Doc("Password as env:NAME or file:PATH.") @NotNull SecretRef password) {}

  /** SSH credentials for the admin CLI. */
  @Doc("SSH credentials for the platform admin CLI.")
  public record CliCredentials(
      @Doc("OS administrator user name.") @NotNull @Size(min = 1, max = 128) String username,
      @Doc("Password as env:NAME or file:PATH; give this or privateKey.") SecretRef password,
      @Doc("Private key as file:PATH (or env:NAME holding the PEM); give this or password.") SecretRef privateKey,
      @Doc("known_hosts file as file:PATH; host keys are always verified.")
          @Pattern(regexp = "^file:.+$", message = "must be file:PATH") String knownHosts) {}

  /** One node of the cluster. */
  @Doc("A node of the cluster.")
  public record ClusterNode(
      @Doc("Fully qualified domain name of the node, as in System > Server.")
          @NotNull @Pattern(regexp = NamePatterns.FQDN, message = NamePatterns.FQDN_MESSAGE) @Size(max = 253)
          String name,
      @Doc("cucm-publisher, cucm-subscriber, imp-publisher or imp-subscriber.") @NotNull NodeRole role,
      @Doc("IPv4 address of the node.")
          @Pattern(regexp = NamePatterns.IPV4, message = "must be an IPv4 address such as 192.0.2.10") String ipv4,
      @Doc("IPv6 address of the node.")
          @Pattern(regexp = NamePatterns.IPV6, message = "must be an IPv6 address such as 2001:db8::10") @Size(max = 45)
          String ipv6,
      @Doc("IM and Presence: the node runs Cisco XCP XMPP Federation Connection Manager (restarted after cup-xmpp-s2s changes).")
          Boolean xmppFederation) {}

  /** Cluster-wide security modes. */
  @Doc("Cluster-wide security modes.")
  public record Security(
      @Doc("The cluster is in mixed mode (CTL / ITL with TLS to phones); CAPF authenticates phones only in mixed mode.")
          Boolean mixedMode,
      @Doc("FIPS mode is enabled (utils fips enable); online CA and CAPFv3 are not supported in FIPS mode.")
          Boolean fipsMode) {}

  /** Enterprise parameters. */
  @Doc("Enterprise parameters managed by uctrust.")
  public record EnterpriseParameters(
      @Doc("Enable IPv6. Must be true for CAPF to serve SCCP phones over IPv6.") Boolean enableIpv6,
      @Doc("OAuth with Refresh Login Flow (SSO and OAuth Configuration); required by SIP OAuth.")
          Boolean oauthWithRefreshLoginFlow,
      @Doc("Certificate Revocation and Expiry: Certificate Validity Check and Validity Check Frequency.")
          @Valid CertificateValidityCheck certificateValidityCheck) {}

  /** Certificate Revocation and Expiry enterprise parameters. */
  @Doc("Certificate Validity Check enterprise parameters, for long-lived CTI, IPsec and LDAP connections.")
  public record CertificateValidityCheck(
      @Doc("Certificate Validity Check.") Boolean enabled,
      @Doc("Validity Check Frequency in days. The OCSP 'Check Every' interval overrides it when revocation checks are on.")
          @Range(min = 1, max = 365) Integer frequencyDays) {}

  /** IM and Presence security settings. */
  @Doc("IM and Presence security settings (System > Security > Settings).")
  public record ImAndPresence(
      @Doc("The XMPP domain Jabber clients use; XMPP certificates must carry it.")
          @Pattern(regexp = NamePatterns.DOMAIN, message = "must be a DNS domain such as example.com")
          String xmppDomain,
      @Doc("Domains hosted by the IM and Presence deployment (they appear in cup-xmpp-s2s certificates).")
          List<@Pattern(regexp = NamePatterns.DOMAIN, message = "must be a DNS domain such as example.com") String>
              hostedDomains,
      @Doc("XMPP Certificate Settings: Use Domain Name for XMPP Certificate Subject Alternative Name.")
          Boolean useDomainNameForXmppSan,
      @Doc("Enable Wildcards in XMPP Federation Security Certificates (needed for group chat over TLS with federation partners).")
          Boolean enableWildcardsInXmppFederationCertificates,
      @Doc("Name of the SIP Trunk Security Profile of the Unified CM trunk to IM and Presence; its X.509 subject must carry the CN of the IM and Presence cup certificate, which uctrust keeps in step after renewals.")
          @Size(min = 1, max = 50) String sipTrunkSecurityProfile) {

    public ImAndPresence {
      hostedDomains = hostedDomains == null ? List.of() : List.copyOf(hostedDomains);
    }
  }
}
