package io.uctrust.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uctrust.cluster.ClusterException;
import io.uctrust.cluster.IdentityPort;
import io.uctrust.desired.CertificateSpec.KeyType;
import io.uctrust.pki.CertificateMaker;
import io.uctrust.pki.KeyPairs;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Test;

/** The TLS probe reads what a port serves, whatever the server thinks of the client. */
class TlsProbeTest {
  private static final String NODE = "cucm-pub.example.com";
  private static final IdentityPort SIP_TLS = new IdentityPort(5061, null);

  @Test
  void aServerThatRequiresAClientCertificateStillShowsItsChain() throws Exception {
    KeyPair keys = KeyPairs.rsa(2048);
    X509Certificate certificate = new CertificateMaker().selfSigned(keys, new CertificateMaker.Request("CN=" + NODE,
        List.of(NODE), Instant.now().minusSeconds(60), Instant.now().plusSeconds(3600), false, null,
        KeyUsage.digitalSignature | KeyUsage.keyEncipherment, List.of(), "SHA256"));
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("node", keys.getPrivate(), new char[0], new X509Certificate[] {certificate});
    KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    factory.init(store, new char[0]);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(factory.getKeyManagers(), null, null);
    try (SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 1,
        InetAddress.getLoopbackAddress())) {
      // as SIP TLS does: the client must show a certificate, or the handshake ends
      server.setNeedClientAuth(true);
      Thread accept = new Thread(() -> {
        try (SSLSocket connection = (SSLSocket) server.accept()) {
          connection.startHandshake();
        } catch (Exception e) {
          // the probe has no certificate to show
        }
      });
      accept.start();

      List<X509Certificate> chain = TlsProbe.served(NODE, new ConnectTo.Endpoint("127.0.0.1", server.getLocalPort()),
          SIP_TLS, "example.com", KeyType.RSA, Duration.ofSeconds(10));

      assertThat(chain).containsExactly(certificate);
      accept.join(10_000);
    }
  }

  @Test
  void aPortWhereNothingListensIsNamedWithTheRouteItWasReachedBy() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }

    assertThatThrownBy(() -> TlsProbe.served(NODE, new ConnectTo.Endpoint("127.0.0.1", closed), SIP_TLS, "example.com",
        KeyType.RSA, Duration.ofSeconds(5))).isInstanceOf(ClusterException.class)
        .hasMessageStartingWith("nothing answers TLS on " + NODE + ":5061 (at 127.0.0.1:" + closed + "): ");
  }
}
