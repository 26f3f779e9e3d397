package io.uctrust.target.cucm.axl;

import static io.uctrust.target.cucm.SettingBounds.httpsWithoutUserInfo;
import static io.uctrust.target.cucm.SettingBounds.positive;
import static io.uctrust.target.cucm.SettingBounds.atLeastOne;
import static io.uctrust.target.cucm.SettingBounds.responseLimit;

import io.uctrust.target.cucm.SettingBounds;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@link AxlClient} talks to one publisher: the endpoint ({@code https://<publisher>:8443/axl/}), the
 * AXL version, timeouts, pacing, retry of throttled requests, and the largest response it reads.
 * Defaults ({@link #forPublisher}): connect 10 s, request 60 s, 5 requests per second, 5 attempts with
 * backoff from 1 s doubling up to 30 s, responses up to 64 MiB.
 *
 * <p>Only {@code https} endpoints are accepted. Not for: credentials or trust (given to the client
 * separately).
 */
public record AxlSettings(URI endpoint, AxlVersion version, Duration connectTimeout, Duration requestTimeout,
    int requestsPerSecond, int maxAttempts, Duration initialBackoff, Duration maxBackoff, long maxResponseBytes,
    String serverName) {

  public static final int DEFAULT_PORT = 8443;
  public static final long DEFAULT_MAX_RESPONSE_BYTES = 64L * 1024 * 1024;

  public AxlSettings {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(version, "version");
    httpsWithoutUserInfo(endpoint, "the AXL endpoint");
    positive(connectTimeout, "connect timeout");
    positive(requestTimeout, "request timeout");
    positive(initialBackoff, "initial backoff");
    positive(maxBackoff, "maximum backoff");
    atLeastOne(requestsPerSecond, "requests per second");
    atLeastOne(maxAttempts, "attempts");
    responseLimit(maxResponseBytes);
    serverName = SettingBounds.serverName(serverName);
  }

  /** Without a server name: TLS verifies the endpoint's host. */
  public AxlSettings(URI endpoint, AxlVersion version, Duration connectTimeout, Duration requestTimeout,
      int requestsPerSecond, int maxAttempts, Duration initialBackoff, Duration maxBackoff, long maxResponseBytes) {
    this(endpoint, version, connectTimeout, requestTimeout, requestsPerSecond, maxAttempts, initialBackoff, maxBackoff,
        maxResponseBytes, null);
  }

  /**
   * These settings connecting to the endpoint but verifying the publisher as {@code name} (sent as the TLS
   * server name), for {@code --connect-to} routes.
   */
  public AxlSettings withServerName(String name) {
    return new AxlSettings(endpoint, version, connectTimeout, requestTimeout, requestsPerSecond, maxAttempts,
        initialBackoff, maxBackoff, maxResponseBytes, name);
  }

  /** Defaults for {@code https://<host>:8443/axl/}. */
  public static AxlSettings forPublisher(String host, AxlVersion version) {
    String literal = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    return forEndpoint(URI.create("https://" + literal + ":" + DEFAULT_PORT + "/axl/"), version);
  }

  /** Defaults for any AXL endpoint (tests and the lab server use {@code https://127.0.0.1:<port>/axl/}). */
  public static AxlSettings forEndpoint(URI endpoint, AxlVersion version) {
    return new AxlSettings(endpoint, version, Duration.ofSeconds(10), Duration.ofSeconds(60), 5, 5,
        Duration.ofSeconds(1), Duration.ofSeconds(30), DEFAULT_MAX_RESPONSE_BYTES);
  }

  public AxlSettings withTimeouts(Duration connect, Duration request) {
    return new AxlSettings(endpoint, version, connect, request, requestsPerSecond, maxAttempts, initialBackoff,
        maxBackoff, maxResponseBytes, serverName);
  }

  public AxlSettings withRequestsPerSecond(int perSecond) {
    return new AxlSettings(endpoint, version, connectTimeout, requestTimeout, perSecond, maxAttempts, initialBackoff,
        maxBackoff, maxResponseBytes, serverName);
  }

  public AxlSettings withRetry(int attempts, Duration initial, Duration max) {
    return new AxlSettings(endpoint, version, connectTimeout, requestTimeout, requestsPerSecond, attempts, initial, max,
        maxResponseBytes, serverName);
  }

  public AxlSettings withMaxResponseBytes(long bytes) {
    return new AxlSettings(endpoint, version, connectTimeout, requestTimeout, requestsPerSecond, maxAttempts,
        initialBackoff, maxBackoff, bytes, serverName);
  }

  /** {@code host:port} of the endpoint, for messages. */
  public String hostAndPort() {
    int port = endpoint.getPort() < 0 ? 443 : endpoint.getPort();
    return (serverName == null ? endpoint.getHost() : serverName + " (" + endpoint.getHost() + ")") + ":" + port;
  }
}
