package io.uctrust.desired;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.hibernate.validator.constraints.Range;

/**
 * A service identity certificate (tomcat, CallManager, cup-xmpp, ...) on some nodes: its names, key,
 * issuer and when to renew it.
 */
@Doc("A service identity certificate on Unified CM or IM and Presence nodes: its names, key, issuer and renewal.")
public record CertificateSpec(
    @Doc("Certificate purpose (service). Names ending in -ECDSA take EC keys, the others RSA keys.")
        @NotNull Service service,
    @Doc("multi-server: one certificate with every node in its SAN, distributed to all nodes; single-node: one certificate per node.")
        Distribution distribution,
    @Doc("Nodes that get this identity: all nodes hosting the service, or a list of node names.")
        @NotNull NodeSelection nodes,
    @Doc("Subject common name; defaults to the node FQDN (single-node) or the first node (multi-server).")
        @Size(min = 1, max = 64) String commonName,
    @Doc("Extra subject alternative names (DNS names); node FQDNs are added automatically.")
        List<@Size(min = 1, max = 253) String> subjectAltNames,
    @Doc("Subject fields of the CSR.") @Valid Subject subject,
    @Doc("Key type and size.") @Valid Key key,
    @Doc("Signature hash algorithm: sha256 (default), sha384 or sha512.") Hash hash,
    @Doc("Who signs the certificate.") @NotNull @Valid Issuer issuer,
    @Doc("Renew this long before expiry, such as 30d; give this or renewBeforePercent (default one third of the lifetime).")
        TimeAmount renewBefore,
    @Doc("Renew when this percentage of the lifetime remains, 1 to 99.")
        @Range(min = 1, max = 99) Integer renewBeforePercent) {

  /** Lifetime of the self-signed identities uctrust generates (Unified CM's own default is five years). */
  public static final int SELF_SIGNED_DAYS = 5 * 365;

  public CertificateSpec {
    subjectAltNames = subjectAltNames == null ? List.of() : List.copyOf(subjectAltNames);
  }

  /** Service identity certificates of Unified CM and IM and Presence. */
  public enum Service {
    @Spelling("CallManager") CALLMANAGER,
    @Spelling("CallManager-ECDSA") CALLMANAGER_ECDSA,
    @Spelling("CAPF") CAPF,
    @Spelling("ipsec") IPSEC,
    @Spelling("tomcat") TOMCAT,
    @Spelling("tomcat-ECDSA") TOMCAT_ECDSA,
    @Spelling("TVS") TVS,
    @Spelling("cup") CUP,
    @Spelling("cup-ECDSA") CUP_ECDSA,
    @Spelling("cup-xmpp") CUP_XMPP,
    @Spelling("cup-xmpp-ECDSA") CUP_XMPP_ECDSA,
    @Spelling("cup-xmpp-s2s") CUP_XMPP_S2S,
    @Spelling("cup-xmpp-s2s-ECDSA") CUP_XMPP_S2S_ECDSA;

    public String yaml() {
      return Spelling.Of.yaml(this);
    }

    /**
     * The trust store that holds this purpose's issuers (and self-signed identities) on the cluster's nodes: the CA
     * chain of a new identity goes here first, or the node refuses the identity.
     */
    public TrustStoreSpec.Store trustStore() {
      return switch (this) {
        case CALLMANAGER, CALLMANAGER_ECDSA -> TrustStoreSpec.Store.CALLMANAGER_TRUST;
        case CAPF -> TrustStoreSpec.Store.CAPF_TRUST;
        case TOMCAT, TOMCAT_ECDSA -> TrustStoreSpec.Store.TOMCAT_TRUST;
        case IPSEC -> TrustStoreSpec.Store.IPSEC_TRUST;
        case TVS -> TrustStoreSpec.Store.TVS_TRUST;
        case CUP, CUP_ECDSA -> TrustStoreSpec.Store.CUP_TRUST;
        case CUP_XMPP, CUP_XMPP_ECDSA, CUP_XMPP_S2S, CUP_XMPP_S2S_ECDSA -> TrustStoreSpec.Store.CUP_XMPP_TRUST;
      };
    }

    /** Whether the key must be EC (the -ECDSA purposes). */
    public boolean ecdsa() {
      return name().endsWith("_ECDSA");
    }

    /** Services that only exist on IM and Presence nodes. */
    public boolean imAndPresenceOnly() {
      return name().startsWith("CUP");
    }

    /** Services that exist on IM and Presence nodes (cup* and also tomcat and ipsec). */
    public boolean onImAndPresence() {
      return imAndPresenceOnly() || this == TOMCAT || this == TOMCAT_ECDSA || this == IPSEC;
    }

    /** Whether a multi-server (SAN) certificate exists for this purpose (seed 001, tables 1-3). */
    public boolean multiServerCapable() {
      return switch (this) {
        case CAPF, IPSEC, CUP, CUP_ECDSA -> false;
        default -> true;
      };
    }

    /** The XMPP certificates, which Jabber identifies by the XMPP domain. */
    public boolean xmpp() {
      return name().startsWith("CUP_XMPP");
    }

    /** The XMPP federation (server to server) certificates. */
    public boolean federation() {
      return name().startsWith("CUP_XMPP_S2S");
    }
  }

  /** Single node or multi-server (SAN) distribution. */
  public enum Distribution {
    MULTI_SERVER,
    SINGLE_NODE
  }

  /** Key algorithms. */
  public enum KeyType {
    RSA,
    EC
  }

  /** Signature hash algorithms. */
  public enum Hash {
    SHA256,
    SHA384,
    SHA512
  }

  /** Issuer types. */
  public enum IssuerType {
    SELF_SIGNED,
    CA,
    ACME,
    OFFLINE
  }

  /** ACME challenge types. */
  public enum Challenge {
    @Spelling("http-01") HTTP_01,
    @Spelling("dns-01") DNS_01
  }

  /** Subject fields of a CSR. */
  @Doc("Subject fields of the CSR. Public CAs reject @, & and ! in them and want the same values on every node.")
  public record Subject(
      @Doc("Organization (O).") @Size(min = 1, max = 64) String organization,
      @Doc("Organizational unit (OU).") @Size(min = 1, max = 64) String organizationalUnit,
      @Doc("Locality (L).") @Size(min = 1, max = 128) String locality,
      @Doc("State or province (ST).") @Size(min = 1, max = 128) String state,
      @Doc("Two-letter ISO country code (C).")
          @Pattern(regexp = "^[A-Z]{2}$", message = "must be a two-letter upper-case country code such as US") String country) {}

  /** Key type and size. */
  @Doc("Key type and size: rsa 1024 to 4096 bits, or ec 256, 384 or 521.")
  public record Key(
      @Doc("rsa or ec; must be ec for -ECDSA services and rsa for the others.") @NotNull KeyType type,
      @Doc("RSA: 1024 to 4096 bits (2048 default); EC: 256, 384 or 521.") @Range(min = 256, max = 4096) Integer size) {}

  /** Who signs the certificate. */
  @Doc("Who signs the certificate, with the settings of that issuer type.")
  public record Issuer(
      @Doc("self-signed, ca (a CA keystore uctrust holds), acme (an RFC 8555 server) or offline (the node's CSR is written to offline-ca/pending/<node>-<service>.csr in the desired-state folder; commit the signed chain as offline-ca/signed/<node>-<service>.pem; multi-server: the first node).")
          @NotNull IssuerType type,
      @Doc("ca: PKCS#12 keystore with the CA key and certificate, relative to this file; give this or pkcs11.") String keystore,
      @Doc("ca: keystore password as env:NAME or file:PATH.") SecretRef keystorePassword,
      @Doc("ca: alias of the CA key in the keystore; the only key when omitted.") @Size(min = 1) String keyAlias,
      @Doc("ca, offline, acme: PEM file with the issuing CA's certificate chain (public part; for acme at least its root, since the server's intermediates change), relative to this file; uploaded to the service's trust store before the identity. Required for offline: a committed chain must chain to one of these CAs.")
          String caCertificates,
      @Doc("ca, offline, acme: PEM file of the CA being retired (rotation), relative to this file. Identities issued under it are issued anew under caCertificates; once none is left and rotationOverlap has passed since the switch, it is removed from the service's trust store on every node, unless another Certificate document's caCertificates or a TrustStore document lists it.")
          String previousCaCertificates,
      @Doc("With previousCaCertificates: how long the previous CA stays trusted after the switch (the earliest start of validity of the identities issued under the new CA), such as 30d (default).")
          TimeAmount rotationOverlap,
      @Doc("acme: directory URL of the ACME server.")
          @Pattern(regexp = "^https://.+$", message = "must be an https:// URL") String directory,
      @Doc("acme: account contact e-mail.")
          @jakarta.validation.constraints.Email(message = "must be an e-mail address") String email,
      @Doc("acme: http-01 or dns-01.") Challenge challenge,
      @Doc("acme with dns-01: command that creates and removes the TXT record; called with add|remove, name and value.")
          @Size(min = 1) String dnsHook,
      @Doc("The issuer is a public CA: apply public-CA CSR rules (no @ & ! in subject fields, FQDNs only, the same subject fields in every Certificate document of the cluster sent to this CA). acme is always treated as public.")
          Boolean publicCa,
      @Doc("The CA signs only one certificate per FQDN (some public CAs): two Certificate documents sent to this CA may not name the same FQDN, such as the tomcat and cup-xmpp identities of one IM and Presence node; send the second to another CA.")
          Boolean oneCertificatePerFqdn,
      @Doc("ca: the CA key on a PKCS#11 token (an HSM, SoftHSM) instead of a keystore.") @Valid Pkcs11 pkcs11,
      @Doc("ca: lifetime of the certificates it issues, in days (default 365; clipped to the CA's own expiry).")
          @Range(min = 1, max = 3650) Integer validityDays,
      @Doc("acme with http-01: where uctrust answers the challenges, host:port (default 0.0.0.0:80); port 80 of every name must reach it.")
          @Pattern(regexp = "^(\\[[0-9A-Fa-f:.]+\\]|[^:\\s]*):[0-9]{1,5}$", message = "must be host:port, such as 0.0.0.0:80")
          String http01Listen,
      @Doc("acme: PEM file of the CA that signs the ACME server's HTTPS certificate (an internal ACME CA), relative to this file; the JDK's default trust when omitted.")
          String directoryTrust) {}

  /** A CA key held on a PKCS#11 token. */
  @Doc("A CA key held on a PKCS#11 token: the module library, the token label and the user PIN.")
  public record Pkcs11(
      @Doc("Path of the PKCS#11 module, such as /usr/lib/softhsm/libsofthsm2.so.") @NotNull @Size(min = 1) String library,
      @Doc("Label of the token that holds the CA key and certificate.") @NotNull @Size(min = 1) String token,
      @Doc("User PIN as env:NAME or file:PATH.") @NotNull SecretRef pin) {}
}
