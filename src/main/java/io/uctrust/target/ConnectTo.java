package io.uctrust.target;

import java.util.List;
import java.util.Locale;

/**
 * Where to open connections to a cluster's hosts when it is not where their names point, like curl's
 * {@code --connect-to}: an SSH tunnel, a jump host, or {@code uctrust lab serve} on loopback. Only the
 * TCP connection goes elsewhere; TLS and SSH still verify the configured host name (its certificate
 * and its known_hosts entry), so a route cannot be used to talk to an unverified peer.
 *
 * @param rules checked in order; the first that matches wins, no match connects as named
 */
public record ConnectTo(List<Rule> rules) {

  public ConnectTo {
    rules = List.copyOf(rules);
  }

  public static ConnectTo none() {
    return new ConnectTo(List.of());
  }

  /** One route: connections to {@code host:port} ({@code null} = any) go to {@code toHost:toPort}. */
  public record Rule(String host, Integer port, String toHost, int toPort) {}

  /** A place to connect to. */
  public record Endpoint(String host, int port) {}

  /** Where a connection to {@code host:port} goes. */
  public Endpoint route(String host, int port) {
    for (Rule rule : rules) {
      if ((rule.host() == null || rule.host().equalsIgnoreCase(host)) && (rule.port() == null || rule.port() == port)) {
        return new Endpoint(rule.toHost(), rule.toPort());
      }
    }
    return new Endpoint(host, port);
  }

  /**
   * Parses {@code HOST1:PORT1:HOST2:PORT2} (curl's form; HOST1 and PORT1 may be empty for any, IPv6
   * addresses in brackets).
   */
  public static Rule parse(String text) {
    List<String> parts = split(text);
    if (parts.size() != 4 || parts.get(2).isEmpty() || parts.get(3).isEmpty()) {
      throw new IllegalArgumentException("--connect-to must be HOST1:PORT1:HOST2:PORT2, such as "
          + "cucm-pub.example.com:8443:127.0.0.1:18443 (HOST1 and PORT1 may be empty for any); got '" + text + "'");
    }
    return new Rule(parts.get(0).isEmpty() ? null : parts.get(0).toLowerCase(Locale.ROOT),
        parts.get(1).isEmpty() ? null : port(parts.get(1), text), parts.get(2), port(parts.get(3), text));
  }

  private static List<String> split(String text) {
    java.util.ArrayList<String> parts = new java.util.ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean bracket = false;
    for (char c : text.toCharArray()) {
      if (c == '[') {
        bracket = true;
      } else if (c == ']') {
        bracket = false;
      } else if (c == ':' && !bracket) {
        parts.add(current.toString());
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    parts.add(current.toString());
    return parts;
  }

  private static int port(String text, String rule) {
    try {
      int port = Integer.parseInt(text);
      if (port >= 1 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("--connect-to '" + rule + "': port '" + text + "' must be 1..65535");
  }

  @Override
  public String toString() {
    return rules.stream().map(r -> (r.host() == null ? "" : r.host()) + ":" + (r.port() == null ? "" : r.port()) + ":"
        + r.toHost() + ":" + r.toPort()).toList().toString();
  }
}
