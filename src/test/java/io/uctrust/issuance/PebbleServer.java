package io.uctrust.issuance;

import static org.assertj.core.api.Assertions.assertThat;
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
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.shredzone.acme4j.connector.NetworkSettings;

/**
 * A test fixture: the real Pebble ACME server (Debian package {@code pebble}) on loopback, with
 * {@code pebble-challtestsrv} as the DNS server Pebble asks. Every name resolves to 127.0.0.1, so an HTTP-01
 * responder on 127.0.0.1:{@link #httpPort()} answers for any domain, and DNS-01 TXT records are set through
 * challtestsrv's management API (see {@link #dnsHook}). Pebble makes a new root and intermediate each start.
 *
 * <p>Not for: anything but tests; it fails the test (rather than skipping it) when Pebble is not installed, because
 * CI is meant to have it.
 */
final class PebbleServer implements AutoCloseable {
  private static final Duration START_LIMIT = Duration.ofSeconds(30);

  private final Path work;
  private final List<Process> processes = new ArrayList<>();
  private URI directory;
  private Path serverTrust;
  private int managementPort;
  private int httpPort;
  private int challengeManagementPort;

  private PebbleServer(Path work) {
    this.work = work;
  }

  /**
   * Starts challtestsrv and Pebble with their files and logs in {@code work}, Pebble issuing certificates that live
   * {@code validity} (whatever a client asks for). Stops what it started when starting fails.
   */
  static PebbleServer start(Path work, Duration validity) throws Exception {
    PebbleServer server = new PebbleServer(work);
    try {
      server.startProcesses(validity);
      return server;
    } catch (Exception | AssertionError e) {
      server.close();
      throw e;
    }
  }

  private void startProcesses(Duration validity) throws Exception {
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
        """.formatted(acmePort, managementPort, cert, key, httpPort, tlsPort, validity.toSeconds()));

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

  /** The ACME directory URL. */
  URI directory() {
    return directory;
  }

  /** PEM file of the CA of Pebble's HTTPS certificate (for localhost), made for this run. */
  Path serverTrust() {
    return serverTrust;
  }

  /** The port Pebble fetches HTTP-01 challenges from, on 127.0.0.1 for every name. */
  int httpPort() {
    return httpPort;
  }

  /** challtestsrv's management API port on 127.0.0.1 (set-txt, clear-txt). */
  int challengeManagementPort() {
    return challengeManagementPort;
  }

  /** The root of the certificates Pebble issues, asked of its management API. */
  X509Certificate root() throws Exception {
    return management("/roots/0");
  }

  /** The intermediate that signs the certificates Pebble issues, asked of its management API. */
  X509Certificate intermediate() throws Exception {
    return management("/intermediates/0");
  }

  private X509Certificate management(String path) throws Exception {
    HttpClient client = ServerTrustProvider.trusting(serverTrust).createHttpClient(new NetworkSettings());
    HttpResponse<String> response = client.send(
        HttpRequest.newBuilder(URI.create("https://localhost:" + managementPort + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(path).isEqualTo(200);
    return Pem.certificate(response.body());
  }

  /**
   * A DNS-01 hook script in {@code dir} that logs its arguments to {@code calls} and sets or clears the TXT record
   * through challtestsrv's management API, then exits with {@code exit} (writing an error line when not 0).
   */
  Path dnsHook(Path dir, Path calls, int exit) throws IOException {
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
    Path file = Files.writeString(Files.createTempFile(dir, "hook", ".sh"), script);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    return file;
  }

  /** Stops Pebble and challtestsrv, forcibly when they do not stop within 10 seconds. */
  @Override
  public void close() throws InterruptedException {
    for (Process process : processes) {
      process.destroy();
    }
    for (Process process : processes) {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  /** A port free for both TCP and UDP (challtestsrv's DNS server takes both). */
  static int freePort() throws IOException {
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

  private void start(ProcessBuilder command, String name, int port) throws Exception {
    Path log = work.resolve(name + ".log");
    command.redirectErrorStream(true).redirectOutput(log.toFile());
    processes.add(command.start());
    waitUntilListening(port, name, log);
  }

  private void waitUntilListening(int port, String name, Path log) throws Exception {
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
}
