package io.uctrust.plan;

import static io.uctrust.plan.PlanFixture.IMP;
import static io.uctrust.plan.PlanFixture.PUB;
import static io.uctrust.plan.PlanFixture.SUB;
import static org.assertj.core.api.Assertions.assertThat;

import io.uctrust.apply.Applier;
import io.uctrust.apply.Journal;
import io.uctrust.apply.Outcome;
import io.uctrust.cluster.Operation;
import io.uctrust.desired.CertificateSpec.Service;
import io.uctrust.desired.ResolvedDesired;
import io.uctrust.issuance.IdentitySigners;
import io.uctrust.issuance.OfflineIdentityFolder;
import io.uctrust.observed.ObservedCluster;
import io.uctrust.pki.CertificateAuthority;
import io.uctrust.pki.CertificateFacts;
import io.uctrust.pki.Csr;
import io.uctrust.pki.KeyPairs;
import io.uctrust.pki.Pem;
import io.uctrust.pki.ServiceUsage;
import io.uctrust.target.lab.LabCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Identities an offline CA signs, through the desired-state folder, planned from what the folder holds: no CSR (the
 * node makes one and the apply writes it), a CSR waiting (a check), a good signed chain (trust, then the install), a
 * bad one (a manual step for that identity alone).
 */
class OfflineIdentityTest {
  private static final String PUB_TOMCAT = "offline-ca/pending/" + PUB + "-tomcat.csr";
  private static final String PUB_SIGNED = "offline-ca/signed/" + PUB + "-tomcat.pem";

  @TempDir Path temp;
  private CertificateAuthority root;
  private CertificateAuthority issuing;
  private LabCluster lab;
  private int applies;

  @BeforeEach
  void offlineCaAndLab() throws IOException {
    root = CertificateAuthority.create("CN=Offline Root,O=Example", KeyPairs.rsa(2048), PlanFixture.NOW.minus(Duration.ofDays(10)),
        PlanFixture.NOW.plus(Duration.ofDays(3650)), null);
    issuing = root.subordinate("CN=Offline Issuing CA,O=Example", KeyPairs.rsa(2048),
        PlanFixture.NOW.minus(Duration.ofDays(10)), PlanFixture.NOW.plus(Duration.ofDays(1825)), 0);
    PlanFixture.write(desired().resolve("certs"), "chain.pem", Pem.encode(issuing.certificate()) + Pem.encode(root.certificate()));
    PlanFixture.cluster(desired(), "");
    lab = PlanFixture.lab(temp.resolve("lab"));
  }

  private Path desired() {
    return temp.resolve("desired");
  }

  private ResolvedDesired certificate(String distribution, String nodes) throws IOException {
    PlanFixture.write(desired(), "certificates.yaml", """
        apiVersion: uctrust/v1
        kind: Certificate
        metadata: {name: tomcat}
        spec:
          service: tomcat
          distribution: %s
          nodes: %s
          key: {type: rsa, size: 2048}
          issuer: {type: offline, caCertificates: certs/chain.pem}
          renewBefore: 30d
        """.formatted(distribution, nodes));
    return PlanFixture.desired(desired());
  }

  private List<Outcome> apply(Plan plan) throws IOException {
    return new Applier(lab, PlanFixture.SECRETS, new Journal(temp.resolve("journal-" + ++applies)), line -> { })
        .signingWith(new IdentitySigners(PlanFixture.CLOCK, temp.resolve("state"), new OfflineIdentityFolder(desired())))
        .apply(plan, Set.of());
  }

  /** The offline CA signs the pending CSR of {@code node}'s tomcat and the chain (leaf, issuing CA) is committed. */
  private X509Certificate sign(String node) throws IOException {
    Csr csr = Csr.parse(Files.readString(desired().resolve("offline-ca/pending/" + node + "-tomcat.csr")));
    X509Certificate leaf = issuing.issue(csr, PlanFixture.NOW.minus(Duration.ofDays(1)),
        PlanFixture.NOW.plus(Duration.ofDays(365)), ServiceUsage.of(Service.TOMCAT));
    commit(node, Pem.encode(leaf) + Pem.encode(issuing.certificate()));
    return leaf;
  }

