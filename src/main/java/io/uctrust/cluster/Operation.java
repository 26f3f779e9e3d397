package io.uctrust.cluster;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.uctrust.desired.CertificateSpec;
import io.uctrust.desired.PhoneCertificatePolicySpec;
import io.uctrust.desired.SecretRef;
import io.uctrust.desired.SipOAuthSpec;
import io.uctrust.desired.TrustStoreSpec.Store;
import java.util.List;

/**
 * One typed change to a cluster, as the cluster port performs it. Operations are plain data: a saved
 * plan holds them as JSON and executes exactly them later. Secrets appear only as references, resolved
 * when the operation is performed.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "op")
@JsonSubTypes({
  @JsonSubTypes.Type(value = Operation.UploadTrust.class, name = "upload-trust"),
  @JsonSubTypes.Type(value = Operation.RemoveTrust.class, name = "remove-trust"),
  @JsonSubTypes.Type(value = Operation.SetEnterpriseParameter.class, name = "set-enterprise-parameter"),
  @JsonSubTypes.Type(value = Operation.SetServiceParameter.class, name = "set-service-parameter"),
  @JsonSubTypes.Type(value = Operation.SetImAndPresenceSetting.class, name = "set-im-and-presence-setting"),
  @JsonSubTypes.Type(value = Operation.SetMonitoringSetting.class, name = "set-monitoring-setting"),
  @JsonSubTypes.Type(value = Operation.SetCapfKeepAlive.class, name = "set-capf-keepalive"),
  @JsonSubTypes.Type(value = Operation.ActivateService.class, name = "activate-service"),
  @JsonSubTypes.Type(value = Operation.DeleteStaleLscs.class, name = "delete-stale-lscs"),
  @JsonSubTypes.Type(value = Operation.SetSipOAuthMode.class, name = "set-sip-oauth-mode"),
  @JsonSubTypes.Type(value = Operation.SetSipOAuthPorts.class, name = "set-sip-oauth-ports"),
  @JsonSubTypes.Type(value = Operation.PutExpresswayC.class, name = "put-expressway-c"),
  @JsonSubTypes.Type(value = Operation.PutPhoneSecurityProfile.class, name = "put-phone-security-profile"),
  @JsonSubTypes.Type(value = Operation.RegenerateSelfSigned.class, name = "regenerate-self-signed"),
  @JsonSubTypes.Type(value = Operation.IssueIdentity.class, name = "issue-identity"),
  @JsonSubTypes.Type(value = Operation.InstallIdentity.class, name = "install-identity"),
  @JsonSubTypes.Type(value = Operation.SetPhoneCapf.class, name = "set-phone-capf"),
  @JsonSubTypes.Type(value = Operation.SetPhoneMra.class, name = "set-phone-mra"),
  @JsonSubTypes.Type(value = Operation.ImportPhoneLsc.class, name = "import-phone-lsc"),
  @JsonSubTypes.Type(value = Operation.RestartService.class, name = "restart-service"),
  @JsonSubTypes.Type(value = Operation.VerifyServedIdentity.class, name = "verify-served-identity")
})
public sealed interface Operation {

  /** Upload a certificate (PEM) to a node's trust store. */
  record UploadTrust(String node, Store store, String pem, String description) implements Operation {}

  /** Remove the certificate with this SHA-256 fingerprint from a node's trust store. */
  record RemoveTrust(String node, Store store, String sha256, String subject) implements Operation {}

  /** Set an enterprise parameter by its display name. */
  record SetEnterpriseParameter(String name, String value) implements Operation {}

  /** Set a service parameter of {@code service} on {@code node}; {@code secret} replaces {@code value} when set. */
  record SetServiceParameter(String node, String service, String name, String value, SecretRef secret)
      implements Operation {}

  /** Set an IM and Presence security setting by its display name. */
  record SetImAndPresenceSetting(String name, String value) implements Operation {}

  /** Set a Certificate Monitor or Certificate Revocation setting by its display name. */
  record SetMonitoringSetting(String name, String value) implements Operation {}

  /** {@code utils capf set keep_alive}. */
  record SetCapfKeepAlive(int minutes) implements Operation {}

  /** Activate (or deactivate) a service on a node (Service Activation). */
  record ActivateService(String node, String service, boolean active) implements Operation {}

  /** {@code utils capf stale-lsc delete all}. */
  record DeleteStaleLscs() implements Operation {}

  /** {@code utils sipOAuth-mode enable|disable}. */
  record SetSipOAuthMode(boolean enabled) implements Operation {}

  /** The SIP OAuth ports of a node. */
  record SetSipOAuthPorts(String node, int phone, int mra) implements Operation {}

  /** Add or update an Expressway-C entry. */
  record PutExpresswayC(String host, String description, List<String> subjectNames) implements Operation {}

  /** Add or update a phone security profile. */
  record PutPhoneSecurityProfile(String name, String description, String phoneType, SipOAuthSpec.Protocol protocol,
      SipOAuthSpec.DeviceSecurityMode deviceSecurityMode, SipOAuthSpec.Transport transport, boolean oauth,
      boolean digestAuthentication, boolean tftpEncryptedConfig) implements Operation {}

  /** Generate a new self-signed identity certificate for a service on a node. */
  record RegenerateSelfSigned(String node, CertificateSpec.Service service, CertificateSpec.KeyType keyType,
      int keySize, CertificateSpec.Hash hash, String commonName, List<String> subjectAltNames, int validityDays)
      implements Operation {}

  /**
   * A CA-signed identity: the node generates a key pair and CSR ({@link ClusterPort#requestCsr}; the key never
   * leaves it), the issuer signs it, and the chain is installed ({@link InstallIdentity}). The applier carries this
   * out in those steps; a cluster port never performs it directly. {@code distributeTo} lists the nodes a
   * multi-server certificate also goes to.
   */
  record IssueIdentity(String node, CertificateSpec.Service service, boolean multiServer,
      CertificateSpec.KeyType keyType, int keySize, CertificateSpec.Hash hash, String commonName,
      List<String> subjectAltNames, CertificateSpec.Subject subject, List<String> distributeTo, Issuer issuer)
      implements Operation {}

  /**
   * Who signs an {@link IssueIdentity}: the Certificate document's address and its issuer settings, with file paths
   * made absolute and secrets as references only.
   */
  record Issuer(String document, CertificateSpec.Issuer settings) {}

  /**
   * Install a signed identity on a node for the key of its latest CSR: {@code chain} leaf first (PEM each); its CA
   * certificates must already be in the service's trust store. {@code distributeTo}: further nodes a multi-server
   * certificate goes to.
   */
  record InstallIdentity(String node, CertificateSpec.Service service, List<String> chain, List<String> distributeTo)
      implements Operation {}

  /** Set the CAPF fields of phones and apply their configuration. */
  record SetPhoneCapf(List<String> phones, PhoneCertificatePolicySpec.Operation operation,
      PhoneCertificatePolicySpec.AuthenticationMode authenticationMode, SecretRef authenticationString,
      PhoneCertificatePolicySpec.KeyOrder keyOrder, int rsaSize, int ecSize, String completeBy) implements Operation {}

  /**
   * Import a certificate an offline CA signed for a phone's pending CSR ({@code pem}: the certificate, optionally
   * with its chain); CAPF installs it on the phone.
   */
  record ImportPhoneLsc(String phone, String pem) implements Operation {}

  /** Set MRA activation-code onboarding on phones. */
  record SetPhoneMra(List<String> phones, String serviceDomain, String securityProfile) implements Operation {}

  /** Restart a service on a node. */
  record RestartService(String node, String service, String reason) implements Operation {}

  /**
   * Check that {@code node} serves its {@code service} identity over TLS ({@link ClusterPort#servedChain}) and that
   * the leaf is the expected one: {@code sha256} when the plan knows it, otherwise the certificate this apply
   * installed, otherwise the one in the node's identity store. {@code keyType} picks the identity where an RSA and an
   * ECDSA one share a port. Changes nothing.
   */
  record VerifyServedIdentity(String node, CertificateSpec.Service service, CertificateSpec.KeyType keyType,
      String sha256) implements Operation {

    /** Whether {@code operation} makes the identity this checks: regenerates it, or issues it to this node. */
    public boolean checks(Operation operation) {
      if (operation instanceof RegenerateSelfSigned regenerate) {
        return regenerate.node().equals(node) && regenerate.service() == service;
      }
      if (operation instanceof InstallIdentity install) {
        return install.service() == service && (install.node().equals(node) || install.distributeTo().contains(node));
      }
      return operation instanceof IssueIdentity issue && issue.service() == service
          && (issue.node().equals(node) || issue.distributeTo().contains(node));
    }
  }
}
