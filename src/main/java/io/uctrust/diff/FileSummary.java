package io.uctrust.diff;

import io.uctrust.pki.CertificateFacts;
import io.uctrust.pki.Csr;
import io.uctrust.pki.PemCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * What a file the desired state refers to holds, as far as a reviewer needs it: the SHA-256 of its bytes and,
 * for certificates and certificate requests, each one's subject and SHA-256 fingerprint (of the DER, as
 * {@code openssl x509 -fingerprint -sha256} shows it).
 *
 * <p>Not for: checking certificates (the validator does that) or for secret files, which are never summarised.
 */
public record FileSummary(String sha256, List<Item> items) {

  /** Files larger than this are only hashed, not parsed. */
  static final long MAX_PARSED_BYTES = 1024 * 1024;

  public FileSummary {
    items = List.copyOf(items);
  }

  /** One certificate or certificate request in the file. */
  public record Item(Type type, String subject, String sha256) {}

  /** What an item is. */
  public enum Type {
    CERTIFICATE,
    CERTIFICATE_REQUEST
  }

  /** Summarises {@code file}: certificates when it holds any, else a certificate request, else only its hash. */
  public static FileSummary of(Path file) throws IOException {
    String sha256;
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
      sha256 = HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    if (Files.size(file) > MAX_PARSED_BYTES) {
      return new FileSummary(sha256, List.of());
    }
    try {
      return new FileSummary(sha256, PemCertificates.read(file).stream()
          .map(CertificateFacts::of)
          .map(f -> new Item(Type.CERTIFICATE, f.subject(), f.sha256()))
          .toList());
    } catch (PemCertificates.UnreadableCertificateException notCertificates) {
      String text = Files.readString(file, StandardCharsets.ISO_8859_1);
      if (text.contains("CERTIFICATE REQUEST-----")) {
        try {
          Csr csr = Csr.parse(text);
          return new FileSummary(sha256, List.of(new Item(Type.CERTIFICATE_REQUEST, csr.subject(), digest(csr.der()))));
        } catch (IllegalArgumentException malformed) {
          // A broken request is still a file whose hash tells a reviewer it changed.
          return new FileSummary(sha256, List.of());
        }
      }
      return new FileSummary(sha256, List.of());
    }
  }

  private static String digest(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
