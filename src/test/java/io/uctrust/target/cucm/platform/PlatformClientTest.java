package io.uctrust.target.cucm.platform;

import io.uctrust.target.cucm.TlsIdentity;
import io.uctrust.target.cucm.FakeTime;
import io.uctrust.target.cucm.BasicCredentials;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.uctrust.cluster.ClusterException;
import io.uctrust.pki.KeyPairs;
import io.uctrust.target.cucm.axl.AxlTls;
import java.io.IOException;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PlatformClientTest {
  private static final String USER = "osadmin";
  private static final String PASSWORD = "Pl4tform-s3cret!";
  private static final List<String> SECRETS = List.of(PASSWORD,
      Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)));

  /** The node's own tomcat certificate for TLS: self-signed for localhost and 127.0.0.1, per run. */
  private static final TlsIdentity NODE_TLS = TlsIdentity.selfSigned("localhost", List.of("localhost"),
      List.of("127.0.0.1"));
  private static final TestPki PKI = TestPki.create("Example Corp");
  private static final KeyPair DEFAULT_KEYS = KeyPairs.ec(256);
  private static final X509Certificate DEFAULT_TOMCAT = TestPki.selfSigned(DEFAULT_KEYS, "cucm-pub.example.com");
  private static final X509Certificate DEFAULT_CALLMANAGER = TestPki.selfSigned(DEFAULT_KEYS, "CallManager-cucm-pub");

  private final List<FakePlatformNode> nodes = new ArrayList<>();
  private final FakeTime time = new FakeTime();

  @AfterEach
  void nodesSawOnlyWhatARealNodeAccepts() {
    nodes.forEach(FakePlatformNode::close);
    nodes.forEach(n -> assertThat(n.problems()).isEmpty());
  }

  /** A freshly installed node: self-signed tomcat and CallManager identities, each trusting itself. */
  private FakePlatformNode node() throws IOException {
    return node(NODE_TLS);
  }

  private FakePlatformNode node(TlsIdentity tls) throws IOException {
    FakePlatformNode node = new FakePlatformNode(tls, "cucm-pub", USER, PASSWORD);
    node.installIdentity("tomcat", TestPki.pem(DEFAULT_TOMCAT));
    node.installIdentity("CallManager", TestPki.pem(DEFAULT_CALLMANAGER));
    node.trust("tomcat", "cucm-pub.example.com.pem", TestPki.pem(DEFAULT_TOMCAT), "Self-signed certificate");
    node.trust("CallManager", "CallManager-cucm-pub.pem", TestPki.pem(DEFAULT_CALLMANAGER), null);
    nodes.add(node);
    return node;
  }

  private PlatformSettings settings(FakePlatformNode node) {
    return PlatformSettings.forBase(node.base()).withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5));
  }

  private PlatformClient client(PlatformSettings settings, String password) {
    return new PlatformClient(settings, BasicCredentials.of(USER, password),
        AxlTls.context(List.of(NODE_TLS.certificate())), time, time);
  }

  private PlatformClient client(PlatformSettings settings) {
    return client(settings, PASSWORD);
  }

  private PlatformClient client(FakePlatformNode node) {
    return client(settings(node));
  }

  /** No secret in the message or string form of the error, its causes or suppressed errors. */
  private static void assertNoSecrets(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      for (String secret : SECRETS) {
        assertThat(String.valueOf(t.getMessage())).doesNotContain(secret);
        assertThat(t.toString()).doesNotContain(secret);
      }
      for (Throwable suppressed : t.getSuppressed()) {
        assertNoSecrets(suppressed);
      }
    }
  }

  private static String at(FakePlatformNode node) {
    return "at 127.0.0.1:" + node.port();
  }

  private static PKCS10CertificationRequest readCsr(String pem) throws IOException {
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      return (PKCS10CertificationRequest) parser.readObject();
    }
  }

  private static String sha256(X509Certificate certificate) throws Exception {
    return HexFormat.ofDelimiter(":").withUpperCase()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
  }

  // ------------------------------------------------------------------ reads

  @Test
  void snapshotReadsEveryIdentityAndTrustedCertificateAndIgnoresUnknownFields() throws Exception {
    FakePlatformNode node = node();

    PlatformSnapshot snapshot = client(node).snapshot();

    assertThat(snapshot.server()).isEqualTo("cucm-pub");
    assertThat(snapshot.identities()).extracting(PlatformCertificate::service).containsExactly("tomcat", "CallManager");
    assertThat(snapshot.identity("tomcat").certificates()).containsExactly(DEFAULT_TOMCAT);
    assertThat(snapshot.trusts()).extracting(PlatformCertificate::service).containsExactly("tomcat", "CallManager");
    assertThat(snapshot.trusts("tomcat-trust")).singleElement().satisfies(c -> {
      assertThat(c.name()).isEqualTo("cucm-pub.example.com.pem");
      assertThat(c.description()).isEqualTo("Self-signed certificate");
      assertThat(c.certificates()).containsExactly(DEFAULT_TOMCAT);
    });
    assertThat(snapshot.trusts("CallManager")).singleElement().satisfies(c -> assertThat(c.description()).isNull());
    FakePlatformNode.Exchange exchange = node.exchanges().get(0);
    assertThat(exchange.method()).isEqualTo("GET");
    assertThat(exchange.resource()).isEqualTo("snapshot/server");
    assertThat(exchange.authorization()).isEqualTo("Basic " + SECRETS.get(1));
  }

  @Test
  void identityOfOneServiceIsReadWithTheServiceQuery() throws Exception {
    FakePlatformNode node = node();

    PlatformCertificate identity = client(node).identity("CallManager");

    assertThat(identity.service()).isEqualTo("CallManager");
    assertThat(identity.certificates()).containsExactly(DEFAULT_CALLMANAGER);
    assertThat(node.exchanges()).singleElement().satisfies(x -> {
      assertThat(x.method()).isEqualTo("GET");
      assertThat(x.resource()).isEqualTo("identity/certificate");
      assertThat(x.query()).isEqualTo(Map.of("service", "CallManager"));
    });
  }

  @Test
  void trustStoreOfOneServiceIsReadWithTheServiceQuery() throws Exception {
    FakePlatformNode node = node();
    node.trust("tomcat", "Example_Corp_Root_CA.pem", TestPki.pem(PKI.root()), "corporate root");

    List<PlatformCertificate> trusted = client(node).trust("tomcat");

    assertThat(trusted).extracting(PlatformCertificate::name)
        .containsExactly("cucm-pub.example.com.pem", "Example_Corp_Root_CA.pem");
    assertThat(trusted).allSatisfy(c -> assertThat(c.service()).isEqualTo("tomcat"));
    assertThat(trusted.get(1).certificates()).containsExactly(PKI.root());
    assertThat(node.exchanges()).singleElement().satisfies(x -> {
      assertThat(x.resource()).isEqualTo("trust/certificate");
      assertThat(x.query()).isEqualTo(Map.of("service", "tomcat"));
    });
  }

  // ------------------------------------------------------------------ CSR and uploads

  @Test
  void csrIsRequestedWithTheReferenceFieldsAndComesBackAsPem() throws Exception {
    FakePlatformNode node = node();

    String csr = client(node).generateCsr(new CsrRequest("tomcat", CsrRequest.THIS_SERVER, "cucm-pub.example.com",
        CsrRequest.EC, 256, "sha256", List.of("cucm-pub.example.com", "cucm.example.com")));

    assertThat(csr).startsWith("-----BEGIN CERTIFICATE REQUEST-----").endsWith("-----END CERTIFICATE REQUEST-----");
    PKCS10CertificationRequest request = readCsr(csr);
    assertThat(request.getSubject().toString()).contains("CN=cucm-pub.example.com");
    assertThat(request.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)).hasSize(1);
    FakePlatformNode.Exchange exchange = node.exchanges().get(0);
    assertThat(exchange.method()).isEqualTo("POST");
    assertThat(exchange.resource()).isEqualTo("csr");
    assertThat(exchange.contentType()).isEqualTo("application/json");
    assertThat(exchange.body().toString()).isEqualTo("{\"service\":\"tomcat\",\"distribution\":\"this-server\","
        + "\"commonName\":\"cucm-pub.example.com\",\"keyType\":\"ec\",\"keyLength\":256,\"hashAlgorithm\":\"sha256\","
        + "\"altNames\":[\"cucm-pub.example.com\",\"cucm.example.com\"]}");
  }

  @Test
  void aCaSignedIdentityIsInstalledOnceItsChainIsTrusted() throws Exception {
    FakePlatformNode node = node();
    PlatformClient platform = client(node);

    String csr = platform.generateCsr(new CsrRequest("tomcat", CsrRequest.THIS_SERVER, "cucm-pub.example.com",
        CsrRequest.EC, 256, "sha256", List.of("cucm-pub.example.com")));
    X509Certificate leaf = PKI.issue(new JcaPKCS10CertificationRequest(readCsr(csr)).getPublicKey(),
        "cucm-pub.example.com", List.of("cucm-pub.example.com"));
    platform.uploadTrust(List.of("tomcat", "CallManager"), List.of(TestPki.pem(PKI.root()),
        TestPki.pem(PKI.intermediate())), "Example Corp CA chain");
    platform.uploadIdentity("tomcat", PKI.chain(leaf));

    assertThat(node.identityPem("tomcat")).isEqualTo(TestPki.pem(leaf));
    assertThat(node.trustedPems("CallManager")).contains(TestPki.pem(PKI.root()), TestPki.pem(PKI.intermediate()));
    FakePlatformNode.Exchange trust = node.exchanges().get(1);
    assertThat(trust.method() + " " + trust.resource()).isEqualTo("POST trust/certificates");
    assertThat(trust.body().get("service").toString()).isEqualTo("[\"tomcat\",\"CallManager\"]");
    assertThat(trust.body().get("certificates").size()).isEqualTo(2);
    assertThat(trust.body().get("description").stringValue()).isEqualTo("Example Corp CA chain");
    FakePlatformNode.Exchange identity = node.exchanges().get(2);
    assertThat(identity.method() + " " + identity.resource()).isEqualTo("POST identity/certificates");
    assertThat(identity.body().get("service").stringValue()).isEqualTo("tomcat");
    assertThat(identity.body().get("certificates").values()).extracting(n -> n.stringValue())
        .containsExactlyElementsOf(PKI.chain(leaf));
    assertThat(platform.snapshot().identity("tomcat").certificates()).containsExactly(leaf);
  }

  @Test
  void anIdentityUploadedBeforeItsChainIsTrustedExplainsTheTrustBeforeIdentityRule() throws Exception {
    FakePlatformNode node = node();
    PlatformClient platform = client(node);
    String csr = platform.generateCsr(CsrRequest.thisServer("tomcat", "cucm-pub.example.com", List.of()));
    X509Certificate leaf = PKI.issue(new JcaPKCS10CertificationRequest(readCsr(csr)).getPublicKey(),
        "cucm-pub.example.com", List.of("cucm-pub.example.com"));

    Throwable error = catchThrowable(() -> platform.uploadIdentity("tomcat", PKI.chain(leaf)));

    assertThat(error).isInstanceOf(ClusterException.class)
        .hasMessageStartingWith("platform API POST identity/certificates (tomcat) " + at(node) + " answered HTTP 400: "
            + "the node rejects the identity: upload the signing CA chain to tomcat-trust first")
        .hasMessageContaining("(the node says: Failed to upload the certificate: the CA certificate CN=Example Corp "
            + "Issuing CA,O=uctrust test is not in tomcat-trust)");
    assertThat(node.identityPem("tomcat")).isEqualTo(TestPki.pem(DEFAULT_TOMCAT));
    assertThat(node.exchanges()).hasSize(2); // the CSR and one upload: 400 is not retried
    assertNoSecrets(error);
  }

  @Test
  void aChainOutOfOrderIsRefusedBeforeAnythingIsSent() throws Exception {
    FakePlatformNode node = node();
    PlatformClient platform = client(node);
    X509Certificate leaf = PKI.issue(KeyPairs.ec(256).getPublic(), "cucm-pub.example.com",
        List.of("cucm-pub.example.com"));
    String leafPem = TestPki.pem(leaf);
    String intermediate = TestPki.pem(PKI.intermediate());
    String root = TestPki.pem(PKI.root());

    assertThatThrownBy(() -> platform.uploadIdentity("tomcat", List.of(leafPem, root, intermediate)))
        .isInstanceOf(PlatformRequestRefused.class)
        .hasMessage("the identity chain for tomcat was not sent: certificate 1 (CN=cucm-pub.example.com,O=uctrust test)"
            + " is not issued by certificate 2 (CN=Example Corp Root CA,O=uctrust test); give the leaf, then "
            + "intermediates, then the root, each issued by the next");
    assertThatThrownBy(() -> platform.uploadIdentity("tomcat", List.of(root, intermediate, leafPem)))
        .isInstanceOf(PlatformRequestRefused.class).hasMessageContaining("certificate 1 (CN=Example Corp Root CA")
        .hasMessageContaining("is self-signed but not last");
    assertThatThrownBy(() -> platform.uploadIdentity("tomcat", List.of(leafPem, intermediate)))
        .isInstanceOf(PlatformRequestRefused.class)
        .hasMessageContaining("the last certificate (CN=Example Corp Issuing CA,O=uctrust test) is not a self-signed root");
    assertThatThrownBy(() -> platform.uploadIdentity("tomcat", List.of(leafPem)))
        .isInstanceOf(PlatformRequestRefused.class).hasMessageContaining("is not a self-signed root");
    assertThat(node.exchanges()).isEmpty();
  }

  @Test
  void aTrustUploadOfTextThatIsNotOneCertificateIsRefusedBeforeSending() throws Exception {
    FakePlatformNode node = node();
    PlatformClient platform = client(node);
    String root = TestPki.pem(PKI.root());

    assertThatThrownBy(() -> platform.uploadTrust(List.of("tomcat"), List.of(root + TestPki.pem(PKI.intermediate())),
        null)).isInstanceOf(PlatformRequestRefused.class)
        .hasMessage("the trust upload to tomcat was not sent: entry 1 holds 2 certificates; give one certificate per "
            + "entry");
    assertThatThrownBy(() -> platform.uploadTrust(List.of("tomcat"), List.of(root, "not a certificate"), null))
        .isInstanceOf(PlatformRequestRefused.class).hasMessageContaining("entry 2 is not a PEM certificate");
    assertThatThrownBy(() -> platform.uploadTrust(List.of("tomcat"), List.of(), null))
        .isInstanceOf(PlatformRequestRefused.class).hasMessageContaining("no certificates");
    assertThat(node.exchanges()).isEmpty();
  }

  @Test
  void aTrustUploadWithoutADescriptionSendsUctrustsDescription() throws Exception {
    FakePlatformNode node = node();

    client(node).uploadTrust(List.of("tomcat"), List.of(TestPki.pem(PKI.root())), null);

    assertThat(node.exchanges().get(0).body().get("description").stringValue())
        .isEqualTo(PlatformClient.DEFAULT_TRUST_DESCRIPTION);
    assertThat(node.trustedNames("tomcat")).containsExactly("cucm-pub.example.com.pem", "Example_Corp_Root_CA.pem");
  }

  // ------------------------------------------------------------------ delete (not confirmed by the reference)

  @Test
  void aTrustedCertificateIsDeletedByItsNameOrByItsFingerprint() throws Exception {
    FakePlatformNode node = node();
    node.trust("tomcat", "Example_Corp_Root_CA.pem", TestPki.pem(PKI.root()), "root");
    node.trust("tomcat", "Example_Corp_Issuing_CA.pem", TestPki.pem(PKI.intermediate()), "issuing");
    PlatformClient platform = client(node);

    assertThat(platform.deleteTrust("tomcat", "Example_Corp_Root_CA.pem")).isTrue();
    assertThat(platform.deleteTrust("tomcat", sha256(PKI.intermediate()))).isTrue();

    assertThat(node.trustedNames("tomcat")).containsExactly("cucm-pub.example.com.pem");
    assertThat(node.exchanges()).extracting(x -> x.method() + " " + x.resource() + " " + x.query()).containsExactly(
        "DELETE trust/certificate {service=tomcat, certificateName=Example_Corp_Root_CA.pem}",
        "GET trust/certificate {service=tomcat}",
        "DELETE trust/certificate {service=tomcat, certificateName=Example_Corp_Issuing_CA.pem}");
  }

  @Test
  void deletingByAFingerprintThatIsNotTrustedSendsNoDelete() throws Exception {
    FakePlatformNode node = node();

    assertThat(client(node).deleteTrust("tomcat", sha256(PKI.root()).replace(":", "").toLowerCase())).isFalse();

    assertThat(node.exchanges()).extracting(FakePlatformNode.Exchange::method).containsExactly("GET");
  }

  @Test
  void aNodeWithoutTheAssumedDeleteRequestSaysTheRequestIsAnAssumption() throws Exception {
    FakePlatformNode node = node();
    node.queue(FakePlatformNode.Reply.tomcatPage(405));

    assertThatThrownBy(() -> client(node).deleteTrust("tomcat", "cucm-pub.example.com.pem"))
        .isInstanceOf(ClusterException.class)
        .hasMessageStartingWith("platform API DELETE trust/certificate (tomcat) " + at(node) + " answered HTTP 405: "
            + "the node does not support this request")
        .hasMessageContaining("an assumption, not confirmed by Cisco")
        .hasMessageContaining("(the node says: HTTP Status 405 HTTP Status 405)");
  }

  // ------------------------------------------------------------------ HTTP failures

  @Test
  void aWrongPasswordIsAnAuthenticationFailureNamingTheUserButNotThePassword() throws Exception {
    FakePlatformNode node = node();

    Throwable error = catchThrowable(() -> client(settings(node), "wrong-" + PASSWORD).snapshot());

    assertThat(error).isInstanceOf(ClusterException.class)
        .hasMessage("platform API authentication failed for user osadmin " + at(node) + " (HTTP 401): check the OS "
            + "platform administrator's password, and that the account is not locked or expired");
    assertThat(error.getMessage()).doesNotContain("wrong-");
    assertNoSecrets(error);
    assertThat(time.sleeps()).isEmpty(); // 401 is not retried: retrying could lock the account
  }

  @Test
  void aNodeBeforeRelease14HasNoApiAndSaysSo() throws Exception {
    FakePlatformNode node = node();
    node.withoutApi();

    Throwable snapshot = catchThrowable(() -> client(node).snapshot());
    Throwable trust = catchThrowable(() -> client(node).trust("tomcat"));

    assertThat(snapshot).isInstanceOf(ClusterException.class)
        .hasMessage("platform API GET snapshot/server " + at(node) + " answered HTTP 404: the node has no platform "
            + "certificate API at /platformcom/api/v1/certmgr/config/ (it needs Unified CM, IM and Presence or Unity "
            + "Connection 14 or later) (the node says: HTTP Status 404 HTTP Status 404)");
    assertThat(trust).hasMessageContaining("answered HTTP 404: no trust store for service tomcat, or the node has no "
        + "platform certificate API");
    assertNoSecrets(snapshot);
  }

  @Test
  void http503TwiceIsRetriedWithExponentialBackoffThenSucceeds() throws Exception {
    FakePlatformNode node = node();
    node.queue(FakePlatformNode.Reply.tomcatPage(503), FakePlatformNode.Reply.tomcatPage(503));

    PlatformCertificate identity = client(node).identity("tomcat");

    assertThat(identity.certificates()).containsExactly(DEFAULT_TOMCAT);
    assertThat(node.exchanges()).hasSize(3);
    assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
  }

  @Test
  void retryAfterIsHonouredUpToTheMaximumBackoff() throws Exception {
    FakePlatformNode node = node();
    node.queue(FakePlatformNode.Reply.tomcatPage(503).withHeader("Retry-After", "7"),
        FakePlatformNode.Reply.tomcatPage(503).withHeader("Retry-After", "3600"));

    client(node).snapshot();

    assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(7), Duration.ofSeconds(30));
  }

  @Test
  void aNodeThatStaysUnavailableIsGivenUpOnWithAClearMessage() throws Exception {
    FakePlatformNode node = node();
    node.intercept(x -> FakePlatformNode.Reply.message(503, "Certificate Manager is busy"));
    PlatformClient platform = client(settings(node).withRetry(3, Duration.ofSeconds(1), Duration.ofSeconds(30)));

    Throwable error = catchThrowable(() -> platform.uploadTrust(List.of("tomcat"), List.of(TestPki.pem(PKI.root())),
        "root"));

    assertThat(error).isInstanceOf(ClusterException.class)
        .hasMessage("platform API POST trust/certificates (tomcat) " + at(node) + " is unavailable (HTTP 503): gave up "
            + "after 3 attempts (the node says: Certificate Manager is busy). Try again later, or lower the platform "
            + "API requests per second");
    assertThat(node.exchanges()).hasSize(3);
    assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
  }

  @Test
  void aServerErrorCarriesTheNodesMessageWithThePasswordRedacted() throws Exception {
    FakePlatformNode node = node();
    node.intercept(x -> FakePlatformNode.Reply.message(500, "login " + USER + "/" + PASSWORD + " failed in certmgr"));

    Throwable error = catchThrowable(() -> client(node).generateCsr(
        CsrRequest.thisServer("tomcat", "cucm-pub.example.com", List.of())));

    assertThat(error).isInstanceOf(ClusterException.class)
        .hasMessage("platform API POST csr (tomcat) " + at(node) + " answered HTTP 500: the request failed on the node "
            + "(the node says: login osadmin/<redacted> failed in certmgr)");
    assertNoSecrets(error);
    assertThat(time.sleeps()).isEmpty(); // only 503 is retried: a POST that failed with 500 may have been applied
  }

  @Test
  void aNodeThatNeverAnswersTimesOutNamingTheRequestAndNode() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    FakePlatformNode node = node();
    node.intercept(x -> {
      never.await(10, TimeUnit.SECONDS);
      return FakePlatformNode.Reply.tomcatPage(504);
    });
    PlatformSettings settings = settings(node).withTimeouts(Duration.ofSeconds(5), Duration.ofMillis(300));
    try {
      long started = System.nanoTime();
      Throwable error = catchThrowable(() -> client(settings).identity("tomcat"));

      assertThat(error).isInstanceOf(ClusterException.class)
          .hasMessage("platform API GET identity/certificate (tomcat) " + at(node) + " did not answer within 300 ms");
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
      assertNoSecrets(error);
    } finally {
      never.countDown();
    }
  }

  @Test
  void aRefusedConnectionIsReportedClearly() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    PlatformSettings settings = PlatformSettings.forNode("127.0.0.1", port);

    assertThatThrownBy(() -> client(settings).snapshot())
        .isInstanceOf(ClusterException.class)
        .hasMessage("cannot connect to the platform API at 127.0.0.1:" + port + " for GET snapshot/server: connection "
            + "refused or host unreachable");
  }

  @Test
  void anAnswerThatIsNotJsonIsAnUnexpectedResponse() throws Exception {
    FakePlatformNode node = node();
    node.queue(new FakePlatformNode.Reply(200, "text/html", "<html><body>Cisco Unified OS Administration</body></html>",
        Map.of()));

    assertThatThrownBy(() -> client(node).snapshot())
        .isInstanceOf(ClusterException.class)
        .hasMessageStartingWith("platform API GET snapshot/server " + at(node) + " answered with an unexpected response: "
            + "a body that is not JSON");
  }

  @Test
  void aResponseLargerThanTheLimitIsRefused() throws Exception {
    FakePlatformNode node = node();
    node.queue(FakePlatformNode.Reply.message(200, "x".repeat(4_000)));

    assertThatThrownBy(() -> client(settings(node).withMaxResponseBytes(1_024)).snapshot())
        .isInstanceOf(ClusterException.class).hasMessageContaining("sent a response larger than 1024 bytes; refused");
  }

  @Test
  void requestsArePacedToTheConfiguredRate() throws Exception {
    FakePlatformNode node = node();
    PlatformClient platform = client(settings(node).withRequestsPerSecond(2));

    for (int i = 0; i < 4; i++) {
      platform.identity("tomcat");
    }

    assertThat(time.sleeps()).hasSize(3).allMatch(d -> d.equals(Duration.ofMillis(500)));
  }

  // ------------------------------------------------------------------ TLS

  @Test
  void aServerCertificateNotInTheTrustBundleFailsTlsWithAClearMessage() throws Exception {
    FakePlatformNode node = node(TlsIdentity.selfSigned("cucm-rogue", List.of("localhost"), List.of("127.0.0.1")));

    Throwable error = catchThrowable(() -> client(node).snapshot());

    assertThat(error).isInstanceOf(ClusterException.class)
        .hasMessageStartingWith("TLS verification of the platform API " + at(node) + " failed for GET snapshot/server: "
            + "the server's certificate is not issued by a certificate in the trust bundle")
        .hasMessageContaining("never skips verification");
    assertThat(node.exchanges()).isEmpty();
    assertNoSecrets(error);
  }

  @Test
  void aTrustedCertificateForAnotherHostFailsHostNameVerification() throws Exception {
    TlsIdentity elsewhere = TlsIdentity.selfSigned("cucm-sub1.example.com", List.of("cucm-sub1.example.com"), List.of());
    FakePlatformNode node = node(elsewhere);
    PlatformClient platform = new PlatformClient(settings(node), BasicCredentials.of(USER, PASSWORD),
        AxlTls.context(List.of(elsewhere.certificate())), time, time);

    Throwable error = catchThrowable(() -> platform.snapshot());

    assertThat(error).isInstanceOf(ClusterException.class)
        .hasMessageContaining("the server's certificate does not name 127.0.0.1");
    assertThat(node.exchanges()).isEmpty();
    assertNoSecrets(error);
  }

  @Test
  void aJvmWithHostNameVerificationDisabledIsRefused() {
    String property = "jdk.internal.httpclient.disableHostnameVerification";
    System.setProperty(property, "true");
    try {
      assertThatThrownBy(() -> new PlatformClient(PlatformSettings.forNode("cucm-pub.example.com"),
          BasicCredentials.of(USER, PASSWORD), AxlTls.context(List.of(NODE_TLS.certificate()))))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("host name verification");
    } finally {
      System.clearProperty(property);
    }
  }

  // ------------------------------------------------------------------ settings and secrets

  @Test
  void onlyHttpsBasesAreAcceptedAndNodeNamesBecomeTheReferenceBase() {
    assertThat(PlatformSettings.forNode("cucm-pub.example.com").base())
        .isEqualTo(URI.create("https://cucm-pub.example.com/platformcom/api/v1/certmgr/config/"));
    assertThat(PlatformSettings.forNode("2001:db8::10", 8443).base())
        .isEqualTo(URI.create("https://[2001:db8::10]:8443/platformcom/api/v1/certmgr/config/"));
    assertThat(PlatformSettings.forBase(URI.create("https://node.example.com/platformcom/api/v1/certmgr/config")).base())
        .isEqualTo(URI.create("https://node.example.com/platformcom/api/v1/certmgr/config/"));
    assertThat(PlatformSettings.forNode("cucm-pub.example.com").hostAndPort()).isEqualTo("cucm-pub.example.com:443");
    assertThatThrownBy(() -> PlatformSettings.forBase(URI.create("http://cucm-pub.example.com/platformcom/")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("https");
    assertThatThrownBy(() -> PlatformSettings.forBase(URI.create("https://admin:pw@cucm-pub.example.com/")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("user information")
        .hasMessageNotContaining("pw");
  }

  @Test
  void secretsNeverShowInStringForms() {
    BasicCredentials credentials = BasicCredentials.of(USER, PASSWORD);

    assertThat(credentials.toString()).contains(USER).doesNotContain(PASSWORD);
    assertThat(credentials.redact("echo " + PASSWORD + PASSWORD + " end")).isEqualTo("echo <redacted><redacted> end");
    assertThat(credentials.redact("no secret here")).isEqualTo("no secret here");
  }
}
