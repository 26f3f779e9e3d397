package io.uctrust.plan;

import static io.uctrust.plan.PlanFixture.IMP;
import static io.uctrust.plan.PlanFixture.IMS;
import static io.uctrust.plan.PlanFixture.PUB;
import static io.uctrust.plan.PlanFixture.SUB;
import static org.assertj.core.api.Assertions.assertThat;

import io.uctrust.apply.Applier;
import io.uctrust.apply.Journal;
import io.uctrust.apply.Outcome;
import io.uctrust.cluster.Operation;
import io.uctrust.desired.ResolvedDesired;
import io.uctrust.desired.TrustStoreSpec.Store;
import io.uctrust.issuance.IdentitySigners;
import io.uctrust.observed.ObservedCluster;
import io.uctrust.pki.CaKeyStore;
import io.uctrust.pki.CertificateAuthority;
import io.uctrust.pki.KeyPairs;
import io.uctrust.pki.Pem;
import io.uctrust.target.lab.LabCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rotating the issuing CA on the in-process lab: the new CA goes into the trust stores and the identities of the old
 * one are issued anew under it; the old CA stays in the trust stores for the overlap after the switch, then leaves
 * every node's store.
 */
class CaRotationTest {
  private static final String OLD = "CN=Corp Old CA,O=Example";
  @TempDir Path temp;

  @BeforeEach
  void twoCas() throws IOException {
    Files.createDirectories(temp.resolve("ca"));
    Files.createDirectories(desired().resolve("certs"));
    for (String name : List.of("old", "new")) {
      CertificateAuthority ca = CertificateAuthority.create("CN=Corp " + (name.equals("old") ? "Old" : "New") + " CA,O=Example",
          KeyPairs.rsa(2048), PlanFixture.NOW.minus(Duration.ofDays(10)), PlanFixture.NOW.plus(Duration.ofDays(3650)), null);
      // PlanFixture.SECRETS resolves env:CA_PASSWORD to "fixed-secret-11"
      CaKeyStore.save(temp.resolve("ca/" + name + ".p12"), ca, "fixed-secret-11".toCharArray());
      PlanFixture.write(desired(), "certs/" + name + ".pem", Pem.encode(ca.certificate()));
    }
    PlanFixture.cluster(desired(), "");
  }

  private Path desired() {
    return temp.resolve("desired");
  }

  /** A tomcat identity on the publisher from the keystore CA {@code ca}; {@code previous}: the CA it retires, or null. */
  private ResolvedDesired tomcat(String ca, String previous) throws IOException {
    PlanFixture.write(desired(), "certificates.yaml", """
        apiVersion: uctrust/v1
        kind: Certificate
        metadata: {name: tomcat}
        spec:
          service: tomcat
          distribution: single-node
          nodes: [%s]
          key: {type: rsa, size: 2048}
          issuer:
            type: ca
            keystore: %s
            keystorePassword: env:CA_PASSWORD
            caCertificates: certs/%s.pem
        %s
          renewBefore: 30d
        """.formatted(PUB, temp.resolve("ca/" + ca + ".p12"), ca,
        previous == null ? "" : "    previousCaCertificates: certs/" + previous + ".pem"));
    return PlanFixture.desired(desired());
  }

  private List<Outcome> apply(LabCluster lab, Plan plan, String journal, Clock clock) throws IOException {
    return new Applier(lab, PlanFixture.SECRETS, new Journal(temp.resolve("journal-" + journal)), line -> { })
        .signingWith(new IdentitySigners(clock, temp.resolve("state"))).apply(plan, Set.of());
  }

  private static Clock at(int days) {
    return Clock.fixed(PlanFixture.NOW.plus(Duration.ofDays(days)), ZoneOffset.UTC);
  }

  private static ObservedCluster.Certificate publisherTomcat(ObservedCluster observed) {
    return observed.nodes().stream().filter(n -> n.name().equals(PUB)).findFirst().orElseThrow()
        .identities().stream().filter(i -> i.service().yaml().equals("tomcat")).findFirst().orElseThrow().certificate();
  }

  private static List<String> holdingOldCa(ObservedCluster observed) {
    return observed.nodes().stream().filter(n -> n.trust().stream()
        .anyMatch(t -> t.store() == Store.TOMCAT_TRUST && t.certificate().subject().equals(OLD)))
        .map(ObservedCluster.Node::name).toList();
  }

  /** A tomcat identity of the old CA, in sync: the old CA is in every node's tomcat-trust. */
  private LabCluster underTheOldCa() throws IOException {
    ResolvedDesired old = tomcat("old", null);
    LabCluster lab = PlanFixture.lab(temp.resolve("lab"));
    assertThat(apply(lab, PlanFixture.plan(old, lab.observe()), "old", PlanFixture.CLOCK))
        .allSatisfy(o -> assertThat(o.status()).as(o.detail()).isEqualTo(Outcome.Status.SUCCEEDED));
    // the self-signed tomcat certificates the CA-signed one left behind
    PlanFixture.applyAll(lab, PlanFixture.plan(old, lab.observe()));
    assertThat(PlanFixture.plan(old, lab.observe()).changes()).isEmpty();
    assertThat(publisherTomcat(lab.observe()).issuer()).isEqualTo(OLD);
    assertThat(holdingOldCa(lab.observe())).containsExactly(PUB, SUB, IMP, IMS);
    return lab;
  }

