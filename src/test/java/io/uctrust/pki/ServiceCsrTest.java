package io.uctrust.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uctrust.desired.CertificateSpec.Hash;
import io.uctrust.desired.CertificateSpec.Service;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Service CSRs carry the certificate guide's key usages, the subject in the node's order and the DNS names. */
class ServiceCsrTest {

  private static final KeyPair RSA = KeyPairs.rsa(2048);
  private static final KeyPair EC = KeyPairs.ec(256);
  private static final SubjectFields FIELDS = new SubjectFields("Example Corp", "Voice", "Austin", "Texas", "US");
  private static final List<String> NAMES = List.of("cucm-pub.example.com", "cucm-pub");

  /** The guide's tables (Unified CM table 2, IM and Presence table 3), written out: key usage, then purposes. */
  private static final Map<Service, List<List<String>>> GUIDE = new EnumMap<>(Map.ofEntries(
      Map.entry(Service.CALLMANAGER, guide("digitalSignature keyEncipherment dataEncipherment", "serverAuth clientAuth")),
      Map.entry(Service.CALLMANAGER_ECDSA, guide("digitalSignature keyEncipherment dataEncipherment", "serverAuth clientAuth")),
      Map.entry(Service.CAPF, guide("digitalSignature keyEncipherment keyCertSign", "serverAuth")),
      Map.entry(Service.IPSEC, guide("digitalSignature keyEncipherment dataEncipherment", "serverAuth clientAuth ipsec")),
      Map.entry(Service.TOMCAT, guide("digitalSignature keyEncipherment dataEncipherment", "serverAuth clientAuth")),
      Map.entry(Service.TOMCAT_ECDSA, guide("digitalSignature keyEncipherment dataEncipherment", "serverAuth clientAuth")),
      Map.entry(Service.TVS, guide("digitalSignature keyEncipherment dataEncipherment", "serverAuth clientAuth")),
      Map.entry(Service.CUP, guide("digitalSignature keyEncipherment dataEncipherment keyAgreement",
          "serverAuth clientAuth ipsec")),
      Map.entry(Service.CUP_ECDSA, guide("digitalSignature keyEncipherment dataEncipherment keyAgreement",
          "serverAuth clientAuth ipsec")),
      Map.entry(Service.CUP_XMPP, guide("digitalSignature keyEncipherment dataEncipherment keyAgreement",
          "serverAuth clientAuth ipsec")),
      Map.entry(Service.CUP_XMPP_ECDSA, guide("digitalSignature keyEncipherment dataEncipherment keyAgreement",
          "serverAuth clientAuth ipsec")),
      Map.entry(Service.CUP_XMPP_S2S, guide("digitalSignature keyEncipherment dataEncipherment keyAgreement",
          "serverAuth clientAuth ipsec")),
      Map.entry(Service.CUP_XMPP_S2S_ECDSA, guide("digitalSignature keyEncipherment dataEncipherment keyAgreement",
          "serverAuth clientAuth ipsec"))));

  /** For EC keys the -ECDSA services ask keyAgreement instead of keyEncipherment and dataEncipherment. */
  private static final Map<Service, List<String>> EC_KEY_USAGE = new EnumMap<>(Map.of(
      Service.CALLMANAGER_ECDSA, List.of("digitalSignature", "keyAgreement"),
      Service.TOMCAT_ECDSA, List.of("digitalSignature", "keyAgreement"),
      Service.CUP_ECDSA, List.of("digitalSignature", "keyAgreement"),
      Service.CUP_XMPP_ECDSA, List.of("digitalSignature", "keyAgreement"),
      Service.CUP_XMPP_S2S_ECDSA, List.of("digitalSignature", "keyAgreement")));

