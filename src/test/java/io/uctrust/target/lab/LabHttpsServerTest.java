package io.uctrust.target.lab;

import static io.uctrust.target.lab.ServedLabFixture.IMP;
import static io.uctrust.target.lab.ServedLabFixture.PASSWORD;
import static io.uctrust.target.lab.ServedLabFixture.PUB;
import static io.uctrust.target.lab.ServedLabFixture.SUB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uctrust.cluster.ClusterException;
import io.uctrust.target.cucm.BasicCredentials;
import io.uctrust.target.cucm.platform.PlatformClient;
import io.uctrust.target.cucm.platform.PlatformSettings;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabHttpsServerTest {

  @TempDir Path dir;

  @Test
  void eachNodeNameGetsACertificateCarryingOnlyThatName() throws Exception {
    try (ServedLabFixture served = ServedLabFixture.serve(dir)) {
      for (String node : List.of(PUB, SUB, IMP)) {
        X509Certificate certificate = handshake(served, node);
        assertThat(certificate.getSubjectAlternativeNames()).containsExactly(List.of(2, node));
        assertThat(certificate.getIssuerX500Principal().getName()).contains("uctrust lab serving CA");
      }
    }
  }

  @Test
  void anUnknownServerNameGetsThePublishersCertificate() throws Exception {
    try (ServedLabFixture served = ServedLabFixture.serve(dir)) {
      assertThat(handshake(served, "unknown.example.com").getSubjectAlternativeNames()).containsExactly(List.of(2, PUB));
    }
  }

  @Test
  void aClientSendingTheNodesNameConnectsByAddressAndReachesThatNode() throws Exception {
    try (ServedLabFixture served = ServedLabFixture.serve(dir)) {
      assertThat(served.platform(SUB).snapshot().server()).isEqualTo(SUB);
      assertThat(served.platform(IMP).snapshot().server()).isEqualTo(IMP);
    }
  }

  @Test
  void aClientSendingAnotherNameFailsTheHandshake() throws Exception {
    try (ServedLabFixture served = ServedLabFixture.serve(dir)) {
      assertThatThrownBy(() -> served.platform("other.example.com").snapshot())
          .isInstanceOf(ClusterException.class).hasMessageContaining("TLS verification");
    }
  }

  @Test
  void aClientVerifyingTheAddressFailsTheHandshakeBecauseCertificatesCarryNoAddress() throws Exception {
    try (ServedLabFixture served = ServedLabFixture.serve(dir)) {
      PlatformClient byAddress = new PlatformClient(PlatformSettings.forBase(served.platformBase()),
          BasicCredentials.of("admin", PASSWORD), served.tls());
      assertThatThrownBy(byAddress::snapshot).isInstanceOf(ClusterException.class).hasMessageContaining("TLS verification");
    }
  }

  @Test
  void theServingCaIsKeptAcrossStartsSoATrustBundleStaysValid() throws Exception {
    Path bundle;
    byte[] first;
    javax.net.ssl.SSLContext oldTrust;
    try (ServedLabFixture served = ServedLabFixture.serve(dir)) {
      bundle = served.server.trustBundle();
      first = Files.readAllBytes(bundle);
      oldTrust = served.tls();
    }
    assertThat(bundle).isEqualTo(dir.resolve("lab").resolve("serve").resolve("ca.pem"));
    assertThat(Files.getPosixFilePermissions(bundle)).isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
    Path key = bundle.resolveSibling("ca-key.pem");
    assertThat(Files.getPosixFilePermissions(key)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");

    LabStore store = new LabStore(dir.resolve("lab"));
    try (ServedLab lab = ServedLab.open(store, ServedLabFixture.CLOCK);
        LabHttpsServer again = LabHttpsServer.start(lab, new InetSocketAddress("127.0.0.1", 0), Map.of(),
            LabFaults.none(), PASSWORD)) {
      assertThat(Files.readAllBytes(again.trustBundle())).isEqualTo(first);
      PlatformClient client = new PlatformClient(PlatformSettings.forBase(java.net.URI.create("https://127.0.0.1:"
          + again.port() + "/platformcom/api/v1/certmgr/config/")).withServerName(PUB),
          BasicCredentials.of("admin", PASSWORD), oldTrust);
      assertThat(client.snapshot().server()).isEqualTo(PUB);
    }
  }

  @Test
  void refusesToServeOnAnAddressOtherThanLoopback() throws Exception {
    LabStore store = ServedLabFixture.copyOfSeeded(dir.resolve("lab"));
    try (ServedLab lab = ServedLab.open(store, ServedLabFixture.CLOCK)) {
      assertThatThrownBy(() -> LabHttpsServer.start(lab, new InetSocketAddress("0.0.0.0", 0), Map.of(),
          LabFaults.none(), PASSWORD)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("loopback");
    }
  }

  @Test
  void extraContextsAreServedAndNameTheNodeFromSni() throws Exception {
    LabStore store = ServedLabFixture.copyOfSeeded(dir.resolve("lab"));
    try (ServedLab lab = ServedLab.open(store, ServedLabFixture.CLOCK);
        LabHttpsServer server = LabHttpsServer.start(lab, new InetSocketAddress("127.0.0.1", 0),
            Map.of("/axl/", exchange -> {
              byte[] node = LabHttpsServer.node(exchange).getBytes(java.nio.charset.StandardCharsets.UTF_8);
              exchange.sendResponseHeaders(200, node.length);
              exchange.getResponseBody().write(node);
              exchange.close();
            }), LabFaults.none(), PASSWORD)) {
      javax.net.ssl.SSLContext tls = io.uctrust.target.cucm.axl.AxlTls.context(List.of(io.uctrust.pki.Pem.certificate(
          Files.readString(server.trustBundle()))));
      var http = io.uctrust.target.cucm.VerifiedHttp.client(tls, java.time.Duration.ofSeconds(5), "AXL", SUB);
      var response = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("https://127.0.0.1:"
          + server.port() + "/axl/")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(response.body()).isEqualTo(SUB);
    }
  }

  private static X509Certificate handshake(ServedLabFixture served, String serverName) throws Exception {
    try (SSLSocket socket = (SSLSocket) served.tls().getSocketFactory().createSocket("127.0.0.1", served.server.port())) {
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setServerNames(List.of(new SNIHostName(serverName)));
      socket.setSSLParameters(parameters);
      socket.startHandshake();
      return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }
  }
}
