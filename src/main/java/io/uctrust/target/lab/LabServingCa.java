package io.uctrust.target.lab;

import io.uctrust.pki.CertificateMaker;
import io.uctrust.pki.KeyPairs;
import io.uctrust.pki.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;

/**
 * The CA that signs the TLS certificates of {@code uctrust lab serve}: {@code ca.pem} (readable by anyone,
 * it is the trust bundle clients are given) and {@code ca-key.pem} (PKCS#8, mode 0600) in the lab's
 * {@code serve/} folder. Created once and reused on later starts, so a trust bundle handed out stays valid;
 * the node certificates it issues are made fresh at every start.
 *
 * <p>TLS validity uses the real clock, not the lab's: clients check certificates against real time, and a
 * lab clock set in the future would make every certificate "not yet valid".
 *
 * <p>Not for: the lab cluster's own certificates (node identities, trust stores): those are simulated
 * state, this is the real TLS of the simulator. Never use it outside loopback testing.
 */
final class LabServingCa {
  static final String CA_FILE = "ca.pem";
  static final String KEY_FILE = "ca-key.pem";

  private static final String KEY_BEGIN = "-----BEGIN PRIVATE KEY-----";
  private static final String KEY_END = "-----END PRIVATE KEY-----";
  private static final Duration CA_VALIDITY = Duration.ofDays(10 * 365);
  private static final Duration NODE_VALIDITY = Duration.ofDays(397);

  private final CertificateMaker maker = new CertificateMaker();
  private final X509Certificate certificate;
  private final PrivateKey key;
  private final Path certificateFile;
  private final Clock realClock = Clock.systemUTC();

  private LabServingCa(X509Certificate certificate, PrivateKey key, Path certificateFile) {
    this.certificate = certificate;
    this.key = key;
    this.certificateFile = certificateFile;
  }

  /** Loads the CA in {@code dir}, or creates it there when neither file exists. */
  static LabServingCa loadOrCreate(Path dir, String labName) throws IOException {
    Path cert = dir.resolve(CA_FILE);
    Path keyFile = dir.resolve(KEY_FILE);
    boolean certExists = Files.exists(cert);
    boolean keyExists = Files.exists(keyFile);
    if (certExists && keyExists) {
      return load(cert, keyFile);
    }
    if (certExists || keyExists) {
      throw new IOException("the lab serving CA in " + dir + " is incomplete (" + (certExists ? KEY_FILE : CA_FILE)
          + " is missing); delete " + dir + " to create a new CA (clients then need the new " + CA_FILE + ")");
    }
    return create(dir, cert, keyFile, labName);
  }

  private static LabServingCa load(Path cert, Path keyFile) throws IOException {
    X509Certificate certificate;
    try {
      certificate = Pem.certificate(Files.readString(cert, StandardCharsets.US_ASCII));
    } catch (IllegalArgumentException e) {
      throw new IOException(cert + " holds no certificate; delete " + cert.getParent() + " to create a new CA", e);
    }
    PrivateKey key = readKey(keyFile, certificate.getPublicKey().getAlgorithm());
    if (!matches(certificate, key)) {
      throw new IOException(keyFile + " is not the key of " + cert + "; delete " + cert.getParent() + " to create a new CA");
    }
    if (certificate.getNotAfter().before(new Date())) {
      throw new IOException("the lab serving CA " + cert + " expired on " + certificate.getNotAfter().toInstant()
          + "; delete " + cert.getParent() + " to create a new CA (clients then need the new " + CA_FILE + ")");
    }
    return new LabServingCa(certificate, key, cert);
  }

  private static LabServingCa create(Path dir, Path cert, Path keyFile, String labName) throws IOException {
    Files.createDirectories(dir);
    KeyPair keys = KeyPairs.ec(256);
    Instant now = Instant.now();
    X509Certificate certificate = new CertificateMaker().selfSigned(keys, new CertificateMaker.Request(
        "CN=uctrust lab serving CA " + labName.replace(",", " ") + ",O=uctrust lab", List.of(),
        now.minus(Duration.ofHours(1)), now.plus(CA_VALIDITY), true, 0, KeyUsage.keyCertSign | KeyUsage.cRLSign,
        List.of(), "SHA256"));
    // the key first, created with mode 0600 so it is never readable by others, not even for a moment
    write(keyFile, pkcs8(keys.getPrivate()), LabFiles.PRIVATE);
    write(cert, Pem.encode(certificate), "rw-r--r--");
    return new LabServingCa(certificate, keys.getPrivate(), cert);
  }

  X509Certificate certificate() {
    return certificate;
  }

  Path certificateFile() {
    return certificateFile;
  }

  /** A server key pair and certificate for {@code dnsName}, whose only subject alternative name it is. */
  Issued issue(String dnsName) {
    KeyPair keys = KeyPairs.ec(256);
    Instant now = realClock.instant();
    Instant notAfter = now.plus(NODE_VALIDITY);
    if (notAfter.isAfter(certificate.getNotAfter().toInstant())) {
      notAfter = certificate.getNotAfter().toInstant();
    }
    // no IP address and no localhost: a client must verify the node's name, as it must on a real cluster
    X509Certificate issued = maker.issue(keys.getPublic(), new CertificateMaker.Request("CN=" + dnsName
        + ",O=uctrust lab", List.of(dnsName), now.minus(Duration.ofHours(1)), notAfter, false, null,
        KeyUsage.digitalSignature, List.of(KeyPurposeId.id_kp_serverAuth), "SHA256"), certificate, key);
    return new Issued(keys.getPrivate(), new X509Certificate[] {issued, certificate});
  }

  /** A node's TLS key and chain (leaf, then this CA). */
  record Issued(PrivateKey key, X509Certificate[] chain) {}

  private static String pkcs8(PrivateKey key) {
    return KEY_BEGIN + "\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(key.getEncoded()) + "\n" + KEY_END + "\n";
  }

  private static PrivateKey readKey(Path file, String algorithm) throws IOException {
    String text = Files.readString(file, StandardCharsets.US_ASCII);
    int begin = text.indexOf(KEY_BEGIN);
    int end = text.indexOf(KEY_END);
    if (begin < 0 || end < begin) {
      throw new IOException(file + " is not a PKCS#8 PEM private key; delete " + file.getParent() + " to create a new CA");
    }
    try {
      byte[] der = Base64.getMimeDecoder().decode(text.substring(begin + KEY_BEGIN.length(), end));
      return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IOException(file + " is not a readable " + algorithm + " private key; delete " + file.getParent()
          + " to create a new CA", e);
    }
  }

  private static boolean matches(X509Certificate certificate, PrivateKey key) {
    String algorithm = "EC".equals(key.getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA";
    try {
      byte[] probe = "uctrust lab serving CA".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static void write(Path file, String text, String mode) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
    try {
      // created with its mode before the key is written; ca.pem must be readable by anyone despite the umask
      LabFiles.create(file, mode);
      Files.write(file, bytes, StandardOpenOption.TRUNCATE_EXISTING);
    } catch (FileAlreadyExistsException e) {
      throw new IOException(file + " appeared while the lab serving CA was being created; start again", e);
    }
  }
}
