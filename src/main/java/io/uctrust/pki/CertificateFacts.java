package io.uctrust.pki;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.HexFormat;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/**
 * The facts about a certificate that rules and plans need (subject CN, CA flag, key usage, key size,
 * validity, fingerprint), read once.
 */
public record CertificateFacts(
    String subject,
    String commonName,
    String issuer,
    boolean selfIssued,
    boolean ca,
    boolean keyCertSign,
    boolean digitalSignature,
    String keyAlgorithm,
    int keyBits,
    Instant notBefore,
    Instant notAfter,
    String sha256) {

  /** Reads the facts of {@code certificate}. */
  public static CertificateFacts of(X509Certificate certificate) {
    boolean[] usage = certificate.getKeyUsage();
    PublicKey key = certificate.getPublicKey();
    int bits = key instanceof RSAPublicKey rsa ? rsa.getModulus().bitLength()
        : key instanceof ECPublicKey ec ? ec.getParams().getOrder().bitLength() : 0;
    X500Principal subject = certificate.getSubjectX500Principal();
    return new CertificateFacts(
        subject.getName(X500Principal.RFC2253),
        commonName(subject),
        certificate.getIssuerX500Principal().getName(X500Principal.RFC2253),
        subject.equals(certificate.getIssuerX500Principal()),
        certificate.getBasicConstraints() >= 0,
        usage != null && usage.length > 5 && usage[5],
        usage != null && usage.length > 0 && usage[0],
        key.getAlgorithm(),
        bits,
        certificate.getNotBefore().toInstant(),
        certificate.getNotAfter().toInstant(),
        fingerprint(certificate));
  }

  private static String commonName(X500Principal principal) {
    RDN[] cns = X500Name.getInstance(principal.getEncoded()).getRDNs(BCStyle.CN);
    return cns.length == 0 ? "" : IETFUtils.valueToString(cns[0].getFirst().getValue());
  }

  private static String fingerprint(X509Certificate certificate) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    } catch (NoSuchAlgorithmException | java.security.cert.CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }
}
