package io.uctrust.target.lab;

import io.uctrust.desired.CertificateSpec;
import io.uctrust.pki.ServiceCsr;
import io.uctrust.pki.SubjectFields;
import java.security.KeyPair;
import java.util.List;

/**
 * The PKCS#10 CSR a served lab node answers {@code POST csr} with: as a node makes it ({@link ServiceCsr}: the
 * guide's key usages for the service, the alternative names as DNS names), signed with the key pair the node
 * keeps for the later identity upload.
 *
 * <p>Not for: CSRs uctrust itself sends to a CA (the pki package), or any check of the request's values.
 */
final class LabCsr {
  /** The lab's organization when the request names no subject fields, so that lab CSRs are told apart. */
  private static final SubjectFields LAB = new SubjectFields("uctrust lab", null, null, null, null);

  private LabCsr() {}

  /**
   * The CSR for {@code service}; {@code subject} null or empty gives {@code O=uctrust lab}.
   *
   * @throws IllegalArgumentException when an alternative name is not a DNS name, or the key is neither RSA nor EC
   */
  static String pem(CertificateSpec.Service service, SubjectFields subject, String commonName, List<String> altNames,
      KeyPair keys, CertificateSpec.Hash hash) {
    SubjectFields fields = subject == null || subject.isEmpty() ? LAB : subject;
    return ServiceCsr.create(service, keys, fields, commonName, altNames, hash).pem();
  }
}
