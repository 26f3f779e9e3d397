package io.uctrust.target.cucm.services;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * The user ControlCenterServices authenticates (the platform administrator, or an application user
 * allowed to control services) and its password, resolved by the caller from a secret reference. The
 * password is kept as a private copy of the characters and leaves this object only as an HTTP Basic
 * {@code Authorization} header value; {@link #toString()} shows the user name only.
 *
 * <p>Not for: storing credentials anywhere (plans, journals, logs), equality checks, or the admin CLI
 * (SSH logins are another adapter's business).
 */
public final class ControlCenterCredentials {
  private final String username;
  private final char[] password;

  public ControlCenterCredentials(String username, char[] password) {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    if (username.isBlank() || username.indexOf(':') >= 0) {
      throw new IllegalArgumentException("a ControlCenterServices user name must be non-blank and without ':' "
          + "(HTTP Basic)");
    }
    this.username = username;
    this.password = password.clone();
  }

  public static ControlCenterCredentials of(String username, String password) {
    return new ControlCenterCredentials(username, Objects.requireNonNull(password, "password").toCharArray());
  }

  public String username() {
    return username;
  }

  /** {@code Basic base64(user:password)}; the intermediate buffers are cleared. */
  String basicAuthorization() {
    CharBuffer chars = CharBuffer.allocate(username.length() + 1 + password.length);
    chars.put(username).put(':').put(password).flip();
    ByteBuffer encoded = StandardCharsets.UTF_8.encode(chars);
    byte[] bytes = new byte[encoded.remaining()];
    encoded.get(bytes);
    try {
      return "Basic " + Base64.getEncoder().encodeToString(bytes);
    } finally {
      Arrays.fill(bytes, (byte) 0);
      Arrays.fill(chars.array(), '\0');
      if (encoded.hasArray()) {
        Arrays.fill(encoded.array(), (byte) 0);
      }
    }
  }

  @Override
  public String toString() {
    return "ControlCenterCredentials[username=" + username + ", password=<redacted>]";
  }
}
