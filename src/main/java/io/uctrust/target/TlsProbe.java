package io.uctrust.target;

import io.uctrust.cluster.ClusterException;
import io.uctrust.cluster.IdentityPort;
import io.uctrust.desired.CertificateSpec.KeyType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Reads the certificate chain a node serves on a TLS port, as a client's handshake sees it: a real cluster's
 * service port or the lab's loopback stand-in. XMPP ports first upgrade the stream with STARTTLS. Where an RSA and an
 * ECDSA identity share a port, the handshake offers only TLS 1.2 suites of the wanted key type (JDK 17 cannot limit a
 * TLS 1.3 handshake's signature schemes per connection), and falls back to the server's choice when the port refuses.
 *
 * <p>The chain is never trusted: it is captured as the server sends it and compared byte for byte by the caller, so
 * a handshake the server later aborts (it asks for a client certificate, as SIP TLS does) still yields it.
 *
 * <p>Not for: talking to the service after the handshake, or deciding whether the chain is right.
 */
public final class TlsProbe {
  private static final int MAX_XMPP_PREAMBLE = 64 * 1024;

  private TlsProbe() {}

  /**
   * The chain {@code host} serves on {@code port}, reached at {@code at} (where {@code --connect-to} routes it).
   *
   * @param xmppDomain the domain the XMPP stream is addressed to (STARTTLS ports only)
   */
  public static List<X509Certificate> served(String host, ConnectTo.Endpoint at, IdentityPort port, String xmppDomain,
      KeyType keyType, Duration timeout) throws ClusterException {
    String where = host + ":" + port.port() + (at.host().equalsIgnoreCase(host) && at.port() == port.port() ? ""
        : " (at " + at.host() + ":" + at.port() + ")");
    try {
      try {
        return handshake(host, at, port, xmppDomain, keyType, timeout);
      } catch (SSLException e) {
        // a port that speaks only TLS 1.3, or has no suite of this key type: let the server choose
        return handshake(host, at, port, xmppDomain, null, timeout);
      }
    } catch (UnknownHostException e) {
      throw new ClusterException("nothing answers TLS on " + where + ": unknown host " + e.getMessage());
    } catch (SocketTimeoutException e) {
      throw new ClusterException("nothing answers TLS on " + where + ": no answer within " + timeout.toSeconds() + " s");
    } catch (IOException e) {
      throw new ClusterException("nothing answers TLS on " + where + ": " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : " " + e.getMessage()));
    }
  }

  private static List<X509Certificate> handshake(String host, ConnectTo.Endpoint at, IdentityPort port, String xmppDomain,
      KeyType keyType, Duration timeout) throws IOException {
    Capture capture = new Capture();
    SSLContext context;
    try {
      context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {capture}, null);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK offers no TLS", e);
    }
    int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    try (Socket tcp = new Socket()) {
      tcp.connect(new InetSocketAddress(at.host(), at.port()), millis);
      tcp.setSoTimeout(millis);
      if (port.startTls()) {
        startTls(tcp, port.xmppNamespace(), xmppDomain);
      }
      try (SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(tcp, host, at.port(), false)) {
        SSLParameters parameters = tls.getSSLParameters();
        if (host.matches(".*[a-zA-Z].*") && !host.contains(":") && !host.endsWith(".")) {
          parameters.setServerNames(List.of(new SNIHostName(host)));
        }
        if (keyType != null) {
          String family = keyType == KeyType.EC ? "_ECDSA_" : "_RSA_";
          String[] suites = Arrays.stream(tls.getEnabledCipherSuites())
              .filter(s -> s.contains(family) && !(keyType == KeyType.RSA && s.contains("_ECDSA_"))).toArray(String[]::new);
          parameters.setProtocols(new String[] {"TLSv1.2"});
          parameters.setCipherSuites(suites);
        }
        tls.setSSLParameters(parameters);
        try {
          tls.startHandshake();
        } catch (IOException e) {
          if (capture.chain == null) {
            throw e;
          }
          // the server sent its chain and then ended the handshake (it wanted a client certificate): enough
        }
      }
    }
    if (capture.chain == null) {
      throw new SSLException("the handshake ended without a server certificate");
    }
    return List.of(capture.chain);
  }

  /** The XMPP stream opening and STARTTLS negotiation (RFC 6120 5.4), after which the TLS handshake starts. */
  private static void startTls(Socket tcp, String namespace, String domain) throws IOException {
    OutputStream out = tcp.getOutputStream();
    InputStream in = tcp.getInputStream();
    out.write(("<?xml version='1.0'?><stream:stream to='" + domain + "' xmlns='" + namespace
        + "' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>").getBytes(StandardCharsets.UTF_8));
    out.flush();
    String features = readUntil(in, t -> t.contains("</stream:features>") || t.contains("<stream:features/>")
        || t.contains("</stream:error>") || t.contains("</stream:stream>"));
    if (features.contains("<stream:error")) {
      throw new IOException("the XMPP server refused the stream to " + domain + ": "
          + features.substring(features.indexOf("<stream:error")).replaceAll("\\s+", " "));
    }
    if (!features.contains("urn:ietf:params:xml:ns:xmpp-tls")) {
      throw new IOException("the XMPP server offers no STARTTLS");
    }
    out.write("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>".getBytes(StandardCharsets.UTF_8));
    out.flush();
    String answer = readUntil(in, t -> t.matches("(?s).*<(proceed|failure)[^>]*>.*"));
    if (!answer.contains("<proceed")) {
      throw new IOException("the XMPP server refused STARTTLS");
    }
  }

  /** Reads one byte at a time (nothing of the TLS handshake may be read ahead) until {@code done}. */
  private static String readUntil(InputStream in, Predicate<String> done) throws IOException {
    ByteArrayOutputStream read = new ByteArrayOutputStream();
    while (read.size() < MAX_XMPP_PREAMBLE) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("the XMPP server closed the connection");
      }
      read.write(b);
      if (b == '>' && done.test(read.toString(StandardCharsets.UTF_8))) {
        return read.toString(StandardCharsets.UTF_8);
      }
    }
    throw new IOException("the XMPP server sent more than " + MAX_XMPP_PREAMBLE + " bytes before STARTTLS");
  }

  /** Keeps the server's chain and accepts it: the caller compares it, trust does not come into it. */
  private static final class Capture extends X509ExtendedTrustManager {
    private volatile X509Certificate[] chain;

    @Override
    public void checkServerTrusted(X509Certificate[] certificates, String authType, Socket socket) {
      chain = certificates.clone();
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certificates, String authType, SSLEngine engine) {
      chain = certificates.clone();
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certificates, String authType) {
      chain = certificates.clone();
    }

    @Override
    public void checkClientTrusted(X509Certificate[] certificates, String authType, Socket socket)
        throws java.security.cert.CertificateException {
      throw new java.security.cert.CertificateException("a probe serves no clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] certificates, String authType, SSLEngine engine)
        throws java.security.cert.CertificateException {
      throw new java.security.cert.CertificateException("a probe serves no clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] certificates, String authType)
        throws java.security.cert.CertificateException {
      throw new java.security.cert.CertificateException("a probe serves no clients");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
