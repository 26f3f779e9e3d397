package io.uctrust.target.cucm;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * A user name and password for HTTP Basic authentication to one of a cluster's management interfaces: the
 * AXL application user, or the OS platform administrator (platform REST, ControlCenterServices), resolved
 * by the caller from a secret reference. The password is kept as a private copy of the characters and
 * leaves this object only as an {@code Authorization} header value; {@link #toString()} shows the user name
 * only, and {@link #redact} removes the password from text a server sends back.
 *
 * <p>Not for: storing credentials anywhere (plans, journals, logs) or equality checks.
 */
public final class BasicCredentials {
  public static final String REDACTED = "<redacted>";

  private final String username;
  private final char[] password;

  public BasicCredentials(String username, char[] password) {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    if (username.isBlank() || username.indexOf(':') >= 0) {
      throw new IllegalArgumentException("a user name must be non-blank and without ':' (HTTP Basic)");
    }
    this.username = username;
    this.password = password.clone();
  }

  public static BasicCredentials of(String username, String password) {
    return new BasicCredentials(username, Objects.requireNonNull(password, "password").toCharArray());
  }

  public String username() {
    return username;
  }

  /** {@code Basic base64(user:password)}; the intermediate bytes are cleared. */
  public String basicAuthorization() {
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
  public String redact(String text) {
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
    return "BasicCredentials[username=" + username + ", password=" + REDACTED + "]";
  }
}