  private static String sha256(X509Certificate certificate) {
    return CertificateFacts.of(certificate).sha256();
  }

  private void commit(String node, String text) throws IOException {
    PlanFixture.write(desired().resolve("offline-ca/signed"), node + "-tomcat.pem", text);
  }

  private static List<Change> identities(Plan plan) {
    return plan.changes().stream().filter(c -> c.resource().equals("identity-certificate")).toList();
  }

  private static ObservedCluster.Certificate identity(ObservedCluster observed, String node) {
    return observed.nodes().stream().filter(n -> n.name().equals(node)).findFirst().orElseThrow()
        .identities().stream().filter(i -> i.service().yaml().equals("tomcat")).findFirst().orElseThrow().certificate();
  }

  @Test
  void anIdentityWithoutAPendingCsrIsRequestedAndTheApplyWritesTheCsrIntoTheFolderWithoutRestarts() throws IOException {
    ResolvedDesired desired = certificate("multi-server", "[" + PUB + ", " + SUB + "]");
    ObservedCluster.Certificate before = identity(lab.observe(), PUB);

    Plan plan = PlanFixture.plan(desired, lab.observe());

    assertThat(plan.changes()).singleElement().satisfies(c -> {
      assertThat(c.address()).isEqualTo(PUB + "/tomcat");
      assertThat(c.action()).isEqualTo(Action.REPLACE);
      assertThat(c.after()).startsWith("CSR for the offline CA to " + PUB_TOMCAT).endsWith("for " + SUB + " too");
      assertThat(c.impact().restarts()).isEmpty();
      assertThat(c.operations()).singleElement().isInstanceOfSatisfying(Operation.IssueIdentity.class,
          op -> assertThat(op.distributeTo()).containsExactly(SUB));
    });

    List<Outcome> outcomes = apply(plan);

    assertThat(outcomes).singleElement().satisfies(o -> {
      assertThat(o.status()).as(o.detail()).isEqualTo(Outcome.Status.SUCCEEDED);
      assertThat(o.detail()).isEqualTo("CSR written to " + PUB_TOMCAT + "; commit the signed chain as " + PUB_SIGNED);
    });
    Csr csr = Csr.parse(Files.readString(desired().resolve(PUB_TOMCAT)));
    assertThat(csr.dnsNames()).containsExactly(PUB, SUB);
    assertThat(identity(lab.observe(), PUB)).isEqualTo(before);
  }

  @Test
  void aPendingCsrWithoutASignedChainIsACheckNotDrift() throws IOException {
    ResolvedDesired desired = certificate("multi-server", "[" + PUB + ", " + SUB + "]");
    apply(PlanFixture.plan(desired, lab.observe()));

    Plan waiting = PlanFixture.plan(PlanFixture.desired(desired()), lab.observe());

    assertThat(waiting.inSync()).isTrue();
    assertThat(waiting.changes()).singleElement().satisfies(c -> {
      assertThat(c.action()).isEqualTo(Action.CHECK);
      assertThat(c.reason()).endsWith("waiting for the offline CA to sign " + PUB_TOMCAT + " (commit the chain as "
          + PUB_SIGNED + ")");
    });
  }

