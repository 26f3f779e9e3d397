package io.uctrust.target.lab;

import static io.uctrust.target.lab.ServedLabFixture.CLOCK;
import static io.uctrust.target.lab.ServedLabFixture.IMP;
import static io.uctrust.target.lab.ServedLabFixture.PUB;
import static io.uctrust.target.lab.ServedLabFixture.SUB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uctrust.cluster.ClusterException;
import io.uctrust.cluster.Operation;
import io.uctrust.desired.CertificateSpec.Hash;
import io.uctrust.desired.CertificateSpec.KeyType;
import io.uctrust.desired.CertificateSpec.Service;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lab serves each node's service identities over TLS, as a real node does on its service ports. */
class LabTlsTest {
  @TempDir Path temp;
  private LabCluster lab;

  @BeforeEach
  void lab() throws Exception {
    lab = LabCluster.existing(ServedLabFixture.copyOfSeeded(temp.resolve("lab")), CLOCK);
  }

  @AfterEach
  void close() {
    lab.close();
  }

  private static Operation.RegenerateSelfSigned regenerate(String node, Service service, KeyType type, int size) {
    return new Operation.RegenerateSelfSigned(node, service, type, size, Hash.SHA256, node, List.of(node), 365);
  }

  @Test
  void aHandshakeWithANodesTomcatPortReturnsTheIdentityInItsStore() throws Exception {
    List<X509Certificate> served = lab.servedChain(PUB, Service.TOMCAT, KeyType.RSA);

    assertThat(served).hasSize(1);
    assertThat(served.get(0)).isEqualTo(lab.identity(PUB, Service.TOMCAT));
    assertThat(lab.servedChain(SUB, Service.TOMCAT, KeyType.RSA).get(0)).isEqualTo(lab.identity(SUB, Service.TOMCAT));
  }

  @Test
  void theKeyTypeTheClientOffersPicksTheEcdsaIdentityOfASharedPort() throws Exception {
    X509Certificate ecdsa = lab.servedChain(PUB, Service.CALLMANAGER_ECDSA, KeyType.EC).get(0);
    X509Certificate rsa = lab.servedChain(PUB, Service.CALLMANAGER, KeyType.RSA).get(0);

    assertThat(ecdsa).isEqualTo(lab.identity(PUB, Service.CALLMANAGER_ECDSA));
    assertThat(ecdsa.getPublicKey().getAlgorithm()).isEqualTo("EC");
    assertThat(rsa).isEqualTo(lab.identity(PUB, Service.CALLMANAGER));
  }

  @Test
  void xmppPortsServeTheirIdentityAfterStartTls() throws Exception {
    assertThat(lab.servedChain(IMP, Service.CUP_XMPP, KeyType.RSA).get(0)).isEqualTo(lab.identity(IMP, Service.CUP_XMPP));
    assertThat(lab.servedChain(IMP, Service.CUP_XMPP_S2S_ECDSA, KeyType.EC).get(0))
        .isEqualTo(lab.identity(IMP, Service.CUP_XMPP_S2S_ECDSA));
  }

  @Test
  void aRegeneratedIdentityIsServedFromTheNextHandshakeOn() throws Exception {
    X509Certificate before = lab.servedChain(PUB, Service.TOMCAT, KeyType.RSA).get(0);

    lab.perform(regenerate(PUB, Service.TOMCAT, KeyType.EC, 256), (ref, subject) -> "unused");

    X509Certificate after = lab.servedChain(PUB, Service.TOMCAT, KeyType.EC).get(0);
    assertThat(after).isNotEqualTo(before).isEqualTo(lab.identity(PUB, Service.TOMCAT));
  }

  @Test
  void aStaleTlsFaultKeepsServingTheOldIdentityAfterANewOne() throws Exception {
    X509Certificate old = lab.identity(PUB, Service.TOMCAT);
    lab.staleTls(PUB, Service.TOMCAT);

    lab.perform(regenerate(PUB, Service.TOMCAT, KeyType.RSA, 2048), (ref, subject) -> "unused");

    assertThat(lab.identity(PUB, Service.TOMCAT)).isNotEqualTo(old);
    assertThat(lab.servedChain(PUB, Service.TOMCAT, KeyType.RSA).get(0)).isEqualTo(old);
    // the fault is kept in the state: a lab opened again still serves the old one
    try (LabCluster reopened = LabCluster.existing(new LabStore(temp.resolve("lab")), CLOCK)) {
      assertThat(reopened.servedChain(PUB, Service.TOMCAT, KeyType.RSA).get(0)).isEqualTo(old);
    }
  }

  @Test
  void anIdentityWhoseKeyTheLabDoesNotKeepIsReportedAsSuch() throws Exception {
    Files.delete(temp.resolve("lab/keys/nodes").resolve(PUB).resolve("tomcat.identity.pem"));

    assertThatThrownBy(() -> lab.servedChain(PUB, Service.TOMCAT, KeyType.RSA)).isInstanceOf(ClusterException.class)
        .hasMessageContaining("the lab keeps no key for the tomcat identity of " + PUB)
        .hasMessageContaining("uctrust lab reset");
  }

  @Test
  void ipsecHasNoTlsPortToAsk() {
    assertThatThrownBy(() -> lab.servedChain(PUB, Service.IPSEC, KeyType.RSA)).isInstanceOf(ClusterException.class)
        .hasMessage("ipsec identities are not served over TLS");
  }
}
