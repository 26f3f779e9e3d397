package io.uctrust.plan;

import static io.uctrust.plan.PlanFixture.PUB;
import static io.uctrust.plan.PlanFixture.SUB;
import static org.assertj.core.api.Assertions.assertThat;

import io.uctrust.apply.Applier;
import io.uctrust.apply.Journal;
import io.uctrust.apply.Outcome;
import io.uctrust.cluster.Operation;
import io.uctrust.desired.CertificateSpec.Service;
import io.uctrust.desired.ResolvedDesired;
import io.uctrust.observed.ObservedCluster;
import io.uctrust.target.lab.LabCluster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After the restarts the applier checks over TLS that each node serves its new identity; a node that does not fails
 * its check, and its remaining changes (and phone changes, for identities phones talk to) are skipped.
 */
class ServedIdentityApplyTest {
  @TempDir Path temp;

  private ResolvedDesired desired() throws Exception {
    Path dir = temp.resolve("desired");
    PlanFixture.cluster(dir, "");
    PlanFixture.write(dir, "certificates.yaml", """
        apiVersion: uctrust/v1
        kind: Certificate
        metadata: {name: tomcat}
        spec:
          service: tomcat
          nodes: [cucm-pub.example.com]
          subjectAltNames: [uc.example.com]
          issuer: {type: self-signed}
        ---
        apiVersion: uctrust/v1
        kind: Certificate
        metadata: {name: callmanager}
        spec:
          service: CallManager
          nodes: [cucm-pub.example.com, cucm-sub1.example.com]
          subjectAltNames: [cm.example.com]
          issuer: {type: self-signed}
        """);
    return PlanFixture.desired(dir);
  }

  private List<Outcome> apply(LabCluster lab, Plan plan) throws IOException {
    return new Applier(lab, PlanFixture.SECRETS, new Journal(temp.resolve("journal")), line -> { }).apply(plan, Set.of());
  }

