package io.uctrust.controller;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A git repository's address reduced to what tells repositories apart: host and path, without scheme, user, port, a
 * trailing {@code .git} or slash, and case. So {@code https://github.com/Example/Desired},
 * {@code git@github.com:example/desired.git} and {@code ssh://git@github.com:22/example/desired} are one repository,
 * as a webhook names it by several URLs. Local paths and {@code file://} URLs compare by their path.
 *
 * <p>Not for: fetching (use the URL as configured), or telling apart repositories that differ only in case or port.
 */
public record RepositoryAddress(String host, String path) {

  /** {@code user@host:path}, git's scp-like syntax (no scheme, a colon before the first slash). */
  private static final Pattern SCP = Pattern.compile("^(?:[^@/]+@)?([^:/]+):(?!//)(.*)$");

  public RepositoryAddress {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(path, "path");
  }

  /** The address of {@code url} (any form git accepts); never throws, an odd text becomes a path. */
  public static RepositoryAddress of(String url) {
    String text = url.strip();
    if (!text.contains("://")) {
      Matcher scp = SCP.matcher(text);
      if (scp.matches() && !text.startsWith("/") && !text.startsWith(".")) {
        return new RepositoryAddress(scp.group(1).toLowerCase(Locale.ROOT), clean(scp.group(2)));
      }
      return new RepositoryAddress("", clean(text));
    }
    try {
      URI uri = new URI(text);
      String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
      return new RepositoryAddress(host, clean(uri.getPath() == null ? "" : uri.getPath()));
    } catch (URISyntaxException e) {
      return new RepositoryAddress("", clean(text.substring(text.indexOf("://") + 3)));
    }
  }

  private static String clean(String path) {
    String p = path.toLowerCase(Locale.ROOT);
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    if (p.endsWith(".git")) {
      p = p.substring(0, p.length() - 4);
    }
    while (p.startsWith("/")) {
      p = p.substring(1);
    }
    return p;
  }

  /** Whether {@code a} and {@code b} name the same repository. */
  public static boolean same(String a, String b) {
    return of(a).equals(of(b));
  }
}
