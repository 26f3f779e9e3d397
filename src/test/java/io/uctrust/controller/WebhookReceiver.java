package io.uctrust.controller;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * A test fixture: a JDK HTTP server on loopback that records every POST to {@code /hooks/t0ken} (headers and
 * body) and answers with the queued statuses, then 204.
 */
final class WebhookReceiver implements AutoCloseable {
  /** One request as received. */
  record Received(Map<String, List<String>> headers, byte[] body) {
    String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0)).findFirst().orElse(null);
    }
  }

  private final HttpServer server;
  private final List<Received> received = new ArrayList<>();
  private final Deque<Integer> statuses = new ArrayDeque<>();

  WebhookReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/hooks/t0ken", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      int status;
      synchronized (this) {
        received.add(new Received(Map.copyOf(exchange.getRequestHeaders()), body));
        status = statuses.isEmpty() ? 204 : statuses.removeFirst();
      }
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    });
    server.start();
  }

  /** The receiver's URL, with a token in the path as real webhook URLs have. */
  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/t0ken");
  }

  /** Answers the next requests with these statuses. */
  synchronized void answer(Integer... next) {
    statuses.addAll(List.of(next));
  }

  synchronized List<Received> received() {
    return List.copyOf(received);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
