package io.uctrust.desired;

/**
 * Regular expressions for names in desired state, shared by Jakarta constraints and the JSON Schema.
 * They are written in the common subset of Java and ECMAScript regex so both engines agree.
 */
public final class NamePatterns {
  private NamePatterns() {}

  private static final String LABEL = "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
  private static final String TOP_LABEL = "[A-Za-z]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?";

  /** A fully qualified domain name: at least two labels, the last one not numeric (so no IPv4). */
  public static final String FQDN = "^(" + LABEL + "\\.)+" + TOP_LABEL + "$";

  /** A host name, IPv4 address or FQDN (Expressway-C entries accept all three). */
  public static final String HOST = "^(" + LABEL + ")(\\." + LABEL + ")*$";

  /** A DNS domain such as {@code example.com}. */
  public static final String DOMAIN = FQDN;

  /** Phone device names: SEP and the MAC address as 12 upper-case hexadecimal digits. */
  public static final String PHONE_NAME = "^SEP[0-9A-F]{12}$";

  /** Document names: lower-case letters, digits and '-', like Kubernetes object names. */
  public static final String OBJECT_NAME = "^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$";

  /** Dotted-quad IPv4. */
  public static final String IPV4 =
      "^((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])$";

  /** IPv6 in any of its textual forms: hex digits, dots and at least one colon (checked fully by the validator). */
  public static final String IPV6 = "^[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*$";

  /** A release such as {@code 14.0} or {@code 15.0}. */
  public static final String RELEASE = "^[0-9]{1,2}\\.[0-9]{1,2}$";

  public static final String FQDN_MESSAGE =
      "must be a fully qualified domain name such as cucm-pub.example.com (not an IP address)";
  public static final String PHONE_NAME_MESSAGE =
      "must be SEP followed by 12 upper-case hexadecimal digits, such as SEP001122334455";
}