  @Test
  void aGoodSignedChainIsInstalledAfterItsCasAreTrustedAndThenLeftAlone() throws IOException {
    apply(PlanFixture.plan(certificate("multi-server", "[" + PUB + ", " + SUB + "]"), lab.observe()));
    X509Certificate leaf = sign(PUB);

    Plan plan = PlanFixture.plan(PlanFixture.desired(desired()), lab.observe());

    List<Change> trust = plan.changes().stream().filter(c -> c.phase() == Phase.TRUST).toList();
    assertThat(trust).extracting(Change::address).contains(PUB + "/tomcat-trust/Offline Issuing CA",
        PUB + "/tomcat-trust/Offline Root", SUB + "/tomcat-trust/Offline Root", IMP + "/tomcat-trust/Offline Root");
    Change install = identities(plan).stream().collect(java.util.stream.Collectors.collectingAndThen(
        java.util.stream.Collectors.toList(), l -> { assertThat(l).hasSize(1); return l.get(0); }));
    assertThat(install.reason()).endsWith("signed by the offline CA and committed to " + PUB_SIGNED);
    assertThat(install.operations()).singleElement().isInstanceOfSatisfying(Operation.InstallIdentity.class, op -> {
      assertThat(op.chain()).hasSize(3);
      assertThat(Pem.certificate(op.chain().get(2))).isEqualTo(root.certificate());
      assertThat(op.distributeTo()).containsExactly(SUB);
    });
    assertThat(plan.changes().indexOf(install)).isGreaterThan(plan.changes().indexOf(trust.get(trust.size() - 1)));
    assertThat(PlanFixture.restarts(plan)).contains(PlanFixture.at(PlanFixture.TOMCAT, PUB),
        PlanFixture.at(PlanFixture.TOMCAT, SUB));

    List<Outcome> outcomes = apply(plan);

    assertThat(outcomes).allSatisfy(o -> assertThat(o.status()).as(o.detail()).isEqualTo(Outcome.Status.SUCCEEDED));
    ObservedCluster after = lab.observe();
    assertThat(identity(after, PUB).sha256()).isEqualTo(sha256(leaf));
    assertThat(identity(after, SUB).sha256()).isEqualTo(sha256(leaf));
    // the pending CSR still there (the reconciler removes it) plans no identity change: the signed leaf is installed;
    // what follows is only the guide's clean-up of the self-signed certificates the CA-signed one replaced
    Plan next = PlanFixture.plan(PlanFixture.desired(desired()), after);
    assertThat(next.changes()).allSatisfy(c -> assertThat(c.phase()).isIn(Phase.TRUST_CLEANUP, Phase.RESTART));
    apply(next);
    Files.delete(desired().resolve(PUB_TOMCAT));
    assertThat(PlanFixture.plan(PlanFixture.desired(desired()), lab.observe()).changes()).isEmpty();
  }

  @Test
  void anInstalledChainDueForRenewalStartsANewCsr() throws IOException {
    apply(PlanFixture.plan(certificate("single-node", "[" + PUB + "]"), lab.observe()));
    sign(PUB);
    apply(PlanFixture.plan(PlanFixture.desired(desired()), lab.observe()));
    Files.delete(desired().resolve(PUB_TOMCAT));
    java.time.Clock late = java.time.Clock.fixed(PlanFixture.NOW.plus(Duration.ofDays(340)), java.time.ZoneOffset.UTC);

    Plan renewal = PlanFixture.plan(PlanFixture.desired(desired()), lab.observe(), late);

    assertThat(identities(renewal)).singleElement().satisfies(c -> {
      assertThat(c.reason()).startsWith("due for renewal since");
      assertThat(c.operations()).singleElement().isInstanceOf(Operation.IssueIdentity.class);
    });
  }

  @Test
  void aChainForAnotherKeyIsAManualStepForThatIdentityAloneAndTheOtherIsInstalled() throws IOException {
    apply(PlanFixture.plan(certificate("single-node", "[" + PUB + ", " + SUB + "]"), lab.observe()));
    X509Certificate sub = sign(SUB);
    sign(PUB);
    // the publisher's file gets the subscriber's certificate
    commit(PUB, Pem.encode(sub) + Pem.encode(issuing.certificate()));

    Plan plan = PlanFixture.plan(PlanFixture.desired(desired()), lab.observe());
    List<Outcome> outcomes = apply(plan);

    assertThat(plan.changes()).filteredOn(c -> c.action() == Action.MANUAL).singleElement().satisfies(c -> {
      assertThat(c.address()).isEqualTo(PUB + "/tomcat");
      assertThat(c.reason()).isEqualTo(PUB_SIGNED + " cannot be installed: it is not for the key of the pending CSR "
          + PUB_TOMCAT + "; replace it with the chain the offline CA issued for that CSR");
    });
    assertThat(identities(plan)).filteredOn(c -> c.action() == Action.REPLACE).singleElement()
        .satisfies(c -> assertThat(c.address()).isEqualTo(SUB + "/tomcat"));
    assertThat(outcomes).noneMatch(o -> o.status() == Outcome.Status.FAILED);
    assertThat(identity(lab.observe(), SUB).sha256()).isEqualTo(sha256(sub));
  }

