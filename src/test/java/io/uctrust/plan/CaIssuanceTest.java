package io.uctrust.plan;

import static io.uctrust.plan.PlanFixture.IMP;
import static io.uctrust.plan.PlanFixture.IMS;
import static io.uctrust.plan.PlanFixture.PUB;
import static io.uctrust.plan.PlanFixture.SUB;
import static org.assertj.core.api.Assertions.assertThat;

import io.uctrust.apply.Applier;
import io.uctrust.apply.IdentitySigner;
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
import io.uctrust.pki.ServiceUsage;
import io.uctrust.target.lab.LabCluster;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CA-signed identities end to end on the in-process lab: the plan uploads the issuing chain first, the node makes
 * the CSR, the keystore CA signs it with the guide's key usage, the node installs it, the services restart, and the
 * next plan leaves it alone until it is due.
 */
class CaIssuanceTest {
  @TempDir Path temp;
  private CertificateAuthority root;
  private CertificateAuthority issuing;

  @BeforeEach
  void corporateCa() throws IOException {
    root = CertificateAuthority.create("CN=Corp Root,O=Example", KeyPairs.rsa(2048), PlanFixture.NOW.minus(Duration.ofDays(10)),
        PlanFixture.NOW.plus(Duration.ofDays(3650)), null);
    issuing = root.subordinate("CN=Corp Issuing CA,O=Example", KeyPairs.rsa(2048), PlanFixture.NOW.minus(Duration.ofDays(10)),
        PlanFixture.NOW.plus(Duration.ofDays(1825)), 0);
    java.nio.file.Files.createDirectories(temp.resolve("ca"));
    java.nio.file.Files.createDirectories(desired().resolve("certs"));
    // PlanFixture.SECRETS resolves env:CA_PASSWORD to "fixed-secret-11"
    CaKeyStore.save(temp.resolve("ca/issuing.p12"), issuing, "fixed-secret-11".toCharArray());
    PlanFixture.write(desired(), "certs/chain.pem", Pem.encode(issuing.certificate()) + Pem.encode(root.certificate()));
    PlanFixture.cluster(desired(), "");
  }

  private Path desired() {
    return temp.resolve("desired");
  }

  private ResolvedDesired certificate(String service, String distribution, String nodes, String extra) throws IOException {
    PlanFixture.write(desired(), "certificates.yaml", """
        apiVersion: uctrust/v1
        kind: Certificate
        metadata: {name: %1$s}
        spec:
          service: %1$s
          distribution: %2$s
          nodes: %3$s
          subjectAltNames: [uc.example.com]
          key: {type: rsa, size: 2048}
          issuer:
            type: ca
            keystore: %4$s
            keystorePassword: env:CA_PASSWORD
            caCertificates: certs/chain.pem
          renewBefore: 30d
        %5$s""".formatted(service, distribution, nodes, temp.resolve("ca/issuing.p12"), extra));
    return PlanFixture.desired(desired());
  }

  private List<Outcome> apply(LabCluster lab, Plan plan, String journal) throws IOException {
    return apply(lab, plan, journal, new IdentitySigners(PlanFixture.CLOCK, temp.resolve("state")));
  }

  private List<Outcome> apply(LabCluster lab, Plan plan, String journal, IdentitySigner signer) throws IOException {
    return new Applier(lab, PlanFixture.SECRETS, new Journal(temp.resolve("journal-" + journal)), line -> { })
        .signingWith(signer).apply(plan, Set.of());
  }

  /** Signs with the issuing CA and sends the chain without its root, as ACME servers do. */
  private IdentitySigner withoutRoot() {
    return (request, csr, secrets) -> new IdentitySigner.Signed(List.of(issuing.issue(csr,
        PlanFixture.NOW.minus(Duration.ofDays(1)), PlanFixture.NOW.plus(Duration.ofDays(90)),
        ServiceUsage.of(request.service())), issuing.certificate()), "");
  }

