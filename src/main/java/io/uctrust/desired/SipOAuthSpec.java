package io.uctrust.desired;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.hibernate.validator.constraints.Range;

/** SIP OAuth mode: ports per node, Expressway-C entries and OAuth phone security profiles. */
@Doc("SIP OAuth mode: whether it is on, the OAuth ports per node, the Expressway-C entries and the phone security profiles.")
public record SipOAuthSpec(
    @Doc("SIP OAuth mode (utils sipOAuth-mode enable|disable on the publisher; Cisco CallManager restarts after).")
        @NotNull Boolean enabled,
    @Doc("SIP OAuth ports per node (System > Cisco Unified CM > TCP Port Settings).") List<@Valid Ports> ports,
    @Doc("Expressway-C entries (Device > Expressway-C).") List<@Valid ExpresswayC> expresswayC,
    @Doc("Phone security profiles for OAuth phones (System > Security > Phone Security Profile).")
        List<@Valid PhoneSecurityProfile> phoneSecurityProfiles,
    @Doc("Onboarding of SIP OAuth phones over Mobile and Remote Access with activation codes (Device > Phone > Device Information).")
        List<@Valid MraActivation> mraActivation) {

  public SipOAuthSpec {
    mraActivation = mraActivation == null ? List.of() : List.copyOf(mraActivation);
    ports = ports == null ? List.of() : List.copyOf(ports);
    expresswayC = expresswayC == null ? List.of() : List.copyOf(expresswayC);
    phoneSecurityProfiles = phoneSecurityProfiles == null ? List.of() : List.copyOf(phoneSecurityProfiles);
  }

  /** Phone security profile protocol. */
  public enum Protocol {
    SIP,
    SCCP
  }

  /** Device Security Mode. */
  public enum DeviceSecurityMode {
    NON_SECURE,
    AUTHENTICATED,
    ENCRYPTED
  }

  /** Transport Type. */
  public enum Transport {
    TCP,
    UDP,
    TLS,
    @Spelling("tcp-udp") TCP_UDP
  }

  /** OAuth ports of one node. */
  @Doc("SIP OAuth ports of one Unified CM node, 1024 to 49151.")
  public record Ports(
      @Doc("Node name.") @NotNull String node,
      @Doc("SIP Phone OAuth Port (TLS), default 5090.") @Range(min = 1024, max = 49151) Integer phone,
      @Doc("SIP Mobile and Remote Access Port (mTLS), default 5091.") @Range(min = 1024, max = 49151) Integer mra) {}

  /** One Expressway-C entry. */
  @Doc("An Expressway-C entry.")
  public record ExpresswayC(
      @Doc("IP Address, Host Name or FQDN.")
          @NotNull @Pattern(regexp = NamePatterns.HOST, message = "must be an IP address, host name or FQDN") @Size(max = 255)
          String host,
      @Doc("Description, up to 50 characters.") @Size(max = 50) String description,
      @Doc("X.509 Subject Name/Subject Alternate Name of the Expressway-C certificate (4096 characters in all).")
          List<@Size(min = 1, max = 4096) String> subjectNames,
      @Doc("PEM file of the CA that signs the Expressway-C certificate, relative to this file; for MRA it must be in tomcat-trust and CallManager-trust.")
          String caCertificate) {

    public ExpresswayC {
      subjectNames = subjectNames == null ? List.of() : List.copyOf(subjectNames);
    }
  }

  /** MRA activation-code onboarding for a set of phones. */
  @Doc("Phones that onboard over MRA with activation codes: Allow Activation Code via MRA, the MRA service domain and an OAuth security profile.")
  public record MraActivation(
      @Doc("Device pools of the phones.") List<@Size(min = 1, max = 50) String> devicePools,
      @Doc("Phone models, such as \"Cisco 8865\".") List<@Size(min = 1, max = 100) String> models,
      @Doc("Activation Code MRA Service Domain: the name of an MRA service domain defined on the cluster.")
          @NotNull @Size(min = 1, max = 128) String serviceDomain,
      @Doc("Device Security Profile the phones use; must be an OAuth-enabled SIP profile.")
          @NotNull @Size(min = 1, max = 128) String securityProfile) {

    public MraActivation {
      devicePools = devicePools == null ? List.of() : List.copyOf(devicePools);
      models = models == null ? List.of() : List.copyOf(models);
    }
  }

  /** A phone security profile. */
  @Doc("A phone security profile.")
  public record PhoneSecurityProfile(
      @Doc("Profile name.") @NotNull @Size(min = 1, max = 128) String name,
      @Doc("Description.") @Size(max = 255) String description,
      @Doc("Phone type as Unified CM names it, such as \"Cisco 8865\".") @NotNull @Size(min = 1, max = 100) String phoneType,
      @Doc("sip (default) or sccp; OAuth needs sip.") Protocol protocol,
      @Doc("Device Security Mode: non-secure, authenticated or encrypted.") @NotNull DeviceSecurityMode deviceSecurityMode,
      @Doc("Transport Type: tcp, udp, tls or tcp-udp.") @NotNull Transport transport,
      @Doc("Enable OAuth Authentication.") Boolean oauth,
      @Doc("Enable Digest Authentication; not supported with OAuth.") Boolean digestAuthentication,
      @Doc("TFTP Encrypted Config; not supported with OAuth.") Boolean tftpEncryptedConfig) {}
}
