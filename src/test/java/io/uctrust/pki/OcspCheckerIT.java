package io.uctrust.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.uctrust.pki.RevocationStatus.Reason;
import io.uctrust.pki.RevocationStatus.State;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link OcspChecker} against the real {@code openssl ocsp} responder, answering from the database of a CA run by
 * {@code openssl ca} ({@link OpensslCa}): good and revoked certificates, responders signing as the CA, as a
 * delegated responder, and as impostors; AIA and configured responder URLs; unreachable and broken responders.
 */
class OcspCheckerIT {
  private static final String LEAF = """
      basicConstraints = critical,CA:FALSE
      keyUsage = critical,digitalSignature,keyEncipherment
      extendedKeyUsage = serverAuth,clientAuth
      authorityKeyIdentifier = keyid
      """;

  @TempDir Path dir;

  private final List<AutoCloseable> running = new ArrayList<>();
  private OpensslCa ca;
  private int port;
  private X509Certificate issuer;

  @BeforeEach
  void createCa() throws Exception {
    ca = OpensslCa.create(dir.resolve("ca"), "Example Issuing CA", OpensslCa.Profile.SERVER);
    issuer = read(ca.certificate());
    port = OpensslOcspResponder.freePort();
  }

  @AfterEach
  void stopResponders() throws Exception {
    for (AutoCloseable resource : running) {
      resource.close();
    }
  }

  @Test
  void aGoodCertificateIsGoodAccordingToTheResponderNamedInItsAia() throws Exception {
    X509Certificate good = issue("good.example.com", aia(port));
    OpensslOcspResponder responder = responder(ca.certificate(), ca.key());
    Instant now = Instant.now();

    RevocationStatus status = checker(now).check(good, issuer, null);

    assertThat(OcspChecker.responderOf(good)).contains(responder.uri());
    assertThat(status.state()).isEqualTo(State.GOOD);
    assertThat(status.responder()).isEqualTo(responder.uri());
    assertThat(status.thisUpdate()).isBetween(now.minusSeconds(60), now.plusSeconds(60));
    assertThat(status.producedAt()).isBetween(now.minusSeconds(60), now.plusSeconds(60));
    assertThat(status.nextUpdate()).isNull();
    assertThat(status.revokedAt()).isNull();
    assertThat(status.describe()).isEqualTo("good according to " + responder.uri());
  }

  @Test
  void aRevokedCertificateIsRevokedWithItsTimeAndReason() throws Exception {
    X509Certificate revoked = issue("revoked.example.com", aia(port));
    Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    ca.revoke(dir.resolve("revoked.example.com.pem"), "keyCompromise");
    Instant after = Instant.now();
    responder(ca.certificate(), ca.key());

    RevocationStatus status = checker(Instant.now()).check(revoked, issuer, null);

    assertThat(status.state()).isEqualTo(State.REVOKED);
    assertThat(status.revoked()).isTrue();
    assertThat(status.reason()).isEqualTo(Reason.KEY_COMPROMISE);
    assertThat(status.revokedAt()).isBetween(before, after);
    assertThat(status.describe()).startsWith("revoked at " + status.revokedAt() + " (keyCompromise) according to");
  }

  @Test
  void aDelegatedResponderTheIssuerCertifiedForOcspSigningIsBelieved() throws Exception {
    X509Certificate good = issue("good.example.com", aia(port));
    X509Certificate revoked = issue("revoked.example.com", aia(port));
    ca.revoke(dir.resolve("revoked.example.com.pem"), "superseded");
    issue("ocsp.example.com", """
        basicConstraints = critical,CA:FALSE
        keyUsage = critical,digitalSignature
        extendedKeyUsage = OCSPSigning
        authorityKeyIdentifier = keyid
        """);
    responder(dir.resolve("ocsp.example.com.pem"), dir.resolve("ocsp.example.com.key"));
    OcspChecker checker = checker(Instant.now());

    assertThat(checker.check(good, issuer, null).state()).isEqualTo(State.GOOD);
    assertThat(checker.check(revoked, issuer, null).reason()).isEqualTo(Reason.SUPERSEDED);
  }

  @Test
  void aResponderNamingItselfByKeyHashIsRecognisedAsTheIssuer() throws Exception {
    X509Certificate good = issue("good.example.com", aia(port));
    responder(ca.certificate(), ca.key(), "-resp_key_id");

    assertThat(checker(Instant.now()).check(good, issuer, null).state()).isEqualTo(State.GOOD);
  }

