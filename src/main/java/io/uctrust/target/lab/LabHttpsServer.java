package io.uctrust.target.lab;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsServer;
import io.uctrust.target.cucm.platform.PlatformApi;
import io.uctrust.target.cucm.services.ControlCenterSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;

/**
 * The HTTPS side of {@code uctrust lab serve}: one {@link HttpsServer} on a loopback address serving every
 * node of a {@link ServedLab} on the same port, told apart by the TLS server name (SNI) the client sends.
 * It mounts the platform certificate REST API ({@link LabPlatformService}), ControlCenterServices
 * ({@link LabControlCenterService}) and whatever extra contexts the caller gives (AXL).
 *
 * <p>TLS: a lab serving CA in {@code <lab dir>/serve/} ({@link LabServingCa}: created once, reused so a trust
 * bundle stays valid) signs a certificate per node at every start whose only subject alternative name is
 * the node's DNS name, so clients must verify the node name (connect to 127.0.0.1 and send the node's name
 * as SNI). Unknown or missing SNI gets the publisher's certificate.
 *
 * <p>Not for: anything but loopback testing (binding to another address is refused), or the lab's
 * simulated certificates (node identities and trust stores are state, not this server's TLS).
 */
public final class LabHttpsServer implements AutoCloseable {

  /** The folder under the lab's folder holding the serving CA. */
  public static final String SERVE_DIR = "serve";

  /** Traffic of every lab HTTPS server in this process, by context path. */
  public static final LabTraffic TRAFFIC = new LabTraffic();

  private static final String NODES = "uctrust.lab.nodes";
  private static final String PUBLISHER = "uctrust.lab.publisher";
  private static final int THREADS = 4;

  private final HttpsServer server;
  private final ExecutorService executor;
  private final Path trustBundle;
  private final List<String> nodes;

  private LabHttpsServer(HttpsServer server, ExecutorService executor, Path trustBundle, List<String> nodes) {
    this.server = server;
    this.executor = executor;
    this.trustBundle = trustBundle;
    this.nodes = nodes;
  }

  /**
   * Serves {@code lab} on {@code bind} (a loopback address; port 0 picks a free port) with HTTP Basic
   * password {@code password} (any non-empty user), injecting {@code faults}; {@code extraContexts} maps
   * further context paths (such as {@code /axl/}) to their handlers, which may call {@link #node}.
   */
  public static LabHttpsServer start(ServedLab lab, InetSocketAddress bind, Map<String, HttpHandler> extraContexts,
      LabFaults faults, String password) throws IOException {
    Objects.requireNonNull(lab, "lab");
    Objects.requireNonNull(faults, "faults");
    if (password == null || password.isEmpty()) {
      throw new IllegalArgumentException("the served lab needs a password for HTTP Basic");
    }
    if (bind == null || bind.getAddress() == null || !bind.getAddress().isLoopbackAddress()) {
      throw new IllegalArgumentException("the lab is served on a loopback address only (got " + bind + ")");
    }
    Map<String, String> names = new LinkedHashMap<>();
    String publisher = lab.read(state -> {
      state.nodes.forEach(n -> names.put(n.name.toLowerCase(Locale.ROOT), n.name));
      return state.nodes.stream().filter(n -> "cucm-publisher".equals(n.role)).map(n -> n.name).findFirst()
          .orElse(state.nodes.isEmpty() ? null : state.nodes.get(0).name);
    });
    if (publisher == null) {
      throw new IllegalArgumentException("the lab in " + lab.store().dir() + " has no nodes to serve");
    }
    LabServingCa ca = LabServingCa.loadOrCreate(lab.store().dir().resolve(SERVE_DIR), lab.name());
    Map<String, LabServingCa.Issued> issued = new LinkedHashMap<>();
    names.forEach((lower, name) -> issued.put(lower, ca.issue(name)));
    SSLContext tls;
    try {
      tls = SSLContext.getInstance("TLS");
      tls.init(new KeyManager[] {new LabSniKeyManager(issued, publisher.toLowerCase(Locale.ROOT))}, null, null);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot set up TLS for the served lab: " + e.getMessage(), e);
    }
    HttpsServer server = HttpsServer.create(bind, 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    Map<String, HttpHandler> contexts = new LinkedHashMap<>();
    contexts.put(PlatformApi.BASE_PATH, new LabPlatformService(lab, faults, password));
    contexts.put(ControlCenterSettings.PATH, new LabControlCenterService(lab, faults, password));
    if (extraContexts != null) {
      extraContexts.forEach((path, handler) -> {
        if (contexts.putIfAbsent(path, handler) != null) {
          throw new IllegalArgumentException("context " + path + " is already served");
        }
      });
    }
    Map<String, String> known = Map.copyOf(names);
    contexts.forEach((path, handler) -> {
      HttpContext context = server.createContext(path, handler);
      // node(exchange) is static, so every context carries what it needs to name the node
      context.getAttributes().put(NODES, known);
      context.getAttributes().put(PUBLISHER, publisher);
      context.getFilters().add(TRAFFIC.filter(path));
    });
    ExecutorService executor = Executors.newFixedThreadPool(THREADS, daemonThreads());
    server.setExecutor(executor);
    server.start();
    return new LabHttpsServer(server, executor, ca.certificateFile(), List.copyOf(names.values()));
  }

  /**
   * The lab node a request is for: the node whose name the client sent as SNI (as the lab spells it), or the
   * publisher when the client sent no name or one the lab does not know.
   */
  public static String node(HttpExchange exchange) {
    Map<?, ?> known = (Map<?, ?>) exchange.getHttpContext().getAttributes().get(NODES);
    String publisher = (String) exchange.getHttpContext().getAttributes().get(PUBLISHER);
    if (exchange instanceof HttpsExchange https && known != null) {
      String requested = LabSniKeyManager.requestedName(https.getSSLSession());
      Object name = requested == null ? null : known.get(requested);
      if (name != null) {
        return (String) name;
      }
    }
    return publisher;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** The serving CA's certificate ({@code serve/ca.pem}): the trust bundle for every served node. */
  public Path trustBundle() {
    return trustBundle;
  }

  /** The served nodes' names. */
  public List<String> nodes() {
    return nodes;
  }

  /** Stops answering at once and ends the handler threads (a DELAY fault in progress is interrupted). */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private static java.util.concurrent.ThreadFactory daemonThreads() {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, "uctrust-lab-https-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
