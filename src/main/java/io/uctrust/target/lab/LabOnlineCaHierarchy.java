package io.uctrust.target.lab;

import io.uctrust.pki.CertificateFacts;
import io.uctrust.pki.CertificateMaker;
import io.uctrust.pki.KeyPairs;
import io.uctrust.pki.Pem;
import io.uctrust.target.lab.LabOnlineCa.Layout;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;

/**
 * The keys and certificates of a {@link LabOnlineCa} in its folder: the root, the intermediates its
 * {@link Layout} asks for, and the HTTPS identity, each key in its own PKCS#12 file (mode 0600) whose password is
 * in {@code keystore-password} (mode 0600), plus the public PEM files handed to clients. Created once and reused,
 * so certificates issued and trust uploaded stay valid across restarts.
 *
 * <p>CA and HTTPS certificates take their validity from the real clock (TLS clients check them against real
 * time); only the certificates it issues on request use the lab's clock.
 *
 * <p>Not for: anything but the lab (keys sit in files next to their password), or the lab's serving CA
 * ({@link LabServingCa}), which signs the served cluster's TLS certificates.
 */
final class LabOnlineCaHierarchy {
  static final String ROOT_PEM = "ca-root.pem";
  static final String CHAIN_PEM = "ca-chain.pem";
  static final String HTTPS_PEM = "https.pem";
  static final String ROOT_SUBJECT = "CN=UCTRUST Lab Online Root CA,O=uctrust lab";

  private static final String LAYOUT_FILE = "layout";
  private static final String PASSWORD_FILE = "keystore-password";
  private static final String ROOT = "root.p12";
  private static final String ISSUING = "issuing-ca.p12";
  private static final String WEB = "web-ca.p12";
  private static final String HTTPS = "https.p12";
  private static final String ALIAS = "key";
  private static final String PUBLIC = "rw-r--r--";
  private static final Duration CA_VALIDITY = Duration.ofDays(10 * 365);
  private static final Duration HTTPS_VALIDITY = Duration.ofDays(730);
  private static final int RSA_BITS = 2048;

  /** A private key and its certificate chain (its own certificate first). */
  record KeyEntry(PrivateKey key, List<X509Certificate> chain) {
    X509Certificate certificate() {
      return chain.get(0);
    }
  }

  private final CertificateMaker maker = new CertificateMaker();
  private final KeyEntry root;
  private final KeyEntry signing;
  private final KeyEntry https;

  private LabOnlineCaHierarchy(KeyEntry root, KeyEntry signing, KeyEntry https) {
    this.root = root;
    this.signing = signing;
    this.https = https;
  }

  /**
   * The hierarchy in {@code dir}, created there with {@code layout} when the folder holds none. An existing
   * one made with another layout is refused (its root would have to change); one whose HTTPS certificate names
   * another host, or has expired, gets a new HTTPS certificate from the same CA, except with layout SAME,
   * where the root itself names the host and so is refused too.
   */
  static LabOnlineCaHierarchy openOrCreate(Path dir, String hostname, Layout layout, Clock realClock)
      throws IOException {
    createPrivateDirectory(dir);
    Path layoutFile = dir.resolve(LAYOUT_FILE);
    LabOnlineCaHierarchy hierarchy;
    if (Files.exists(layoutFile)) {
      hierarchy = open(dir, hostname, layout, spelling(Files.readString(layoutFile, StandardCharsets.US_ASCII).strip()),
          realClock);
    } else {
      if (Files.exists(dir.resolve(ROOT))) {
        throw new IOException("the online CA in " + dir + " is incomplete (" + LAYOUT_FILE + " is missing); delete "
            + dir + " to create a new CA (clients then need the new " + ROOT_PEM + ")");
      }
      hierarchy = create(dir, hostname, layout, realClock);
      // written last: its presence says every key of the layout is in place
      write(layoutFile, (layout.name().toLowerCase(Locale.ROOT) + "\n").getBytes(StandardCharsets.US_ASCII), PUBLIC);
    }
    write(dir.resolve(ROOT_PEM), pem(List.of(hierarchy.root())), PUBLIC);
    write(dir.resolve(CHAIN_PEM), pem(hierarchy.signingChain()), PUBLIC);
    write(dir.resolve(HTTPS_PEM), pem(List.of(hierarchy.https.certificate())), PUBLIC);
    return hierarchy;
  }

