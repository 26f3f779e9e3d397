package io.uctrust.pki;

import static io.uctrust.pki.CertificateAuthorityTest.END;
import static io.uctrust.pki.CertificateAuthorityTest.START;
import static org.assertj.core.api.Assertions.assertThat;

import io.uctrust.pki.CertificateAuthority.Profile;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Test;

/** PKIX validation of chains at a given instant, and putting a bag of certificates in order. */
class ChainValidatorTest {

  private static final Instant NOW = START.plus(Duration.ofDays(100));
  private static final KeyPair ROOT_KEYS = KeyPairs.ec(256);
  private static final CertificateAuthority ROOT = CertificateAuthority.create("CN=Root,O=Example", ROOT_KEYS,
      START, END, 1);
  private static final CertificateAuthority SUB = ROOT.subordinate("CN=Issuing,O=Example", KeyPairs.ec(256), START,
      END, 0);
  private static final KeyPair LEAF_KEYS = KeyPairs.ec(256);
  private static final X509Certificate LEAF = SUB.issue(Csr.create(LEAF_KEYS, "CN=SEP001122334455", List.of()),
      START, START.plus(Duration.ofDays(365)), Profile.LSC);

  @Test
  void aCompleteChainIsValidWithItsPathUpToTheTrustedRoot() {
    ChainValidator.Result result = ChainValidator.validate(List.of(LEAF, SUB.certificate()),
        Set.of(ROOT.certificate()), NOW);

    assertThat(result.valid()).isTrue();
    assertThat(result.reason()).isNull();
    assertThat(result.path()).containsExactly(LEAF, SUB.certificate(), ROOT.certificate());
  }

  @Test
  void anUnorderedChainWithTheRootInItIsValidToo() {
    ChainValidator.Result result = ChainValidator.validate(List.of(ROOT.certificate(), SUB.certificate(), LEAF),
        List.of(ROOT.certificate()), NOW);

    assertThat(result.valid()).as(result.reason()).isTrue();
    assertThat(result.path()).containsExactly(LEAF, SUB.certificate(), ROOT.certificate());
  }

  @Test
  void anExpiredLeafIsNamed() {
    ChainValidator.Result result = ChainValidator.validate(List.of(LEAF, SUB.certificate()),
        Set.of(ROOT.certificate()), START.plus(Duration.ofDays(400)));

    assertThat(result.valid()).isFalse();
    assertThat(result.reason()).startsWith("expired: CN=SEP001122334455 expired at 2027-01-01T00:00:00Z");
    assertThat(result.path()).isEmpty();
  }

  @Test
  void anExpiredIntermediateIsNamed() {
    CertificateAuthority shortSub = ROOT.subordinate("CN=Short,O=Example", KeyPairs.ec(256), START,
        START.plus(Duration.ofDays(30)), 0);
    X509Certificate leaf = shortSub.issue(Csr.create(LEAF_KEYS, "CN=phone", List.of()), START, END, Profile.LSC);

    ChainValidator.Result result = ChainValidator.validate(List.of(leaf, shortSub.certificate()),
        Set.of(ROOT.certificate()), NOW);

    assertThat(result.reason()).startsWith("expired: CN=").contains("Short");
  }

  @Test
  void aChainUsedBeforeItsStartIsNotYetValid() {
    ChainValidator.Result result = ChainValidator.validate(List.of(LEAF, SUB.certificate()),
        Set.of(ROOT.certificate()), START.minus(Duration.ofDays(1)));

    assertThat(result.valid()).isFalse();
    assertThat(result.reason()).startsWith("not yet valid: ");
  }

  @Test
  void anExpiredTrustedRootTrustsNothing() {
    ChainValidator.Result result = ChainValidator.validate(List.of(LEAF, SUB.certificate()),
        Set.of(ROOT.certificate()), END.plus(Duration.ofDays(1)));

    assertThat(result.reason()).startsWith("expired: ");
  }

