package io.uctrust.issuance;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.shredzone.acme4j.toolbox.AcmeUtils;

/**
 * Where and how {@link AcmeIssuer} asks an ACME (RFC 8555) server for certificates.
 *
 * <p>Not for: settings of the certificate itself (its lifetime is the server's choice; its names and key come
 * from the CSR), or external account binding, which this does not support.
 *
 * @param directory the server's directory URL, such as {@code https://acme-v02.api.letsencrypt.org/directory};
 *     RFC 8555 requires HTTPS, so other schemes are refused
 * @param email the account's contact address, or null for an account without contact
 * @param challenge how control of each DNS name is proven
 * @param dnsHook for {@link Challenge#DNS_01}: the command and its fixed arguments, run as
 *     {@code <hook...> add <record-name> <value>} to publish the TXT record and {@code <hook...> remove
 *     <record-name> <value>} to withdraw it, where record-name is {@code _acme-challenge.<domain>} (no trailing
 *     dot). {@code add} must return only once the record is visible to the server's resolvers; any exit code but
 *     0 is a failure. Null means none; required (non-empty) for DNS-01
 * @param http01Listen for {@link Challenge#HTTP_01}: where uctrust's own challenge responder listens while it
 *     proves control; null means {@code 0.0.0.0:80}. The ACME server always connects to port 80 of each name, so
 *     port 80 of every name must reach this address (directly, or forwarded by a load balancer or NAT)
 * @param serverTrust a PEM bundle of the CA certificates that issued the ACME server's own TLS certificate, for
 *     internal ACME CAs and test servers; null means the JDK's default trust
 * @param timeout how long one {@link AcmeIssuer#issue} may take in all, hooks and polling included; null means
 *     5 minutes
 */
public record AcmeSettings(URI directory, String email, Challenge challenge, List<String> dnsHook,
    InetSocketAddress http01Listen, Path serverTrust, Duration timeout) {

  /** The default HTTP-01 responder address: every interface, port 80, where ACME servers connect. */
  public static final InetSocketAddress DEFAULT_HTTP01_LISTEN = new InetSocketAddress("0.0.0.0", 80);
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

  /** How control of a DNS name is proven to the ACME server (RFC 8555 section 8). */
  public enum Challenge {
    /** A file under {@code http://<name>/.well-known/acme-challenge/}, served by uctrust itself. */
    HTTP_01("http-01"),
    /** A TXT record {@code _acme-challenge.<name>}, published by {@link AcmeSettings#dnsHook()}. */
    DNS_01("dns-01");

    private final String type;

    Challenge(String type) {
      this.type = type;
    }

    /** The ACME challenge type, such as {@code http-01}. */
    public String type() {
      return type;
    }

    @Override
    public String toString() {
      return type;
    }
  }

  /**
   * @throws IllegalArgumentException when the directory is not an HTTPS URL, DNS-01 has no hook, or the
   *     timeout is not positive
   * @throws NullPointerException when the directory or the challenge is null
   */
  public AcmeSettings {
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(challenge, "challenge");
    if (!"https".equalsIgnoreCase(directory.getScheme()) || directory.getHost() == null) {
      throw new IllegalArgumentException("the ACME directory must be an https:// URL, not " + directory);
    }
    email = email == null || email.isBlank() ? null : email.strip();
    if (email != null) {
      requireEmail(email);
    }
    dnsHook = dnsHook == null ? List.of() : List.copyOf(dnsHook);
    if (challenge == Challenge.DNS_01 && dnsHook.isEmpty()) {
      throw new IllegalArgumentException("DNS-01 needs a hook command that adds and removes TXT records");
    }
    http01Listen = http01Listen == null ? DEFAULT_HTTP01_LISTEN : http01Listen;
    timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("the ACME timeout must be positive, not " + timeout);
    }
  }

  /** Checked here, as acme4j would check it only at the first login, deep inside an issuance. */
  private static void requireEmail(String email) {
    try {
      if (email.indexOf('@') < 1) {
        throw new IllegalArgumentException("no @");
      }
      AcmeUtils.validateContact(URI.create("mailto:" + email));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + email + "' is not one e-mail address for the ACME account", e);
    }
  }
}
