package io.uctrust.target.cucm.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@link AdminCli} reaches one Unified CM or IM and Presence node: host, SSH port, the known_hosts file
 * its host key is checked against, and the timeout of each step. Steps: TCP connect and key exchange
 * ({@code connectTimeout}), authentication ({@code authTimeout}), the first {@code admin:} prompt after
 * login ({@code promptTimeout}; the CLI takes a while to start), and each exchange of a command: from
 * sending the command or an answer to the next question or prompt ({@code commandTimeout}, or {@code
 * restartTimeout} for service restarts). {@code quietPeriod} is how long output must pause before a
 * trailing {@code admin:} is taken as the prompt, or a trailing line as a question.
 *
 * <p>Defaults ({@link #forHost}): port 22, connect 15 s, authentication 30 s, first prompt 90 s, command
 * 120 s, restart 15 min, quiet 250 ms.
 *
 * <p>Not for: credentials (given to {@link AdminCli#connect} separately) or any way to skip host key
 * verification; there is none.
 */
public record AdminCliSettings(String host, int port, Path knownHosts, Duration connectTimeout, Duration authTimeout,
    Duration promptTimeout, Duration commandTimeout, Duration restartTimeout, Duration quietPeriod) {

  public static final int DEFAULT_PORT = 22;

  public AdminCliSettings {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(knownHosts, "knownHosts");
    if (host.isBlank() || host.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))
        || host.indexOf('@') >= 0) {
      throw new IllegalArgumentException("the admin CLI host must be a host name or address (got '" + host + "')");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("the SSH port must be 1..65535 (got " + port + ")");
    }
    positive(connectTimeout, "connect timeout");
    positive(authTimeout, "authentication timeout");
    positive(promptTimeout, "prompt timeout");
    positive(commandTimeout, "command timeout");
    positive(restartTimeout, "restart timeout");
    positive(quietPeriod, "quiet period");
    if (quietPeriod.compareTo(commandTimeout) >= 0 || quietPeriod.compareTo(restartTimeout) >= 0
        || quietPeriod.compareTo(promptTimeout) >= 0) {
      throw new IllegalArgumentException("the quiet period must be shorter than every step timeout");
    }
  }

  /** Defaults for {@code host}:22. */
  public static AdminCliSettings forHost(String host, Path knownHosts) {
    return new AdminCliSettings(host, DEFAULT_PORT, knownHosts, Duration.ofSeconds(15), Duration.ofSeconds(30),
        Duration.ofSeconds(90), Duration.ofSeconds(120), Duration.ofMinutes(15), Duration.ofMillis(250));
  }

  public AdminCliSettings withPort(int newPort) {
    return new AdminCliSettings(host, newPort, knownHosts, connectTimeout, authTimeout, promptTimeout, commandTimeout,
        restartTimeout, quietPeriod);
  }

  public AdminCliSettings withConnectTimeouts(Duration connect, Duration auth) {
    return new AdminCliSettings(host, port, knownHosts, connect, auth, promptTimeout, commandTimeout, restartTimeout,
        quietPeriod);
  }

  public AdminCliSettings withPromptTimeout(Duration prompt) {
    return new AdminCliSettings(host, port, knownHosts, connectTimeout, authTimeout, prompt, commandTimeout,
        restartTimeout, quietPeriod);
  }

  public AdminCliSettings withCommandTimeout(Duration command) {
    return new AdminCliSettings(host, port, knownHosts, connectTimeout, authTimeout, promptTimeout, command,
        restartTimeout, quietPeriod);
  }

  public AdminCliSettings withRestartTimeout(Duration restart) {
    return new AdminCliSettings(host, port, knownHosts, connectTimeout, authTimeout, promptTimeout, commandTimeout,
        restart, quietPeriod);
  }

  public AdminCliSettings withQuietPeriod(Duration quiet) {
    return new AdminCliSettings(host, port, knownHosts, connectTimeout, authTimeout, promptTimeout, commandTimeout,
        restartTimeout, quiet);
  }

  /** {@code host:port} (IPv6 in brackets), for messages. */
  public String hostAndPort() {
    return (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
  }

  private static void positive(Duration duration, String what) {
    if (duration == null || duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("the " + what + " must be positive");
    }
  }
}