  @Test
  void aChainUnderAnotherRootHasNoPathToATrustedCa() {
    CertificateAuthority other = CertificateAuthority.create("CN=Other Root", KeyPairs.ec(256), START, END, null);

    ChainValidator.Result result = ChainValidator.validate(List.of(LEAF, SUB.certificate()),
        Set.of(other.certificate()), NOW);

    assertThat(result.valid()).isFalse();
    assertThat(result.reason()).startsWith("no path to a trusted CA").contains("CN=Root,O=Example");
  }

  @Test
  void aMissingIntermediateIsNamedAsTheMissingIssuer() {
    ChainValidator.Result result = ChainValidator.validate(List.of(LEAF), Set.of(ROOT.certificate()), NOW);

    assertThat(result.valid()).isFalse();
    assertThat(result.reason()).isEqualTo("no path to a trusted CA: the issuer of CN=SEP001122334455, "
        + "CN=Issuing,O=Example, is neither in the chain nor trusted");
  }

  @Test
  void aRootOfTheSameNameWithAnotherKeyIsASignatureThatDoesNotVerify() {
    CertificateAuthority impostor = CertificateAuthority.create("CN=Root,O=Example", KeyPairs.ec(256), START, END, 1);

    ChainValidator.Result result = ChainValidator.validate(List.of(LEAF, SUB.certificate()),
        Set.of(impostor.certificate()), NOW);

    assertThat(result.valid()).isFalse();
    assertThat(result.reason()).isEqualTo("signature does not verify: CN=Issuing,O=Example is not signed by the key "
        + "of trusted CA CN=Root,O=Example");
  }

  @Test
  void aCertificateSignedByALeafIsRefusedBecauseTheLeafMayNotSignCertificates() {
    X509Certificate byLeaf = issue("CN=child", KeyPairs.ec(256), LEAF, LEAF_KEYS, false, KeyUsage.digitalSignature);

    ChainValidator.Result result = ChainValidator.validate(List.of(byLeaf, LEAF, SUB.certificate()),
        Set.of(ROOT.certificate()), NOW);

    assertThat(result.valid()).isFalse();
    assertThat(result.reason()).isEqualTo("key usage: CN=SEP001122334455 may not sign certificates");
  }

  @Test
  void anIssuerWithoutTheCaFlagIsNotACa() {
    KeyPair keys = KeyPairs.ec(256);
    X509Certificate notCa = issue("CN=Not a CA", keys, ROOT.certificate(), ROOT_KEYS, false,
        KeyUsage.keyCertSign | KeyUsage.digitalSignature);
    X509Certificate child = issue("CN=child", KeyPairs.ec(256), notCa, keys, false, KeyUsage.digitalSignature);

    ChainValidator.Result result = ChainValidator.validate(List.of(child, notCa), Set.of(ROOT.certificate()), NOW);

    assertThat(result.valid()).isFalse();
    assertThat(result.reason()).startsWith("not a CA: CN=Not a CA");
  }

  @Test
  void aTrustedRootOnItsOwnIsValid() {
    ChainValidator.Result result = ChainValidator.validate(List.of(ROOT.certificate()), Set.of(ROOT.certificate()),
        NOW);

    assertThat(result.valid()).isTrue();
    assertThat(result.path()).containsExactly(ROOT.certificate());
  }

  @Test
  void aBagOfCertificatesIsOrderedLeafFirstWithStrangersLast() {
    X509Certificate stranger = CertificateAuthority.create("CN=Stranger", KeyPairs.ec(256), START, END, null)
        .certificate();

    assertThat(ChainValidator.order(List.of(ROOT.certificate(), stranger, LEAF, SUB.certificate(), LEAF)))
        .containsExactly(LEAF, SUB.certificate(), ROOT.certificate(), stranger);
  }

  /** A certificate issued by {@code issuer} with any CA flag and key usage, for what a CA would refuse to make. */
  private static X509Certificate issue(String subject, KeyPair keys, X509Certificate issuer, KeyPair issuerKeys,
      boolean ca, int keyUsage) {
    return new CertificateMaker().issue(keys.getPublic(), new CertificateMaker.Request(subject,
        List.of(), START, END, ca, null, keyUsage, List.of(), null), issuer, issuerKeys.getPrivate());
  }
}