  private static ObservedCluster.Certificate identity(ObservedCluster observed, String node, String service) {
    return observed.nodes().stream().filter(n -> n.name().equals(node)).findFirst().orElseThrow()
        .identities().stream().filter(i -> i.service().yaml().equals(service)).findFirst().orElseThrow().certificate();
  }

  @Test
  void aMultiServerTomcatIdentityIsIssuedAfterItsChainIsTrustedAndDistributedToEveryNode() throws IOException {
    ResolvedDesired desired = certificate("tomcat", "multi-server", "[" + PUB + ", " + SUB + "]", "");
    LabCluster lab = PlanFixture.lab(temp.resolve("lab"));

    Plan plan = PlanFixture.plan(desired, lab.observe());

    List<Change> trust = plan.changes().stream().filter(c -> c.phase() == Phase.TRUST).toList();
    assertThat(trust).extracting(Change::address).contains(PUB + "/tomcat-trust/Corp Issuing CA",
        PUB + "/tomcat-trust/Corp Root", SUB + "/tomcat-trust/Corp Root", IMP + "/tomcat-trust/Corp Root");
    assertThat(trust).allSatisfy(c -> assertThat(c.reason()).startsWith("derived from Certificate/tomcat"));
    Change identity = plan.changes().stream().filter(c -> c.phase() == Phase.IDENTITY).collect(java.util.stream.Collectors
        .collectingAndThen(java.util.stream.Collectors.toList(), l -> { assertThat(l).hasSize(1); return l.get(0); }));
    assertThat(identity.address()).isEqualTo(PUB + "/tomcat");
    assertThat(identity.reason()).contains("it is self-signed, the desired issuer is ca");
    assertThat(identity.after()).contains("distributed to " + SUB);
    assertThat(identity.operations()).singleElement().isInstanceOfSatisfying(Operation.IssueIdentity.class,
        op -> assertThat(op.distributeTo()).containsExactly(SUB));
    assertThat(plan.changes().indexOf(identity)).isGreaterThan(plan.changes().indexOf(trust.get(trust.size() - 1)));
    assertThat(PlanFixture.restarts(plan)).contains(PlanFixture.at(PlanFixture.TOMCAT, PUB),
        PlanFixture.at(PlanFixture.TOMCAT, SUB));
    // every node of the group is checked to serve it
    assertThat(PlanFixture.verifications(plan)).containsExactly(PUB + "/tomcat", SUB + "/tomcat");

    List<Outcome> outcomes = apply(lab, plan, "1");

    assertThat(outcomes).allSatisfy(o -> assertThat(o.status()).as(o.detail()).isEqualTo(Outcome.Status.SUCCEEDED));
    ObservedCluster after = lab.observe();
    ObservedCluster.Certificate pub = identity(after, PUB, "tomcat");
    assertThat(plan.changes()).filteredOn(c -> c.phase() == Phase.VERIFY).allSatisfy(check -> assertThat(outcomes)
        .filteredOn(o -> o.change() == check.id()).singleElement().satisfies(o -> assertThat(o.detail())
            .startsWith("serves the new certificate CN " + PUB + " (sha256 " + pub.sha256().substring(0, 16) + ", chain of 3)")));
    assertThat(identity(after, SUB, "tomcat").sha256()).isEqualTo(pub.sha256());
    assertThat(pub.issuer()).isEqualTo(issuing.certificate().getSubjectX500Principal().getName());
    assertThat(pub.dnsNames()).containsExactly(PUB, SUB, "uc.example.com");
    assertThat(pub.notAfter()).isEqualTo(PlanFixture.NOW.plus(Duration.ofDays(IdentitySigners.DEFAULT_VALIDITY_DAYS)));

    Plan again = PlanFixture.plan(desired, after);
    // what is left: the old self-signed tomcat certificates of both nodes in every tomcat-trust, which go now that
    // the chain of the CA-signed one is trusted everywhere
    assertThat(PlanFixture.withoutRestarts(again)).extracting(Change::address).containsExactlyInAnyOrder(
        PUB + "/tomcat-trust/" + PUB, SUB + "/tomcat-trust/" + PUB, IMP + "/tomcat-trust/" + PUB, IMS + "/tomcat-trust/" + PUB,
        PUB + "/tomcat-trust/" + SUB, SUB + "/tomcat-trust/" + SUB, IMP + "/tomcat-trust/" + SUB, IMS + "/tomcat-trust/" + SUB);
    assertThat(again.notes()).anySatisfy(n -> assertThat(n).startsWith("Certificate/tomcat: tomcat renews next on 2027-11-01 (" + PUB));
    PlanFixture.applyAll(lab, again);
    assertThat(PlanFixture.plan(desired, lab.observe()).changes()).isEmpty();
  }

