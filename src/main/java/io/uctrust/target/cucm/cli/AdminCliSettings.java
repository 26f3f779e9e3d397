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
 * <p>{@code connectAddress} and {@code connectPort} (set with {@link #withConnectAddress}; null and 0 when
 * not set) send the TCP connection elsewhere than {@code host:port} while the host key is still verified as
 * {@code host:port}'s, like curl's {@code --connect-to}: for a node reached through a tunnel or a port
 * forward, or the lab's SSH server on loopback.
 *
 * <p>Not for: credentials (given to {@link AdminCli#connect} separately) or any way to skip host key
 * verification; there is none.
 */
public record AdminCliSettings(String host, int port, Path knownHosts, Duration connectTimeout, Duration authTimeout,
    Duration promptTimeout, Duration commandTimeout, Duration restartTimeout, Duration quietPeriod,
    String connectAddress, int connectPort) {

  public static final int DEFAULT_PORT = 22;

  public AdminCliSettings {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(knownHosts, "knownHosts");
    if (!isHostText(host)) {
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
    if (connectAddress == null) {
      if (connectPort != 0) {
        throw new IllegalArgumentException("a connect port needs a connect address");
      }
    } else {
      if (!isHostText(connectAddress)) {
        throw new IllegalArgumentException("the connect address must be a host name or address (got '" + connectAddress
            + "')");
      }
      if (connectPort < 1 || connectPort > 65535) {
        throw new IllegalArgumentException("the connect port must be 1..65535 (got " + connectPort + ")");
      }
    }
  }

  /** The 9 settings without a connect address: the connection goes to {@code host:port}. */
  public AdminCliSettings(String host, int port, Path knownHosts, Duration connectTimeout, Duration authTimeout,
      Duration promptTimeout, Duration commandTimeout, Duration restartTimeout, Duration quietPeriod) {
    this(host, port, knownHosts, connectTimeout, authTimeout, promptTimeout, commandTimeout, restartTimeout,
        quietPeriod, null, 0);
  }

  /** Defaults for {@code host}:22. */
  public static AdminCliSettings forHost(String host, Path knownHosts) {
    return new AdminCliSettings(host, DEFAULT_PORT, knownHosts, Duration.ofSeconds(15), Duration.ofSeconds(30),
        Duration.ofSeconds(90), Duration.ofSeconds(120), Duration.ofMinutes(15), Duration.ofMillis(250));
  }

  public AdminCliSettings withPort(int newPort) {
    return new AdminCliSettings(host, newPort, knownHosts, connectTimeout, authTimeout, promptTimeout, commandTimeout,
        restartTimeout, quietPeriod, connectAddress, connectPort);
  }

  public AdminCliSettings withConnectTimeouts(Duration connect, Duration auth) {
    return new AdminCliSettings(host, port, knownHosts, connect, auth, promptTimeout, commandTimeout, restartTimeout,
        quietPeriod, connectAddress, connectPort);
  }

  public AdminCliSettings withPromptTimeout(Duration prompt) {
    return new AdminCliSettings(host, port, knownHosts, connectTimeout, authTimeout, prompt, commandTimeout,
        restartTimeout, quietPeriod, connectAddress, connectPort);
  }

  public AdminCliSettings withCommandTimeout(Duration command) {
    return new AdminCliSettings(host, port, knownHosts, connectTimeout, authTimeout, promptTimeout, command,
        restartTimeout, quietPeriod, connectAddress, connectPort);
  }

  public AdminCliSettings withRestartTimeout(Duration restart) {
    return new AdminCliSettings(host, port, knownHosts, connectTimeout, authTimeout, promptTimeout, commandTimeout,
        restart, quietPeriod, connectAddress, connectPort);
  }

  public AdminCliSettings withQuietPeriod(Duration quiet) {
    return new AdminCliSettings(host, port, knownHosts, connectTimeout, authTimeout, promptTimeout, commandTimeout,
        restartTimeout, quiet, connectAddress, connectPort);
  }

  /**
   * Connect to {@code address:port} instead of {@code host:port}; the host key is still looked up in the
   * known_hosts file under {@code host} and {@link #port()} (22 unless changed), so a known_hosts line for
   * the node's name accepts it and a line with another key for that name refuses it.
   */
  public AdminCliSettings withConnectAddress(String address, int newPort) {
    Objects.requireNonNull(address, "address");
    return new AdminCliSettings(host, port, knownHosts, connectTimeout, authTimeout, promptTimeout, commandTimeout,
        restartTimeout, quietPeriod, address, newPort);
  }

  /** Where the TCP connection goes: the connect address if set, else the host. */
  public String tcpHost() {
    return connectAddress == null ? host : connectAddress;
  }

  /** The TCP port the connection goes to: the connect port if set, else the port. */
  public int tcpPort() {
    return connectAddress == null ? port : connectPort;
  }

  /** {@code host:port}, and where the connection really goes when a connect address is set, for messages. */
  public String describe() {
    return connectAddress == null ? hostAndPort() : hostAndPort() + " (connecting to " + bracket(connectAddress) + ":"
        + connectPort + ")";
  }

  /** {@code host:port} (IPv6 in brackets), for messages. */
  public String hostAndPort() {
    return bracket(host) + ":" + port;
  }

  private static String bracket(String name) {
    return name.indexOf(':') >= 0 && !name.startsWith("[") ? "[" + name + "]" : name;
  }

  private static boolean isHostText(String name) {
    return !name.isBlank() && name.chars().noneMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))
        && name.indexOf('@') < 0;
  }

  private static void positive(Duration duration, String what) {
    if (duration == null || duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("the " + what + " must be positive");
    }
  }
}
