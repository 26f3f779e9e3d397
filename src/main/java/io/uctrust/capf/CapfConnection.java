package io.uctrust.capf;

import java.util.Map;
import java.util.Objects;

/**
 * Over which IP family a phone reaches CAPF, as the CAPF guide's IPv4/IPv6 connection table gives it, with the
 * enterprise parameter Enable IPv6 applied on top: when it is off, CAPF refuses IPv6 connections, so a phone
 * that would try IPv6 first uses its IPv4 fallback, and one without a fallback cannot connect.
 *
 * <p>The table is kept literally, including its one surprise: a dual-stack phone with only an IPv6 address and a
 * CAPF with both "connects over IPv6, falls back to IPv4". Combinations the table does not list (an IPv4-only
 * phone with IPv6 addresses, an IPv6-only phone with IPv4 addresses) are impossible configurations and are
 * refused rather than guessed.
 *
 * <p>Not for: whether the network routes between the two, or CAPF operations themselves (install, upgrade,
 * authentication modes).
 */
public final class CapfConnection {
  private CapfConnection() {}

  /** The phone's IP addressing mode. */
  public enum IpMode {
    IPV4_ONLY,
    IPV6_ONLY,
    DUAL_STACK
  }

  /** Which addresses a phone, or the CAPF server, has. */
  public enum Addresses {
    IPV4,
    IPV6,
    BOTH
  }

  /** An IP family a connection uses. */
  public enum Family {
    IPV4,
    IPV6
  }

  /**
   * The family the phone connects over first, and the one it falls back to; {@code first} is null when the phone
   * cannot connect, {@code fallback} when there is nothing to fall back to.
   */
  public record Result(Family first, Family fallback) {
    static final Result CANNOT_CONNECT = new Result(null, null);

    public Result {
      if (first == null && fallback != null || first != null && first == fallback) {
        throw new IllegalArgumentException("no fallback without a first family, and none to the same family: "
            + first + ", " + fallback);
      }
    }

    /** Whether the phone reaches CAPF at all. */
    public boolean connects() {
      return first != null;
    }
  }

  private record Key(IpMode phoneMode, Addresses phone, Addresses capf) {}

  // the guide's table, row by row: phone IP mode, phone addresses, CAPF addresses -> connection (Map.ofEntries
  // refuses a row given twice)
  private static final Map<Key, Result> TABLE = Map.ofEntries(
      row(IpMode.DUAL_STACK, Addresses.BOTH, Addresses.BOTH, Family.IPV6, Family.IPV4),
      row(IpMode.DUAL_STACK, Addresses.IPV4, Addresses.BOTH, Family.IPV4, null),
      row(IpMode.DUAL_STACK, Addresses.IPV6, Addresses.BOTH, Family.IPV6, Family.IPV4),
      row(IpMode.DUAL_STACK, Addresses.IPV4, Addresses.IPV4, Family.IPV4, null),
      row(IpMode.DUAL_STACK, Addresses.BOTH, Addresses.IPV6, Family.IPV6, null),
      row(IpMode.DUAL_STACK, Addresses.BOTH, Addresses.IPV4, Family.IPV4, null),
      row(IpMode.DUAL_STACK, Addresses.IPV4, Addresses.IPV6, null, null),
      row(IpMode.DUAL_STACK, Addresses.IPV6, Addresses.IPV4, null, null),
      row(IpMode.DUAL_STACK, Addresses.IPV6, Addresses.IPV6, Family.IPV6, null),
      row(IpMode.IPV4_ONLY, Addresses.IPV4, Addresses.BOTH, Family.IPV4, null),
      row(IpMode.IPV6_ONLY, Addresses.IPV6, Addresses.BOTH, Family.IPV6, null),
      row(IpMode.IPV4_ONLY, Addresses.IPV4, Addresses.IPV4, Family.IPV4, null),
      row(IpMode.IPV4_ONLY, Addresses.IPV4, Addresses.IPV6, null, null),
      row(IpMode.IPV6_ONLY, Addresses.IPV6, Addresses.IPV6, Family.IPV6, null),
      row(IpMode.IPV6_ONLY, Addresses.IPV6, Addresses.IPV4, null, null));

  private static Map.Entry<Key, Result> row(IpMode phoneMode, Addresses phone, Addresses capf, Family first,
      Family fallback) {
    return Map.entry(new Key(phoneMode, phone, capf), new Result(first, fallback));
  }

  /**
   * How a phone in {@code phoneMode} with {@code phone} addresses connects to a CAPF with {@code capf} addresses,
   * with the enterprise parameter Enable IPv6 set to {@code enableIpv6}.
   *
   * @throws IllegalArgumentException for a combination the guide's table does not list, naming it
   */
  public static Result of(IpMode phoneMode, Addresses phone, Addresses capf, boolean enableIpv6) {
    Objects.requireNonNull(phoneMode, "phoneMode");
    Objects.requireNonNull(phone, "phone");
    Objects.requireNonNull(capf, "capf");
    Result result = TABLE.get(new Key(phoneMode, phone, capf));
    if (result == null) {
      throw new IllegalArgumentException("impossible configuration: a phone in " + phoneMode + " mode with "
          + phone + " addresses (CAPF with " + capf + "); a phone's addresses must fit its IP mode");
    }
    if (!enableIpv6 && result.first() == Family.IPV6) {
      return result.fallback() == Family.IPV4 ? new Result(Family.IPV4, null) : Result.CANNOT_CONNECT;
    }
    return result;
  }
}
