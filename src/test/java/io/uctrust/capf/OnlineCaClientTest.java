package io.uctrust.capf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.uctrust.capf.OnlineCaException.Kind;
import io.uctrust.pki.CertificateFacts;
import io.uctrust.pki.CertificateMaker;
import io.uctrust.pki.KeyPairs;
import io.uctrust.target.lab.LabOnlineCa;
import io.uctrust.target.lab.LabOnlineCa.Layout;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnlineCaClientTest {

  private static final String HOST = "ca.lab.example";
  private static final String TEMPLATE = "CiscoRA";
  private static final String USER = "capf-enroll";
  private static final String PASSWORD = "s3cret-Password";
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @TempDir Path dir;

  private LabOnlineCa start(Layout layout) throws IOException {
    return LabOnlineCa.start(dir.resolve("online-ca"), HOST, InetAddress.getByName("127.0.0.1"), 0, TEMPLATE, USER,
        PASSWORD.toCharArray(), layout, Duration.ofDays(730), Clock.systemUTC());
  }

  private static InetSocketAddress at(LabOnlineCa ca) {
    return new InetSocketAddress("127.0.0.1", ca.port());
  }

  private static String rsaCsr() throws Exception {
    return OnlineCaCsrs.pem(KeyPairs.rsa(2048), "CN=SEP001122334455");
  }

  private static OnlineCaException failure(Collection<X509Certificate> trusted, String hostname, int port,
      InetSocketAddress address, String template, String password, String csr) {
    return catchThrowableOfType(OnlineCaException.class, () -> new OnlineCaClient(trusted, TIMEOUT)
        .enroll(hostname, port, address, template, USER, password.toCharArray(), csr));
  }

  @Test
  void enrollmentReturnsTheIssuedCertificateFirstThenItsIssuersUpToTheRoot() throws Exception {
    try (LabOnlineCa ca = start(Layout.SIBLING)) {
      KeyPair keys = KeyPairs.rsa(2048);
      List<X509Certificate> chain = new OnlineCaClient(List.of(ca.root()), TIMEOUT).enroll(HOST, 443, at(ca), TEMPLATE,
          USER, PASSWORD.toCharArray(), OnlineCaCsrs.pem(keys, "CN=SEP001122334455"));

      assertThat(chain).hasSize(3);
      assertThat(chain.get(0).getPublicKey()).isEqualTo(keys.getPublic());
      assertThat(chain.subList(1, 3)).containsExactlyElementsOf(ca.signingChain());
    }
  }

  @Test
  void trustingOnlyTheHttpsCertificateOfLayoutSameIsEnough() throws Exception {
    try (LabOnlineCa ca = start(Layout.SAME)) {
      List<X509Certificate> chain = new OnlineCaClient(List.of(ca.httpsCertificate()), TIMEOUT).enroll(HOST, 443, at(ca),
          TEMPLATE, USER, PASSWORD.toCharArray(), rsaCsr());
      assertThat(chain).hasSize(2).endsWith(ca.root());
    }
  }

  @Test
  void aWrongPasswordIsUnauthorizedAndTheMessageNeverShowsIt() throws Exception {
    try (LabOnlineCa ca = start(Layout.ISSUED_BY_ROOT)) {
      OnlineCaException e = failure(List.of(ca.root()), HOST, 443, at(ca), TEMPLATE, "hunter2-wrong", rsaCsr());
      assertThat(e.kind()).isEqualTo(Kind.UNAUTHORIZED);
      assertThat(e.getMessage()).contains(HOST + ":443").doesNotContain("hunter2-wrong").doesNotContain(PASSWORD);
    }
  }

  @Test
  void anUnknownTemplateIsDeniedWithTheCasReasonNamingTheTemplate() throws Exception {
    try (LabOnlineCa ca = start(Layout.ISSUED_BY_ROOT)) {
      OnlineCaException e = failure(List.of(ca.root()), HOST, 443, at(ca), "WebServer", PASSWORD, rsaCsr());
      assertThat(e.kind()).isEqualTo(Kind.DENIED);
      assertThat(e.getMessage()).contains(HOST + ":443").contains("0x80094800")
          .contains("not supported by the Active Directory Certificate Services policy: WebServer.");
    }
  }

  @Test
  void anEcP256CsrIsDeniedBecauseTheOnlineCaTakesRsaOnly() throws Exception {
    try (LabOnlineCa ca = start(Layout.ISSUED_BY_ROOT)) {
      OnlineCaException e = failure(List.of(ca.root()), HOST, 443, at(ca), TEMPLATE, PASSWORD,
          OnlineCaCsrs.pem(KeyPairs.ec(256), "CN=SEP001122334455"));
      assertThat(e.kind()).isEqualTo(Kind.DENIED);
      assertThat(e.getMessage()).contains("does not meet the minimum size").contains("RSA only");
    }
  }

  @Test
  void aClientTrustingAnotherRootFindsTheCaUntrusted() throws Exception {
    KeyPair other = KeyPairs.rsa(2048);
    X509Certificate otherRoot = new CertificateMaker().selfSigned(other, new CertificateMaker.Request(
        "CN=Some Other Root,O=elsewhere", List.of(), Instant.now().minusSeconds(60), Instant.now().plusSeconds(86400),
        true, null, KeyUsage.keyCertSign, List.of(), "SHA256"));
    try (LabOnlineCa ca = start(Layout.INTERMEDIATE)) {
      OnlineCaException e = failure(List.of(otherRoot), HOST, 443, at(ca), TEMPLATE, PASSWORD, rsaCsr());
      assertThat(e.kind()).isEqualTo(Kind.UNTRUSTED);
      assertThat(e.getMessage()).contains(HOST + ":443").contains("CAPF-trust");
      assertThat(ca.requests()).isZero();
    }
  }

  @Test
  void anEmptyCapfTrustFindsTheCaUntrusted() throws Exception {
    try (LabOnlineCa ca = start(Layout.ISSUED_BY_ROOT)) {
      assertThat(failure(List.of(), HOST, 443, at(ca), TEMPLATE, PASSWORD, rsaCsr()).kind()).isEqualTo(Kind.UNTRUSTED);
    }
  }

  @Test
  void aHostNameTheCaCertificateDoesNotCarryIsUntrusted() throws Exception {
    try (LabOnlineCa ca = start(Layout.ISSUED_BY_ROOT)) {
      OnlineCaException e = failure(List.of(ca.root()), "pki.lab.example", 443, at(ca), TEMPLATE, PASSWORD, rsaCsr());
      assertThat(e.kind()).isEqualTo(Kind.UNTRUSTED);
      assertThat(e.getMessage()).contains("does not name pki.lab.example");
    }
  }

  @Test
  void nothingListeningIsUnreachable() throws Exception {
    int port = freePort();
    OnlineCaException e = failure(List.of(), HOST, 443, new InetSocketAddress("127.0.0.1", port), TEMPLATE, PASSWORD,
        rsaCsr());
    assertThat(e.kind()).isEqualTo(Kind.UNREACHABLE);
    assertThat(e.getMessage()).contains(HOST + ":443").contains("127.0.0.1:" + port);
  }

  @Test
  void aNameThatDoesNotResolveIsUnresolved() throws Exception {
    OnlineCaException e = failure(List.of(), "no-such-host.invalid", 443, null, TEMPLATE, PASSWORD, rsaCsr());
    assertThat(e.kind()).isEqualTo(Kind.UNRESOLVED);
    assertThat(e.getMessage()).contains("no-such-host.invalid:443").contains("does not resolve");
  }

  @Test
  void theProbeReportsTheServedChainWithoutTrustingItAndSendsNoRequest() throws Exception {
    try (LabOnlineCa ca = start(Layout.SIBLING)) {
      OnlineCaClient.Probe probe = OnlineCaClient.probe(HOST, 443, at(ca), TIMEOUT);

      assertThat(probe.resolved()).isTrue();
      assertThat(probe.addresses()).containsExactly("127.0.0.1");
      assertThat(probe.error()).isNull();
      assertThat(probe.servedChain()).containsExactlyElementsOf(ca.httpsChain());
      assertThat(CertificateFacts.of(probe.servedChain().get(0)).commonName()).isEqualTo(HOST);
      assertThat(ca.requests()).isZero();
    }
  }

  @Test
  void theProbeOfANameThatDoesNotResolveSaysSo() {
    OnlineCaClient.Probe probe = OnlineCaClient.probe("no-such-host.invalid", 443, null, TIMEOUT);
    assertThat(probe.resolved()).isFalse();
    assertThat(probe.addresses()).isEmpty();
    assertThat(probe.servedChain()).isEmpty();
    assertThat(probe.error()).contains("does not resolve");
  }

  @Test
  void theProbeWhereNothingListensGivesAnEmptyChainAndTheReason() throws Exception {
    int port = freePort();
    OnlineCaClient.Probe probe = OnlineCaClient.probe(HOST, 443, new InetSocketAddress("127.0.0.1", port), TIMEOUT);
    assertThat(probe.resolved()).isTrue();
    assertThat(probe.servedChain()).isEmpty();
    assertThat(probe.error()).contains("127.0.0.1:" + port);
  }

  /** A loopback port nobody listens on: bound, then freed. */
  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    }
  }
}
