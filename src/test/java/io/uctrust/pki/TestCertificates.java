package io.uctrust.pki;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates for tests, with exactly the validity, CA flag and key usage a test needs. Keys are
 * generated once per JVM (RSA 2048) to keep tests fast; only public certificates are written.
 */
public final class TestCertificates {
  private TestCertificates() {}

  private static final KeyPair KEYS = generate();

  private static KeyPair generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A certificate description: subject, issuer (same as subject for self-signed), validity, CA flag, key usage. */
  public record Spec(String subject, String issuer, Instant notBefore, Instant notAfter, boolean ca, int keyUsage) {
    public static Spec selfSignedCa(String cn, Instant notBefore, Instant notAfter) {
      return new Spec("CN=" + cn, "CN=" + cn, notBefore, notAfter, true,
          KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature);
    }

    public Spec withKeyUsage(int usage) {
      return new Spec(subject, issuer, notBefore, notAfter, ca, usage);
    }

    public Spec leafIssuedBy(String issuerCn) {
      return new Spec(subject, "CN=" + issuerCn, notBefore, notAfter, false, KeyUsage.digitalSignature | KeyUsage.keyEncipherment);
    }
  }

  public static X509Certificate create(Spec spec) {
    try {
      var builder = new JcaX509v3CertificateBuilder(new X500Name(spec.issuer()), BigInteger.valueOf(spec.hashCode() & 0x7fffffff),
          Date.from(spec.notBefore()), Date.from(spec.notAfter()), new X500Name(spec.subject()), KEYS.getPublic());
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(spec.ca()));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(spec.keyUsage()));
      var signer = new JcaContentSignerBuilder("SHA256withRSA").build(KEYS.getPrivate());
      return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes {@code specs} as one PEM file at {@code file}. */
  public static Path writePem(Path file, Spec... specs) throws IOException {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
      for (Spec spec : specs) {
        pem.writeObject(create(spec));
      }
    }
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, text.toString());
    return file;
  }
}
