package io.uctrust.target.lab;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Chooses the served lab's TLS certificate by the server name (SNI) the client asks for in its handshake:
 * every node of the lab is served on one port, and a client reaching {@code cucm-sub1.example.com} gets
 * that node's certificate. A name the lab does not know, or no name at all, gets the publisher's
 * certificate (as a real cluster's address would give some node's certificate, which then fails the
 * client's name check unless it asked for the publisher).
 *
 * <p>Not for: client authentication (it has no client keys), or anything but the lab serving CA's node
 * certificates.
 */
final class LabSniKeyManager extends X509ExtendedKeyManager {

  private final Map<String, LabServingCa.Issued> byName;
  private final String fallback;

  /** {@code byName}: lower-case node name to its key and chain; {@code fallback}: the publisher's entry name. */
  LabSniKeyManager(Map<String, LabServingCa.Issued> byName, String fallback) {
    this.byName = Map.copyOf(byName);
    this.fallback = fallback;
  }

  /** The lower-case host name the client sent as SNI in {@code session}, or null. */
  static String requestedName(SSLSession session) {
    if (session instanceof ExtendedSSLSession extended) {
      List<SNIServerName> names = extended.getRequestedServerNames();
      for (SNIServerName name : names) {
        if (name instanceof SNIHostName host) {
          return host.getAsciiName().toLowerCase(Locale.ROOT);
        }
        if (name.getType() == 0) {
          // a name the JDK did not decode as SNIHostName (it does for its own servers; other providers may not)
          return new SNIHostName(name.getEncoded()).getAsciiName().toLowerCase(Locale.ROOT);
        }
      }
    }
    return null;
  }

  private String alias(String keyType, SSLSession handshake) {
    String requested = requestedName(handshake);
    String alias = requested != null && byName.containsKey(requested) ? requested : fallback;
    LabServingCa.Issued issued = byName.get(alias);
    // the JDK asks once per key type it could use; answer only for the type our keys are
    return issued != null && issued.key().getAlgorithm().equals(keyType) ? alias : null;
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return alias(keyType, engine == null ? null : engine.getHandshakeSession());
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return alias(keyType, socket instanceof SSLSocket ssl ? ssl.getHandshakeSession() : null);
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return byName.entrySet().stream().filter(e -> e.getValue().key().getAlgorithm().equals(keyType))
        .map(Map.Entry::getKey).toArray(String[]::new);
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    LabServingCa.Issued issued = alias == null ? null : byName.get(alias);
    return issued == null ? null : issued.chain().clone();
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    LabServingCa.Issued issued = alias == null ? null : byName.get(alias);
    return issued == null ? null : issued.key();
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return null;
  }

  @Override
  public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
    return null;
  }
}
