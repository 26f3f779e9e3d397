package io.uctrust.controller;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.uctrust.cluster.ClusterException;
import io.uctrust.cluster.SecretReader;
import io.uctrust.desired.SecretRef;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller's HTTP side on the JDK's {@code HttpServer}: {@code /healthz} (liveness), {@code /readyz},
 * {@code /metrics} (Prometheus text), {@code /api/status} (JSON), {@code POST /hooks/git} (webhook, only with a
 * secret configured), {@code /} (status page) and {@code /timeline.svg}. Every answer is made complete before it
 * is sent, so failures become a plain 500 (logged once, no stack trace in the response); unknown paths are 404,
 * wrong methods 405 with {@code Allow}. A small bounded pool serves requests (when it is full the accepting thread
 * serves, which slows clients down rather than dropping them). {@link #stop} answers new requests 503, waits for
 * the running ones up to a grace period, then closes.
 *
 * <p>Not for: TLS or authentication of the read-only endpoints (they are public: bind to loopback or put a proxy in
 * front), or anything the scheduler does.
 */
public final class ControllerHttpServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ControllerHttpServer.class);
  private static final int THREADS = 4;
  private static final int QUEUE = 32;
  private static final Set<String> READ = Set.of("GET", "HEAD");
  private static final String PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";

  /**
   * Where and how the HTTP side serves.
   *
   * @param listen the address to bind (port 0: any free port)
   * @param webhookSecret the shared secret of {@code POST /hooks/git} ({@code env:NAME} or {@code file:PATH}, an
   *     absolute path or relative to the working directory); null turns the endpoint off
   * @param timelineDays how far the expiry timeline reaches at most
   * @param webhookBodyLimit the largest webhook payload accepted, in bytes
   */
  public record Settings(InetSocketAddress listen, SecretRef webhookSecret, int timelineDays, int webhookBodyLimit) {
    /** GitHub caps payloads at 25 MB but push events of a configuration repository are a few KiB. */
    public static final int DEFAULT_WEBHOOK_BODY_LIMIT = 1 << 20;

    public Settings {
      Objects.requireNonNull(listen, "listen");
      if (timelineDays < 1 || webhookBodyLimit < 1) {
        throw new IllegalArgumentException("timelineDays and webhookBodyLimit must be positive");
      }
    }

    /** Defaults for the timeline and the body limit. */
    public Settings(InetSocketAddress listen, SecretRef webhookSecret) {
      this(listen, webhookSecret, ExpiryTimeline.DEFAULT_HORIZON_DAYS, DEFAULT_WEBHOOK_BODY_LIMIT);
    }

    /**
     * Parses a listen address {@code HOST:PORT} ({@code 127.0.0.1:9400}, {@code [::1]:9400},
     * {@code localhost:9400}).
     *
     * @throws IllegalArgumentException with a one-line message naming the text and the form expected
     */
    public static InetSocketAddress parseListen(String hostPort) {
      String problem = "listen address '" + hostPort + "': expected HOST:PORT such as 127.0.0.1:9400 or [::1]:9400";
      try {
        URI uri = new URI("http://" + hostPort + "/");
        if (uri.getHost() == null || uri.getPort() < 0 || uri.getPort() > 65_535 || uri.getRawUserInfo() != null
            || !"/".equals(uri.getRawPath()) || uri.getRawQuery() != null || uri.getRawFragment() != null) {
          throw new IllegalArgumentException(problem);
        }
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
        return new InetSocketAddress(host, uri.getPort());
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException(problem, e);
      }
    }
  }

  private final HttpServer server;
  private final ThreadPoolExecutor executor;
  private final StatusSource status;
  private final ControllerMetrics metrics;
  private final ExpiryTimeline timeline;
  private final StatusPage page;
  private final Map<String, Route> routes = new LinkedHashMap<>();
  private final Object drained = new Object();
  private final AtomicInteger running = new AtomicInteger();
  private volatile boolean stopping;
  private final AtomicBoolean stopped = new AtomicBoolean();

  private interface Handler {
    HttpReply handle(HttpExchange exchange) throws IOException;
  }

  private record Route(Set<String> methods, Handler handler) {}

  private ControllerHttpServer(HttpServer server, ThreadPoolExecutor executor, StatusSource status,
      ControllerMetrics metrics, Clock clock, int timelineDays, GitWebhook webhook) {
    this.server = server;
    this.executor = executor;
    this.status = status;
    this.metrics = metrics;
    this.timeline = new ExpiryTimeline(clock, timelineDays, ExpiryTimeline.DEFAULT_ROWS);
    this.page = new StatusPage(clock, timeline);
    routes.put("/healthz", new Route(READ, x -> HttpReply.text(200, "ok\n")));
    routes.put("/readyz", new Route(READ, x -> readiness()));
    routes.put("/metrics", new Route(READ, x -> metrics()));
    routes.put("/api/status", new Route(READ, x -> HttpReply.of(200, HttpReply.JSON, ControllerStatusJson.write(status.status()))));
    routes.put("/", new Route(READ, x -> HttpReply.of(200, "text/html; charset=utf-8", page.html(status.status()))
        .with("Content-Security-Policy", PAGE_POLICY)));
    routes.put("/timeline.svg", new Route(READ, x -> HttpReply.of(200, "image/svg+xml", timeline.svg(status.status()))
        .with("Content-Security-Policy", PAGE_POLICY)));
    if (webhook != null) {
      routes.put("/hooks/git", new Route(Set.of("POST"), webhook::handle));
    }
  }

  /**
   * Reads the webhook secret, binds and starts serving.
   *
   * @param secrets reads {@code settings.webhookSecret()} (once, here)
   * @throws ControllerHttpException when the address cannot be bound or the secret cannot be read
   */
  public static ControllerHttpServer start(Settings settings, SecretReader secrets, StatusSource status,
      SyncTrigger trigger, ControllerMetrics metrics, Clock clock) throws ControllerHttpException {
    GitWebhook webhook = null;
    if (settings.webhookSecret() != null) {
      byte[] secret = webhookSecret(settings.webhookSecret(), secrets);
      webhook = new GitWebhook(secret, trigger, settings.webhookBodyLimit());
      Arrays.fill(secret, (byte) 0);
    }
    HttpServer server;
    try {
      server = HttpServer.create(settings.listen(), 0);
    } catch (BindException e) {
      throw new ControllerHttpException("cannot listen on " + text(settings.listen()) + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new ControllerHttpException("cannot listen on " + text(settings.listen()) + ": " + e, e);
    }
    AtomicInteger threads = new AtomicInteger();
    ThreadPoolExecutor executor = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(QUEUE), r -> {
          Thread t = new Thread(r, "uctrust-http-" + threads.incrementAndGet());
          t.setDaemon(true);
          return t;
        }, new ThreadPoolExecutor.CallerRunsPolicy());
    executor.allowCoreThreadTimeOut(true);
    ControllerHttpServer http = new ControllerHttpServer(server, executor, status, metrics, clock,
        settings.timelineDays(), webhook);
    server.createContext("/", http::serve);
    server.setExecutor(executor);
    server.start();
    return http;
  }

  /** The address it serves on (with the actual port when 0 was asked for). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /**
   * Stops serving: new requests are answered 503 at once, running ones get up to {@code grace} to finish, then
   * the listener and every connection close.
   */
  public void stop(Duration grace) {
    if (stopped.getAndSet(true)) {
      return;
    }
    stopping = true;
    long deadline = System.nanoTime() + grace.toNanos();
    synchronized (drained) {
      while (running.get() > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          LOG.warn("stopping the HTTP server with {} requests still running", running.get());
          break;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(drained, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    server.stop(0);
    executor.shutdownNow();
  }

  /** {@link #stop} with five seconds' grace. */
  @Override
  public void close() {
    stop(Duration.ofSeconds(5));
  }

  private void serve(HttpExchange exchange) {
    running.incrementAndGet();
    try (exchange) {
      HttpReply reply;
      if (stopping) {
        reply = HttpReply.text(503, "stopping\n").with("Connection", "close");
      } else {
        try {
          reply = route(exchange);
        } catch (IOException e) {
          LOG.debug("reading the request {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), e);
          reply = HttpReply.text(400, "cannot read the request\n").with("Connection", "close");
        } catch (RuntimeException e) {
          LOG.error("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), e);
          reply = HttpReply.text(500, "internal error\n");
        }
      }
      send(exchange, reply);
    } catch (IOException e) {
      LOG.debug("the client of {} went away", exchange.getRequestURI().getRawPath(), e);
    } finally {
      if (running.decrementAndGet() == 0) {
        synchronized (drained) {
          drained.notifyAll();
        }
      }
    }
  }

  private HttpReply route(HttpExchange exchange) throws IOException {
    Route route = routes.get(exchange.getRequestURI().getRawPath());
    if (route == null) {
      return HttpReply.text(404, "not found\n");
    }
    if (!route.methods().contains(exchange.getRequestMethod())) {
      String allow = route.methods().contains("GET") ? "GET, HEAD" : String.join(", ", route.methods());
      return HttpReply.text(405, "method not allowed\n").with("Allow", allow);
    }
    return route.handler().handle(exchange);
  }

  private static void send(HttpExchange exchange, HttpReply reply) throws IOException {
    var headers = exchange.getResponseHeaders();
    headers.set("Content-Type", reply.contentType());
    headers.set("Cache-Control", "no-store");
    headers.set("X-Content-Type-Options", "nosniff");
    reply.headers().forEach(headers::set);
    boolean noBody = "HEAD".equals(exchange.getRequestMethod()) || reply.body().length == 0;
    exchange.sendResponseHeaders(reply.status(), noBody ? -1 : reply.body().length);
    if (!noBody) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(reply.body());
      }
    }
  }

  private HttpReply readiness() {
    ControllerStatus now = status.status();
    if (now.ready()) {
      return HttpReply.text(200, "ready\n");
    }
    StringBuilder text = new StringBuilder("not ready\n");
    now.notReadyReasons().forEach(r -> text.append("- ").append(r).append('\n'));
    return HttpReply.text(503, text.toString());
  }

  private HttpReply metrics() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    metrics.writeText(out);
    return new HttpReply(200, ControllerMetrics.CONTENT_TYPE, out.toByteArray(), Map.of());
  }

  private static byte[] webhookSecret(SecretRef ref, SecretReader secrets) throws ControllerHttpException {
    if (ref.source() != SecretRef.Source.ENV && ref.source() != SecretRef.Source.FILE) {
      throw new ControllerHttpException("webhook secret " + ref + ": must be env:NAME or file:PATH");
    }
    String value;
    try {
      value = secrets.read(ref, null);
    } catch (ClusterException e) {
      throw new ControllerHttpException("webhook " + e.getMessage());
    }
    if (value.isEmpty()) {
      throw new ControllerHttpException("webhook secret " + ref + " is empty");
    }
    return value.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(InetSocketAddress address) {
    String host = address.getHostString();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
  }
}