  @Test
  void aReplayedResponseIsRejectedByItsNonce() throws Exception {
    X509Certificate good = issue("good.example.com", LEAF);
    OpensslOcspResponder responder = responder(ca.certificate(), ca.key());
    // a man in the middle that forwards the first request and answers every later one with that response
    byte[][] recorded = new byte[1][];
    HttpServer replayer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    replayer.createContext("/", exchange -> {
      byte[] request = exchange.getRequestBody().readAllBytes();
      if (recorded[0] == null) {
        try {
          recorded[0] = HttpClient.newHttpClient().send(HttpRequest.newBuilder(responder.uri())
              .header("Content-Type", "application/ocsp-request").POST(HttpRequest.BodyPublishers.ofByteArray(request))
              .build(), HttpResponse.BodyHandlers.ofByteArray()).body();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException(e);
        }
      }
      exchange.sendResponseHeaders(200, recorded[0].length);
      exchange.getResponseBody().write(recorded[0]);
      exchange.close();
    });
    replayer.start();
    running.add(() -> replayer.stop(0));
    URI replaying = URI.create("http://127.0.0.1:" + replayer.getAddress().getPort() + "/");
    OcspChecker checker = checker(Instant.now());

    assertThat(checker.check(good, issuer, replaying).state()).isEqualTo(State.GOOD);
    assertThatThrownBy(() -> checker.check(good, issuer, replaying))
        .isInstanceOf(OcspException.class)
        .hasMessageEndingWith("the response's nonce is not the request's: a replayed or misdirected response");
  }

  @Test
  void aDelegatedResponderWithoutOcspSigningIsRejected() throws Exception {
    X509Certificate good = issue("good.example.com", aia(port));
    issue("web.example.com", LEAF);
    responder(dir.resolve("web.example.com.pem"), dir.resolve("web.example.com.key"));

    assertThatThrownBy(() -> checker(Instant.now()).check(good, issuer, null))
        .isInstanceOf(OcspException.class)
        .hasMessage("OCSP check of O=Example Corp,CN=good.example.com at http://127.0.0.1:" + port + "/: the "
            + "response is signed by O=Example Corp,CN=web.example.com, whose certificate lacks the extended key "
            + "usage id-kp-OCSPSigning that authorises an OCSP responder (RFC 6960 4.2.2.2)");
  }

  @Test
  void aResponderSigningWithAnUnrelatedCaKeyIsRejected() throws Exception {
    X509Certificate good = issue("good.example.com", aia(port));
    OpensslCa other = OpensslCa.create(dir.resolve("other"), "Unrelated CA", OpensslCa.Profile.SERVER);
    responder(other.certificate(), other.key());

    assertThatThrownBy(() -> checker(Instant.now()).check(good, issuer, null))
        .isInstanceOf(OcspException.class)
        .hasMessageContaining("at http://127.0.0.1:" + port + "/")
        .hasMessageContaining("signed by CN=Unrelated CA,O=Example Corp, which the issuer "
            + "CN=Example Issuing CA,O=Example Corp did not issue");
  }

  @Test
  void aResponderUsingTheIssuersNameWithAnotherKeyIsRejected() throws Exception {
    X509Certificate good = issue("good.example.com", aia(port));
    ca.openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "forged.key", "-out", "forged.pem",
        "-days", "30", "-subj", "/O=Example Corp/CN=Example Issuing CA", "-config", "ca.cnf", "-extensions", "root");
    responder(ca.dir().resolve("forged.pem"), ca.dir().resolve("forged.key"));