  private static Outcome outcome(List<Outcome> outcomes, Plan plan, Phase phase, String address) {
    int id = plan.changes().stream().filter(c -> c.phase() == phase && c.address().equals(address)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + phase + " " + address)).id();
    return outcomes.stream().filter(o -> o.change() == id).findFirst().orElseThrow();
  }

  /** {@code plan} with a change after its checks on each of {@code nodes}, as a later node-bound step. */
  private static Plan withLaterChanges(Plan plan, String... nodes) {
    List<Change> changes = new ArrayList<>(plan.changes());
    for (String node : nodes) {
      changes.add(new Change(changes.size() + 1, Phase.PHONES, Action.UPDATE, "sip-oauth-ports", node, "5090/5091",
          "5190/5191", "test", "", Impact.NONE, List.of(), List.of(new Operation.SetSipOAuthPorts(node, 5190, 5191))));
    }
    return new Plan(plan.format(), plan.cluster(), plan.target(), plan.createdAt(), plan.desiredFingerprint(),
        plan.observedFingerprint(), changes, plan.notes());
  }

  @Test
  void eachNodeIsCheckedToServeItsRegeneratedIdentitiesAfterItsRestarts() throws Exception {
    LabCluster lab = PlanFixture.lab(temp.resolve("lab"));
    Plan plan = PlanFixture.plan(desired(), lab.observe());
    assertThat(PlanFixture.verifications(plan)).containsExactly(PUB + "/tomcat", PUB + "/CallManager",
        SUB + "/CallManager");

    List<Outcome> outcomes = apply(lab, plan);

    assertThat(outcomes).allSatisfy(o -> assertThat(o.status()).as(o.detail()).isEqualTo(Outcome.Status.SUCCEEDED));
    ObservedCluster after = lab.observe();
    String sha256 = after.nodes().get(0).identities().stream().filter(i -> i.service() == Service.CALLMANAGER)
        .findFirst().orElseThrow().certificate().sha256();
    assertThat(outcome(outcomes, plan, Phase.VERIFY, PUB + "/CallManager").detail())
        .isEqualTo("serves the new certificate CN " + PUB + " (sha256 " + sha256.substring(0, 16) + ") on " + PUB + ":5061 (CallManager)");
  }

  @Test
  void aNodeStillServingItsOldCertificateFailsItsCheckAndOnlyThatNodesLaterChangesAreSkipped() throws Exception {
    LabCluster lab = PlanFixture.lab(temp.resolve("lab"));
    String old = io.uctrust.pki.CertificateFacts.of(lab.identity(PUB, Service.TOMCAT)).sha256();
    // Cisco Tomcat on the publisher does not pick up its new certificate when it restarts
    lab.staleTls(PUB, Service.TOMCAT);
    Plan plan = withLaterChanges(PlanFixture.plan(desired(), lab.observe()), PUB, SUB);

    List<Outcome> outcomes = apply(lab, plan);

    Outcome failed = outcome(outcomes, plan, Phase.VERIFY, PUB + "/tomcat");
    String now = io.uctrust.pki.CertificateFacts.of(lab.identity(PUB, Service.TOMCAT)).sha256();
    assertThat(failed.status()).isEqualTo(Outcome.Status.FAILED);
    assertThat(failed.detail()).isEqualTo(PUB + ":8443 (tomcat) serves CN " + PUB + " (sha256 " + old.substring(0, 16)
        + "), not the expected certificate (sha256 " + now.substring(0, 16) + ", in the identity store); the identity "
        + "store holds the expected one, so the service has not picked it up: restart it and reconcile again");
    // its other checks still run: they change nothing and tell what else the node serves
    assertThat(outcome(outcomes, plan, Phase.VERIFY, PUB + "/CallManager").status()).isEqualTo(Outcome.Status.SUCCEEDED);
    assertThat(outcome(outcomes, plan, Phase.VERIFY, SUB + "/CallManager").status()).isEqualTo(Outcome.Status.SUCCEEDED);
    Outcome skipped = outcome(outcomes, plan, Phase.PHONES, PUB);
    assertThat(skipped.status()).isEqualTo(Outcome.Status.SKIPPED);
    assertThat(skipped.detail()).isEqualTo(PUB + " does not serve its new certificate (change #" + failed.change() + ")");
    assertThat(outcome(outcomes, plan, Phase.PHONES, SUB).status()).isEqualTo(Outcome.Status.SUCCEEDED);
  }

  @Test
  void phoneChangesWaitForTheCallManagerIdentityPhonesTalkTo() throws Exception {
    Path dir = temp.resolve("desired");
    desired();
    PlanFixture.write(dir, "phones.yaml", """
        apiVersion: uctrust/v1
        kind: PhoneCertificatePolicy
        metadata: {name: policy}
        spec:
          selector: {lsc: {missing: true}}
          operation: install-upgrade
          authentication: {mode: null-string}
        """);
    LabCluster lab = PlanFixture.lab(temp.resolve("lab"));
    lab.staleTls(SUB, Service.CALLMANAGER);
    Plan plan = PlanFixture.plan(PlanFixture.desired(dir), lab.observe());
    List<Change> phones = plan.changes().stream().filter(c -> c.phase() == Phase.PHONES).toList();
    assertThat(phones).isNotEmpty();

    List<Outcome> outcomes = apply(lab, plan);

    int check = plan.changes().stream().filter(c -> c.address().equals(SUB + "/CallManager") && c.phase() == Phase.VERIFY)
        .findFirst().orElseThrow().id();
    assertThat(outcomes).filteredOn(o -> phones.stream().anyMatch(c -> c.id() == o.change())).allSatisfy(o -> {
      assertThat(o.status()).isEqualTo(Outcome.Status.SKIPPED);
      assertThat(o.detail()).isEqualTo(SUB + " does not serve its new certificate (change #" + check + ")");
    });
  }
}
