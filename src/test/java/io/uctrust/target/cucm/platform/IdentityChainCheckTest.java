package io.uctrust.target.cucm.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uctrust.pki.CertificateMaker;
import io.uctrust.pki.KeyPairs;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Test;

/** The identity chain rules checked before {@code POST identity/certificates}. */
class IdentityChainCheckTest {
  private static final TestPki PKI = TestPki.create("Chain");
  private static final X509Certificate LEAF = PKI.issue(KeyPairs.ec(256).getPublic(), "cucm-pub.example.com",
      List.of("cucm-pub.example.com"));

  @Test
  void leafIntermediateRootInOrderIsAccepted() throws Exception {
    assertThat(IdentityChainCheck.leafFirst("tomcat", PKI.chain(LEAF)))
        .containsExactly(LEAF, PKI.intermediate(), PKI.root());
  }

  @Test
  void aSelfSignedIdentityAloneIsAccepted() throws Exception {
    X509Certificate selfSigned = TestPki.selfSigned(KeyPairs.ec(256), "cucm-pub.example.com");

    assertThat(IdentityChainCheck.leafFirst("tomcat", List.of(TestPki.pem(selfSigned)))).containsExactly(selfSigned);
  }

  @Test
  void aRootWithTheRightNameButAnotherKeyIsRefused() {
    TestPki impostor = TestPki.create("Chain"); // same names, other keys

    assertThatThrownBy(() -> IdentityChainCheck.leafFirst("tomcat", List.of(TestPki.pem(LEAF),
        TestPki.pem(PKI.intermediate()), TestPki.pem(impostor.root()))))
        .isInstanceOf(PlatformRequestRefused.class)
        .hasMessageContaining("certificate 2 (CN=Chain Issuing CA,O=uctrust test) is not issued by certificate 3");
  }

  @Test
  void anIssuerThatIsNotACaIsRefused() {
    KeyPair notCaKeys = KeyPairs.ec(256);
    Instant now = Instant.now();
    CertificateMaker maker = new CertificateMaker();
    X509Certificate notCa = maker.selfSigned(notCaKeys, new CertificateMaker.Request("O=uctrust test,CN=Not A CA",
        List.of(), now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(30)), false, null,
        KeyUsage.digitalSignature, List.of(), null));
    X509Certificate leaf = maker.issue(KeyPairs.ec(256).getPublic(), new CertificateMaker.Request(
        "O=uctrust test,CN=cucm-pub.example.com", List.of(), now.minus(Duration.ofHours(1)),
        now.plus(Duration.ofDays(30)), false, null, KeyUsage.digitalSignature, List.of(), null), notCa,
        notCaKeys.getPrivate());

    assertThatThrownBy(() -> IdentityChainCheck.leafFirst("tomcat", List.of(TestPki.pem(leaf), TestPki.pem(notCa))))
        .isInstanceOf(PlatformRequestRefused.class)
        .hasMessageContaining("certificate 2 (CN=Not A CA,O=uctrust test) issues another certificate but is not a CA");
  }

  @Test
  void aWildcardLeafIsRefused() {
    X509Certificate wildcard = PKI.issue(KeyPairs.ec(256).getPublic(), "*.example.com", List.of("*.example.com"));

    assertThatThrownBy(() -> IdentityChainCheck.leafFirst("tomcat", PKI.chain(wildcard)))
        .isInstanceOf(PlatformRequestRefused.class)
        .hasMessage("the identity chain for tomcat was not sent: the leaf names *.example.com; Unified CM does not "
            + "accept wildcard certificates");
  }

  @Test
  void entriesThatAreNotExactlyOneCertificateAreRefused() {
    assertThatThrownBy(() -> IdentityChainCheck.leafFirst("tomcat", List.of()))
        .isInstanceOf(PlatformRequestRefused.class).hasMessageContaining("it is empty");
    assertThatThrownBy(() -> IdentityChainCheck.leafFirst("tomcat", null))
        .isInstanceOf(PlatformRequestRefused.class).hasMessageContaining("it is empty");
    assertThatThrownBy(() -> IdentityChainCheck.leafFirst("tomcat", List.of(TestPki.pem(LEAF)
        + TestPki.pem(PKI.intermediate()), TestPki.pem(PKI.root()))))
        .isInstanceOf(PlatformRequestRefused.class).hasMessageContaining("entry 1 holds 2 certificates");
    assertThatThrownBy(() -> IdentityChainCheck.leafFirst("tomcat", List.of("-----BEGIN CERTIFICATE-----\nAAAA\n"
        + "-----END CERTIFICATE-----\n")))
        .isInstanceOf(PlatformRequestRefused.class).hasMessageContaining("entry 1 is not a readable PEM certificate");
  }
}
