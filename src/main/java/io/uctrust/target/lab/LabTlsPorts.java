package io.uctrust.target.lab;

import io.uctrust.cluster.ClusterException;
import io.uctrust.cluster.IdentityPort;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The lab nodes' service ports: per node and TLS port ({@link IdentityPort}) a loopback listener, started on first
 * use, that serves the identity the node has for that port at the moment of each handshake, RSA or ECDSA as the
 * client's cipher suites ask (a real port serves a service and its -ECDSA sibling the same way). XMPP ports speak
 * just enough XMPP to offer STARTTLS first. Connections are handled one at a time: nothing but probes comes here.
 *
 * <p>Not for: anything after the handshake (the connection is closed), or addresses other than loopback.
 */
final class LabTlsPorts implements AutoCloseable {

  /** One identity a node serves: its service, key and chain (leaf first). */
  record Served(String service, PrivateKey key, X509Certificate[] chain) {}

  /** The identities {@code node} serves on {@code port} now; read at each connection. */
  @FunctionalInterface
  interface Source {
    List<Served> served(String node, int port) throws ClusterException;
  }

  private final InetAddress bind;
  private final Source source;
  private final Map<String, Listener> listeners = new LinkedHashMap<>();

  LabTlsPorts(InetAddress bind, Source source) {
    this.bind = bind;
    this.source = source;
  }

  InetAddress address() {
    return bind;
  }

  /** The local port that stands for {@code port} of {@code node}, listening from now on. */
  synchronized int port(String node, IdentityPort port) throws ClusterException {
    String key = node + ":" + port.port();
    Listener listener = listeners.get(key);
    if (listener == null) {
      try {
        listener = new Listener(node, port, new ServerSocket());
        listener.socket.bind(new InetSocketAddress(bind, 0));
      } catch (IOException e) {
        throw new ClusterException("the lab cannot listen for " + key + ": " + e.getMessage());
      }
      Thread thread = new Thread(listener, "uctrust-lab-tls-" + key);
      thread.setDaemon(true);
      thread.start();
      listeners.put(key, listener);
    }
    return listener.socket.getLocalPort();
  }

  @Override
  public synchronized void close() {
    for (Listener listener : listeners.values()) {
      try {
        listener.socket.close();
      } catch (IOException e) {
        // the accepting thread ends either way
      }
    }
    listeners.clear();
  }

  /** Accepts connections to one node's port until closed. */
  private final class Listener implements Runnable {
    private final String node;
    private final IdentityPort port;
    private final ServerSocket socket;

    Listener(String node, IdentityPort port, ServerSocket socket) {
      this.node = node;
      this.port = port;
      this.socket = socket;
    }

    @Override
    public void run() {
      while (!socket.isClosed()) {
        try (Socket connection = socket.accept()) {
          connection.setSoTimeout(10_000);
          serve(connection);
        } catch (IOException | ClusterException | GeneralSecurityException | RuntimeException e) {
          // a failed handshake is the client's to report; keep listening
        }
      }
    }

    private void serve(Socket connection) throws IOException, ClusterException, GeneralSecurityException {
      if (port.startTls()) {
        startTls(connection);
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(new KeyManager[] {new Keys(source.served(node, port.port()))}, null, null);
      try (SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(connection, null, false)) {
        tls.startHandshake();
      }
    }

    /** The server's side of RFC 6120 STARTTLS: features offering it, then proceed. */
    private void startTls(Socket connection) throws IOException {
      InputStream in = connection.getInputStream();
      OutputStream out = connection.getOutputStream();
      readUntil(in, "<stream:stream");
      readUntil(in, ">");
      out.write(("<?xml version='1.0'?><stream:stream xmlns='" + port.xmppNamespace()
          + "' xmlns:stream='http://etherx.jabber.org/streams' from='" + node + "' id='lab' version='1.0'>"
          + "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls>"
          + "</stream:features>").getBytes(StandardCharsets.UTF_8));
      out.flush();
      readUntil(in, "<starttls");
      readUntil(in, ">");
      out.write("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>".getBytes(StandardCharsets.UTF_8));
      out.flush();
    }

    private void readUntil(InputStream in, String token) throws IOException {
      ByteArrayOutputStream read = new ByteArrayOutputStream();
      while (read.size() < 64 * 1024) {
        int b = in.read();
        if (b < 0) {
          throw new IOException("closed");
        }
        read.write(b);
        if (read.toString(StandardCharsets.UTF_8).endsWith(token)) {
          return;
        }
      }
      throw new IOException("too long");
    }
  }

  /** Offers the served identities by key type: the handshake's suites decide between RSA and ECDSA. */
  private static final class Keys extends X509ExtendedKeyManager {
    private final List<Served> served;

    Keys(List<Served> served) {
      this.served = List.copyOf(served);
    }

    private Served byAlias(String alias) {
      return served.stream().filter(s -> s.service().equals(alias)).findFirst().orElse(null);
    }

    /** The JDK asks for "EC"; a Bouncy Castle key would say "ECDSA". */
    private static String type(PrivateKey key) {
      return key.getAlgorithm().equals("ECDSA") ? "EC" : key.getAlgorithm();
    }

    private String choose(String keyType) {
      return served.stream().filter(s -> type(s.key()).equals(keyType)).map(Served::service).findFirst().orElse(null);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return choose(keyType);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
      return choose(keyType);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return served.stream().filter(s -> type(s.key()).equals(keyType)).map(Served::service).toArray(String[]::new);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      Served s = byAlias(alias);
      return s == null ? null : s.chain().clone();
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      Served s = byAlias(alias);
      return s == null ? null : s.key();
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return null;
    }
  }
}
