package io.uctrust.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uctrust.desired.CertificateSpec;
import io.uctrust.desired.CertificateSpec.Service;
import java.security.KeyPair;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;

/** Roots, subordinates and certificates issued from CSRs under each profile. */
class CertificateAuthorityTest {

  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  static final Instant END = Instant.parse("2036-01-01T00:00:00Z");
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  private static final KeyPair RSA_CA_KEYS = KeyPairs.rsa(2048);
  private static final KeyPair EC_CA_KEYS = KeyPairs.ec(256);
  private static final KeyPair PHONE_RSA = KeyPairs.rsa(2048);
  private static final KeyPair PHONE_EC = KeyPairs.ec(256);

  private static final CertificateAuthority RSA_ROOT =
      CertificateAuthority.create("CN=CAPF Root,O=Example", RSA_CA_KEYS, START, END, 0);
  private static final CertificateAuthority EC_ROOT =
      CertificateAuthority.create("CN=EC Root,O=Example", EC_CA_KEYS, START, END, null);

  @Test
  void aRootIsASelfSignedCaWithCriticalConstraintsAndCaKeyUsage() throws Exception {
    X509Certificate root = RSA_ROOT.certificate();

    root.verify(RSA_CA_KEYS.getPublic());
    assertThat(root.getSubjectX500Principal().getName()).isEqualTo("CN=CAPF Root,O=Example");
    assertThat(root.getIssuerX500Principal()).isEqualTo(root.getSubjectX500Principal());
    assertThat(root.getBasicConstraints()).isZero();
    assertThat(usage(root)).containsExactly("digitalSignature", "keyCertSign", "cRLSign");
    assertThat(root.getCriticalExtensionOIDs()).contains(Extension.basicConstraints.getId(), Extension.keyUsage.getId());
    assertThat(root.getExtensionValue(Extension.subjectKeyIdentifier.getId())).isNotNull();
    assertThat(root.getSigAlgName()).isEqualTo("SHA256withRSA");
    assertThat(root.getNotBefore().toInstant()).isEqualTo(START);
    assertThat(root.getNotAfter().toInstant()).isEqualTo(END);
    assertThat(RSA_ROOT.chain()).containsExactly(root);
    assertThat(RSA_ROOT.privateKey()).isEqualTo(RSA_CA_KEYS.getPrivate());
  }

  @Test
  void aRootWithoutPathLengthHasNoLimit() {
    assertThat(EC_ROOT.certificate().getBasicConstraints()).isEqualTo(Integer.MAX_VALUE);
    assertThat(EC_ROOT.certificate().getSigAlgName()).isEqualTo("SHA256withECDSA");
  }

  @Test
  void aSubordinateIsIssuedByItsParentWithAuthorityKeyIdAndClippedValidity() throws Exception {
    CertificateAuthority sub = EC_ROOT.subordinate("CN=Issuing,O=Example", KeyPairs.ec(384), START,
        END.plus(Duration.ofDays(100)), 0);

    X509Certificate certificate = sub.certificate();
    certificate.verify(EC_CA_KEYS.getPublic());
    assertThat(certificate.getIssuerX500Principal()).isEqualTo(EC_ROOT.certificate().getSubjectX500Principal());
    assertThat(certificate.getBasicConstraints()).isZero();
    assertThat(certificate.getNotAfter().toInstant()).isEqualTo(END);
    assertThat(authorityKeyId(certificate)).isEqualTo(subjectKeyId(EC_ROOT.certificate()));
    assertThat(sub.chain()).containsExactly(certificate, EC_ROOT.certificate());
  }

