package io.uctrust.target.lab;

import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;

/**
 * What the served lab's HTTP handlers share: HTTP Basic checked the way the lab accepts it (any non-empty
 * user, the serve password), request bodies read up to a limit, answers written with a length.
 *
 * <p>Not for: real-cluster clients (they have {@code BasicCredentials} and {@code BoundedBody}), or any
 * server outside the lab.
 */
final class LabHttp {
  /** Larger request bodies are refused: no lab request needs more, and the server must not run out of memory. */
  static final int MAX_BODY_BYTES = 8 * 1024 * 1024;

  private LabHttp() {}

  /** Whether the request carries HTTP Basic with a non-empty user and exactly {@code password}. */
  static boolean authorized(HttpExchange exchange, String password) {
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return false;
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return false;
    }
    int colon = decoded.indexOf(':');
    if (colon <= 0) {
      return false;
    }
    // constant-time comparison: the lab's password is a real secret while it is served
    return MessageDigest.isEqual(decoded.substring(colon + 1).getBytes(StandardCharsets.UTF_8),
        password.getBytes(StandardCharsets.UTF_8));
  }

  /** The request body, or null when it is larger than {@link #MAX_BODY_BYTES}. */
  static byte[] body(HttpExchange exchange) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try (InputStream in = exchange.getRequestBody()) {
      int read;
      while ((read = in.read(buffer)) >= 0) {
        out.write(buffer, 0, read);
        if (out.size() > MAX_BODY_BYTES) {
          return null;
        }
      }
    }
    return out.toByteArray();
  }

  static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  /** Waits for a DELAY fault; an interrupt (the server stopping) ends the wait early. */
  static void sleep(Duration delay) {
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
