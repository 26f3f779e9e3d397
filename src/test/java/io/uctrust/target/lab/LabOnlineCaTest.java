package io.uctrust.target.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.uctrust.capf.OnlineCaClient;
import io.uctrust.capf.OnlineCaCsrs;
import io.uctrust.pki.CertificateFacts;
import io.uctrust.pki.KeyPairs;
import io.uctrust.pki.Pem;
import io.uctrust.target.cucm.VerifiedHttp;
import io.uctrust.target.cucm.axl.AxlTls;
import io.uctrust.target.lab.LabOnlineCa.Layout;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cert.X509CertificateHolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LabOnlineCaTest {

  static final String HOST = "ca.lab.example";
  static final String TEMPLATE = "CiscoRA";
  static final String USER = "capf-enroll";
  static final String PASSWORD = "s3cret-Password";

  @TempDir Path dir;

  static LabOnlineCa start(Path folder, String hostname, Layout layout, Clock clock) throws IOException {
    return LabOnlineCa.start(folder, hostname, InetAddress.getByName("127.0.0.1"), 0, TEMPLATE, USER,
        PASSWORD.toCharArray(), layout, Duration.ofDays(730), clock);
  }

  private LabOnlineCa start(Layout layout) throws IOException {
    return start(dir.resolve("online-ca"), HOST, layout, Clock.systemUTC());
  }

  private static List<X509Certificate> enroll(LabOnlineCa ca, KeyPair keys) throws Exception {
    return new OnlineCaClient(List.of(ca.root()), Duration.ofSeconds(10)).enroll(HOST, 443,
        new InetSocketAddress("127.0.0.1", ca.port()), TEMPLATE, USER, PASSWORD.toCharArray(),
        OnlineCaCsrs.pem(keys, "CN=SEP001122334455,O=uctrust lab"));
  }

  @ParameterizedTest
  @EnumSource(Layout.class)
  void anRsaCsrIsIssuedByTheSigningCaForTheCsrsKeyAndItsChainVerifies(Layout layout) throws Exception {
    try (LabOnlineCa ca = start(layout)) {
      KeyPair keys = KeyPairs.rsa(2048);
      List<X509Certificate> chain = enroll(ca, keys);

      X509Certificate leaf = chain.get(0);
      X509Certificate signing = ca.signingChain().get(0);
      assertThat(leaf.getPublicKey()).isEqualTo(keys.getPublic());
      assertThat(leaf.getSubjectX500Principal().getName()).isEqualTo("CN=SEP001122334455,O=uctrust lab");
      assertThat(leaf.getIssuerX500Principal()).isEqualTo(signing.getSubjectX500Principal());
      leaf.verify(signing.getPublicKey());
      assertThat(chain.subList(1, chain.size())).containsExactlyElementsOf(ca.signingChain());
      assertThat(pkixValid(chain, ca.root())).isTrue();
      assertThat(ca.requests()).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @EnumSource(Layout.class)
  void theIssuedChainPassesOpensslVerify(Layout layout) throws Exception {
    assumeTrue(opensslAvailable(), "openssl is not installed");
    try (LabOnlineCa ca = start(layout)) {
      List<X509Certificate> chain = enroll(ca, KeyPairs.rsa(2048));
      Path leaf = Files.writeString(dir.resolve("leaf.pem"), Pem.encode(chain.get(0)));
      List<String> command = new ArrayList<>(List.of("openssl", "verify", "-CAfile", ca.rootPem().toString()));
      List<X509Certificate> intermediates = ca.signingChain().subList(0, ca.signingChain().size() - 1);
      if (!intermediates.isEmpty()) {
        Path untrusted = dir.resolve("intermediates.pem");
        Files.writeString(untrusted, String.join("", intermediates.stream().map(Pem::encode).toList()));
        command.addAll(List.of("-untrusted", untrusted.toString()));
      }
      command.add(leaf.toString());
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).as(output).isZero();
      assertThat(output).contains(leaf + ": OK");
    }
  }

  @Test
  void layoutSameServesTheSelfSignedRootWhoseCnIsTheHostNameAndSignsWithIt() throws Exception {
    try (LabOnlineCa ca = start(Layout.SAME)) {
      X509Certificate root = ca.root();
      assertThat(ca.httpsCertificate()).isEqualTo(root);
      assertThat(ca.signingChain()).containsExactly(root);
      assertThat(CertificateFacts.of(root).commonName()).isEqualTo(HOST);
      assertThat(CertificateFacts.of(root).selfIssued()).isTrue();
      assertThat(root.getBasicConstraints()).isNotNegative();
      assertThat(root.getSubjectAlternativeNames()).containsExactly(List.of(2, HOST));
    }
  }

  @Test
  void layoutIssuedByRootSignsWithTheRootWhichAlsoIssuedTheHttpsCertificate() throws Exception {
    try (LabOnlineCa ca = start(Layout.ISSUED_BY_ROOT)) {
      X509Certificate root = ca.root();
      assertThat(root.getSubjectX500Principal().getName()).isEqualTo("CN=UCTRUST Lab Online Root CA,O=uctrust lab");
      assertThat(root.getPublicKey().getAlgorithm()).isEqualTo("RSA");
      assertThat(ca.signingChain()).containsExactly(root);
      assertIssuedBy(ca.httpsCertificate(), root);
      assertThat(ca.httpsChain()).containsExactly(ca.httpsCertificate(), root);
    }
  }

  @Test
  void layoutIntermediateSignsWithAnIntermediateWhileTheRootIssuedTheHttpsCertificate() throws Exception {
    try (LabOnlineCa ca = start(Layout.INTERMEDIATE)) {
      X509Certificate root = ca.root();
      X509Certificate issuing = ca.signingChain().get(0);
      assertThat(ca.signingChain()).containsExactly(issuing, root);
      assertThat(issuing.getBasicConstraints()).isZero();
      assertIssuedBy(issuing, root);
      assertIssuedBy(ca.httpsCertificate(), root);
    }
  }

  @Test
  void layoutSiblingIssuesTheHttpsCertificateFromASecondIntermediateUnderTheSameRoot() throws Exception {
    try (LabOnlineCa ca = start(Layout.SIBLING)) {
      X509Certificate root = ca.root();
      X509Certificate issuing = ca.signingChain().get(0);
      X509Certificate web = ca.httpsChain().get(1);
      assertThat(ca.httpsChain()).containsExactly(ca.httpsCertificate(), web, root);
      assertThat(web).isNotEqualTo(issuing);
      assertIssuedBy(issuing, root);
      assertIssuedBy(web, root);
      assertIssuedBy(ca.httpsCertificate(), web);
    }
  }

  @ParameterizedTest
  @EnumSource(Layout.class)
  void theHttpsCertificateCarriesTheHostNameAsCnAndOnlyDnsNameWithServerAuth(Layout layout) throws Exception {
    try (LabOnlineCa ca = start(layout)) {
      X509Certificate https = ca.httpsCertificate();
      assertThat(CertificateFacts.of(https).commonName()).isEqualTo(HOST);
      assertThat(https.getSubjectAlternativeNames()).containsExactly(List.of(2, HOST));
      assertThat(https.getExtendedKeyUsage()).contains(KeyPurposeId.id_kp_serverAuth.getId());
      assertThat(CertificateFacts.of(https).keyAlgorithm()).isEqualTo("RSA");
      assertThat(CertificateFacts.of(https).keyBits()).isEqualTo(2048);
      assertThat(Pem.certificate(Files.readString(ca.httpsPem()))).isEqualTo(https);
      assertThat(Pem.certificates(Files.readString(ca.chainPem()))).containsExactlyElementsOf(ca.signingChain());
      assertThat(Pem.certificates(Files.readString(ca.rootPem()))).containsExactly(ca.root());
    }
  }

  @Test
  void issuedCertificatesTakeTheirValidityFromTheClockWithClientAndServerAuth() throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    try (LabOnlineCa ca = LabOnlineCa.start(dir.resolve("online-ca"), HOST, InetAddress.getByName("127.0.0.1"), 0,
        TEMPLATE, USER, PASSWORD.toCharArray(), Layout.INTERMEDIATE, Duration.ofDays(30),
        Clock.fixed(now, ZoneOffset.UTC))) {
      X509Certificate leaf = enroll(ca, KeyPairs.rsa(2048)).get(0);
      assertThat(leaf.getNotBefore().toInstant()).isEqualTo(now);
      assertThat(leaf.getNotAfter().toInstant()).isEqualTo(now.plus(Duration.ofDays(30)));
      assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
      assertThat(CertificateFacts.of(leaf).digitalSignature()).isTrue();
      assertThat(leaf.getKeyUsage()[2]).as("keyEncipherment").isTrue();
      assertThat(leaf.getExtendedKeyUsage()).containsExactlyInAnyOrder(KeyPurposeId.id_kp_clientAuth.getId(),
          KeyPurposeId.id_kp_serverAuth.getId());
      assertThat(leaf.getSigAlgName()).isEqualTo("SHA256withRSA");
    }
  }

  @Test
  void missingOrWrongCredentialsGet401WithABasicChallengeNamingTheHost() throws Exception {
    try (LabOnlineCa ca = start(Layout.ISSUED_BY_ROOT)) {
      HttpResponse<String> none = send(ca, post(ca, null, form(csr(), TEMPLATE)));
      HttpResponse<String> wrong = send(ca, post(ca, basic(USER, "wrong"), form(csr(), TEMPLATE)));

      assertThat(none.statusCode()).isEqualTo(401);
      assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"" + HOST + "\"");
      assertThat(wrong.statusCode()).isEqualTo(401);
      assertThat(ca.requests()).isZero();
    }
  }

  @Test
  void anIssuedRequestGetsAPageLinkingTheCertificateAndItsChainLikeIis() throws Exception {
    try (LabOnlineCa ca = start(Layout.INTERMEDIATE)) {
      HttpResponse<String> page = send(ca, post(ca, basic(USER, PASSWORD), form(csr(), TEMPLATE)));
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).contains("certnew.cer?ReqID=1&amp;Enc=b64").contains("certnew.p7b?ReqID=1&amp;Enc=b64");

      HttpResponse<String> cer = send(ca, get(ca, "certnew.cer?ReqID=1&Enc=b64"));
      assertThat(cer.statusCode()).isEqualTo(200);
      assertThat(cer.headers().firstValue("Content-Type")).hasValue("application/pkix-cert");
      X509Certificate leaf = Pem.certificate(cer.body());
      assertIssuedBy(leaf, ca.signingChain().get(0));

      HttpResponse<String> p7b = send(ca, get(ca, "certnew.p7b?ReqID=1&Enc=b64"));
      assertThat(p7b.statusCode()).isEqualTo(200);
      assertThat(p7b.body()).startsWith("-----BEGIN PKCS7-----");
      CMSSignedData chain = new CMSSignedData(Base64.getMimeDecoder().decode(
          p7b.body().replaceAll("-----[^-]*-----", "")));
      List<X509Certificate> certificates = new ArrayList<>();
      for (X509CertificateHolder holder : chain.getCertificates().getMatches(null)) {
        certificates.add(new JcaX509CertificateConverter().getCertificate(holder));
      }
      assertThat(certificates).containsExactlyInAnyOrder(leaf, ca.signingChain().get(0), ca.root());
    }
  }

  @Test
  void anUnknownRequestIdIsNotFound() throws Exception {
    try (LabOnlineCa ca = start(Layout.ISSUED_BY_ROOT)) {
      assertThat(send(ca, get(ca, "certnew.cer?ReqID=42&Enc=b64")).statusCode()).isEqualTo(404);
      assertThat(send(ca, get(ca, "certnew.p7b?ReqID=x&Enc=b64")).statusCode()).isEqualTo(404);
    }
  }

  @Test
  void anUnknownTemplateIsDeniedWithThePolicyModulesDispositionNamingIt() throws Exception {
    try (LabOnlineCa ca = start(Layout.ISSUED_BY_ROOT)) {
      HttpResponse<String> page = send(ca, post(ca, basic(USER, PASSWORD),
          form(csr(), "WebServer").replace("CertAttrib=", "CertAttrib=UserAgent%3Acapf%0D%0A")));
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).contains("Certificate Request Denied").contains("The disposition message is")
          .contains("Denied by Policy Module 0x80094800, The request was for a certificate template that is not "
              + "supported by the Active Directory Certificate Services policy: WebServer.");
      assertThat(ca.requests()).isEqualTo(1);
    }
  }

  @Test
  void aCsrWhoseSignatureDoesNotMatchItsContentIsDenied() throws Exception {
    try (LabOnlineCa ca = start(Layout.ISSUED_BY_ROOT)) {
      byte[] der = OnlineCaCsrs.request(KeyPairs.rsa(2048), "CN=SEP001122334455").getEncoded();
      der[der.length - 1] ^= 0x01;
      HttpResponse<String> page = send(ca, post(ca, basic(USER, PASSWORD),
          form(Base64.getEncoder().encodeToString(der), TEMPLATE)));
      assertThat(page.body()).contains("Certificate Request Denied").contains("signature of the certificate request");
    }
  }

  @Test
  void theWelcomePageAnswersWithoutCredentialsAsAReachabilityProbe() throws Exception {
    try (LabOnlineCa ca = start(Layout.ISSUED_BY_ROOT)) {
      HttpResponse<String> page = send(ca, HttpRequest.newBuilder(uri(ca, "")).GET());
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).contains("Microsoft Active Directory Certificate Services").contains("Welcome");
    }
  }

  @Test
  void aRestartOnTheSameFolderKeepsTheSameRootAndSigningChain() throws Exception {
    String root;
    List<X509Certificate> signing;
    try (LabOnlineCa ca = start(Layout.SIBLING)) {
      root = CertificateFacts.of(ca.root()).sha256();
      signing = ca.signingChain();
    }
    try (LabOnlineCa again = start(Layout.SIBLING)) {
      assertThat(CertificateFacts.of(again.root()).sha256()).isEqualTo(root);
      assertThat(again.signingChain()).isEqualTo(signing);
    }
  }

  @Test
  void reopeningWithAnotherLayoutIsRefusedNamingBoth() throws Exception {
    try (LabOnlineCa ca = start(Layout.INTERMEDIATE)) {
      assertThat(ca.port()).isPositive();
    }
    assertThatThrownBy(() -> start(Layout.SIBLING)).isInstanceOf(IOException.class)
        .hasMessageContaining("layout intermediate").hasMessageContaining("not sibling").hasMessageContaining("delete");
  }

  @Test
  void reopeningWithAnotherHostNameIssuesANewHttpsCertificateFromTheSameRoot() throws Exception {
    X509Certificate root;
    try (LabOnlineCa ca = start(Layout.ISSUED_BY_ROOT)) {
      root = ca.root();
    }
    try (LabOnlineCa again = start(dir.resolve("online-ca"), "pki.lab.example", Layout.ISSUED_BY_ROOT,
        Clock.systemUTC())) {
      assertThat(again.root()).isEqualTo(root);
      assertThat(CertificateFacts.of(again.httpsCertificate()).commonName()).isEqualTo("pki.lab.example");
      assertIssuedBy(again.httpsCertificate(), root);
    }
  }

  @Test
  void reopeningLayoutSameWithAnotherHostNameIsRefusedBecauseTheRootNamesTheHost() throws Exception {
    try (LabOnlineCa ca = start(Layout.SAME)) {
      assertThat(ca.port()).isPositive();
    }
    assertThatThrownBy(() -> start(dir.resolve("online-ca"), "pki.lab.example", Layout.SAME, Clock.systemUTC()))
        .isInstanceOf(IOException.class).hasMessageContaining(HOST).hasMessageContaining("pki.lab.example");
  }

  @Test
  void endpointJsonSaysWhereItListensWhileRunningAndIsRemovedOnClose() throws Exception {
    Path folder = dir.resolve("online-ca");
    int port;
    try (LabOnlineCa ca = start(Layout.ISSUED_BY_ROOT)) {
      port = ca.port();
      assertThat(LabOnlineCa.registered(folder, "CA.lab.example"))
          .hasValue(new LabOnlineCa.Endpoint(HOST, "127.0.0.1", port));
      assertThat(LabOnlineCa.registered(folder, "other.lab.example")).isEmpty();
      assertThat(Files.readString(ca.endpointFile())).contains("\"port\":" + port);
    }
    assertThat(folder.resolve(LabOnlineCa.ENDPOINT_FILE)).doesNotExist();
    assertThat(LabOnlineCa.registered(folder, HOST)).isEmpty();
  }

  @Test
  void keysAndTheirPasswordArePrivateToTheOwnerAndTheFolderToo() throws Exception {
    Path folder = dir.resolve("online-ca");
    try (LabOnlineCa ca = start(Layout.SIBLING)) {
      assertThat(Files.getPosixFilePermissions(folder)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
      for (String name : List.of("root.p12", "issuing-ca.p12", "web-ca.p12", "https.p12", "keystore-password")) {
        assertThat(Files.getPosixFilePermissions(folder.resolve(name))).as(name)
            .isEqualTo(PosixFilePermissions.fromString("rw-------"));
      }
      assertThat(Files.getPosixFilePermissions(ca.rootPem())).isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
    }
  }

  @Test
  void refusesToBindAnAddressOtherThanLoopback() {
    assertThatThrownBy(() -> LabOnlineCa.start(dir.resolve("online-ca"), HOST, InetAddress.getByName("0.0.0.0"), 0,
        TEMPLATE, USER, PASSWORD.toCharArray(), Layout.SAME, Duration.ofDays(1), Clock.systemUTC()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("loopback");
  }

  // --- helpers

  private static void assertIssuedBy(X509Certificate certificate, X509Certificate issuer) throws Exception {
    assertThat(certificate.getIssuerX500Principal()).isEqualTo(issuer.getSubjectX500Principal());
    certificate.verify(issuer.getPublicKey());
  }

  private static boolean pkixValid(List<X509Certificate> chain, X509Certificate root) throws Exception {
    PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
    parameters.setRevocationEnabled(false);
    List<X509Certificate> path = chain.stream().filter(c -> !c.equals(root)).toList();
    CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(path),
        parameters);
    return true;
  }

  private static boolean opensslAvailable() {
    try {
      Process process = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static String csr() throws Exception {
    return OnlineCaCsrs.pem(KeyPairs.rsa(2048), "CN=SEP001122334455");
  }

  private static String form(String csr, String template) {
    return "Mode=newreq&CertRequest=" + URLEncoder.encode(csr, StandardCharsets.UTF_8) + "&CertAttrib="
        + URLEncoder.encode("CertificateTemplate:" + template, StandardCharsets.UTF_8)
        + "&TargetStoreFlags=0&SaveCert=yes";
  }

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private static URI uri(LabOnlineCa ca, String page) {
    return URI.create("https://127.0.0.1:" + ca.port() + "/certsrv/" + page);
  }

  private static HttpRequest.Builder post(LabOnlineCa ca, String authorization, String form) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(ca, "certfnsh.asp"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form));
    return authorization == null ? request : request.header("Authorization", authorization);
  }

  private static HttpRequest.Builder get(LabOnlineCa ca, String page) {
    return HttpRequest.newBuilder(uri(ca, page)).header("Authorization", basic(USER, PASSWORD)).GET();
  }

  private static HttpResponse<String> send(LabOnlineCa ca, HttpRequest.Builder request) throws Exception {
    HttpClient http = VerifiedHttp.client(AxlTls.context(List.of(ca.root())), Duration.ofSeconds(10), "the online CA",
        HOST);
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