  private static LabOnlineCaHierarchy open(Path dir, String hostname, Layout wanted, Layout existing, Clock realClock)
      throws IOException {
    if (existing != wanted) {
      throw new IOException("the online CA in " + dir + " was created with layout " + spelling(existing)
          + ", not " + spelling(wanted) + "; delete " + dir + " to create a new CA with layout " + spelling(wanted)
          + " (clients then need the new " + ROOT_PEM + ")");
    }
    char[] password = password(dir);
    KeyEntry root = load(dir.resolve(ROOT), password);
    if (existing == Layout.SAME) {
      if (!names(root.certificate(), hostname)) {
        throw new IOException("the online CA in " + dir + " has layout same, so its root is its HTTPS certificate and "
            + "names " + CertificateFacts.of(root.certificate()).commonName() + ", not " + hostname + "; delete " + dir
            + " to create a new CA for " + hostname);
      }
      return new LabOnlineCaHierarchy(root, root, root);
    }
    KeyEntry signing = existing == Layout.ISSUED_BY_ROOT ? root : load(dir.resolve(ISSUING), password);
    KeyEntry httpsIssuer = existing == Layout.SIBLING ? load(dir.resolve(WEB), password) : root;
    KeyEntry https = load(dir.resolve(HTTPS), password);
    if (!names(https.certificate(), hostname)
        || https.certificate().getNotAfter().toInstant().isBefore(realClock.instant())) {
      // the CA stays; only the server certificate follows the host name (or is renewed)
      https = httpsIdentity(hostname, httpsIssuer, realClock.instant());
      save(dir.resolve(HTTPS), password, https);
    }
    return new LabOnlineCaHierarchy(root, signing, https);
  }

  private static LabOnlineCaHierarchy create(Path dir, String hostname, Layout layout, Clock realClock)
      throws IOException {
    char[] password = password(dir);
    Instant now = realClock.instant();
    if (layout == Layout.SAME) {
      KeyPair keys = KeyPairs.rsa(RSA_BITS);
      // one certificate for everything: a CA that is also the web server, as a single-box AD CS with IIS may be
      X509Certificate certificate = new CertificateMaker().selfSigned(keys, new CertificateMaker.Request(
          subject("CN=" + hostname + ",O=uctrust lab"), List.of(hostname), now.minus(Duration.ofHours(1)),
          now.plus(CA_VALIDITY),
          true, null, KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature | KeyUsage.keyEncipherment,
          List.of(KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth), "SHA256"));
      KeyEntry root = new KeyEntry(keys.getPrivate(), List.of(certificate));
      save(dir.resolve(ROOT), password, root);
      return new LabOnlineCaHierarchy(root, root, root);
    }
    KeyPair rootKeys = KeyPairs.rsa(RSA_BITS);
    X509Certificate rootCertificate = new CertificateMaker().selfSigned(rootKeys, new CertificateMaker.Request(
        subject(ROOT_SUBJECT), List.of(), now.minus(Duration.ofHours(1)), now.plus(CA_VALIDITY), true, null,
        KeyUsage.keyCertSign | KeyUsage.cRLSign, List.of(), "SHA256"));
    KeyEntry root = new KeyEntry(rootKeys.getPrivate(), List.of(rootCertificate));
    save(dir.resolve(ROOT), password, root);
    KeyEntry signing = root;
    if (layout == Layout.INTERMEDIATE || layout == Layout.SIBLING) {
      signing = intermediate("CN=UCTRUST Lab Online Issuing CA,O=uctrust lab", root, now);
      save(dir.resolve(ISSUING), password, signing);
    }
    KeyEntry httpsIssuer = root;
    if (layout == Layout.SIBLING) {
      httpsIssuer = intermediate("CN=UCTRUST Lab Online Web CA,O=uctrust lab", root, now);
      save(dir.resolve(WEB), password, httpsIssuer);
    }
    KeyEntry https = httpsIdentity(hostname, httpsIssuer, now);
    save(dir.resolve(HTTPS), password, https);
    return new LabOnlineCaHierarchy(root, signing, https);
  }

  private static KeyEntry intermediate(String subject, KeyEntry root, Instant now) {
    KeyPair keys = KeyPairs.rsa(RSA_BITS);
    X509Certificate certificate = new CertificateMaker().issue(keys.getPublic(), new CertificateMaker.Request(
        subject(subject), List.of(), now.minus(Duration.ofHours(1)), root.certificate().getNotAfter().toInstant(),
        true, 0, KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature, List.of(), "SHA256"),
        root.certificate(), root.key());
    return new KeyEntry(keys.getPrivate(), List.of(certificate, root.certificate()));
  }

  private static KeyEntry httpsIdentity(String hostname, KeyEntry issuer, Instant now) {
    KeyPair keys = KeyPairs.rsa(RSA_BITS);
    Instant notAfter = earlier(now.plus(HTTPS_VALIDITY), issuer.certificate().getNotAfter().toInstant());
    X509Certificate certificate = new CertificateMaker().issue(keys.getPublic(), new CertificateMaker.Request(
        subject("CN=" + hostname + ",O=uctrust lab"), List.of(hostname), now.minus(Duration.ofHours(1)), notAfter,
        false, null,
        KeyUsage.digitalSignature | KeyUsage.keyEncipherment, List.of(KeyPurposeId.id_kp_serverAuth), "SHA256"),
        issuer.certificate(), issuer.key());
    List<X509Certificate> chain = new ArrayList<>();
    chain.add(certificate);
    chain.addAll(issuer.chain());
    return new KeyEntry(keys.getPrivate(), List.copyOf(chain));
  }

