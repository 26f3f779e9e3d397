package io.uctrust.target.cucm.platform;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * The OS platform administrator of a node (the account of the OS Administration pages and the admin CLI,
 * not an application user) and its password, resolved by the caller from a secret reference. The
 * password is kept as a private copy of the characters and leaves this object only as an HTTP Basic
 * {@code Authorization} header value; {@link #toString()} shows the user name only.
 *
 * <p>Not for: storing credentials anywhere (plans, journals, logs), equality checks, or AXL (which uses an
 * application user, see {@code AxlCredentials}).
 */
public final class PlatformCredentials {
  static final String REDACTED = "<redacted>";

  private final String username;
  private final char[] password;

  public PlatformCredentials(String username, char[] password) {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    if (username.isBlank() || username.indexOf(':') >= 0) {
      throw new IllegalArgumentException("a platform administrator name must be non-blank and without ':' "
          + "(HTTP Basic)");
    }
    this.username = username;
    this.password = password.clone();
  }

  public static PlatformCredentials of(String username, String password) {
    return new PlatformCredentials(username, Objects.requireNonNull(password, "password").toCharArray());
  }

  public String username() {
    return username;
  }

  /** {@code Basic base64(user:password)}; the intermediate bytes are cleared. */
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

  /** {@code text} with every occurrence of the password replaced (for text a node sends back). */
  String redact(String text) {
    if (text == null || password.length == 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int i = 0;
    while (i < text.length()) {
      if (matchesPasswordAt(text, i)) {
        out.append(REDACTED);
        i += password.length;
      } else {
        out.append(text.charAt(i));
        i++;
      }
    }
    return out.toString();
  }

  private boolean matchesPasswordAt(String text, int offset) {
    if (offset + password.length > text.length()) {
      return false;
    }
    for (int j = 0; j < password.length; j++) {
      if (text.charAt(offset + j) != password[j]) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return "PlatformCredentials[username=" + username + ", password=" + REDACTED + "]";
  }
}
