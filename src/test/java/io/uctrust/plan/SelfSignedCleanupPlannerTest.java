package io.uctrust.plan;

import static io.uctrust.plan.PlanFixture.IMP;
import static io.uctrust.plan.PlanFixture.IMS;
import static io.uctrust.plan.PlanFixture.NOW;
import static io.uctrust.plan.PlanFixture.PUB;
import static io.uctrust.plan.PlanFixture.SUB;
import static io.uctrust.plan.PlanFixture.TOMCAT;
import static io.uctrust.plan.PlanFixture.addTrust;
import static io.uctrust.plan.PlanFixture.applyAll;
import static io.uctrust.plan.PlanFixture.at;
import static io.uctrust.plan.PlanFixture.node;
import static org.assertj.core.api.Assertions.assertThat;

import io.uctrust.cluster.Operation;
import io.uctrust.desired.ResolvedDesired;
import io.uctrust.desired.TrustStoreSpec.Store;
import io.uctrust.observed.ObservedCluster;
import io.uctrust.observed.Snapshots;
import io.uctrust.pki.CertificateMaker;
import io.uctrust.pki.KeyPairs;
import io.uctrust.pki.Pem;
import io.uctrust.pki.TestCertificates;
import io.uctrust.target.lab.LabCluster;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/**
 * Removal of the self-signed trust certificates a CA-signed identity left behind: only node certificates no node
 * presents, only in the stores the guide names, only where the new identity's CA chain is already trusted, and
 * never CA certificates, uctrust's own uploads or what a TrustStore document lists.
 */
class SelfSignedCleanupPlannerTest {
  @TempDir Path temp;

