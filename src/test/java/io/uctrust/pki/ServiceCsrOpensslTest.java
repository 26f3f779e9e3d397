package io.uctrust.pki;

import static io.uctrust.pki.CertificateAuthorityTest.END;
import static io.uctrust.pki.CertificateAuthorityTest.START;
import static io.uctrust.pki.OpensslCrossCheckTest.openssl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.uctrust.desired.CertificateSpec.Hash;
import io.uctrust.desired.CertificateSpec.Service;
import io.uctrust.pki.OpensslCrossCheckTest.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Service CSRs and the certificates issued from them, read by the real {@code openssl} binary (skipped when it is
 * not installed): openssl must print the certificate guide's key usages for each service, in its own words.
 */
class ServiceCsrOpensslTest {

  private static final String DS_KE_DE = "Digital Signature, Key Encipherment, Data Encipherment";
  private static final String DS_KA = "Digital Signature, Key Agreement";
  private static final String SERVER_CLIENT = "TLS Web Server Authentication, TLS Web Client Authentication";
  private static final String SERVER_CLIENT_IPSEC = SERVER_CLIENT + ", IPSec End System";
  private static final SubjectFields FIELDS = new SubjectFields("Example Corp", "Voice", "Austin", "Texas", "US");

  private static CertificateAuthority root;

  @TempDir Path dir;

  /**
   * One service, its key, hash and names, and what openssl must print: key usage, extended key usage, the
   * certificate's subjectAltName (the request's when it names hosts) and the signature algorithm.
   */
  record Row(Service service, String key, Hash hash, List<String> names, String keyUsage, String purposes,
      String altNames, String signature) {
    @Override
    public String toString() {
      return service.yaml() + " " + key + " " + hash;
    }
  }

  static Stream<Row> guide() {
    List<String> pub = List.of("cucm-pub.example.com", "cucm-pub");
    String pubNames = "DNS:cucm-pub.example.com, DNS:cucm-pub";
    List<String> imp = List.of("imp.example.com", "example.com", "IMP.example.com");
    String impNames = "DNS:imp.example.com, DNS:example.com";
    return Stream.of(
        new Row(Service.CALLMANAGER, "RSA 2048", Hash.SHA256, pub, DS_KE_DE, SERVER_CLIENT, pubNames,
            "sha256WithRSAEncryption"),
        new Row(Service.CALLMANAGER_ECDSA, "EC 256", Hash.SHA384, pub, DS_KA, SERVER_CLIENT, pubNames,
            "ecdsa-with-SHA384"),
        new Row(Service.CAPF, "RSA 2048", Hash.SHA256, List.of(), "Digital Signature, Key Encipherment, Certificate Sign",
            "TLS Web Server Authentication", "DNS:cucm-pub.example.com", "sha256WithRSAEncryption"),
        new Row(Service.IPSEC, "RSA 2048", Hash.SHA512, pub, DS_KE_DE, SERVER_CLIENT_IPSEC, pubNames,
            "sha512WithRSAEncryption"),
        new Row(Service.TOMCAT, "RSA 2048", Hash.SHA256, pub, DS_KE_DE, SERVER_CLIENT, pubNames,
            "sha256WithRSAEncryption"),
        new Row(Service.TOMCAT_ECDSA, "EC 256", Hash.SHA256, pub, DS_KA, SERVER_CLIENT, pubNames, "ecdsa-with-SHA256"),
        new Row(Service.TVS, "RSA 2048", Hash.SHA384, pub, DS_KE_DE, SERVER_CLIENT, pubNames, "sha384WithRSAEncryption"),
        new Row(Service.CUP, "RSA 2048", Hash.SHA256, imp, DS_KE_DE + ", Key Agreement", SERVER_CLIENT_IPSEC, impNames,
            "sha256WithRSAEncryption"),
        new Row(Service.CUP_ECDSA, "EC 256", Hash.SHA256, imp, DS_KA, SERVER_CLIENT_IPSEC, impNames, "ecdsa-with-SHA256"),
        new Row(Service.CUP_XMPP, "RSA 2048", Hash.SHA256, imp, DS_KE_DE + ", Key Agreement", SERVER_CLIENT_IPSEC,
            impNames, "sha256WithRSAEncryption"),
        new Row(Service.CUP_XMPP_ECDSA, "EC 256", Hash.SHA512, imp, DS_KA, SERVER_CLIENT_IPSEC, impNames,
            "ecdsa-with-SHA512"),
        new Row(Service.CUP_XMPP_S2S, "RSA 2048", Hash.SHA256, imp, DS_KE_DE + ", Key Agreement", SERVER_CLIENT_IPSEC,
            impNames, "sha256WithRSAEncryption"),
        new Row(Service.CUP_XMPP_S2S_ECDSA, "EC 256", Hash.SHA256, imp, DS_KA, SERVER_CLIENT_IPSEC, impNames,
            "ecdsa-with-SHA256"));
  }

