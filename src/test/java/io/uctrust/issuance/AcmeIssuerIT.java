package io.uctrust.issuance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.uctrust.pki.CertificateAuthority;
import io.uctrust.pki.Csr;
import io.uctrust.pki.KeyPairs;
import io.uctrust.pki.Pem;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import java.util.concurrent.TimeUnit;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.connector.NetworkSettings;

/**
 * {@link AcmeIssuer} against the real Pebble ACME server (Debian package {@code pebble}), with
 * {@code pebble-challtestsrv} as the DNS server Pebble asks: every name resolves to 127.0.0.1, where our HTTP-01
 * responder listens on Pebble's HTTP-01 port, and DNS-01 TXT records are set through its management API.
 */
class AcmeIssuerIT {
  private static final Duration START_LIMIT = Duration.ofSeconds(30);
  /** Pebble's certificate lifetime here: 9 days and 7 hours, unlike its 5-year default and any we might ask. */
  private static final Duration VALIDITY = Duration.ofDays(9).plusHours(7);

  @TempDir static Path work;

  private static final List<Process> processes = new ArrayList<>();
  private static Path serverTrust;
  private static URI directory;
  private static int managementPort;
  private static int httpPort;
  private static int challengeManagementPort;

  @TempDir Path dir;

  @BeforeAll
  static void startPebbleAndItsDnsServer() throws Exception {
    Path pebble = installed("pebble");
    Path challtestsrv = installed("pebble-challtestsrv");

    // Debian's pebble ships without the upstream test certificates, so Pebble's TLS identity is made here
    Instant now = Instant.now();
    CertificateAuthority tlsRoot = CertificateAuthority.create("CN=uctrust Pebble TLS root", KeyPairs.ec(256),
        now.minus(1, ChronoUnit.HOURS), now.plus(1, ChronoUnit.DAYS), 0);
    KeyPair tlsKeys = KeyPairs.ec(256);
    X509Certificate tls = tlsRoot.issue(Csr.create(tlsKeys, "CN=localhost", List.of("localhost")),
        now.minus(1, ChronoUnit.HOURS), now.plus(1, ChronoUnit.DAYS), CertificateAuthority.Profile.SERVER);
    serverTrust = Files.writeString(work.resolve("pebble-trust.pem"), Pem.encode(tlsRoot.certificate()));
    Path cert = Files.writeString(work.resolve("pebble-tls.pem"), Pem.encode(tls));
    // PKCS#8: Go reads it; Bouncy Castle's "EC PRIVATE KEY" of a JDK key lacks the curve Go needs
    Path key = Files.writeString(work.resolve("pebble-tls-key.pem"),
        Pem.encode(new JcaPKCS8Generator(tlsKeys.getPrivate(), null).generate()));

    int acmePort = freePort();
    managementPort = freePort();
    httpPort = freePort();
    int tlsPort = freePort();
    int dnsPort = freePort();
    challengeManagementPort = freePort();
    Path config = Files.writeString(work.resolve("pebble-config.json"), """
        {
          "pebble": {
            "listenAddress": "127.0.0.1:%d",
            "managementListenAddress": "127.0.0.1:%d",
            "certificate": "%s",
            "privateKey": "%s",
            "httpPort": %d,
            "tlsPort": %d,
            "ocspResponderURL": "",
            "externalAccountBindingRequired": false,
            "certificateValidityPeriod": %d
          }
        }
        """.formatted(acmePort, managementPort, cert, key, httpPort, tlsPort, VALIDITY.toSeconds()));

    start(new ProcessBuilder(challtestsrv.toString(), "-defaultIPv4", "127.0.0.1", "-defaultIPv6", "",
        "-dns01", "127.0.0.1:" + dnsPort, "-management", "127.0.0.1:" + challengeManagementPort,
        "-http01", "", "-https01", "", "-tlsalpn01", ""), "challtestsrv", challengeManagementPort);
    ProcessBuilder pebbleCommand = new ProcessBuilder(pebble.toString(), "-config", config.toString(),
        "-dnsserver", "127.0.0.1:" + dnsPort);
    // no artificial validation delays, and no good nonces rejected as bad
    pebbleCommand.environment().put("PEBBLE_VA_NOSLEEP", "1");
    pebbleCommand.environment().put("PEBBLE_WFE_NONCEREJECT", "0");
    start(pebbleCommand, "pebble", acmePort);
    waitUntilListening(managementPort, "pebble", work.resolve("pebble.log"));
    directory = URI.create("https://localhost:" + acmePort + "/dir");
  }