  @ParameterizedTest
  @EnumSource(Service.class)
  void anRsaRequestAsksForTheGuidesUsagesOfItsService(Service service) throws Exception {
    Csr csr = Csr.parse(ServiceCsr.create(service, RSA, FIELDS, "cucm-pub.example.com", NAMES, Hash.SHA256).pem());

    assertThat(csr.signatureValid()).isTrue();
    assertThat(csr.publicKey()).isEqualTo(RSA.getPublic());
    assertThat(csr.subject()).isEqualTo("CN=cucm-pub.example.com,OU=Voice,O=Example Corp,L=Austin,ST=Texas,C=US");
    assertThat(csr.dnsNames()).containsExactlyElementsOf(NAMES);
    assertThat(usage(csr.requestedKeyUsage())).isEqualTo(GUIDE.get(service).get(0));
    assertThat(purposes(csr.requestedExtendedKeyUsage())).isEqualTo(GUIDE.get(service).get(1));
    assertThat(keyUsageIsCritical(csr)).isTrue();
  }

  @ParameterizedTest
  @EnumSource(value = Service.class, names = ".*_ECDSA", mode = EnumSource.Mode.MATCH_ALL)
  void anEcRequestAsksForKeyAgreementInsteadOfEncipherment(Service service) throws Exception {
    Csr csr = Csr.parse(ServiceCsr.create(service, EC, FIELDS, "cucm-pub.example.com", NAMES, Hash.SHA256).pem());

    assertThat(csr.signatureValid()).isTrue();
    assertThat(csr.keyAlgorithm()).isEqualTo("EC");
    assertThat(csr.subject()).isEqualTo("CN=cucm-pub.example.com,OU=Voice,O=Example Corp,L=Austin,ST=Texas,C=US");
    assertThat(csr.dnsNames()).containsExactlyElementsOf(NAMES);
    assertThat(usage(csr.requestedKeyUsage())).isEqualTo(EC_KEY_USAGE.get(service));
    assertThat(purposes(csr.requestedExtendedKeyUsage())).isEqualTo(GUIDE.get(service).get(1));
    assertThat(keyUsageIsCritical(csr)).isTrue();
  }

  @Test
  void theSubjectIsEncodedCountryFirstAndCommonNameLastAsANodeDoes() {
    Csr csr = ServiceCsr.create(Service.TOMCAT, RSA, FIELDS, "cucm-pub.example.com", NAMES, Hash.SHA256);

    assertThat(Arrays.stream(csr.subjectName().getRDNs()).map(RDN::getFirst).map(a -> BCStyle.INSTANCE.oidToDisplayName(
        a.getType()))).containsExactly("C", "ST", "L", "O", "OU", "CN");
  }

  @Test
  void absentSubjectFieldsAreLeftOut() {
    SubjectFields partial = new SubjectFields("Example Corp", null, " ", null, "US");

    assertThat(ServiceCsr.create(Service.TOMCAT, RSA, SubjectFields.none(), "cucm-pub", List.of(), Hash.SHA256).subject())
        .isEqualTo("CN=cucm-pub");
    assertThat(ServiceCsr.create(Service.TOMCAT, RSA, partial, "cucm-pub", List.of(), Hash.SHA256).subject())
        .isEqualTo("CN=cucm-pub,O=Example Corp,C=US");
  }

  @Test
  void dnsNamesAreAskedOnceEachInOrderWhateverTheirCase() {
    Csr csr = ServiceCsr.create(Service.CUP_XMPP, RSA, FIELDS, "imp.example.com",
        List.of("imp.example.com", "example.com", "IMP.Example.com", "conference.example.com", "EXAMPLE.COM"),
        Hash.SHA256);

    assertThat(csr.dnsNames()).containsExactly("imp.example.com", "example.com", "conference.example.com");
  }

  @Test
  void aRequestWithoutDnsNamesHasNoSubjectAltName() throws Exception {
    Csr csr = ServiceCsr.create(Service.CAPF, RSA, FIELDS, "CAPF-0a1b2c3d", List.of(), Hash.SHA256);

    assertThat(csr.dnsNames()).isEmpty();
    assertThat(new PKCS10CertificationRequest(csr.der()).getRequestedExtensions()
        .getExtension(Extension.subjectAlternativeName)).isNull();
    assertThat(csr.requestedKeyUsage()).isNotNull();
  }