  /**
   * A certificate for {@code subjectKey} and {@code subject} (as Bouncy Castle's {@code X500Name} writes it, so
   * a CSR's subject keeps its order), signed by the signing CA and valid
   * for {@code validity} from {@code notBefore}, but never beyond the signing CA.
   */
  X509Certificate issue(PublicKey subjectKey, String subject, Instant notBefore, Duration validity) {
    Instant notAfter = earlier(notBefore.plus(validity), signing.certificate().getNotAfter().toInstant());
    return maker.issue(subjectKey, new CertificateMaker.Request(subject, List.of(), notBefore, notAfter, false, null,
        KeyUsage.digitalSignature | KeyUsage.keyEncipherment,
        List.of(KeyPurposeId.id_kp_clientAuth, KeyPurposeId.id_kp_serverAuth), "SHA256"),
        signing.certificate(), signing.key());
  }

  X509Certificate root() {
    return root.certificate();
  }

  /** The certificates that sign issued certificates: the signing CA first, then its issuers up to the root. */
  List<X509Certificate> signingChain() {
    return signing.chain();
  }

  /** The HTTPS key and the chain served with it (the HTTPS certificate, then its issuers up to the root). */
  KeyEntry https() {
    return https;
  }

  /**
   * {@code rfc2253} (most specific first, as Java prints names) in the form the certificate maker reads, which
   * encodes in the order written: so the root reads "CN=UCTRUST Lab Online Root CA,O=uctrust lab" everywhere.
   */
  private static String subject(String rfc2253) {
    return X500Name.getInstance(new X500Principal(rfc2253).getEncoded()).toString();
  }

  private static Instant earlier(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  private static boolean names(X509Certificate certificate, String hostname) {
    return CertificateFacts.of(certificate).commonName().equalsIgnoreCase(hostname);
  }

  private static Layout spelling(String text) throws IOException {
    for (Layout layout : Layout.values()) {
      if (spelling(layout).equals(text.replace('_', '-').toLowerCase(Locale.ROOT))) {
        return layout;
      }
    }
    throw new IOException("unknown online CA layout '" + text + "'");
  }

  private static String spelling(Layout layout) {
    return layout.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static byte[] pem(List<X509Certificate> certificates) {
    StringBuilder text = new StringBuilder();
    certificates.forEach(c -> text.append(Pem.encode(c)));
    return text.toString().getBytes(StandardCharsets.US_ASCII);
  }

  // --- key persistence: the one place that reads and writes private keys (PKCS#12), to be swapped for the
  // shared CA key store once there is one

  /** The password of every PKCS#12 file in {@code dir}, created once (mode 0600). */
  private static char[] password(Path dir) throws IOException {
    Path file = dir.resolve(PASSWORD_FILE);
    if (Files.exists(file)) {
      return Files.readString(file, StandardCharsets.US_ASCII).strip().toCharArray();
    }
    byte[] random = new byte[24];
    new SecureRandom().nextBytes(random);
    String password = HexFormat.of().formatHex(random);
    write(file, (password + "\n").getBytes(StandardCharsets.US_ASCII), LabFiles.PRIVATE);
    return password.toCharArray();
  }

  private static void save(Path file, char[] password, KeyEntry entry) throws IOException {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(ALIAS, entry.key(), password, entry.chain().toArray(Certificate[]::new));
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      store.store(bytes, password);
      write(file, bytes.toByteArray(), LabFiles.PRIVATE);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot write the online CA key " + file + ": " + e.getMessage(), e);
    }
  }

  private static KeyEntry load(Path file, char[] password) throws IOException {
    if (!Files.exists(file)) {
      throw new IOException("the online CA in " + file.getParent() + " is incomplete (" + file.getFileName()
          + " is missing); delete " + file.getParent() + " to create a new CA");
    }
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(new ByteArrayInputStream(Files.readAllBytes(file)), password);
      PrivateKey key = (PrivateKey) store.getKey(ALIAS, password);
      Certificate[] chain = store.getCertificateChain(ALIAS);
      if (key == null || chain == null) {
        throw new IOException(file + " holds no key entry; delete " + file.getParent() + " to create a new CA");
      }
      return new KeyEntry(key, Arrays.stream(chain).map(X509Certificate.class::cast).toList());
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot read the online CA key " + file + " (" + e.getMessage() + "); delete "
          + file.getParent() + " to create a new CA", e);
    }
  }

  // --- files

  private static void createPrivateDirectory(Path dir) throws IOException {
    Files.createDirectories(dir);
    try {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: the default permissions stay
    }
  }

  /** Writes {@code file} whole or not at all: a new file with its mode from the start, moved over the old. */
  private static void write(Path file, byte[] bytes, String mode) throws IOException {
    Path temporary = file.resolveSibling(file.getFileName() + ".new");
    Files.deleteIfExists(temporary);
    LabFiles.create(temporary, mode);
    Files.write(temporary, bytes);
    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
