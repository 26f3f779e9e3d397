package io.uctrust.issuance;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * uctrust's own HTTP-01 responder (RFC 8555 section 8.3): a JDK HTTP server that answers
 * {@code GET /.well-known/acme-challenge/<token>} with the key authorization of a registered token and 404 for
 * anything else. It runs only between {@link #start} and {@link #close}, while an order is being authorized.
 *
 * <p>Not for: serving anything else (health, metrics), or running longer than one authorization round.
 */
final class Http01Responder implements AutoCloseable {
  static final String PATH = "/.well-known/acme-challenge/";

  private final Map<String, String> answers = new ConcurrentHashMap<>();
  private final HttpServer server;

  private Http01Responder(HttpServer server) {
    this.server = server;
  }

  /**
   * A responder listening on {@code address}.
   *
   * @throws IOException when the address cannot be bound (in use, or a port below 1024 without privileges)
   */
  static Http01Responder start(InetSocketAddress address) throws IOException {
    HttpServer server = HttpServer.create(address, 0);
    Http01Responder responder = new Http01Responder(server);
    server.createContext(PATH, responder::answer);
    server.start();
    return responder;
  }

  /** Serves {@code keyAuthorization} for {@code token} from now on. */
  void put(String token, String keyAuthorization) {
    answers.put(token, keyAuthorization);
  }

  /** The address actually bound (the port is chosen when 0 was asked for). */
  InetSocketAddress address() {
    return server.getAddress();
  }

  private void answer(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      String token = exchange.getRequestURI().getPath().substring(PATH.length());
      String body = answers.get(token);
      if (!"GET".equals(method) && !"HEAD".equals(method)) {
        exchange.sendResponseHeaders(405, -1);
      } else if (body == null) {
        exchange.sendResponseHeaders(404, -1);
      } else {
        byte[] bytes = body.getBytes(StandardCharsets.US_ASCII);
        exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
        exchange.sendResponseHeaders(200, "HEAD".equals(method) ? -1 : bytes.length);
        if (!"HEAD".equals(method)) {
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
          }
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
