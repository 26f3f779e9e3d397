package io.uctrust.pki;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

/** PEM text of certificates, both ways. */
public final class Pem {
  private Pem() {}

  public static String encode(Object object) {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(object);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return text.toString();
  }

  /** Every certificate in {@code pem}; an empty list when it holds none. */
  public static List<X509Certificate> certificates(String pem) {
    try {
      return CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
          .stream().map(X509Certificate.class::cast).toList();
    } catch (CertificateException e) {
      return List.of();
    }
  }

  /** The first certificate in {@code pem}. */
  public static X509Certificate certificate(String pem) {
    List<X509Certificate> all = certificates(pem);
    if (all.isEmpty()) {
      throw new IllegalArgumentException("no certificate in PEM text");
    }
    return all.get(0);
  }
}
