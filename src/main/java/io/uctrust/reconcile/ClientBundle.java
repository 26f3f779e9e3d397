package io.uctrust.reconcile;

import io.uctrust.desired.CertificateSpec.Service;
import io.uctrust.pki.CertificateFacts;
import io.uctrust.pki.Pem;
import java.security.cert.X509Certificate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The CA certificates one kind of client must trust so that the cluster's service identities verify without
 * prompts, for {@code uctrust bundle}: roots first, then intermediates, each once (by SHA-256) with the services
 * and nodes it stands for and why it is in. {@link #warnings()} name what should be in and is not (an issuer found
 * nowhere, an expired CA left out); {@link #considered()} says, when the bundle is empty, what was looked at.
 *
 * <p>Not for: the cluster's own trust stores (those are TrustStore documents), or leaf certificates: a CA-signed
 * identity is trusted through its CAs, and only a self-signed identity is its own root.
 */
public record ClientBundle(Client client, List<String> clusters, List<Entry> entries, List<String> warnings,
    List<String> considered) {

  public ClientBundle {
    clusters = List.copyOf(clusters);
    entries = List.copyOf(entries);
    warnings = List.copyOf(warnings);
    considered = List.copyOf(considered);
  }

  /**
   * A kind of client and the service identities it verifies: the one place of this mapping.
   *
   * <table>
   *   <caption>Services whose certificates each client verifies</caption>
   *   <tr><th>client</th><th>services</th><th>why (reference seeds)</th></tr>
   *   <tr><td>jabber</td><td>tomcat, tomcat-ECDSA, cup-xmpp, cup-xmpp-ECDSA</td>
   *     <td>Seed 004's table of the certificates on-premises servers present to Jabber: HTTP (Tomcat) on Unified CM,
   *     IM and Presence, Unity Connection and Webex Meetings Server, and XMPP on IM and Presence. Secure softphone SIP
   *     needs CAPF enrolment (the client's own certificate), not a server certificate in that table; with SIP OAuth
   *     Unified CM serves SIP on ports 5090/5091 with the Tomcat certificate (seed 003), so CallManager is not in.
   *     The -ECDSA identities play the same role for ECDSA cipher suites.</td></tr>
   *   <tr><td>browser</td><td>tomcat, tomcat-ECDSA</td>
   *     <td>The administration and self-care pages are served by Cisco Tomcat (seed 001, table 1).</td></tr>
   *   <tr><td>expressway</td><td>tomcat, tomcat-ECDSA, CallManager, CallManager-ECDSA, cup, cup-ECDSA, cup-xmpp,
   *     cup-xmpp-ECDSA</td>
   *     <td>What Expressway-C verifies with TLS verify on: Tomcat for HTTPS and the SIP OAuth MRA port (seed 003),
   *     cup for SIP federation through Expressway-C (seed 001), CallManager for SIP to Unified CM and cup-xmpp for XMPP
   *     to IM and Presence (MRA). cup-xmpp-s2s is for external XMPP federation (seed 001), not for Expressway-C.</td>
   *   </tr>
   * </table>
   */
  public enum Client {
    JABBER(Service.TOMCAT, Service.TOMCAT_ECDSA, Service.CUP_XMPP, Service.CUP_XMPP_ECDSA),
    BROWSER(Service.TOMCAT, Service.TOMCAT_ECDSA),
    EXPRESSWAY(Service.TOMCAT, Service.TOMCAT_ECDSA, Service.CALLMANAGER, Service.CALLMANAGER_ECDSA, Service.CUP,
        Service.CUP_ECDSA, Service.CUP_XMPP, Service.CUP_XMPP_ECDSA);

    private final List<Service> services;

    Client(Service... services) {
      this.services = List.of(services);
    }

    /** The services whose identities this client verifies, in enum order. */
    public List<Service> services() {
      return services;
    }

    /** The name on the command line: jabber, browser, expressway. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The client of {@code label}, in any case. */
    public static Optional<Client> of(String label) {
      return Arrays.stream(values()).filter(c -> c.label().equalsIgnoreCase(label)).findFirst();
    }

    /** Every label, for messages: "jabber, browser or expressway". */
    public static String labels() {
      List<String> all = Arrays.stream(values()).map(Client::label).toList();
      return String.join(", ", all.subList(0, all.size() - 1)) + " or " + all.get(all.size() - 1);
    }
  }

  /**
   * One CA certificate of the bundle: whether it is a root (self-issued; a self-signed identity is one), the
   * services and nodes it makes verifiable, and where it came from ("issuer.caCertificates of Certificate tomcat
   * (certificates.yaml:4)", "self-signed identity", "issuer of an identity, found in tomcat-trust").
   */
  public record Entry(X509Certificate certificate, CertificateFacts facts, boolean root, List<Service> services,
      List<String> nodes, List<String> reasons) {
    public Entry {
      services = List.copyOf(services);
      nodes = List.copyOf(nodes);
      reasons = List.copyOf(reasons);
    }

    /** "root CA", "intermediate CA" or "self-signed identity" (a root that is no CA). */
    public String kind() {
      return !root ? "intermediate CA" : facts.ca() ? "root CA" : "self-signed identity";
    }
  }

  public boolean empty() {
    return entries.isEmpty();
  }

  /**
   * The bundle as PEM text that {@code openssl} and Windows' certificate import read: a header, then per
   * certificate comment lines (subject, SHA-256 as {@code openssl x509 -fingerprint -sha256} shows it, expiry
   * date, services and nodes, kind and sources) and its PEM block. No time stamp, so that a bundle kept in git
   * changes only when its certificates do.
   */
  public String pem() {
    StringBuilder text = new StringBuilder();
    text.append("# uctrust bundle --for ").append(client.label()).append(": what ").append(client.label())
        .append(" clients need to trust for ").append(client.services().stream().map(Service::yaml)
            .collect(Collectors.joining(", "))).append('\n');
    text.append("# cluster ").append(String.join(", ", clusters)).append("; ").append(entries.size())
        .append(entries.size() == 1 ? " certificate" : " certificates").append(", roots first\n");
    for (Entry entry : entries) {
      text.append('\n');
      text.append("# ").append(entry.facts().subject()).append('\n');
      text.append("# sha256 ").append(colons(entry.facts().sha256())).append('\n');
      text.append("# expires ").append(entry.facts().notAfter().atZone(ZoneOffset.UTC).toLocalDate()).append('\n');
      text.append("# for ").append(entry.services().stream().map(Service::yaml).collect(Collectors.joining(", ")))
          .append(" on ").append(String.join(", ", entry.nodes())).append('\n');
      text.append("# ").append(entry.kind()).append("; from ").append(String.join("; ", entry.reasons())).append('\n');
      text.append(Pem.encode(entry.certificate()).replace("\r\n", "\n"));
    }
    return text.toString();
  }

  private static String colons(String hex) {
    String upper = HexFormat.of().withUpperCase().formatHex(HexFormat.of().parseHex(hex));
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < upper.length(); i += 2) {
      out.append(i == 0 ? "" : ":").append(upper, i, i + 2);
    }
    return out.toString();
  }
}
