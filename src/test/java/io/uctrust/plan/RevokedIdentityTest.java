package io.uctrust.plan;

import static io.uctrust.plan.PlanFixture.PUB;
import static io.uctrust.plan.PlanFixture.SUB;
import static org.assertj.core.api.Assertions.assertThat;

import io.uctrust.apply.Applier;
import io.uctrust.apply.Journal;
import io.uctrust.apply.Outcome;
import io.uctrust.desired.ResolvedDesired;
import io.uctrust.issuance.IdentitySigners;
import io.uctrust.observed.ObservedCluster;
import io.uctrust.pki.CaKeyStore;
import io.uctrust.pki.CertificateAuthority;
import io.uctrust.pki.KeyPairs;
import io.uctrust.pki.Pem;
import io.uctrust.pki.Revocation;
import io.uctrust.pki.RevocationStatus.Reason;
import io.uctrust.target.lab.LabCluster;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Planner#withRevoked}: on the in-process lab, a CA-signed identity an OCSP responder called revoked is issued
 * anew by the next plan, long before it is due, with the revocation as its reason; one not revoked is left alone;
 * a self-signed identity is left alone though listed, since revocation does not apply to it.
 */
class RevokedIdentityTest {
  private static final URI RESPONDER = URI.create("http://ocsp.example.com/");
  private static final Instant REVOKED_AT = PlanFixture.NOW.minus(Duration.ofHours(14));

  @TempDir Path temp;

  @BeforeEach
  void corporateCa() throws IOException {
    CertificateAuthority root = CertificateAuthority.create("CN=Corp Root,O=Example", KeyPairs.rsa(2048),
        PlanFixture.NOW.minus(Duration.ofDays(10)), PlanFixture.NOW.plus(Duration.ofDays(3650)), null);
    CertificateAuthority issuing = root.subordinate("CN=Corp Issuing CA,O=Example", KeyPairs.rsa(2048),
        PlanFixture.NOW.minus(Duration.ofDays(10)), PlanFixture.NOW.plus(Duration.ofDays(1825)), 0);
    Files.createDirectories(temp.resolve("ca"));
    Files.createDirectories(desired().resolve("certs"));
    // PlanFixture.SECRETS resolves env:CA_PASSWORD to "fixed-secret-11"
    CaKeyStore.save(temp.resolve("ca/issuing.p12"), issuing, "fixed-secret-11".toCharArray());
    PlanFixture.write(desired(), "certs/chain.pem", Pem.encode(issuing.certificate()) + Pem.encode(root.certificate()));
    PlanFixture.cluster(desired(), "");
  }

  @Test
  void aRevokedCaSignedIdentityIsIssuedAgainWithTheRevocationAsReasonAndAGoodOneIsNot() throws IOException {
    ResolvedDesired desired = certificate("""
          nodes: [%s, %s]
          issuer: {type: ca, keystore: %s, keystorePassword: env:CA_PASSWORD, caCertificates: certs/chain.pem}
        """.formatted(PUB, SUB, temp.resolve("ca/issuing.p12")));
    LabCluster lab = PlanFixture.lab(temp.resolve("lab"));
    List<Outcome> issued = new Applier(lab, PlanFixture.SECRETS, new Journal(temp.resolve("journal")), line -> { })
        .signingWith(new IdentitySigners(PlanFixture.CLOCK, temp.resolve("state")))
        .apply(PlanFixture.plan(desired, lab.observe()), Set.of());
    assertThat(issued).allSatisfy(o -> assertThat(o.status()).as(o.detail()).isEqualTo(Outcome.Status.SUCCEEDED));
    ObservedCluster observed = lab.observe();
    ObservedCluster.Certificate pub = identity(observed, PUB);
    ObservedCluster.Certificate sub = identity(observed, SUB);
    Revocation revocation = new Revocation(pub.sha256(), REVOKED_AT, Reason.KEY_COMPROMISE, RESPONDER,
        PlanFixture.NOW);

    Plan unrevoked = PlanFixture.plan(desired, observed);
    Plan revoked = new Planner().withRevoked(Map.of(pub.sha256(), revocation))
        .plan(desired, desired.state().clusters().get(0), observed, PlanFixture.CLOCK);

    assertThat(pub.issuer()).isEqualTo("CN=Corp Issuing CA,O=Example");
    assertThat(sub.sha256()).isNotEqualTo(pub.sha256());
    assertThat(unrevoked.changes()).noneMatch(c -> c.phase() == Phase.IDENTITY);
    assertThat(revoked.changes()).filteredOn(c -> c.phase() == Phase.IDENTITY).singleElement().satisfies(c -> {
      assertThat(c.address()).isEqualTo(PUB + "/tomcat");
      assertThat(c.reason()).isEqualTo("revoked (keyCompromise at 2026-11-30T10:00:00Z, OCSP responder "
          + "http://ocsp.example.com/)");
    });
    // the new identity is served and checked like any other
    assertThat(PlanFixture.verifications(revoked)).containsExactly(PUB + "/tomcat");
  }

  @Test
  void aSelfSignedIdentityListedAsRevokedIsLeftAlone() throws IOException {
    ResolvedDesired desired = certificate("""
          nodes: [%s]
          issuer: {type: self-signed}
        """.formatted(PUB));
    ObservedCluster observed = PlanFixture.lab(temp.resolve("lab")).observe();
    ObservedCluster.Certificate pub = identity(observed, PUB);

    Plan unrevoked = PlanFixture.plan(desired, observed);
    Plan revoked = new Planner().withRevoked(Map.of(pub.sha256(), new Revocation(pub.sha256(), REVOKED_AT,
        Reason.KEY_COMPROMISE, RESPONDER, PlanFixture.NOW))).plan(desired, desired.state().clusters().get(0),
        observed, PlanFixture.CLOCK);

    assertThat(observed.nodes().get(0).identities()).anySatisfy(i -> assertThat(i.selfSigned()).isTrue());
    assertThat(revoked.changes()).isEqualTo(unrevoked.changes());
    assertThat(revoked.changes()).noneMatch(c -> c.reason().contains("revoked"));
  }

  private Path desired() {
    return temp.resolve("desired");
  }

  /** A tomcat Certificate document, single-node, RSA 2048, with {@code rest} (nodes and issuer) indented. */
  private ResolvedDesired certificate(String rest) throws IOException {
    PlanFixture.write(desired(), "certificates.yaml", """
        apiVersion: uctrust/v1
        kind: Certificate
        metadata: {name: tomcat}
        spec:
          service: tomcat
          distribution: single-node
          key: {type: rsa, size: 2048}
        """ + rest);
    return PlanFixture.desired(desired());
  }

  private static ObservedCluster.Certificate identity(ObservedCluster observed, String node) {
    return observed.nodes().stream().filter(n -> n.name().equals(node)).findFirst().orElseThrow().identities()
        .stream().filter(i -> i.service().yaml().equals("tomcat")).findFirst().orElseThrow().certificate();
  }
}
