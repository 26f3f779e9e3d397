package io.uctrust.issuance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uctrust.pki.Csr;
import io.uctrust.pki.KeyPairs;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Session;

/**
 * {@link AcmeIssuer} against the real Pebble ACME server (Debian package {@code pebble}), with
 * {@code pebble-challtestsrv} as the DNS server Pebble asks: every name resolves to 127.0.0.1, where our HTTP-01
 * responder listens on Pebble's HTTP-01 port, and DNS-01 TXT records are set through its management API.
 */
class AcmeIssuerIT {
  /** Pebble's certificate lifetime here: 9 days and 7 hours, unlike its 5-year default and any we might ask. */
  private static final Duration VALIDITY = Duration.ofDays(9).plusHours(7);

  @TempDir static Path work;

  private static PebbleServer pebble;
  private static Path serverTrust;
  private static URI directory;
  private static int httpPort;

  @TempDir Path dir;

  @BeforeAll
  static void startPebbleAndItsDnsServer() throws Exception {
    pebble = PebbleServer.start(work, VALIDITY);
    serverTrust = pebble.serverTrust();
    directory = pebble.directory();
    httpPort = pebble.httpPort();
  }

  @AfterAll
  static void stopThem() throws InterruptedException {
    if (pebble != null) {
      pebble.close();
    }
  }

  @Test
  void http01IssuanceReturnsALeafForTheCsrKeyAndNamesThatChainsToPebblesIntermediate() throws Exception {
    KeyPair keys = KeyPairs.ec(256);
    Csr csr = Csr.create(keys, "CN=cucm-pub.uctrust.test",
        List.of("cucm-pub.uctrust.test", "cucm-sub1.uctrust.test"));

    List<X509Certificate> chain = issuer(http01(), new AcmeAccountStore(dir)).issue(csr);

    X509Certificate leaf = chain.get(0);
    assertThat(leaf.getPublicKey().getEncoded()).isEqualTo(keys.getPublic().getEncoded());
    assertThat(dnsNames(leaf)).containsExactlyInAnyOrder("cucm-pub.uctrust.test", "cucm-sub1.uctrust.test");
    X509Certificate intermediate = pebble.intermediate();
    X509Certificate root = pebble.root();
    assertThat(chain).hasSize(2);
    assertThat(chain.get(1)).isEqualTo(intermediate);
    leaf.verify(intermediate.getPublicKey());
    intermediate.verify(root.getPublicKey());
    // the responder served only while authorizing: its port is free again
    try (ServerSocket again = new ServerSocket(httpPort, 1, InetAddress.getLoopbackAddress())) {
      assertThat(again.isBound()).isTrue();
    }
  }

  @Test
  void aRefusalAtFinalizingNamesTheStepAndTheServersProblemDetail() {
    // ordered for its common name, but Pebble (unlike Let's Encrypt) counts only subjectAltNames in the CSR
    Csr csr = Csr.create(KeyPairs.ec(256), "CN=cup.uctrust.test,O=Example", List.of());

    assertThatThrownBy(() -> issuer(http01(), new AcmeAccountStore(dir)).issue(csr))
        .isInstanceOf(AcmeIssuanceException.class)
        .hasMessage("the ACME server " + directory + " refused finalizing the order for [cup.uctrust.test]: "
            + "Order includes different number of DNSnames identifiers than CSR specifies (unauthorized)");
  }

  @Test
  void theCertificateLivesAsLongAsPebbleIsConfiguredToIssueBecauseNoValidityIsRequested() throws Exception {
    Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Csr csr = Csr.create(KeyPairs.ec(256), "CN=cucm-life.uctrust.test", List.of("cucm-life.uctrust.test"));

    X509Certificate leaf = issuer(http01(), new AcmeAccountStore(dir)).issue(csr).get(0);

    Instant notBefore = leaf.getNotBefore().toInstant();
    assertThat(notBefore).isBetween(before.minusSeconds(5), Instant.now().plusSeconds(5));
    // X.509 validity is inclusive of notAfter, so Pebble ends it a second before notBefore + period
    assertThat(Duration.between(notBefore, leaf.getNotAfter().toInstant()))
        .isBetween(VALIDITY.minusSeconds(1), VALIDITY);
  }

