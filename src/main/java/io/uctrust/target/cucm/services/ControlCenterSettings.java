package io.uctrust.target.cucm.services;

import static io.uctrust.target.cucm.SettingBounds.httpsWithoutUserInfo;
import static io.uctrust.target.cucm.SettingBounds.positive;
import static io.uctrust.target.cucm.SettingBounds.atLeastOne;
import static io.uctrust.target.cucm.SettingBounds.responseLimit;

import io.uctrust.target.cucm.SettingBounds;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@link ControlCenterClient} talks to the ControlCenterServices SOAP service of one node
 * ({@code https://<node>:8443/controlcenterservice2/services/ControlCenterServices}) and how long it waits
 * for services to settle. Defaults ({@link #forNode}): connect 10 s, request 120 s (a control request can
 * take as long as the node needs to stop a service), 5 attempts for throttled requests with backoff from
 * 1 s doubling up to 30 s, responses up to 4 MiB, status polled every 5 s for at most 10 minutes after a
 * start, stop or restart.
 *
 * <p>{@code serverName} (null by default) is the node's DNS name, sent as the TLS server name and verified
 * against the node's certificate when the endpoint names the node by IP address ({@link #withServerName}).
 *
 * <p>Only {@code https} endpoints are accepted. Not for: credentials or trust (given to the client
 * separately), or choosing which node runs what.
 */
public record ControlCenterSettings(URI endpoint, Duration connectTimeout, Duration requestTimeout, int maxAttempts,
    Duration initialBackoff, Duration maxBackoff, long maxResponseBytes, Duration pollInterval,
    Duration settleTimeout, String serverName) {

  public static final int DEFAULT_PORT = 8443;
  public static final String PATH = "/controlcenterservice2/services/ControlCenterServices";
  public static final long DEFAULT_MAX_RESPONSE_BYTES = 4L * 1024 * 1024;

  public ControlCenterSettings {
    Objects.requireNonNull(endpoint, "endpoint");
    httpsWithoutUserInfo(endpoint, "the ControlCenterServices endpoint");
    positive(connectTimeout, "connect timeout");
    positive(requestTimeout, "request timeout");
    positive(initialBackoff, "initial backoff");
    positive(maxBackoff, "maximum backoff");
    positive(pollInterval, "poll interval");
    positive(settleTimeout, "settle timeout");
    atLeastOne(maxAttempts, "attempts");
    responseLimit(maxResponseBytes);
    serverName = SettingBounds.serverName(serverName);
  }

  /** Settings without a separate TLS server name (the endpoint's host is verified). */
  public ControlCenterSettings(URI endpoint, Duration connectTimeout, Duration requestTimeout, int maxAttempts,
      Duration initialBackoff, Duration maxBackoff, long maxResponseBytes, Duration pollInterval,
      Duration settleTimeout) {
    this(endpoint, connectTimeout, requestTimeout, maxAttempts, initialBackoff, maxBackoff, maxResponseBytes,
        pollInterval, settleTimeout, null);
  }

  /** Defaults for {@code https://<host>:8443/controlcenterservice2/services/ControlCenterServices}. */
  public static ControlCenterSettings forNode(String host) {
    Objects.requireNonNull(host, "host");
    String literal = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    return forEndpoint(URI.create("https://" + literal + ":" + DEFAULT_PORT + PATH));
  }

  /** Defaults for any endpoint (tests use {@code https://127.0.0.1:<port>/controlcenterservice2/...}). */
  public static ControlCenterSettings forEndpoint(URI endpoint) {
    return new ControlCenterSettings(endpoint, Duration.ofSeconds(10), Duration.ofSeconds(120), 5,
        Duration.ofSeconds(1), Duration.ofSeconds(30), DEFAULT_MAX_RESPONSE_BYTES, Duration.ofSeconds(5),
        Duration.ofMinutes(10));
  }

  public ControlCenterSettings withTimeouts(Duration connect, Duration request) {
    return new ControlCenterSettings(endpoint, connect, request, maxAttempts, initialBackoff, maxBackoff,
        maxResponseBytes, pollInterval, settleTimeout, serverName);
  }

  public ControlCenterSettings withRetry(int attempts, Duration initial, Duration max) {
    return new ControlCenterSettings(endpoint, connectTimeout, requestTimeout, attempts, initial, max,
        maxResponseBytes, pollInterval, settleTimeout, serverName);
  }

  public ControlCenterSettings withMaxResponseBytes(long bytes) {
    return new ControlCenterSettings(endpoint, connectTimeout, requestTimeout, maxAttempts, initialBackoff,
        maxBackoff, bytes, pollInterval, settleTimeout, serverName);
  }

  /** Poll status every {@code interval} after a control request, and give up after {@code timeout}. */
  public ControlCenterSettings withPolling(Duration interval, Duration timeout) {
    return new ControlCenterSettings(endpoint, connectTimeout, requestTimeout, maxAttempts, initialBackoff,
        maxBackoff, maxResponseBytes, interval, timeout, serverName);
  }

  /**
   * Sends {@code name} (a DNS name, or null for none) as the TLS server name and verifies the node's
   * certificate against it: for an endpoint that names the node by IP address.
   */
  public ControlCenterSettings withServerName(String name) {
    return new ControlCenterSettings(endpoint, connectTimeout, requestTimeout, maxAttempts, initialBackoff,
        maxBackoff, maxResponseBytes, pollInterval, settleTimeout, name);
  }

  /** The name certificates are verified against: the server name when set, else the endpoint's host. */
  public String verifiedName() {
    return serverName == null ? endpoint.getHost() : serverName;
  }

  /** {@code host:port} of the endpoint, for messages. */
  public String hostAndPort() {
    int port = endpoint.getPort() < 0 ? 443 : endpoint.getPort();
    return (serverName == null ? endpoint.getHost() : serverName + " (" + endpoint.getHost() + ")") + ":" + port;
  }
}
