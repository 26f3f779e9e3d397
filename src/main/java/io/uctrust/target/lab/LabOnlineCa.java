package io.uctrust.target.lab;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Microsoft AD CS enterprise CA as Cisco's CAPF sees it in online CA mode, for the lab: HTTPS web enrollment
 * ({@code /certsrv/certfnsh.asp}, {@code certnew.cer}, {@code certnew.p7b}; see {@link LabCertsrv}) with HTTP
 * Basic, one certificate template, RSA keys only, and an HTTPS certificate whose CN and only DNS name is the
 * configured host name, so a client must verify that name (connect to the bound address, send the name as SNI).
 *
 * <p>Its folder (mode 0700) keeps the keys (PKCS#12, mode 0600) so a restart keeps the same CA, and the public
 * files for clients: {@code ca-root.pem}, {@code ca-chain.pem} (the certificates that sign, signing CA first,
 * then up to the root) and {@code https.pem} (the HTTPS certificate). Reopening a folder with another
 * {@link Layout} is refused; with another host name the HTTPS certificate is issued again by the same CA
 * (with {@link Layout#SAME}, where the root is the HTTPS certificate, that is refused too). While it runs,
 * {@code endpoint.json} says where it listens ({@link #registered}).
 *
 * <p>Not for: anything but loopback testing (it binds loopback addresses only and keeps its keys in plain
 * files), or as a model of AD CS beyond what CAPF uses (no NTLM, ACLs, revocation, pending requests).
 */
public final class LabOnlineCa implements AutoCloseable {

  /** The file that says where a running online CA listens. */
  public static final String ENDPOINT_FILE = "endpoint.json";

  /** Which CA signs the certificates it issues and which one issued its HTTPS certificate. */
  public enum Layout {
    /** The HTTPS certificate is the CA root itself: a self-signed CA certificate whose CN is the host name. */
    SAME,
    /** The root signs issued certificates and issued the HTTPS certificate (the default). */
    ISSUED_BY_ROOT,
    /** An intermediate under the root signs issued certificates; the root issued the HTTPS certificate. */
    INTERMEDIATE,
    /** An intermediate under the root signs issued certificates; a second intermediate issued the HTTPS one. */
    SIBLING
  }

  /** Where a running online CA listens: {@code hostname} is the name its HTTPS certificate carries. */
  public record Endpoint(String hostname, String address, int port) {}

  private static final Pattern HOSTNAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?"
      + "(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*");
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final int THREADS = 2;

  private final HttpsServer server;
  private final ExecutorService executor;
  private final LabOnlineCaHierarchy ca;
  private final LabCertsrv certsrv;
  private final Path dir;
  private final AtomicBoolean closed = new AtomicBoolean();

  private LabOnlineCa(HttpsServer server, ExecutorService executor, LabOnlineCaHierarchy ca, LabCertsrv certsrv,
      Path dir) {
    this.server = server;
    this.executor = executor;
    this.ca = ca;
    this.certsrv = certsrv;
    this.dir = dir;
  }

  /**
   * Starts the online CA of {@code dir} (created there on first start) for {@code hostname} on {@code bind} (a
   * loopback address) and {@code port} (0: any free port), accepting {@code template} and the HTTP Basic
   * credentials {@code username} / {@code password}; issued certificates are valid for {@code validity} from
   * {@code clock}'s now. {@code layout} null means {@link Layout#ISSUED_BY_ROOT}.
   */
  public static LabOnlineCa start(Path dir, String hostname, InetAddress bind, int port, String template,
      String username, char[] password, Layout layout, Duration validity, Clock clock) throws IOException {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(clock, "clock");
    if (hostname == null || !HOSTNAME.matcher(hostname).matches()) {
      throw new IllegalArgumentException("the online CA's host name must be a DNS name, such as ca.example.com (got '"
          + hostname + "')");
    }
    if (bind == null || !bind.isLoopbackAddress()) {
      throw new IllegalArgumentException("the lab online CA binds loopback addresses only (got "
          + (bind == null ? "none" : bind.getHostAddress()) + ")");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is not 0..65535");
    }
    if (template == null || template.isBlank() || username == null || username.isBlank()) {
      throw new IllegalArgumentException("the online CA needs a certificate template and a user name");
    }
    if (password == null || password.length == 0) {
      throw new IllegalArgumentException("the online CA needs a password for HTTP Basic");
    }
    if (validity == null || validity.isNegative() || validity.isZero()) {
      throw new IllegalArgumentException("the validity of issued certificates must be positive (got " + validity + ")");
    }
    LabOnlineCaHierarchy ca = LabOnlineCaHierarchy.openOrCreate(dir, hostname,
        layout == null ? Layout.ISSUED_BY_ROOT : layout, Clock.systemUTC());
    LabCertsrv certsrv = new LabCertsrv(ca, hostname, template.strip(), username.strip(), password, validity, clock);
    HttpsServer server = HttpsServer.create(new InetSocketAddress(bind, port), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls(ca.https())));
    server.createContext("/", certsrv);
    ExecutorService executor = Executors.newFixedThreadPool(THREADS, daemonThreads());
    server.setExecutor(executor);
    server.start();
    LabOnlineCa started = new LabOnlineCa(server, executor, ca, certsrv, dir);
    try {
      started.register(new Endpoint(hostname, bind.getHostAddress(), server.getAddress().getPort()));
    } catch (IOException | RuntimeException e) {
      started.close();
      throw e;
    }
    return started;
  }

  /**
   * The endpoint of the online CA running from {@code dir} for {@code hostname} (case-insensitive), from its
   * {@code endpoint.json}; empty when none runs there, it runs for another name, or the file is unreadable.
   */
  public static Optional<Endpoint> registered(Path dir, String hostname) {
    Path file = dir.resolve(ENDPOINT_FILE);
    try {
      Endpoint endpoint = JSON.readValue(Files.readString(file, StandardCharsets.UTF_8), Endpoint.class);
      return endpoint.hostname() != null && endpoint.hostname().equalsIgnoreCase(hostname) ? Optional.of(endpoint)
          : Optional.empty();
    } catch (IOException | JacksonException e) {
      return Optional.empty();
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** {@code ca-root.pem} in the folder. */
  public Path rootPem() {
    return dir.resolve(LabOnlineCaHierarchy.ROOT_PEM);
  }

  /** {@code ca-chain.pem} in the folder: the certificates that sign, signing CA first. */
  public Path chainPem() {
    return dir.resolve(LabOnlineCaHierarchy.CHAIN_PEM);
  }

  /** {@code https.pem} in the folder: the HTTPS certificate. */
  public Path httpsPem() {
    return dir.resolve(LabOnlineCaHierarchy.HTTPS_PEM);
  }

  /** {@code endpoint.json} in the folder (present while this runs). */
  public Path endpointFile() {
    return dir.resolve(ENDPOINT_FILE);
  }

  public X509Certificate root() {
    return ca.root();
  }

  /** The certificates that sign issued certificates: the signing CA first, then its issuers up to the root. */
  public List<X509Certificate> signingChain() {
    return ca.signingChain();
  }

  public X509Certificate httpsCertificate() {
    return ca.https().certificate();
  }

  /** The chain the HTTPS server presents: its certificate, then its issuers up to and including the root. */
  public List<X509Certificate> httpsChain() {
    return ca.https().chain();
  }

  /** Enrollment requests received with valid credentials since the start, issued or denied. */
  public int requests() {
    return certsrv.requests();
  }

  /** Stops answering at once and removes {@code endpoint.json}. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    server.stop(0);
    executor.shutdownNow();
    try {
      Files.deleteIfExists(endpointFile());
    } catch (IOException e) {
      // a stale endpoint.json names a port nobody answers on: a client finds it unreachable, nothing worse
    }
  }

  private void register(Endpoint endpoint) throws IOException {
    Path temporary = dir.resolve(ENDPOINT_FILE + ".new");
    Files.writeString(temporary, JSON.writeValueAsString(endpoint) + "\n", StandardCharsets.UTF_8);
    // moved into place whole, so a reader never sees half a file
    Files.move(temporary, endpointFile(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static SSLContext tls(LabOnlineCaHierarchy.KeyEntry https) throws IOException {
    try {
      // an in-memory key store only: the key manager factory takes nothing else
      char[] transientPassword = "uctrust".toCharArray();
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("https", https.key(), transientPassword, https.chain().toArray(Certificate[]::new));
      KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, transientPassword);
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(keys.getKeyManagers(), null, null);
      return tls;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot set up TLS for the online CA: " + e.getMessage(), e);
    }
  }

  private static ThreadFactory daemonThreads() {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, "uctrust-lab-online-ca-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
