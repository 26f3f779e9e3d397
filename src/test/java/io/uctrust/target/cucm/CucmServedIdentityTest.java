package io.uctrust.target.cucm;

import static org.assertj.core.api.Assertions.assertThat;

import io.uctrust.desired.CertificateSpec.KeyType;
import io.uctrust.desired.CertificateSpec.Service;
import io.uctrust.desired.ClusterSpec;
import io.uctrust.desired.DesiredStateLoader;
import io.uctrust.desired.Document;
import io.uctrust.target.ConnectTo;
import io.uctrust.target.TargetOptions;
import io.uctrust.target.lab.LabCluster;
import io.uctrust.target.lab.LabFaults;
import io.uctrust.target.lab.LabServer;
import io.uctrust.target.lab.LabStore;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real-cluster adapter reads what a node serves on its service ports, routed by {@code --connect-to}: against
 * {@code lab serve}, which serves each node's identities on stand-ins for those ports, it gets the identity the node's
 * platform API reports (SIP TLS with an ECDSA key, XMPP federation behind STARTTLS).
 */
class CucmServedIdentityTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC);
  static final String PUB = "cucm-pub.example.com";
  static final String IMP = "imp-pub.example.com";

  @TempDir Path temp;

  private static Document<ClusterSpec> cluster(LabServer server) {
    String password = "\"file:" + server.passwordFile() + "\"";
    var loaded = new DesiredStateLoader().loadText(Path.of("cluster.yaml"), """
        apiVersion: uctrust/v1
        kind: Cluster
        metadata: {name: lab}
        spec:
          target:
            type: cucm
            publisher: cucm-pub.example.com
            axl: {username: axladmin, password: %1$s}
            platform: {username: osadmin, password: %1$s}
            trust: "file:%2$s"
          release: "15.0"
          domain: example.com
          nodes:
            - {name: cucm-pub.example.com, role: cucm-publisher}
            - {name: imp-pub.example.com, role: imp-publisher, xmppFederation: true}
        """.formatted(password, server.trustBundle()));
    assertThat(loaded.diagnostics()).isEmpty();
    return loaded.state().clusters().get(0);
  }

  @Test
  void theServedChainOfEachServicePortIsTheIdentityTheNodeReports() throws Exception {
    LabStore store = new LabStore(temp.resolve("lab"));
    Document<ClusterSpec> lab = new DesiredStateLoader().loadText(Path.of("cluster.yaml"), """
        apiVersion: uctrust/v1
        kind: Cluster
        metadata: {name: lab}
        spec:
          target: {type: lab}
          release: "15.0"
          domain: example.com
          nodes:
            - {name: cucm-pub.example.com, role: cucm-publisher}
            - {name: imp-pub.example.com, role: imp-publisher, xmppFederation: true}
        """).state().clusters().get(0);
    LabCluster.create(store, "lab", lab.spec(), 5, CLOCK).close();

    try (LabServer server = LabServer.start(store, InetAddress.getLoopbackAddress(), 0, LabFaults.none(), CLOCK)) {
      assertThat(server.connectTo()).anySatisfy(r -> assertThat(r).startsWith(PUB + ":5061:"))
          .anySatisfy(r -> assertThat(r).startsWith(IMP + ":5269:"))
          .noneSatisfy(r -> assertThat(r).startsWith(PUB + ":8443:"));
      TargetOptions options = new TargetOptions(temp.resolve("state"), 0, Duration.ZERO,
          new ConnectTo(server.connectTo().stream().map(ConnectTo::parse).toList()), Map.of());
      try (CucmCluster cucm = CucmCluster.open(cluster(server), options)) {
        assertThat(cucm.servedChain(PUB, Service.CALLMANAGER_ECDSA, KeyType.EC).get(0))
            .isEqualTo(cucm.identity(PUB, Service.CALLMANAGER_ECDSA));
        assertThat(cucm.servedChain(PUB, Service.CALLMANAGER, KeyType.RSA).get(0))
            .isEqualTo(cucm.identity(PUB, Service.CALLMANAGER));
        assertThat(cucm.servedChain(IMP, Service.CUP_XMPP_S2S, KeyType.RSA).get(0))
            .isEqualTo(cucm.identity(IMP, Service.CUP_XMPP_S2S));
      }
    }
  }
}