  @Test
  void anIdentityDueForRenewalIsIssuedAgainWhenItsTimeComes() throws IOException {
    ResolvedDesired desired = certificate("cup-xmpp", "single-node", "[" + IMP + "]", "");
    LabCluster lab = PlanFixture.lab(temp.resolve("lab"));
    apply(lab, PlanFixture.plan(desired, lab.observe()), "1");
    ObservedCluster.Certificate first = identity(lab.observe(), IMP, "cup-xmpp");

    java.time.Clock late = java.time.Clock.fixed(PlanFixture.NOW.plus(Duration.ofDays(340)), java.time.ZoneOffset.UTC);
    Plan renewal = PlanFixture.plan(desired, lab.observe(), late);

    assertThat(renewal.changes()).filteredOn(c -> c.phase() == Phase.IDENTITY).singleElement()
        .satisfies(c -> assertThat(c.reason()).startsWith("due for renewal since 2027-11-01"));
    assertThat(PlanFixture.restarts(renewal)).contains(PlanFixture.at(PlanFixture.XCP_ROUTER, IMP),
        PlanFixture.at(PlanFixture.XCP_ROUTER, IMS));
    assertThat(first.commonName()).isEqualTo(IMP);
    assertThat(lab.observe().nodes()).filteredOn(n -> n.name().equals(IMP)).singleElement()
        .satisfies(n -> assertThat(n.trust()).anySatisfy(t -> {
          assertThat(t.store()).isEqualTo(Store.CUP_XMPP_TRUST);
          assertThat(t.certificate().commonName()).isEqualTo("Corp Issuing CA");
        }));
  }

  @Test
  void aWrongKeystorePasswordFailsTheIdentityWithoutItsValueAndLeavesTheNodesCertificate() throws IOException {
    CaKeyStore.save(temp.resolve("ca/issuing.p12"), issuing, "another-password".toCharArray());
    ResolvedDesired desired = certificate("tomcat", "single-node", "[" + PUB + "]", "");
    LabCluster lab = PlanFixture.lab(temp.resolve("lab"));
    ObservedCluster.Certificate before = identity(lab.observe(), PUB, "tomcat");
    Plan plan = PlanFixture.plan(desired, lab.observe());

    List<Outcome> outcomes = apply(lab, plan, "1");

    Change identity = plan.changes().stream().filter(c -> c.phase() == Phase.IDENTITY).findFirst().orElseThrow();
    Outcome failed = outcomes.stream().filter(o -> o.change() == identity.id()).findFirst().orElseThrow();
    assertThat(failed.status()).isEqualTo(Outcome.Status.FAILED);
    assertThat(failed.detail()).contains("env:CA_PASSWORD does not open the CA keystore").doesNotContain("fixed-secret");
    assertThat(identity(lab.observe(), PUB, "tomcat")).isEqualTo(before);
    Change check = plan.changes().stream().filter(c -> c.phase() == Phase.VERIFY).findFirst().orElseThrow();
    assertThat(outcomes).filteredOn(o -> o.change() == check.id()).singleElement().satisfies(o -> {
      assertThat(o.status()).isEqualTo(Outcome.Status.SKIPPED);
      assertThat(o.detail()).isEqualTo("nothing new to check: change #" + identity.id() + " did not succeed");
    });
  }

