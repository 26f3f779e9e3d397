package io.uctrust.pki;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Reads X.509 certificates from PEM (or DER) files with the JDK's certificate factory.
 *
 * <p>Not for: private keys or CSRs; those belong to the issuance code.
 */
public final class PemCertificates {
  private PemCertificates() {}

  /** A file that holds no readable certificate. */
  public static final class UnreadableCertificateException extends Exception {
    private static final long serialVersionUID = 1L;

    public UnreadableCertificateException(String message) {
      super(message);
    }
  }

  /** Every certificate in {@code file}, in file order. */
  public static List<X509Certificate> read(Path file) throws IOException, UnreadableCertificateException {
    try (InputStream in = Files.newInputStream(file)) {
      List<X509Certificate> certificates = CertificateFactory.getInstance("X.509")
          .generateCertificates(in).stream().map(X509Certificate.class::cast).toList();
      if (certificates.isEmpty()) {
        throw new UnreadableCertificateException("holds no certificate");
      }
      return certificates;
    } catch (CertificateException e) {
      throw new UnreadableCertificateException("is not a PEM or DER certificate");
    }
  }
}