  @Test
  void theNewCaIsTrustedAndTheIdentityReissuedUnderItWhileTheOldCaStays() throws IOException {
    LabCluster lab = underTheOldCa();
    ResolvedDesired rotating = tomcat("new", "old");

    Plan plan = PlanFixture.plan(rotating, lab.observe(), at(5));

    assertThat(plan.changes()).filteredOn(c -> c.phase() == Phase.TRUST).extracting(Change::address).containsExactly(
        PUB + "/tomcat-trust/Corp New CA", SUB + "/tomcat-trust/Corp New CA", IMP + "/tomcat-trust/Corp New CA",
        IMS + "/tomcat-trust/Corp New CA");
    assertThat(plan.changes()).filteredOn(c -> c.phase() == Phase.IDENTITY).singleElement().satisfies(c -> {
      assertThat(c.address()).isEqualTo(PUB + "/tomcat");
      assertThat(c.reason()).startsWith("CA rotation: issued by the previous CA " + OLD);
    });
    // phase 3 waits for the switch
    assertThat(plan.changes()).filteredOn(c -> c.phase() == Phase.TRUST_CLEANUP).isEmpty();
    assertThat(plan.notes()).noneMatch(n -> n.contains("CA rotation"));

    assertThat(apply(lab, plan, "switch", at(5)))
        .allSatisfy(o -> assertThat(o.status()).as(o.detail()).isEqualTo(Outcome.Status.SUCCEEDED));

    assertThat(publisherTomcat(lab.observe()).issuer()).isEqualTo("CN=Corp New CA,O=Example");
    assertThat(holdingOldCa(lab.observe())).containsExactly(PUB, SUB, IMP, IMS);
  }

  @Test
  void theOldCaStaysForTheOverlapAfterTheSwitchThenLeavesEveryNodesTrustStore() throws IOException {
    LabCluster lab = underTheOldCa();
    ResolvedDesired rotating = tomcat("new", "old");
    apply(lab, PlanFixture.plan(rotating, lab.observe(), at(5)), "switch", at(5));

    // right after the switch (notBefore back-dated five minutes): nothing to do, the note says when the old CA goes
    Plan waiting = PlanFixture.plan(rotating, lab.observe(), at(5));
    assertThat(waiting.changes()).isEmpty();
    assertThat(waiting.notes()).contains("Certificate/tomcat: CA rotation — old CA " + OLD
        + " leaves tomcat-trust on 2027-01-04 (overlap 30d after the switch on 2026-12-05)");
    assertThat(PlanFixture.plan(rotating, lab.observe(), Clock.fixed(java.time.Instant.parse("2027-01-04T23:54:00Z"),
        ZoneOffset.UTC)).changes()).isEmpty();

    Plan due = PlanFixture.plan(rotating, lab.observe(), at(35));

    List<Change> removals = PlanFixture.withoutRestarts(due);
    assertThat(removals).extracting(Change::address).containsExactly(PUB + "/tomcat-trust/Corp Old CA",
        SUB + "/tomcat-trust/Corp Old CA", IMP + "/tomcat-trust/Corp Old CA", IMS + "/tomcat-trust/Corp Old CA");
    assertThat(removals).allSatisfy(c -> {
      assertThat(c.phase()).isEqualTo(Phase.TRUST_CLEANUP);
      assertThat(c.action()).isEqualTo(Action.DELETE);
      assertThat(c.reason()).startsWith("CA rotation: Certificate/tomcat retires " + OLD);
      assertThat(c.operations()).singleElement().isInstanceOf(Operation.RemoveTrust.class);
    });
    assertThat(due.notes()).noneMatch(n -> n.contains("CA rotation"));

    PlanFixture.applyAll(lab, due);

    assertThat(holdingOldCa(lab.observe())).isEmpty();
    Plan after = PlanFixture.plan(rotating, lab.observe(), at(35));
    assertThat(after.changes()).isEmpty();
    assertThat(after.notes()).noneMatch(n -> n.contains("CA rotation"));
  }

  @Test
  void anOldCaThatATrustStoreDocumentStillListsStays() throws IOException {
    LabCluster lab = underTheOldCa();
    ResolvedDesired rotating = tomcat("new", "old");
    apply(lab, PlanFixture.plan(rotating, lab.observe(), at(5)), "switch", at(5));
    PlanFixture.write(desired(), "truststores.yaml", """
        apiVersion: uctrust/v1
        kind: TrustStore
        metadata: {name: tomcat-old}
        spec:
          store: tomcat-trust
          certificates:
            - file: certs/old.pem
        """);
    ResolvedDesired listed = PlanFixture.desired(desired());

    Plan due = PlanFixture.plan(listed, lab.observe(), at(35));

    assertThat(due.changes()).isEmpty();
    assertThat(due.notes()).noneMatch(n -> n.contains("CA rotation"));
  }
}