  @Test
  void dns01IssuanceCallsTheHookToAddThenRemoveTheTxtRecord() throws Exception {
    Path calls = dir.resolve("calls.log");
    AcmeSettings settings = dns01(List.of(pebble.dnsHook(work, calls, 0).toString()));
    Csr csr = Csr.create(KeyPairs.ec(256), "CN=cucm-dns.uctrust.test", List.of("cucm-dns.uctrust.test"));

    List<X509Certificate> chain = issuer(settings, new AcmeAccountStore(dir)).issue(csr);

    assertThat(dnsNames(chain.get(0))).containsExactly("cucm-dns.uctrust.test");
    List<String> lines = Files.readAllLines(calls);
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).matches("add _acme-challenge\\.cucm-dns\\.uctrust\\.test [A-Za-z0-9_-]{43}");
    assertThat(lines.get(1)).isEqualTo(lines.get(0).replaceFirst("^add", "remove"));
  }

  @Test
  void theSecondIssuanceReusesTheAccountAndLeavesItsKeyFileAlone() throws Exception {
    AcmeAccountStore store = new AcmeAccountStore(dir);
    Path keyFile = store.keyFile(directory);

    issuer(http01(), store).issue(Csr.create(KeyPairs.ec(256), "CN=a.uctrust.test", List.of("a.uctrust.test")));
    byte[] key = Files.readAllBytes(keyFile);
    URI account = accountLocation(store);
    issuer(http01(), store).issue(Csr.create(KeyPairs.ec(256), "CN=b.uctrust.test", List.of("b.uctrust.test")));

    assertThat(Files.readAllBytes(keyFile)).isEqualTo(key);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
    assertThat(accountLocation(store)).isEqualTo(account);
    assertThat(Files.list(dir)).containsExactly(keyFile.getParent());
  }

  @Test
  void aChangedEmailBecomesTheContactOfTheSameAccount() throws Exception {
    AcmeAccountStore store = new AcmeAccountStore(dir);
    Login first = store.login(session(), "pki@uctrust.test");

    Login again = store.login(session(), "security@uctrust.test");

    assertThat(again.getAccountLocation()).isEqualTo(first.getAccountLocation());
    assertThat(again.getAccount().getContacts()).containsExactly(URI.create("mailto:security@uctrust.test"));
  }

  @Test
  void aFailingHookStopsIssuanceNamingTheDomainTheExitCodeAndItsErrorLine() throws Exception {
    Path calls = dir.resolve("calls.log");
    AcmeSettings settings = dns01(List.of(pebble.dnsHook(work, calls, 3).toString()));
    Csr csr = Csr.create(KeyPairs.ec(256), "CN=cucm-nodns.uctrust.test", List.of("cucm-nodns.uctrust.test"));

    assertThatThrownBy(() -> issuer(settings, new AcmeAccountStore(dir)).issue(csr))
        .isInstanceOfSatisfying(AcmeIssuanceException.class, e -> {
          assertThat(e.domain()).contains("cucm-nodns.uctrust.test");
          assertThat(e.challenge()).contains("dns-01");
        })
        .hasMessageContaining("DNS-01 hook")
        .hasMessageContaining(" add _acme-challenge.cucm-nodns.uctrust.test")
        .hasMessageContaining("for cucm-nodns.uctrust.test exited with code 3: zone uctrust.test is not ours")
        .hasMessageNotContaining("Exception");
    // removal is attempted even after a failed add
    assertThat(Files.readAllLines(calls)).extracting(line -> line.split(" ")[0]).containsExactly("add", "remove");
  }

  @Test
  void anHttp01ChallengeNobodyAnswersFailsWithPebblesProblemDetail() throws Exception {
    // our responder listens elsewhere, so Pebble finds nothing on its HTTP-01 port
    AcmeSettings settings = new AcmeSettings(directory, null, AcmeSettings.Challenge.HTTP_01, null,
        new InetSocketAddress("127.0.0.1", 0), serverTrust, Duration.ofMinutes(1));
    Csr csr = Csr.create(KeyPairs.ec(256), "CN=nobody.uctrust.test", List.of("nobody.uctrust.test"));

    assertThatThrownBy(() -> issuer(settings, new AcmeAccountStore(dir)).issue(csr))
        .isInstanceOf(AcmeIssuanceException.class)
        .hasMessageStartingWith("the http-01 challenge for nobody.uctrust.test failed: ")
        .hasMessageContaining("(connection)");
  }

  @Test
  void anUnreachableDirectoryIsReportedWithItsUrl() throws Exception {
    URI nowhere = URI.create("https://localhost:" + PebbleServer.freePort() + "/dir");
    AcmeSettings settings = new AcmeSettings(nowhere, null, AcmeSettings.Challenge.HTTP_01, null,
        new InetSocketAddress("127.0.0.1", httpPort), serverTrust, Duration.ofSeconds(30));
    Csr csr = Csr.create(KeyPairs.ec(256), "CN=x.uctrust.test", List.of("x.uctrust.test"));

    assertThatThrownBy(() -> issuer(settings, new AcmeAccountStore(dir)).issue(csr))
        .isInstanceOf(AcmeIssuanceException.class)
        .hasMessage("cannot reach the ACME server " + nowhere + " while logging in to the ACME account: "
            + "connection refused");
  }

  private static AcmeIssuer issuer(AcmeSettings settings, AcmeAccountStore store) {
    return new AcmeIssuer(settings, store, Clock.systemUTC());
  }

  private static AcmeSettings http01() {
    return new AcmeSettings(directory, "pki@uctrust.test", AcmeSettings.Challenge.HTTP_01, null,
        new InetSocketAddress("127.0.0.1", httpPort), serverTrust, Duration.ofMinutes(1));
  }

  private static AcmeSettings dns01(List<String> hook) {
    return new AcmeSettings(directory, "pki@uctrust.test", AcmeSettings.Challenge.DNS_01, hook, null,
        serverTrust, Duration.ofMinutes(1));
  }

  /** The location of the account the store's key logs in to, asked of Pebble directly. */
  private static URI accountLocation(AcmeAccountStore store) throws Exception {
    return store.login(session(), "pki@uctrust.test").getAccountLocation().toURI();
  }

  private static Session session() throws IOException {
    return new Session(directory, ServerTrustProvider.trusting(serverTrust));
  }

  private static List<String> dnsNames(X509Certificate certificate) throws Exception {
    List<String> names = new ArrayList<>();
    for (List<?> name : certificate.getSubjectAlternativeNames()) {
      if (Integer.valueOf(2).equals(name.get(0))) {
        names.add((String) name.get(1));
      }
    }
    return names;
  }
}
