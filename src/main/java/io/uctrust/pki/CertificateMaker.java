package io.uctrust.pki;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Signs X.509 certificates with Bouncy Castle: self-signed identities and CAs, and certificates issued
 * by a CA key. Random 128-bit serials; SHA-256 (or the given hash) with the signer's key type.
 */
public final class CertificateMaker {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** What to put in a certificate. */
  public record Request(String subject, List<String> dnsNames, Instant notBefore, Instant notAfter, boolean ca,
      Integer pathLength, int keyUsage, List<KeyPurposeId> extendedKeyUsage, String hash) {
    public Request {
      dnsNames = dnsNames == null ? List.of() : List.copyOf(dnsNames);
      extendedKeyUsage = extendedKeyUsage == null ? List.of() : List.copyOf(extendedKeyUsage);
      hash = hash == null ? "SHA256" : hash;
    }
  }

  /** A self-signed certificate for {@code keys}. */
  public X509Certificate selfSigned(KeyPair keys, Request request) {
    return sign(request, new X500Name(request.subject()), keys.getPublic(), keys.getPrivate(), null);
  }

  /** A certificate for {@code subjectKey}, issued by {@code issuer} with {@code issuerKey}. */
  public X509Certificate issue(PublicKey subjectKey, Request request, X509Certificate issuer, PrivateKey issuerKey) {
    return sign(request, X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded()), subjectKey, issuerKey,
        issuer);
  }

  private X509Certificate sign(Request request, X500Name issuerName, PublicKey subjectKey, PrivateKey signingKey,
      X509Certificate issuer) {
    try {
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerName, new BigInteger(128, RANDOM).abs(),
          Date.from(request.notBefore()), Date.from(request.notAfter()), new X500Name(request.subject()), subjectKey);
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.basicConstraints, true, request.ca()
          ? request.pathLength() == null ? new BasicConstraints(true) : new BasicConstraints(request.pathLength())
          : new BasicConstraints(false));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(request.keyUsage()));
      if (!request.extendedKeyUsage().isEmpty()) {
        builder.addExtension(Extension.extendedKeyUsage, false,
            new ExtendedKeyUsage(request.extendedKeyUsage().toArray(KeyPurposeId[]::new)));
      }
      if (!request.dnsNames().isEmpty()) {
        List<GeneralName> names = new ArrayList<>();
        request.dnsNames().forEach(n -> names.add(new GeneralName(GeneralName.dNSName, n)));
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
      }
      builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(subjectKey));
      if (issuer != null) {
        builder.addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(issuer));
      }
      String algorithm = request.hash() + "with" + ("EC".equals(signingKey.getAlgorithm()) ? "ECDSA" : "RSA");
      ContentSigner signer = new JcaContentSignerBuilder(algorithm).build(signingKey);
      return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    } catch (Exception e) {
      throw new IllegalStateException("cannot sign certificate for " + request.subject(), e);
    }
  }
}
