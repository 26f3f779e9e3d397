package io.uctrust.controller;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /hooks/git}: authenticates a git host's webhook with the shared secret and queues a sync of the
 * clusters fed by the repository it names. Accepted proofs: GitHub's {@code X-Hub-Signature-256: sha256=<HMAC-SHA256
 * of the raw body>}, GitLab's {@code X-Gitlab-Token: <secret>} and {@code Authorization: Bearer <secret>}, all
 * compared in constant time (tokens through their SHA-256, so not even the secret's length shows). The repository
 * is {@code ?repository=NAME} when given, else the payload's URLs (GitHub {@code repository.clone_url}, {@code
 * html_url}, {@code ssh_url}; GitLab {@code project.git_http_url}, {@code git_ssh_url}, {@code web_url}); GitHub's
 * form-encoded delivery ({@code payload=...}) is read too. A GitHub ping is answered without a sync.
 *
 * <p>Not for: deciding what to sync (the {@link SyncTrigger} does), or serving without a secret (the server
 * leaves the endpoint out: 404, never open).
 */
final class GitWebhook {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String HMAC = "HmacSHA256";

  private final SecretKeySpec key;
  private final byte[] secretDigest;
  private final SyncTrigger trigger;
  private final int maxBytes;

  /** {@code secret} is copied; the caller should clear its array. */
  GitWebhook(byte[] secret, SyncTrigger trigger, int maxBytes) {
    if (secret.length == 0) {
      throw new IllegalArgumentException("an empty webhook secret authenticates nobody");
    }
    this.key = new SecretKeySpec(secret, HMAC);
    this.secretDigest = sha256(secret);
    this.trigger = trigger;
    this.maxBytes = maxBytes;
  }

  HttpReply handle(HttpExchange exchange) throws IOException {
    Headers headers = exchange.getRequestHeaders();
    String length = headers.getFirst("Content-Length");
    if (length != null && tooLong(length)) {
      return tooLarge();
    }
    byte[] body = exchange.getRequestBody().readNBytes(maxBytes + 1);
    if (body.length > maxBytes) {
      return tooLarge();
    }
    if (!authentic(headers, body)) {
      return HttpReply.text(401, "unauthorized\n").with("WWW-Authenticate", "Bearer");
    }
    if ("ping".equalsIgnoreCase(headers.getFirst("X-GitHub-Event"))) {
      return HttpReply.of(200, HttpReply.JSON, "{\"ping\":\"ok\"}\n");
    }
    List<String> repository;
    try {
      String named = query(exchange.getRequestURI().getRawQuery()).get("repository");
      repository = named != null && !named.isBlank() ? List.of(named.strip())
          : repositoryUrls(payload(headers.getFirst("Content-Type"), body));
    } catch (JacksonException e) {
      return HttpReply.text(400, "the payload is not JSON; name the repository with ?repository=NAME\n");
    } catch (IllegalArgumentException e) {
      return HttpReply.text(400, "malformed percent-encoding in the query or form\n");
    }
    if (repository.isEmpty()) {
      return HttpReply.text(400, "no repository in the payload (repository.clone_url, project.git_http_url, ...);"
          + " name it with ?repository=NAME\n");
    }
    List<String> queued = trigger.requestSync(repository);
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("repository", repository);
    answer.put("queued", queued);
    return HttpReply.of(queued.isEmpty() ? 200 : 202, HttpReply.JSON, JSON.writeValueAsString(answer) + "\n");
  }

  private boolean tooLong(String contentLength) {
    try {
      return Long.parseLong(contentLength.strip()) > maxBytes;
    } catch (NumberFormatException e) {
      return false; // the JDK server refuses malformed lengths itself; the read below still enforces the limit
    }
  }

  private HttpReply tooLarge() {
    return HttpReply.text(413, "payload larger than " + maxBytes + " bytes\n").with("Connection", "close");
  }

  private boolean authentic(Headers headers, byte[] body) {
    String signature = headers.getFirst("X-Hub-Signature-256");
    if (signature != null) {
      return signature.startsWith("sha256=") && signatureMatches(signature.substring(7).strip(), body);
    }
    String gitlab = headers.getFirst("X-Gitlab-Token");
    if (gitlab != null) {
      return tokenMatches(gitlab);
    }
    String authorization = headers.getFirst("Authorization");
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return tokenMatches(authorization.substring(7).strip());
    }
    return false;
  }

  private boolean signatureMatches(String hex, byte[] body) {
    byte[] given;
    try {
      given = HexFormat.of().parseHex(hex.toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return false;
    }
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(key);
      return MessageDigest.isEqual(mac.doFinal(body), given);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
    }
  }

  private boolean tokenMatches(String token) {
    return MessageDigest.isEqual(sha256(token.getBytes(StandardCharsets.UTF_8)), secretDigest);
  }

  /** The JSON of a delivery: the body, or GitHub's {@code payload} form field. */
  private static JsonNode payload(String contentType, byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8);
    if (contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
      text = query(text).getOrDefault("payload", "");
    }
    JsonNode node = JSON.readTree(text);
    return node == null ? JSON.missingNode() : node;
  }

  /** The repository's URLs a GitHub or GitLab payload names, in order, without duplicates. */
  static List<String> repositoryUrls(JsonNode payload) {
    Set<String> urls = new LinkedHashSet<>();
    String[][] paths = {
        {"repository", "clone_url"}, {"repository", "html_url"}, {"repository", "ssh_url"},
        {"project", "git_http_url"}, {"project", "git_ssh_url"}, {"project", "web_url"},
        {"repository", "git_http_url"}, {"repository", "git_ssh_url"}};
    for (String[] path : paths) {
      JsonNode value = payload.path(path[0]).path(path[1]);
      if (value.isString() && !value.asString().isBlank()) {
        urls.add(value.asString().strip());
      }
    }
    return new ArrayList<>(urls);
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> values = new HashMap<>();
    if (raw == null) {
      return values;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      values.putIfAbsent(name, value);
    }
    return values;
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is unavailable", e);
    }
  }
}