  @BeforeAll
  static void opensslIsInstalledAndARootIssues() {
    boolean found;
    try {
      found = openssl(Path.of("."), "version").exit() == 0;
    } catch (IOException e) {
      found = false;
    }
    assumeTrue(found, "openssl is not installed");
    // no path length limit: the CAPF certificate is itself a CA
    root = CertificateAuthority.create("CN=Test Root,O=Example", KeyPairs.ec(256), START, END, null);
  }

  @Test
  void theTableCoversEveryService() {
    assertThat(guide().map(Row::service)).containsExactlyInAnyOrder(Service.values());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("guide")
  void opensslVerifiesTheRequestAndReadsTheGuidesUsages(Row row) throws IOException {
    Files.writeString(dir.resolve("x.csr"), csr(row).pem());

    Run request = openssl(dir, "req", "-in", "x.csr", "-noout", "-text", "-verify");

    assertThat(request.exit()).as(request.output()).isZero();
    assertThat(request.output()).contains("Certificate request self-signature verify OK").doesNotContain("failure")
        .contains("Subject: C = US, ST = Texas, L = Austin, O = Example Corp, OU = Voice, CN = " + commonName(row))
        .contains("Signature Algorithm: " + row.signature());
    assertThat(heading(request, "X509v3 Key Usage")).isEqualTo("X509v3 Key Usage: critical");
    assertThat(value(request, "X509v3 Key Usage")).isEqualTo(row.keyUsage());
    assertThat(value(request, "X509v3 Extended Key Usage")).isEqualTo(row.purposes());
    if (row.names().isEmpty()) {
      assertThat(request.output()).doesNotContain("Subject Alternative Name");
    } else {
      assertThat(value(request, "X509v3 Subject Alternative Name")).isEqualTo(row.altNames());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("guide")
  void opensslVerifiesTheIssuedCertificateStrictlyWithTheSameUsages(Row row) throws IOException {
    X509Certificate certificate = root.issue(csr(row), START, START.plus(Duration.ofDays(730)),
        ServiceUsage.of(row.service()));
    Files.writeString(dir.resolve("root.pem"), Pem.encode(root.certificate()));
    Files.writeString(dir.resolve("cert.pem"), Pem.encode(certificate));

    Run verify = openssl(dir, "verify", "-x509_strict", "-attime", Long.toString(START.plus(Duration.ofDays(30))
        .getEpochSecond()), "-CAfile", "root.pem", "cert.pem");
    Run text = openssl(dir, "x509", "-in", "cert.pem", "-noout", "-text");

    assertThat(verify.exit()).as(verify.output()).isZero();
    assertThat(verify.output()).isEqualTo("cert.pem: OK\n");
    assertThat(heading(text, "X509v3 Key Usage")).isEqualTo("X509v3 Key Usage: critical");
    assertThat(value(text, "X509v3 Key Usage")).isEqualTo(row.keyUsage());
    assertThat(value(text, "X509v3 Extended Key Usage")).isEqualTo(row.purposes());
    assertThat(value(text, "X509v3 Subject Alternative Name")).isEqualTo(row.altNames());
    assertThat(value(text, "X509v3 Basic Constraints")).isEqualTo(row.service() == Service.CAPF ? "CA:TRUE, pathlen:0"
        : "CA:FALSE");
  }

  private static Csr csr(Row row) {
    return ServiceCsr.create(row.service(), keys(row.key()), FIELDS, commonName(row), row.names(), row.hash());
  }

  private static String commonName(Row row) {
    return row.names().isEmpty() ? "cucm-pub.example.com" : row.names().get(0);
  }

  private static KeyPair keys(String keyType) {
    String[] parts = keyType.split(" ");
    int bits = Integer.parseInt(parts[1]);
    return "RSA".equals(parts[0]) ? KeyPairs.rsa(bits) : KeyPairs.ec(bits);
  }

  /** The line openssl starts an extension with, such as {@code X509v3 Key Usage: critical}. */
  private static String heading(Run run, String extension) {
    return run.output().lines().map(String::strip).filter(l -> l.startsWith(extension + ":")).findFirst()
        .orElseThrow(() -> new AssertionError("no " + extension + " in\n" + run.output())).strip();
  }

  /** The line after the heading: openssl prints an extension's value there. */
  private static String value(Run run, String extension) {
    List<String> lines = run.output().lines().map(String::strip).toList();
    int at = lines.indexOf(heading(run, extension));
    return lines.get(at + 1);
  }
}
