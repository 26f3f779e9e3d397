package io.uctrust.target.cucm.axl;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The AXL schema version a request is written for ({@code "14.0"}, {@code "15.0"}): AXL puts it in the XML
 * namespace of every request and response and in the {@code SOAPAction} header. A cluster answers the
 * versions it supports (its own release and a few older ones).
 *
 * <p>Not for: the Unified CM release of a node (a 14SU3 cluster still speaks AXL "14.0"), or any version
 * comparison beyond choosing what to send.
 */
public record AxlVersion(String value) {
  private static final Pattern FORM = Pattern.compile("[1-9][0-9]?\\.[0-9]");

  public static final AxlVersion V14_0 = new AxlVersion("14.0");
  public static final AxlVersion V15_0 = new AxlVersion("15.0");

  public AxlVersion {
    Objects.requireNonNull(value, "value");
    if (!FORM.matcher(value).matches()) {
      throw new IllegalArgumentException("AXL version must look like 14.0 or 15.0 (got '" + value + "')");
    }
  }

  /** Parses {@code "14.0"}; {@code "14"} is read as {@code "14.0"}. */
  public static AxlVersion of(String text) {
    String trimmed = text.strip();
    return new AxlVersion(trimmed.contains(".") ? trimmed : trimmed + ".0");
  }

  /** {@code http://www.cisco.com/AXL/API/<version>}: the namespace of request and response bodies. */
  public String namespace() {
    return "http://www.cisco.com/AXL/API/" + value;
  }

  /** The {@code SOAPAction} header value, quotes included: {@code "CUCM:DB ver=14.0 getPhone"}. */
  public String soapAction(String operation) {
    if (operation == null || !operation.matches("[A-Za-z][A-Za-z0-9]*")) {
      throw new IllegalArgumentException("not an AXL operation name: " + operation);
    }
    return "\"CUCM:DB ver=" + value + " " + operation + "\"";
  }

  @Override
  public String toString() {
    return value;
  }
}