  @AfterAll
  static void stopThem() throws InterruptedException {
    for (Process process : processes) {
      process.destroy();
    }
    for (Process process : processes) {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
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
    X509Certificate intermediate = management("/intermediates/0");
    X509Certificate root = management("/roots/0");
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
    AcmeSettings settings = dns01(List.of(hook(calls, 0).toString()));
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
    AcmeSettings settings = dns01(List.of(hook(calls, 3).toString()));
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
    URI nowhere = URI.create("https://localhost:" + freePort() + "/dir");
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

  /**
   * A hook script that logs its arguments to {@code calls} and sets or clears the TXT record through
   * challtestsrv's management API, then exits with {@code exit} (writing an error line when not 0).
   */
  private static Path hook(Path calls, int exit) throws IOException {
    String api = "http://127.0.0.1:" + challengeManagementPort;
    String post = installed("curl", false) != null
        ? "curl -sf -X POST -d \"$body\" \"" + api + "/$path\" >/dev/null"
        : "python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], sys.argv[2].encode())' "
            + "\"" + api + "/$path\" \"$body\"";
    String script = """
        #!/bin/sh
        echo "$1 $2 $3" >> '%s'
        if [ %d -ne 0 ]; then echo "zone uctrust.test is not ours" >&2; exit %d; fi
        case "$1" in
          add) path=set-txt; body="{\\"host\\":\\"$2.\\",\\"value\\":\\"$3\\"}" ;;
          remove) path=clear-txt; body="{\\"host\\":\\"$2.\\"}" ;;
        esac
        %s
        """.formatted(calls, exit, exit, post);
    Path file = Files.writeString(Files.createTempFile(work, "hook", ".sh"), script);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    return file;
  }

  /** The location of the account the store's key logs in to, asked of Pebble directly. */
  private static URI accountLocation(AcmeAccountStore store) throws Exception {
    return store.login(session(), "pki@uctrust.test").getAccountLocation().toURI();
  }

  private static Session session() throws IOException {
    return new Session(directory, ServerTrustProvider.trusting(serverTrust));
  }

  private static X509Certificate management(String path) throws Exception {
    HttpClient client = ServerTrustProvider.trusting(serverTrust).createHttpClient(new NetworkSettings());
    HttpResponse<String> response = client.send(
        HttpRequest.newBuilder(URI.create("https://localhost:" + managementPort + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(path).isEqualTo(200);
    return Pem.certificate(response.body());
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

  private static Path installed(String command) {
    Path found = installed(command, true);
    if (found == null) {
      fail(command + " is not installed. The ACME integration tests run the real Pebble server: .ci/run installs "
          + "Debian's pebble package (apt-get install pebble), as CI does.");
    }
    return found;
  }

  private static Path installed(String command, boolean executable) {
    for (String folder : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      Path candidate = Path.of(folder, command);
      if (Files.isRegularFile(candidate) && (!executable || Files.isExecutable(candidate))) {
        return candidate;
      }
    }
    return null;
  }

  private static void start(ProcessBuilder command, String name, int port) throws Exception {
    Path log = work.resolve(name + ".log");
    command.redirectErrorStream(true).redirectOutput(log.toFile());
    processes.add(command.start());
    waitUntilListening(port, name, log);
  }

  private static void waitUntilListening(int port, String name, Path log) throws Exception {
    Instant limit = Instant.now().plus(START_LIMIT);
    while (Instant.now().isBefore(limit)) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        if (processes.stream().anyMatch(p -> !p.isAlive())) {
          break;
        }
        Thread.sleep(50);
      }
    }
    fail(name + " did not listen on 127.0.0.1:" + port + "; its log:\n" + Files.readString(log));
  }

  /** A port free for both TCP and UDP (challtestsrv's DNS server takes both). */
  private static int freePort() throws IOException {
    for (int attempt = 0; attempt < 20; attempt++) {
      try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        int port = tcp.getLocalPort();
        try (DatagramSocket udp = new DatagramSocket(port, InetAddress.getLoopbackAddress())) {
          return port;
        } catch (IOException taken) {
          // the UDP side is in use: try another
        }
      }
    }
    throw new IOException("no port free for both TCP and UDP");
  }
}
