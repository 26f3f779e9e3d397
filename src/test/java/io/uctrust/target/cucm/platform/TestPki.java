package io.uctrust.target.cucm.platform;

import io.uctrust.pki.CertificateMaker;
import io.uctrust.pki.KeyPairs;
import io.uctrust.pki.Pem;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;

/**
 * A two-level test CA (root and intermediate, EC P-256 for speed) that issues server certificates the
 * way a corporate CA signs a node's CSR. Subjects are written most significant first so that the JDK shows
 * them as {@code CN=...,O=uctrust test}.
 */
record TestPki(KeyPair rootKeys, X509Certificate root, KeyPair intermediateKeys, X509Certificate intermediate) {
  private static final CertificateMaker MAKER = new CertificateMaker();
  private static final int CA_USAGE = KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature;

  static TestPki create(String name) {
    Instant now = Instant.now();
    KeyPair rootKeys = KeyPairs.ec(256);
    X509Certificate root = MAKER.selfSigned(rootKeys, new CertificateMaker.Request("O=uctrust test,CN=" + name + " Root CA",
        List.of(), now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(3650)), true, null, CA_USAGE, List.of(), null));
    KeyPair intermediateKeys = KeyPairs.ec(256);
    X509Certificate intermediate = MAKER.issue(intermediateKeys.getPublic(), new CertificateMaker.Request(
        "O=uctrust test,CN=" + name + " Issuing CA", List.of(), now.minus(Duration.ofDays(1)),
        now.plus(Duration.ofDays(1825)), true, 0, CA_USAGE, List.of(), null), root, rootKeys.getPrivate());
    return new TestPki(rootKeys, root, intermediateKeys, intermediate);
  }

  /** A server certificate for {@code key}, issued by the intermediate. */
  X509Certificate issue(PublicKey key, String commonName, List<String> dnsNames) {
    Instant now = Instant.now();
    return MAKER.issue(key, new CertificateMaker.Request("O=uctrust test,CN=" + commonName, dnsNames,
        now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(90)), false, null,
        KeyUsage.digitalSignature | KeyUsage.keyEncipherment,
        List.of(KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth), null), intermediate,
        intermediateKeys.getPrivate());
  }

  /** A self-signed server certificate (a node's default identity). */
  static X509Certificate selfSigned(KeyPair keys, String commonName) {
    Instant now = Instant.now();
    return MAKER.selfSigned(keys, new CertificateMaker.Request("O=uctrust test,CN=" + commonName,
        List.of(commonName), now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(365)), false, null,
        KeyUsage.digitalSignature | KeyUsage.keyEncipherment | KeyUsage.keyCertSign, List.of(), null));
  }

  /** The chain as uctrust uploads it: leaf, intermediate, root. */
  List<String> chain(X509Certificate leaf) {
    return List.of(pem(leaf), pem(intermediate), pem(root));
  }

  static String pem(X509Certificate certificate) {
    return Pem.encode(certificate);
  }
}
