package io.uctrust.cluster;

import io.uctrust.desired.CertificateSpec.Service;
import java.util.Optional;

/**
 * Where a node serves a service identity over TLS, so that a handshake shows the certificate the service really
 * uses: the port (Cisco's defaults) and, for XMPP, the stream namespace of the STARTTLS upgrade that comes before
 * the handshake. An RSA identity and its -ECDSA sibling share a port; the client's cipher suites pick one. The ipsec
 * identity has no TLS listener, so it has no port and cannot be checked this way.
 *
 * @param xmppNamespace {@code jabber:client} or {@code jabber:server} for XMPP ports, null for plain TLS
 */
public record IdentityPort(int port, String xmppNamespace) {

  /** The port {@code service} is served on, if a TLS handshake reaches it. */
  public static Optional<IdentityPort> of(Service service) {
    return Optional.ofNullable(switch (service) {
      case TOMCAT, TOMCAT_ECDSA -> new IdentityPort(8443, null);
      case CALLMANAGER, CALLMANAGER_ECDSA -> new IdentityPort(5061, null);
      case TVS -> new IdentityPort(2445, null);
      case CAPF -> new IdentityPort(3804, null);
      // the SIP proxy's TLS peer-authentication listener
      case CUP, CUP_ECDSA -> new IdentityPort(5062, null);
      case CUP_XMPP, CUP_XMPP_ECDSA -> new IdentityPort(5222, "jabber:client");
      case CUP_XMPP_S2S, CUP_XMPP_S2S_ECDSA -> new IdentityPort(5269, "jabber:server");
      case IPSEC -> null;
    });
  }

  /** Whether the connection starts as XMPP and upgrades with STARTTLS (RFC 6120 section 5). */
  public boolean startTls() {
    return xmppNamespace != null;
  }
}