  @Test
  void aChainFromAnotherCaIsAManualStepNamingTheProblem() throws IOException {
    apply(PlanFixture.plan(certificate("single-node", "[" + PUB + "]"), lab.observe()));
    CertificateAuthority stranger = CertificateAuthority.create("CN=Stranger CA", KeyPairs.rsa(2048),
        PlanFixture.NOW.minus(Duration.ofDays(10)), PlanFixture.NOW.plus(Duration.ofDays(3650)), null);
    Csr csr = Csr.parse(Files.readString(desired().resolve(PUB_TOMCAT)));
    commit(PUB, Pem.encode(stranger.issue(csr, PlanFixture.NOW.minus(Duration.ofDays(1)), PlanFixture.NOW.plus(Duration.ofDays(365)),
        ServiceUsage.of(Service.TOMCAT))));

    Plan plan = PlanFixture.plan(PlanFixture.desired(desired()), lab.observe());

    assertThat(plan.changes()).singleElement().satisfies(c -> {
      assertThat(c.action()).isEqualTo(Action.MANUAL);
      assertThat(c.reason()).startsWith(PUB_SIGNED + " cannot be installed: it does not chain to a CA of "
          + "spec.issuer.caCertificates (");
    });
  }

  @Test
  void aChainExpiredAtTheClockIsAManualStep() throws IOException {
    apply(PlanFixture.plan(certificate("single-node", "[" + PUB + "]"), lab.observe()));
    Csr csr = Csr.parse(Files.readString(desired().resolve(PUB_TOMCAT)));
    commit(PUB, Pem.encode(issuing.issue(csr, PlanFixture.NOW.minus(Duration.ofDays(30)), PlanFixture.NOW.minus(Duration.ofDays(1)),
        ServiceUsage.of(Service.TOMCAT))));

    Plan plan = PlanFixture.plan(PlanFixture.desired(desired()), lab.observe());

    assertThat(plan.changes()).singleElement().satisfies(c -> {
      assertThat(c.action()).isEqualTo(Action.MANUAL);
      assertThat(c.reason()).contains("it does not chain to a CA of spec.issuer.caCertificates (expired");
    });
  }

  @Test
  void aSignedFileThatIsNoCertificateOrHasNoPendingCsrIsAManualStep() throws IOException {
    certificate("single-node", "[" + PUB + ", " + SUB + "]");
    commit(PUB, "not a certificate\n");
    commit(SUB, Pem.encode(issuing.certificate()));
    Files.createDirectories(desired().resolve("offline-ca/pending"));
    Files.writeString(desired().resolve(PUB_TOMCAT), "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n");

    Plan plan = PlanFixture.plan(PlanFixture.desired(desired()), lab.observe());

    assertThat(plan.changes()).extracting(Change::action).containsOnly(Action.MANUAL);
    assertThat(plan.changes()).extracting(Change::reason).containsExactlyInAnyOrder(
        PUB_SIGNED + " cannot be installed: it holds no certificate",
        "offline-ca/signed/" + SUB + "-tomcat.pem cannot be installed: there is no pending CSR offline-ca/pending/" + SUB
            + "-tomcat.csr to check it against; delete it, and uctrust writes a new CSR");
  }

  @Test
  void identityFilesAreNotTakenForPhonesAndPhoneFilesNotForIdentities() throws IOException {
    certificate("single-node", "[" + PUB + "]");
    commit(PUB, Pem.encode(issuing.certificate()));
    PlanFixture.write(desired().resolve("offline-ca/signed"), "SEP001122334455.pem", Pem.encode(root.certificate()));
    PlanFixture.write(desired().resolve("offline-ca/signed"), "unknown.example.com-tomcat.pem", Pem.encode(root.certificate()));
    PlanFixture.write(desired().resolve("offline-ca/pending"), PUB + "-tomcat.csr", "csr");
    PlanFixture.write(desired().resolve("offline-ca/pending"), "SEP001122334455.csr", "csr");

    ResolvedDesired desired = PlanFixture.desired(desired());

    assertThat(desired.signedIdentities()).containsOnlyKeys(PUB + "-tomcat");
    assertThat(desired.signedLscs()).containsOnlyKeys("SEP001122334455", "unknown.example.com-tomcat");
    assertThat(desired.pendingIdentities()).containsOnlyKeys(PUB + "-tomcat");
  }
}
