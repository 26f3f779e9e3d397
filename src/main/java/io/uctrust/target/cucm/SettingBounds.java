package io.uctrust.target.cucm;

import java.net.URI;
import java.time.Duration;
import javax.net.ssl.SNIHostName;

/**
 * The checks every real-cluster client's settings share: an https endpoint with a host and no user
 * information, positive durations, at least one request or attempt, a response limit of at least 1 KiB.
 * Each throws {@link IllegalArgumentException} naming the setting.
 *
 * <p>Not for: desired-state validation (the validator reports diagnostics instead of throwing).
 */
public final class SettingBounds {
  private SettingBounds() {}

  /** {@code uri} is https with a host and carries no credentials; {@code what} names it ("the AXL endpoint"). */
  public static void httpsWithoutUserInfo(URI uri, String what) {
    if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException(what + " must be an https URI with a host (got " + uri + ")");
    }
    if (uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException(what + " must not carry user information; give credentials separately");
    }
  }

  public static void positive(Duration duration, String what) {
    if (duration == null || duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("the " + what + " must be positive");
    }
  }

  public static void atLeastOne(int value, String what) {
    if (value < 1) {
      throw new IllegalArgumentException(what + " must be at least 1");
    }
  }

  public static void responseLimit(long maxResponseBytes) {
    if (maxResponseBytes < 1024) {
      throw new IllegalArgumentException("the response limit must be at least 1 KiB");
    }
  }

  /**
   * A TLS server name (SNI) to verify certificates against: null (none), or a DNS name, stripped; an IP
   * address is refused (SNI carries host names only).
   */
  public static String serverName(String name) {
    if (name == null) {
      return null;
    }
    String stripped = name.strip();
    if (stripped.matches("[0-9.]+") || stripped.indexOf(':') >= 0) {
      throw new IllegalArgumentException("the TLS server name must be a DNS name, not an address (got '" + name + "')");
    }
    try {
      new SNIHostName(stripped);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the TLS server name must be a DNS name (got '" + name + "')", e);
    }
    return stripped;
  }
}