  @Test
  void theSignatureUsesTheAskedHashWithTheKeysAlgorithm() throws Exception {
    var algorithms = new DefaultSignatureAlgorithmIdentifierFinder();

    assertThat(signature(ServiceCsr.create(Service.TOMCAT, RSA, FIELDS, "a", List.of(), Hash.SHA384)))
        .isEqualTo(algorithms.find("SHA384withRSA").getAlgorithm());
    assertThat(signature(ServiceCsr.create(Service.TOMCAT_ECDSA, EC, FIELDS, "a", List.of(), Hash.SHA512)))
        .isEqualTo(algorithms.find("SHA512withECDSA").getAlgorithm());
    assertThat(signature(ServiceCsr.create(Service.TOMCAT, RSA, FIELDS, "a", List.of(), null)))
        .as("the spec's default").isEqualTo(algorithms.find("SHA256withRSA").getAlgorithm());
  }

  @Test
  void aRequestNeedsACommonNameAndDnsNames() {
    assertThatThrownBy(() -> ServiceCsr.create(Service.TOMCAT, RSA, FIELDS, " ", List.of(), Hash.SHA256))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("common name");
    assertThatThrownBy(() -> ServiceCsr.create(Service.TOMCAT, RSA, FIELDS, "a", List.of("bad name"), Hash.SHA256))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a DNS name");
  }

  @Test
  void aPlainRequestAsksForNoUsage() {
    Csr csr = Csr.create(RSA, "CN=SEP001122334455", List.of("phone.example.com"));

    assertThat(csr.requestedKeyUsage()).isNull();
    assertThat(csr.requestedExtendedKeyUsage()).isEmpty();
  }

  @Test
  void ecKeysTradeEnciphermentForKeyAgreementAndRsaKeysKeepTheTable() {
    ServiceUsage tomcat = ServiceUsage.of(Service.TOMCAT);
    ServiceUsage capf = ServiceUsage.of(Service.CAPF);

    assertThat(tomcat.forKey("RSA")).isSameAs(tomcat);
    assertThat(usage(tomcat.forKey("EC").keyUsage())).containsExactly("digitalSignature", "keyAgreement");
    assertThat(usage(capf.forKey("ECDSA").keyUsage())).containsExactly("digitalSignature", "keyAgreement", "keyCertSign");
    assertThat(tomcat.forKey("EC").extendedKeyUsage()).isEqualTo(tomcat.extendedKeyUsage());
    assertThatThrownBy(() -> tomcat.forKey("Ed25519")).isInstanceOf(IllegalArgumentException.class);
  }

  private static List<List<String>> guide(String keyUsage, String purposes) {
    return List.of(List.of(keyUsage.split(" ")), List.of(purposes.split(" ")));
  }

  private static boolean keyUsageIsCritical(Csr csr) throws Exception {
    return new PKCS10CertificationRequest(csr.der()).getRequestedExtensions().getExtension(Extension.keyUsage)
        .isCritical();
  }

  private static Object signature(Csr csr) throws Exception {
    return new PKCS10CertificationRequest(csr.der()).getSignatureAlgorithm().getAlgorithm();
  }

  /** Bouncy Castle's key usage bits by name, in the order RFC 5280 numbers them. */
  static List<String> usage(Integer bits) {
    Map<Integer, String> names = new LinkedHashMap<>();
    names.put(KeyUsage.digitalSignature, "digitalSignature");
    names.put(KeyUsage.nonRepudiation, "nonRepudiation");
    names.put(KeyUsage.keyEncipherment, "keyEncipherment");
    names.put(KeyUsage.dataEncipherment, "dataEncipherment");
    names.put(KeyUsage.keyAgreement, "keyAgreement");
    names.put(KeyUsage.keyCertSign, "keyCertSign");
    names.put(KeyUsage.cRLSign, "cRLSign");
    List<String> set = new ArrayList<>();
    names.forEach((bit, name) -> {
      if ((bits & bit) != 0) {
        set.add(name);
      }
    });
    return set;
  }

  private static List<String> purposes(List<KeyPurposeId> purposes) {
    Map<KeyPurposeId, String> names = Map.of(KeyPurposeId.id_kp_serverAuth, "serverAuth",
        KeyPurposeId.id_kp_clientAuth, "clientAuth", KeyPurposeId.id_kp_ipsecEndSystem, "ipsec");
    return purposes.stream().map(p -> names.getOrDefault(p, p.getId())).toList();
  }
}