  private static final String ROOT = PlanFixture.caPem("Corp Root");
  /** A CA-signed tomcat certificate of the Unified CM publisher, issued by {@link #ROOT}. */
  private static final String CA_SIGNED_TOMCAT = Pem.encode(TestCertificates.create(new TestCertificates.Spec(
      "CN=" + PUB, "CN=Corp Root", NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(365)), false,
      KeyUsage.digitalSignature | KeyUsage.keyEncipherment)));

  private ResolvedDesired desired(String file, String yaml) throws IOException {
    PlanFixture.cluster(temp.resolve("desired"), "");
    if (file != null) {
      PlanFixture.write(temp.resolve("desired"), file, yaml);
    }
    return PlanFixture.desired(temp.resolve("desired"));
  }

  private LabCluster lab(Consumer<ObjectNode> edit) {
    return PlanFixture.lab(temp.resolve("lab"), edit);
  }

  private static List<Change> removals(Plan plan) {
    return plan.changes().stream().filter(c -> c.phase() == Phase.TRUST_CLEANUP).toList();
  }

  private static String identityPem(ObjectNode state, String node, String service) {
    return node(state, node).get("identities").get(service).get("pem").asString();
  }

  /** The publisher's tomcat replaced by {@link #CA_SIGNED_TOMCAT}, with {@link #ROOT} in tomcat-trust on {@code trusting}. */
  private static void caSignedTomcat(ObjectNode state, String... trusting) {
    ObjectNode tomcat = (ObjectNode) node(state, PUB).get("identities").get("tomcat");
    tomcat.put("pem", CA_SIGNED_TOMCAT);
    tomcat.put("selfSigned", false);
    for (String name : trusting) {
      addTrust(state, name, "tomcat-trust", ROOT, "OTHER");
    }
  }

  private static String selfSigned(String cn, boolean ec, boolean ca) {
    return Pem.encode(new CertificateMaker().selfSigned(ec ? KeyPairs.ec(256) : KeyPairs.rsa(2048),
        new CertificateMaker.Request("CN=" + cn + ",OU=old", List.of(), NOW.minus(Duration.ofDays(400)),
            NOW.plus(Duration.ofDays(400)), ca, null, ca ? KeyUsage.keyCertSign : KeyUsage.digitalSignature, List.of(),
            "SHA256")));
  }

  @Test
  void theOldSelfSignedTomcatIsRemovedWhereTheNewIdentitysChainIsTrustedAndOnlyThere() throws IOException {
    String[] old = new String[1];
    LabCluster lab = lab(state -> {
      old[0] = identityPem(state, PUB, "tomcat");
      caSignedTomcat(state, PUB, SUB);
    });

    Plan plan = PlanFixture.plan(desired(null, null), lab.observe());

    ObservedCluster.Certificate c = Snapshots.certificate(old[0]);
    String reason = "self-signed certificate of " + PUB + " left behind: tomcat is CA-signed under Corp Root, which "
        + "tomcat-trust here holds; no node presents it and no TrustStore document lists it ("
        + SelfSignedCleanupPlanner.SEED + ")";
    assertThat(removals(plan)).extracting(ch -> ch.withId(0)).containsExactly(
        new Change(0, Phase.TRUST_CLEANUP, Action.DELETE, "trust-certificate", PUB + "/tomcat-trust/" + PUB,
            TrustPlanner.describe(c), "", reason, "", Impact.restarting(List.of(at(TOMCAT, PUB))), List.of(),
            List.of(new Operation.RemoveTrust(PUB, Store.TOMCAT_TRUST, c.sha256(), c.subject()))),
        new Change(0, Phase.TRUST_CLEANUP, Action.DELETE, "trust-certificate", SUB + "/tomcat-trust/" + PUB,
            TrustPlanner.describe(c), "", reason, "", Impact.restarting(List.of(at(TOMCAT, SUB))), List.of(),
            List.of(new Operation.RemoveTrust(SUB, Store.TOMCAT_TRUST, c.sha256(), c.subject()))));
    assertThat(PlanFixture.restarts(plan)).containsExactly(at(TOMCAT, PUB), at(TOMCAT, SUB));
  }

  @Test
  void applyingTheRemovalsLeavesNothingMoreToRemove() throws IOException {
    LabCluster lab = lab(state -> caSignedTomcat(state, PUB, SUB, IMP, IMS));
    ResolvedDesired desired = desired(null, null);
    Plan plan = PlanFixture.plan(desired, lab.observe());
    assertThat(removals(plan)).hasSize(4);

    applyAll(lab, plan);

    assertThat(PlanFixture.plan(desired, lab.observe()).changes()).isEmpty();
  }

  @Test
  void anOldSelfSignedCertificateNamedByHostNameIsRemovedToo() throws IOException {
    String shortName = selfSigned("cucm-pub", false, false);
    LabCluster lab = lab(state -> {
      caSignedTomcat(state, PUB);
      addTrust(state, PUB, "tomcat-trust", shortName, "OTHER");
    });

    Plan plan = PlanFixture.plan(desired(null, null), lab.observe());

    assertThat(removals(plan)).extracting(Change::address).containsExactly(PUB + "/tomcat-trust/" + PUB,
        PUB + "/tomcat-trust/cucm-pub");
  }

  @Test
  void nothingIsRemovedWhileTheServiceIsStillSelfSigned() throws IOException {
    String leftover = selfSigned(IMP, false, false);
    LabCluster lab = lab(state -> {
      addTrust(state, IMS, "cup-trust", leftover, "OTHER");
      addTrust(state, IMS, "cup-trust", ROOT, "OTHER");
    });

    Plan plan = PlanFixture.plan(desired(null, null), lab.observe());

    assertThat(plan.changes()).isEmpty();
  }

  @Test
  void caCertificatesUctrustUploadsOtherKeyTypesOtherStoresAndListedCertificatesStay() throws IOException {
    String nodeNamedCa = selfSigned(PUB, false, true);
    String ecLeftover = selfSigned(PUB, true, false);
    String uploaded = selfSigned(PUB, false, false);
    String inCallManagerTrust = selfSigned(PUB, false, false);
    String listed = selfSigned(PUB, false, false);
    LabCluster lab = lab(state -> {
      caSignedTomcat(state, PUB);
      addTrust(state, PUB, "tomcat-trust", nodeNamedCa, "OTHER");
      addTrust(state, PUB, "tomcat-trust", ecLeftover, "OTHER");
      addTrust(state, PUB, "tomcat-trust", uploaded, "UCTRUST");
      addTrust(state, PUB, "CallManager-trust", inCallManagerTrust, "OTHER");
      addTrust(state, PUB, "tomcat-trust", listed, "OTHER");
    });
    java.nio.file.Files.createDirectories(temp.resolve("desired/certs"));
    PlanFixture.write(temp.resolve("desired"), "certs/listed.pem", listed);
    ResolvedDesired desired = desired("trust.yaml", """
        apiVersion: uctrust/v1
        kind: TrustStore
        metadata: {name: tomcat-trust}
        spec:
          store: tomcat-trust
          nodes: [imp-sub1.example.com]
          certificates: [{file: certs/listed.pem}]
        """);

    Plan plan = PlanFixture.plan(desired, lab.observe());

    // only the publisher's own old tomcat; the EC leftover stays because tomcat-ECDSA is still self-signed
    assertThat(removals(plan)).extracting(Change::address).containsExactly(PUB + "/tomcat-trust/" + PUB);
    assertThat(removals(plan)).flatExtracting(Change::operations).extracting(op -> ((Operation.RemoveTrust) op).sha256())
        .doesNotContain(Snapshots.certificate(nodeNamedCa).sha256(), Snapshots.certificate(ecLeftover).sha256(),
            Snapshots.certificate(uploaded).sha256(), Snapshots.certificate(inCallManagerTrust).sha256(),
            Snapshots.certificate(listed).sha256());
  }
}
