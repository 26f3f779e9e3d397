package io.uctrust.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;

/** Making, parsing and checking PKCS#10 requests. */
class CsrTest {

  private static final KeyPair RSA = KeyPairs.rsa(2048);
  private static final KeyPair EC = KeyPairs.ec(384);

  @Test
  void aCreatedRequestReadsBackItsSubjectKeyAndNames() {
    Csr csr = Csr.create(RSA, "CN=SEP001122334455,O=Example", List.of("phone1.example.com", "phone1"));

    assertThat(csr.subject()).isEqualTo("CN=SEP001122334455,O=Example");
    assertThat(csr.keyAlgorithm()).isEqualTo("RSA");
    assertThat(csr.keySize()).isEqualTo(2048);
    assertThat(csr.publicKey()).isEqualTo(RSA.getPublic());
    assertThat(csr.dnsNames()).containsExactly("phone1.example.com", "phone1");
    assertThat(csr.signatureValid()).isTrue();
  }

  @Test
  void anEcRequestReportsItsCurveSize() {
    Csr csr = Csr.create(EC, "CN=ec", List.of());

    assertThat(csr.keyAlgorithm()).isEqualTo("EC");
    assertThat(csr.keySize()).isEqualTo(384);
    assertThat(csr.dnsNames()).isEmpty();
    assertThat(csr.signatureValid()).isTrue();
  }

  @Test
  void pemTextParsesBackToTheSameRequest() {
    Csr csr = Csr.create(EC, "CN=round trip,OU=Voice,O=Example,C=US", List.of("a.example.com"));

    Csr parsed = Csr.parse(csr.pem());

    assertThat(csr.pem()).startsWith("-----BEGIN CERTIFICATE REQUEST-----");
    assertThat(parsed).isEqualTo(csr);
    assertThat(parsed.der()).isEqualTo(csr.der());
    assertThat(parsed.subject()).isEqualTo("CN=round trip,OU=Voice,O=Example,C=US");
    assertThat(parsed.dnsNames()).containsExactly("a.example.com");
    assertThat(parsed.signatureValid()).isTrue();
  }

  @Test
  void theOldNewCertificateRequestLabelIsAccepted() {
    Csr csr = Csr.create(RSA, "CN=legacy", List.of());
    String legacy = csr.pem().replace("CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST");

    assertThat(Csr.parse("some text before\n" + legacy)).isEqualTo(csr);
  }

  @Test
  void garbageIsRefusedWithAClearMessage() {
    assertThatThrownBy(() -> Csr.parse("hello")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no PEM block");
    assertThatThrownBy(() -> Csr.parse("")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty");
    assertThatThrownBy(() -> Csr.parse("-----BEGIN CERTIFICATE REQUEST-----\nAAAA!!notbase64\n"
        + "-----END CERTIFICATE REQUEST-----\n")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not a certificate signing request");
    assertThatThrownBy(() -> Csr.parse("-----BEGIN CERTIFICATE REQUEST-----\nMAMCAQE=\n"
        + "-----END CERTIFICATE REQUEST-----\n")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not a certificate signing request");
  }

  @Test
  void aCertificateIsNotARequest() {
    var certificate = new CertificateMaker().selfSigned(EC, new CertificateMaker.Request("CN=Root", List.of(),
        Instant.now(), Instant.now().plusSeconds(3600), true, 0, KeyUsage.keyCertSign, List.of(), null));

    assertThatThrownBy(() -> Csr.parse(Pem.encode(certificate))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a CERTIFICATE REQUEST");
  }

  @Test
  void aFlippedSignatureByteMakesTheSignatureInvalid() {
    Csr tampered = Csr.parse(tamper(Csr.create(RSA, "CN=victim", List.of())));

    assertThat(tampered.subject()).isEqualTo("CN=victim");
    assertThat(tampered.signatureValid()).isFalse();
  }

  @Test
  void anEcRequestWithAFlippedSignatureByteIsInvalidToo() {
    assertThat(Csr.parse(tamper(Csr.create(EC, "CN=victim", List.of()))).signatureValid()).isFalse();
  }

  @Test
  void aRequestSignedByAnotherKeyIsInvalid() throws Exception {
    var builder = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=stolen"), RSA.getPublic());
    var signedByOther = builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(KeyPairs.rsa(2048).getPrivate()));

    assertThat(Csr.parse(Pem.encode(signedByOther)).signatureValid()).isFalse();
  }

  @Test
  void anRsaPssSignatureIsCheckedToo() throws Exception {
    var builder = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=pss"), RSA.getPublic());
    Csr pss = Csr.parse(Pem.encode(builder.build(new JcaContentSignerBuilder("SHA256withRSAandMGF1")
        .setProvider(new BouncyCastleProvider()).build(RSA.getPrivate()))));

    assertThat(pss.signatureValid()).isTrue();
    assertThat(Csr.parse(tamper(pss)).signatureValid()).isFalse();
  }

  @Test
  void aSubjectThatIsNotADistinguishedNameIsRefused() {
    assertThatThrownBy(() -> Csr.create(RSA, "just a name", List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an X.500 distinguished name");
    assertThatThrownBy(() -> Csr.create(RSA, "CN=x", List.of("bad name")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a DNS name");
  }

  /** The PEM text of {@code csr} with the last byte of its signature flipped (the signature ends the DER). */
  static String tamper(Csr csr) {
    byte[] der = csr.der();
    der[der.length - 1] ^= 0x01;
    return "-----BEGIN CERTIFICATE REQUEST-----\n" + Base64.getMimeEncoder().encodeToString(der)
        + "\n-----END CERTIFICATE REQUEST-----\n";
  }
}