  @Test
  void aChainSentWithoutItsRootIsCompletedFromTheTrustStoreTheDocumentFilled() throws IOException {
    ResolvedDesired desired = certificate("tomcat", "multi-server", "[" + PUB + ", " + SUB + "]", "");
    LabCluster lab = PlanFixture.lab(temp.resolve("lab"));

    List<Outcome> outcomes = apply(lab, PlanFixture.plan(desired, lab.observe()), "1", withoutRoot());

    assertThat(outcomes).allSatisfy(o -> assertThat(o.status()).as(o.detail()).isEqualTo(Outcome.Status.SUCCEEDED));
    ObservedCluster after = lab.observe();
    assertThat(identity(after, PUB, "tomcat").issuer()).isEqualTo(issuing.certificate().getSubjectX500Principal().getName());
    assertThat(identity(after, SUB, "tomcat").sha256()).isEqualTo(identity(after, PUB, "tomcat").sha256());
  }

  @Test
  void aChainWhoseRootIsNowhereFailsTheIdentityNamingCaCertificates() throws IOException {
    // the document names only the issuing CA, and the signer sends no root either
    PlanFixture.write(desired(), "certs/chain.pem", Pem.encode(issuing.certificate()));
    ResolvedDesired desired = certificate("tomcat", "single-node", "[" + PUB + "]", "");
    LabCluster lab = PlanFixture.lab(temp.resolve("lab"));
    ObservedCluster.Certificate before = identity(lab.observe(), PUB, "tomcat");
    Plan plan = PlanFixture.plan(desired, lab.observe());

    List<Outcome> outcomes = apply(lab, plan, "1", withoutRoot());

    Change identity = plan.changes().stream().filter(c -> c.phase() == Phase.IDENTITY).findFirst().orElseThrow();
    assertThat(outcomes).filteredOn(o -> o.change() == identity.id()).singleElement().satisfies(o -> {
      assertThat(o.status()).isEqualTo(Outcome.Status.FAILED);
      assertThat(o.detail()).isEqualTo("the chain from the issuer of Certificate/tomcat ends at CN=Corp Issuing CA,O=Example, "
          + "whose issuer CN=Corp Root,O=Example is not in tomcat-trust on " + PUB
          + ": name the root CA in spec.issuer.caCertificates");
    });
    assertThat(identity(lab.observe(), PUB, "tomcat")).isEqualTo(before);
  }

  @Test
  void aDocumentNamingOnlyTheRootKeepsAnIdentityFromAnIntermediateUnderIt() throws IOException {
    // as for an ACME server, whose intermediates change: the issuing CA reaches the trust store with the chain
    PlanFixture.write(desired(), "certs/chain.pem", Pem.encode(root.certificate()));
    ResolvedDesired desired = certificate("tomcat", "single-node", "[" + PUB + "]", "");
    LabCluster lab = PlanFixture.lab(temp.resolve("lab"));

    List<Outcome> outcomes = apply(lab, PlanFixture.plan(desired, lab.observe()), "1");
    Plan again = PlanFixture.plan(desired, lab.observe());

    assertThat(outcomes).allSatisfy(o -> assertThat(o.status()).as(o.detail()).isEqualTo(Outcome.Status.SUCCEEDED));
    assertThat(identity(lab.observe(), PUB, "tomcat").issuer())
        .isEqualTo(issuing.certificate().getSubjectX500Principal().getName());
    // only the publisher's tomcat-trust holds the whole chain, so only there the old self-signed tomcat goes
    assertThat(PlanFixture.withoutRestarts(again)).extracting(Change::address)
        .containsExactly(PUB + "/tomcat-trust/" + PUB);
  }
}