  @Test
  void aCaWithPathLengthZeroIssuesNoSubordinate() {
    assertThatThrownBy(() -> RSA_ROOT.subordinate("CN=Sub", KeyPairs.ec(256), START, END, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pathlen 0");
  }

  @Test
  void anRsaLscIsForClientAndServerAuthWithKeyEncipherment() throws Exception {
    Csr csr = Csr.create(PHONE_RSA, "CN=SEP001122334455,O=Example", List.of());

    X509Certificate lsc = RSA_ROOT.issue(csr, START, START.plus(Duration.ofDays(365)), CertificateAuthority.Profile.LSC);

    lsc.verify(RSA_CA_KEYS.getPublic());
    assertThat(lsc.getSubjectX500Principal().getName()).isEqualTo("CN=SEP001122334455,O=Example");
    assertThat(lsc.getIssuerX500Principal()).isEqualTo(RSA_ROOT.certificate().getSubjectX500Principal());
    assertThat(lsc.getPublicKey()).isEqualTo(PHONE_RSA.getPublic());
    assertThat(lsc.getBasicConstraints()).isEqualTo(-1);
    assertThat(usage(lsc)).containsExactly("digitalSignature", "keyEncipherment");
    assertThat(lsc.getCriticalExtensionOIDs()).contains(Extension.keyUsage.getId());
    assertThat(lsc.getExtendedKeyUsage()).containsExactly(CLIENT_AUTH, SERVER_AUTH);
    assertThat(lsc.getSubjectAlternativeNames()).isNull();
    assertThat(lsc.getSigAlgName()).isEqualTo("SHA256withRSA");
    assertThat(lsc.getSerialNumber().bitLength()).isBetween(100, 128);
    assertThat(authorityKeyId(lsc)).isEqualTo(subjectKeyId(RSA_ROOT.certificate()));
    assertThat(subjectKeyId(lsc)).isNotEmpty();
  }

  @Test
  void anEcLscHasKeyAgreementInsteadOfKeyEncipherment() throws Exception {
    Csr csr = Csr.create(PHONE_EC, "CN=SEP00AABBCCDDEE", List.of());

    X509Certificate lsc = EC_ROOT.issue(csr, START, END, CertificateAuthority.Profile.LSC);

    lsc.verify(EC_CA_KEYS.getPublic());
    assertThat(usage(lsc)).containsExactly("digitalSignature", "keyAgreement");
    assertThat(lsc.getSigAlgName()).isEqualTo("SHA256withECDSA");
  }

  @Test
  void aServerCertificateNamesTheRequestedDnsNames() throws Exception {
    Csr csr = Csr.create(PHONE_EC, "CN=cucm-pub", List.of("cucm-pub.example.com", "cucm-pub"));

    X509Certificate server = RSA_ROOT.issue(csr, START, END, CertificateAuthority.Profile.SERVER);

    assertThat(server.getExtendedKeyUsage()).containsExactly(SERVER_AUTH);
    assertThat(server.getSubjectAlternativeNames())
        .containsExactly(List.of(2, "cucm-pub.example.com"), List.of(2, "cucm-pub"));
  }

  @Test
  void aServerCertificateFallsBackToTheCommonNameWhenTheRequestNamesNoHost() throws Exception {
    Csr csr = Csr.create(PHONE_RSA, "CN=cucm-sub.example.com,O=Example", List.of());

    X509Certificate server = RSA_ROOT.issue(csr, START, END, CertificateAuthority.Profile.CLIENT_SERVER);

    assertThat(server.getExtendedKeyUsage()).containsExactly(SERVER_AUTH, CLIENT_AUTH);
    assertThat(usage(server)).containsExactly("digitalSignature", "keyEncipherment");
    assertThat(server.getSubjectAlternativeNames()).containsExactly(List.of(2, "cucm-sub.example.com"));
  }

  @Test
  void aServerCertificateNeedsAName() {
    Csr csr = Csr.create(PHONE_RSA, "O=Example", List.of());

    assertThatThrownBy(() -> RSA_ROOT.issue(csr, START, END, CertificateAuthority.Profile.SERVER))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no CN");
  }

  @Test
  void anIssuedCertificateEndsNoLaterThanItsCa() {
    Csr csr = Csr.create(PHONE_EC, "CN=long", List.of());

    X509Certificate lsc = EC_ROOT.issue(csr, START, END.plus(Duration.ofDays(3650)), CertificateAuthority.Profile.LSC);

    assertThat(lsc.getNotAfter().toInstant()).isEqualTo(END);
  }

  @Test
  void aValidityThatIsEmptyAfterClippingIsRefused() {
    Csr csr = Csr.create(PHONE_EC, "CN=late", List.of());

    assertThatThrownBy(() -> EC_ROOT.issue(csr, END, END.plusSeconds(10), CertificateAuthority.Profile.LSC))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty validity");
  }

  @Test
  void aTamperedRequestIsRefusedBeforeAnythingIsSigned() {
    Csr tampered = Csr.parse(CsrTest.tamper(Csr.create(PHONE_RSA, "CN=SEP001122334455", List.of())));

    assertThatThrownBy(() -> RSA_ROOT.issue(tampered, START, END, CertificateAuthority.Profile.LSC))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not verify");
  }

  @Test
  void everyCertificateGetsItsOwnSerial() {
    Csr csr = Csr.create(PHONE_EC, "CN=same", List.of());
    Set<Object> serials = new HashSet<>();

    for (int i = 0; i < 20; i++) {
      serials.add(EC_ROOT.issue(csr, START, END, CertificateAuthority.Profile.LSC).getSerialNumber());
    }

    assertThat(serials).hasSize(20);
  }

  @Test
  void aStoredChainWithTheWrongKeyIsNotACa() {
    assertThatThrownBy(() -> CertificateAuthority.of(RSA_ROOT.chain(), PHONE_RSA.getPrivate()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not the key");
    assertThat(CertificateAuthority.of(RSA_ROOT.chain(), RSA_CA_KEYS.getPrivate()).certificate())
        .isEqualTo(RSA_ROOT.certificate());
  }

  @Test
  void aServiceCertificateHasItsServicesUsagesWhateverTheRequestAsks() throws Exception {
    Csr csr = Csr.create(PHONE_RSA, "CN=cucm-pub.example.com,O=Example", List.of());

    X509Certificate tomcat = RSA_ROOT.issue(csr, START, END.plus(Duration.ofDays(1)),
        ServiceUsage.of(Service.TOMCAT));

    tomcat.verify(RSA_CA_KEYS.getPublic());
    assertThat(usage(tomcat)).containsExactly("digitalSignature", "keyEncipherment", "dataEncipherment");
    assertThat(tomcat.getCriticalExtensionOIDs()).contains(Extension.keyUsage.getId());
    assertThat(tomcat.getExtendedKeyUsage()).containsExactly(SERVER_AUTH, CLIENT_AUTH);
    assertThat(tomcat.getBasicConstraints()).isEqualTo(-1);
    assertThat(tomcat.getSubjectAlternativeNames()).as("the CN when the request names no host")
        .containsExactly(List.of(2, "cucm-pub.example.com"));
    assertThat(tomcat.getNotAfter().toInstant()).isEqualTo(END);
    assertThat(authorityKeyId(tomcat)).isEqualTo(subjectKeyId(RSA_ROOT.certificate()));
  }

  @Test
  void anEcServiceCertificateHasKeyAgreementInsteadOfEncipherment() throws Exception {
    Csr csr = ServiceCsr.create(Service.CUP_XMPP_ECDSA, PHONE_EC, SubjectFields.none(), "imp.example.com",
        List.of("imp.example.com", "example.com"), CertificateSpec.Hash.SHA384);

    X509Certificate xmpp = EC_ROOT.issue(csr, START, END, ServiceUsage.of(Service.CUP_XMPP_ECDSA));

    assertThat(usage(xmpp)).containsExactly("digitalSignature", "keyAgreement");
    assertThat(xmpp.getExtendedKeyUsage()).containsExactly(SERVER_AUTH, CLIENT_AUTH, "1.3.6.1.5.5.7.3.5");
    assertThat(xmpp.getSubjectAlternativeNames())
        .containsExactly(List.of(2, "imp.example.com"), List.of(2, "example.com"));
  }

  @Test
  void aCapfCertificateIsACaThatSignsPhoneCertificatesOnly() throws Exception {
    Csr csr = ServiceCsr.create(Service.CAPF, PHONE_RSA, SubjectFields.none(), "CAPF-0a1b2c3d", List.of(),
        CertificateSpec.Hash.SHA256);

    X509Certificate capf = EC_ROOT.issue(csr, START, END, ServiceUsage.of(Service.CAPF));

    assertThat(usage(capf)).containsExactly("digitalSignature", "keyEncipherment", "keyCertSign");
    assertThat(capf.getBasicConstraints()).isZero();
    assertThat(capf.getCriticalExtensionOIDs()).contains(Extension.basicConstraints.getId());
    assertThat(capf.getExtendedKeyUsage()).containsExactly(SERVER_AUTH);
  }

  @Test
  void aCaWithPathLengthZeroIssuesNoCapfCertificate() {
    Csr csr = Csr.create(PHONE_RSA, "CN=CAPF-0a1b2c3d", List.of());

    assertThatThrownBy(() -> RSA_ROOT.issue(csr, START, END, ServiceUsage.of(Service.CAPF)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pathlen 0").hasMessageContaining("keyCertSign");
  }

  @Test
  void aTamperedServiceRequestIsRefusedBeforeAnythingIsIssued() {
    String tampered = CsrTest.tamper(Csr.create(PHONE_RSA, "CN=cucm-pub", List.of()));

    assertThatThrownBy(() -> RSA_ROOT.issue(Csr.parse(tampered), START, END, ServiceUsage.of(Service.TOMCAT)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not verify");
  }

  @Test
  void aCaBoundToAProviderChecksAndSignsItsKeyWithThatProvider() throws Exception {
    CertificateAuthority withBc = CertificateAuthority.of(EC_ROOT.chain(), EC_CA_KEYS.getPrivate(),
        new BouncyCastleProvider());
    X509Certificate issued = withBc.issue(Csr.create(PHONE_EC, "CN=SEP001122334455", List.of()), START, END,
        CertificateAuthority.Profile.LSC);

    issued.verify(EC_CA_KEYS.getPublic());
    // the SUN provider has no SHA256withECDSA: the JDK's other providers are not asked instead
    assertThatThrownBy(() -> CertificateAuthority.of(EC_ROOT.chain(), EC_CA_KEYS.getPrivate(),
        Security.getProvider("SUN"))).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("SUN cannot sign with SHA256withECDSA");
  }

  @Test
  void theCaNeverShowsItsKey() {
    assertThat(RSA_ROOT.toString()).isEqualTo("CertificateAuthority[CN=CAPF Root,O=Example]");
  }

  static List<String> usage(X509Certificate certificate) {
    String[] names = {"digitalSignature", "nonRepudiation", "keyEncipherment", "dataEncipherment", "keyAgreement",
        "keyCertSign", "cRLSign", "encipherOnly", "decipherOnly"};
    boolean[] bits = certificate.getKeyUsage();
    List<String> set = new ArrayList<>();
    for (int i = 0; i < bits.length && i < names.length; i++) {
      if (bits[i]) {
        set.add(names[i]);
      }
    }
    return set;
  }

  static byte[] subjectKeyId(X509Certificate certificate) {
    return SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(
        certificate.getExtensionValue(Extension.subjectKeyIdentifier.getId())).getOctets()).getKeyIdentifier();
  }

  static byte[] authorityKeyId(X509Certificate certificate) {
    return AuthorityKeyIdentifier.getInstance(ASN1OctetString.getInstance(
        certificate.getExtensionValue(Extension.authorityKeyIdentifier.getId())).getOctets()).getKeyIdentifierOctets();
  }
}