    assertThatThrownBy(() -> checker(Instant.now()).check(good, issuer, null))
        .isInstanceOf(OcspException.class)
        .hasMessageEndingWith("the response's signature does not verify with the key of "
            + "CN=Example Issuing CA,O=Example Corp");
  }

  @Test
  void aConfiguredResponderIsAskedInsteadOfTheOneInTheAia() throws Exception {
    int nobody = OpensslOcspResponder.freePort();
    X509Certificate good = issue("good.example.com", aia(nobody));
    OpensslOcspResponder responder = responder(ca.certificate(), ca.key());

    RevocationStatus status = checker(Instant.now()).check(good, issuer, responder.uri());

    assertThat(status.state()).isEqualTo(State.GOOD);
    assertThat(status.responder()).isEqualTo(responder.uri());
  }

  @Test
  void aCertificateWithoutAiaAndNoConfiguredResponderIsNotChecked() throws Exception {
    X509Certificate plain = issue("plain.example.com", LEAF);

    RevocationStatus status = checker(Instant.now()).check(plain, issuer, null);

    assertThat(OcspChecker.responderOf(plain)).isEmpty();
    assertThat(status.state()).isEqualTo(State.NO_RESPONDER);
    assertThat(status.responder()).isNull();
    assertThat(status.describe()).contains("no OCSP responder");
  }

  @Test
  void anUnreachableResponderIsAnErrorNamingTheResponderAndTheCertificate() throws Exception {
    X509Certificate good = issue("good.example.com", aia(port));

    assertThatThrownBy(() -> checker(Instant.now()).check(good, issuer, null))
        .isInstanceOf(OcspException.class)
        .hasMessageStartingWith("OCSP check of O=Example Corp,CN=good.example.com at http://127.0.0.1:" + port
            + "/: the responder is unreachable (ConnectException");
  }

  @Test
  void aCertificateMissingFromTheCaDatabaseIsUnknown() throws Exception {
    X509Certificate forgotten = issue("forgotten.example.com", aia(port));
    Path index = ca.dir().resolve("index.txt");
    Files.write(index, Files.readAllLines(index).stream().filter(line -> !line.contains("forgotten")).toList());
    responder(ca.certificate(), ca.key());

    RevocationStatus status = checker(Instant.now()).check(forgotten, issuer, null);

    assertThat(status.state()).isEqualTo(State.UNKNOWN);
    assertThat(status.describe()).isEqualTo("unknown to http://127.0.0.1:" + port + "/");
  }

  @Test
  void aResponseIsBelievedOnlyBetweenItsThisUpdateAndNextUpdate() throws Exception {
    X509Certificate good = issue("good.example.com", aia(port));
    responder(ca.certificate(), ca.key(), "-nmin", "10");
    Instant now = Instant.now();

    RevocationStatus fresh = checker(now).check(good, issuer, null);

    assertThat(fresh.nextUpdate()).isBetween(now.plus(Duration.ofMinutes(9)), now.plus(Duration.ofMinutes(11)));
    assertThatThrownBy(() -> checker(now.plus(Duration.ofHours(1))).check(good, issuer, null))
        .isInstanceOf(OcspException.class)
        .hasMessageContaining("the response is stale: its nextUpdate ")
        .hasMessageEndingWith("has passed (now " + now.plus(Duration.ofHours(1)) + ")");
    assertThatThrownBy(() -> checker(now.minus(Duration.ofDays(1))).check(good, issuer, null))
        .isInstanceOf(OcspException.class)
        .hasMessageContaining("the response's thisUpdate ")
        .hasMessageEndingWith("is in the future (now " + now.minus(Duration.ofDays(1)) + ")");
  }

  @Test
  void anHttpErrorOrAnAnswerThatIsNotOcspIsAnError() throws Exception {
    X509Certificate good = issue("good.example.com", LEAF);
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/broken", exchange -> {
      exchange.sendResponseHeaders(500, -1);
      exchange.close();
    });
    server.createContext("/html", exchange -> {
      byte[] page = "<html>maintenance</html>".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, page.length);
      exchange.getResponseBody().write(page);
      exchange.close();
    });
    server.start();
    running.add(() -> server.stop(0));
    String base = "http://127.0.0.1:" + server.getAddress().getPort();
    OcspChecker checker = checker(Instant.now());

    assertThatThrownBy(() -> checker.check(good, issuer, URI.create(base + "/broken")))
        .isInstanceOf(OcspException.class)
        .hasMessage("OCSP check of O=Example Corp,CN=good.example.com at " + base + "/broken: the responder "
            + "answered HTTP 500");
    assertThatThrownBy(() -> checker.check(good, issuer, URI.create(base + "/html")))
        .isInstanceOf(OcspException.class)
        .hasMessageStartingWith("OCSP check of O=Example Corp,CN=good.example.com at " + base + "/html: the "
            + "answer is not an OCSP response");
  }

  private OcspChecker checker(Instant now) {
    return new OcspChecker(Clock.fixed(now, ZoneOffset.UTC), Duration.ofSeconds(5), OcspChecker.DEFAULT_SKEW);
  }

  private OpensslOcspResponder responder(Path signer, Path key, String... options) throws Exception {
    OpensslOcspResponder responder = OpensslOcspResponder.start(ca, port, signer, key, options);
    running.add(responder);
    return responder;
  }

  private static String aia(int port) {
    return LEAF + "authorityInfoAccess = OCSP;URI:http://127.0.0.1:" + port + "/\n";
  }

  /** A key, CSR and certificate for {@code name} from {@code ca}, as {@code dir/<name>.key} and {@code .pem}. */
  private X509Certificate issue(String name, String extensions) throws Exception {
    Path key = dir.resolve(name + ".key");
    Path csr = dir.resolve(name + ".csr");
    ca.openssl("req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out", csr.toString(),
        "-subj", "/O=Example Corp/CN=" + name, "-config", "ca.cnf");
    Path pem = dir.resolve(name + ".pem");
    ca.sign(csr, pem, extensions);
    return read(pem);
  }

  private static X509Certificate read(Path pem) throws IOException {
    return Pem.certificate(Files.readString(pem));
  }
}
