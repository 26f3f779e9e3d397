package io.uctrust.controller;

import io.uctrust.cluster.ClusterException;
import io.uctrust.cluster.SecretReader;
import io.uctrust.desired.SecretRef;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Sends each digest as a JSON POST ({@code "format": "uctrust.notification/v1"}: the digest's type, severity,
 * title, time and count, and every notification with its key, title, text, facts and time), signed so that the
 * receiver can tell it came from uctrust and was not replayed: header {@code X-Uctrust-Timestamp} (Unix seconds)
 * and {@code X-Uctrust-Signature: sha256=<hex HMAC-SHA256 of timestamp + "." + body>} with a shared secret given
 * by reference. A non-2xx answer fails; timeouts, connection errors, 408, 429 and 5xx are retried with doubling
 * back-off.
 *
 * <p>Errors name the endpoint by scheme, host and port only, since webhook URLs often carry a token in the path.
 * Not for: receivers that need another payload shape (Slack, Teams): put a relay in front.
 */
public final class WebhookChannel implements NotificationChannel {
  /** The payload's format; fields are only ever added within a version. */
  public static final String FORMAT = "uctrust.notification/v1";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /**
   * Where and how to post: {@code url} (http or https), the HMAC {@code secret} as {@code env:NAME} or
   * {@code file:PATH}, the {@code timeout} of each attempt, how many {@code retries} after the first attempt
   * (0-5), and the {@code backoff} before the first retry (doubling after).
   */
  public record Settings(URI url, SecretRef secret, Duration timeout, int retries, Duration backoff) {
    public Settings {
      Objects.requireNonNull(url, "url");
      Objects.requireNonNull(timeout, "timeout");
      Objects.requireNonNull(backoff, "backoff");
      if (!("http".equalsIgnoreCase(url.getScheme()) || "https".equalsIgnoreCase(url.getScheme()))
          || url.getHost() == null) {
        throw new IllegalArgumentException("the webhook URL must be http:// or https:// with a host");
      }
      if (secret == null || secret.isLiteral()) {
        throw new IllegalArgumentException("the webhook needs its signing secret as env:NAME or file:PATH");
      }
      if (retries < 0 || retries > 5) {
        throw new IllegalArgumentException("webhook retries must be 0-5, not " + retries);
      }
    }
  }

  private final Settings settings;
  private final SecretReader secrets;
  private final Clock clock;
  private final HttpClient http;

  public WebhookChannel(Settings settings, SecretReader secrets, Clock clock) {
    this.settings = settings;
    this.secrets = secrets;
    this.clock = clock;
    this.http = HttpClient.newBuilder().connectTimeout(settings.timeout())
        .followRedirects(HttpClient.Redirect.NEVER).build();
  }

  @Override
  public String name() {
    URI url = settings.url();
    int port = url.getPort() != -1 ? url.getPort() : "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
    return "webhook " + url.getScheme().toLowerCase(Locale.ROOT) + "://" + url.getHost() + ":" + port;
  }

  @Override
  public void send(Digest digest) throws NotificationException {
    byte[] secret;
    try {
      secret = secrets.read(settings.secret(), null).getBytes(StandardCharsets.UTF_8);
    } catch (ClusterException e) {
      throw new NotificationException(name() + ": cannot read the signing secret: " + e.getMessage());
    }
    byte[] body = JSON.writeValueAsBytes(payload(digest));
    String problem = null;
    Duration wait = settings.backoff();
    int attempts = 0;
    for (int attempt = 0; attempt <= settings.retries(); attempt++) {
      attempts++;
      if (attempt > 0) {
        pause(wait);
        wait = wait.multipliedBy(2);
      }
      String timestamp = Long.toString(clock.instant().getEpochSecond());
      HttpRequest request = HttpRequest.newBuilder(settings.url()).timeout(settings.timeout())
          .header("Content-Type", "application/json")
          .header("User-Agent", "uctrust")
          .header("X-Uctrust-Event", digest.type().name())
          .header("X-Uctrust-Timestamp", timestamp)
          .header("X-Uctrust-Signature", "sha256=" + signature(secret, timestamp, body))
          .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
      try {
        int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status >= 200 && status < 300) {
          return;
        }
        problem = "answered HTTP " + status;
        if (status < 500 && status != 408 && status != 429) {
          break; // the receiver rejects this request; sending it again changes nothing
        }
      } catch (HttpTimeoutException e) {
        problem = "no answer within " + settings.timeout().toMillis() + " ms";
      } catch (IOException e) {
        problem = "unreachable (" + e.getClass().getSimpleName() + ")";
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new NotificationException(name() + ": interrupted");
      }
    }
    throw new NotificationException(name() + ": " + problem + (attempts > 1 ? " (" + attempts + " attempts)" : ""));
  }

  /** The value of {@code X-Uctrust-Signature} after {@code sha256=}: what a receiver recomputes and compares. */
  public static String signature(byte[] secret, String timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      mac.update(timestamp.getBytes(StandardCharsets.US_ASCII));
      mac.update((byte) '.');
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  private static ObjectNode payload(Digest digest) {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("type", digest.type().name());
    root.put("severity", digest.severity().word());
    root.put("title", digest.title());
    root.put("time", digest.time().toString());
    root.put("count", digest.notifications().size());
    ArrayNode list = root.putArray("notifications");
    for (Notification n : digest.notifications()) {
      ObjectNode item = list.addObject();
      item.put("type", n.type().name());
      item.put("key", n.key());
      item.put("severity", n.severity().word());
      item.put("title", n.title());
      item.put("text", n.text());
      item.put("time", n.time().toString());
      ObjectNode facts = item.putObject("facts");
      n.facts().forEach(facts::put);
    }
    return root;
  }

  private static void pause(Duration wait) throws NotificationException {
    try {
      Thread.sleep(wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NotificationException("interrupted while waiting to retry");
    }
  }
}
