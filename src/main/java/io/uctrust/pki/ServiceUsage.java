package io.uctrust.pki;

import io.uctrust.desired.CertificateSpec.Service;
import java.util.List;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;

/**
 * Key usage and extended key usage of each service identity, exactly as the certificate guide's CSR
 * tables give them (Unified CM table and IM and Presence table; -ECDSA purposes as their RSA twins).
 */
public record ServiceUsage(int keyUsage, List<KeyPurposeId> extendedKeyUsage) {

  private static final int DS_KE_DE = KeyUsage.digitalSignature | KeyUsage.keyEncipherment | KeyUsage.dataEncipherment;
  private static final List<KeyPurposeId> SERVER_CLIENT = List.of(KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth);
  private static final List<KeyPurposeId> SERVER_CLIENT_IPSEC =
      List.of(KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth, KeyPurposeId.id_kp_ipsecEndSystem);

  /** The usage the guide prescribes for {@code service}. */
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
}
