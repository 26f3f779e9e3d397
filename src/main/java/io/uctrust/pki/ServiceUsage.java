package io.uctrust.pki;

import io.uctrust.desired.CertificateSpec.Service;
import java.util.List;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;

/**
 * Key usage and extended key usage of each service identity, exactly as the certificate guide's CSR
 * tables give them (Unified CM table and IM and Presence table; -ECDSA purposes as their RSA twins).
 * {@code keyUsage} holds Bouncy Castle's {@link KeyUsage} bits.
 *
 * <p>Not for: phone LSCs (their usage is {@link CertificateAuthority.Profile#LSC}), or EC keys as the table
 * gives it: ask {@link #forKey} first, which applies RFC 5480's rule for EC keys.
 */
public record ServiceUsage(int keyUsage, List<KeyPurposeId> extendedKeyUsage) {

  private static final int ENCIPHERMENT = KeyUsage.keyEncipherment | KeyUsage.dataEncipherment;
  private static final int DS_KE_DE = KeyUsage.digitalSignature | ENCIPHERMENT;
  private static final List<KeyPurposeId> SERVER_CLIENT = List.of(KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth);
  private static final List<KeyPurposeId> SERVER_CLIENT_IPSEC =
      List.of(KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth, KeyPurposeId.id_kp_ipsecEndSystem);

  public ServiceUsage {
    extendedKeyUsage = List.copyOf(extendedKeyUsage);
  }

  /** The usage the guide prescribes for {@code service}, for an RSA key. */
  public static ServiceUsage of(Service service) {
    return switch (service) {
      case CALLMANAGER, CALLMANAGER_ECDSA, TOMCAT, TOMCAT_ECDSA, TVS -> new ServiceUsage(DS_KE_DE, SERVER_CLIENT);
      case CAPF -> new ServiceUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment | KeyUsage.keyCertSign,
          List.of(KeyPurposeId.id_kp_serverAuth));
      case IPSEC -> new ServiceUsage(DS_KE_DE, SERVER_CLIENT_IPSEC);
      case CUP, CUP_ECDSA, CUP_XMPP, CUP_XMPP_ECDSA, CUP_XMPP_S2S, CUP_XMPP_S2S_ECDSA ->
          new ServiceUsage(DS_KE_DE | KeyUsage.keyAgreement, SERVER_CLIENT_IPSEC);
    };
  }

  /**
   * This usage for a key of {@code keyAlgorithm} ({@code RSA}, or {@code EC} / {@code ECDSA}). RSA keys take it
   * as it is. RFC 5480 section 3 forbids keyEncipherment and dataEncipherment for EC keys, and the guide's table
   * gives the -ECDSA services their RSA twins' usage: for EC keys those two bits become keyAgreement, which is
   * what an EC key does instead of encipherment. The one definition of this rule, for CSRs and for issuance.
   *
   * @throws IllegalArgumentException when the key algorithm is neither RSA nor EC
   */
  public ServiceUsage forKey(String keyAlgorithm) {
    if ("RSA".equals(keyAlgorithm)) {
      return this;
    }
    if (!"EC".equals(keyAlgorithm) && !"ECDSA".equals(keyAlgorithm)) {
      throw new IllegalArgumentException("a service key must be RSA or EC, not " + keyAlgorithm);
    }
    if ((keyUsage & ENCIPHERMENT) == 0) {
      return this;
    }
    return new ServiceUsage(keyUsage & ~ENCIPHERMENT | KeyUsage.keyAgreement, extendedKeyUsage);
  }
}
