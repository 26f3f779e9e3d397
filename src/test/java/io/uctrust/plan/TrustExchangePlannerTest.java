package io.uctrust.plan;

import static io.uctrust.plan.PlanFixture.CALLMANAGER;
import static io.uctrust.plan.PlanFixture.IMP;
import static io.uctrust.plan.PlanFixture.IMS;
import static io.uctrust.plan.PlanFixture.NOW;
import static io.uctrust.plan.PlanFixture.PUB;
import static io.uctrust.plan.PlanFixture.SIP_PROXY;
import static io.uctrust.plan.PlanFixture.SUB;
import static io.uctrust.plan.PlanFixture.addTrust;
import static io.uctrust.plan.PlanFixture.applyAll;
import static io.uctrust.plan.PlanFixture.at;
import static io.uctrust.plan.PlanFixture.node;
import static io.uctrust.plan.PlanFixture.restarts;
import static org.assertj.core.api.Assertions.assertThat;

import io.uctrust.apply.Applier;
import io.uctrust.apply.Journal;
import io.uctrust.apply.Outcome;
import io.uctrust.cluster.Operation;
import io.uctrust.desired.ResolvedDesired;
import io.uctrust.desired.TrustStoreSpec.Store;
import io.uctrust.issuance.IdentitySigners;
import io.uctrust.observed.ObservedCluster;
import io.uctrust.observed.Snapshots;
import io.uctrust.pki.CaKeyStore;
import io.uctrust.pki.CertificateAuthority;
import io.uctrust.pki.KeyPairs;
import io.uctrust.pki.Pem;
import io.uctrust.pki.TestCertificates;
import io.uctrust.target.lab.LabCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Unified CM / IM and Presence certificate exchange derived from the observed identities: what a peer lacks is
 * uploaded with the restart the guide names, CA-signed identities are trusted through their CA chain, replaced
 * identities are exchanged by the next reconcile, and a converged cluster gets nothing.
 */
class TrustExchangePlannerTest {
  @TempDir Path temp;

  private static final String REASON_TAIL = " (" + TrustExchangePlanner.SEED + ")";

  private Path desiredDir() {
    return temp.resolve("desired");
  }

  private ResolvedDesired desired(String clusterExtra) throws IOException {
    PlanFixture.cluster(desiredDir(), clusterExtra);
    return PlanFixture.desired(desiredDir());
  }

  private LabCluster lab(Consumer<ObjectNode> edit) {
    return PlanFixture.lab(temp.resolve("lab"), edit);
  }

  private static List<Change> derived(Plan plan) {
    return plan.changes().stream().filter(c -> c.reason().startsWith("derived: ")
        && c.reason().endsWith(REASON_TAIL)).toList();
  }

  private static String identityPem(ObjectNode state, String node, String service) {
    return node(state, node).get("identities").get(service).get("pem").asString();
  }

  /** Removes {@code pem} from {@code store} on {@code node} in a lab state. */
  private static void removeTrust(ObjectNode state, String node, String store, String pem) {
    ArrayNode entries = (ArrayNode) node(state, node).get("trust").get(store);
    for (int i = entries.size() - 1; i >= 0; i--) {
      if (entries.get(i).get("pem").asString().equals(pem)) {
        entries.remove(i);
      }
    }
  }

  private static String pem(TestCertificates.Spec spec) {
    return Pem.encode(TestCertificates.create(spec));
  }

  private static ObservedCluster.Node observed(ObservedCluster observed, String name) {
    return observed.nodes().stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void aFreshlyInstalledClusterHasTheExchangeInPlaceAndGetsNoDerivedChanges() throws IOException {
    LabCluster lab = lab(state -> { });

    Plan plan = PlanFixture.plan(desired(""), lab.observe());

    assertThat(plan.changes()).isEmpty();
  }

  @Test
  void aCupCertificateMissingFromCallManagerTrustIsUploadedWithACallManagerRestart() throws IOException {
    String[] cup = new String[1];
    LabCluster lab = lab(state -> {
      cup[0] = identityPem(state, IMP, "cup");
      removeTrust(state, PUB, "CallManager-trust", cup[0]);
    });

    Plan plan = PlanFixture.plan(desired(""), lab.observe());

    ObservedCluster.Certificate c = Snapshots.certificate(cup[0]);
    Change upload = plan.changes().get(0);
    assertThat(upload.withId(0)).isEqualTo(new Change(0, Phase.TRUST, Action.CREATE, "trust-certificate",
        PUB + "/CallManager-trust/" + IMP, "", TrustPlanner.describe(c),
        "derived: cup of " + IMP + " must be trusted by CallManager-trust on " + PUB + REASON_TAIL, "",
        Impact.restarting(List.of(at(CALLMANAGER, PUB))), List.of(),
        List.of(new Operation.UploadTrust(PUB, Store.CALLMANAGER_TRUST, c.pem(), "cup of " + IMP))));
    assertThat(derived(plan)).containsExactly(upload);
    assertThat(restarts(plan)).containsExactly(at(CALLMANAGER, PUB));
    assertThat(plan.changes()).hasSize(2);
  }

  @Test
  void aCallManagerCertificateMissingFromCupTrustIsUploadedWithASipProxyRestart() throws IOException {
    String[] callManager = new String[1];
    LabCluster lab = lab(state -> {
      callManager[0] = identityPem(state, SUB, "CallManager-ECDSA");
      removeTrust(state, IMS, "cup-trust", callManager[0]);
    });

    Plan plan = PlanFixture.plan(desired(""), lab.observe());

    assertThat(derived(plan)).singleElement().satisfies(c -> {
      assertThat(c.address()).isEqualTo(IMS + "/cup-trust/" + SUB);
      assertThat(c.reason()).isEqualTo("derived: CallManager-ECDSA of " + SUB + " must be trusted by cup-trust on "
          + IMS + REASON_TAIL);
      assertThat(c.impact().restarts()).containsExactly(at(SIP_PROXY, IMS));
      assertThat(c.operations()).containsExactly(new Operation.UploadTrust(IMS, Store.CUP_TRUST, callManager[0],
          "CallManager-ECDSA of " + SUB));
    });
    assertThat(restarts(plan)).containsExactly(at(SIP_PROXY, IMS));
  }

  @Test
  void aCaSignedCupIsTrustedThroughItsCaChainNotTheLeaf() throws IOException {
    java.time.Instant from = NOW.minus(Duration.ofDays(30));
    java.time.Instant to = NOW.plus(Duration.ofDays(365));
    String root = PlanFixture.caPem("Corp Root");
    String issuing = pem(new TestCertificates.Spec("CN=Corp Issuing CA", "CN=Corp Root", from, to, true,
        KeyUsage.keyCertSign | KeyUsage.cRLSign));
    String leaf = pem(new TestCertificates.Spec("CN=" + IMP, "CN=Corp Issuing CA", from, to, false,
        KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
    LabCluster lab = lab(state -> {
      ObjectNode cup = (ObjectNode) node(state, IMP).get("identities").get("cup");
      cup.put("pem", leaf);
      cup.put("selfSigned", false);
      addTrust(state, IMP, "cup-trust", issuing, "OTHER");
      addTrust(state, IMP, "cup-trust", root, "OTHER");
    });

    Plan plan = PlanFixture.plan(desired(""), lab.observe());

    assertThat(derived(plan)).extracting(Change::address).containsExactly(
        PUB + "/CallManager-trust/Corp Issuing CA", SUB + "/CallManager-trust/Corp Issuing CA",
        PUB + "/CallManager-trust/Corp Root", SUB + "/CallManager-trust/Corp Root");
    assertThat(derived(plan).get(0).reason()).isEqualTo("derived: cup of " + IMP + " must be trusted by CallManager-trust on "
        + PUB + ": it is CA-signed, so its CA chain (here Corp Issuing CA) rather than the certificate itself" + REASON_TAIL);
    assertThat(derived(plan)).flatExtracting(Change::operations).extracting(op -> ((Operation.UploadTrust) op).pem())
        .containsExactly(issuing, issuing, root, root).doesNotContain(leaf);
    assertThat(derived(plan)).flatExtracting(c -> c.impact().restarts()).containsOnly(at(CALLMANAGER, PUB),
        at(CALLMANAGER, SUB));
  }

  @Test
  void aCaSignedCupWhoseCaIsNotInItsOwnTrustStoreIsANoteNotAGuess() throws IOException {
    String leaf = pem(new TestCertificates.Spec("CN=" + IMS, "CN=Elsewhere CA", NOW.minus(Duration.ofDays(30)),
        NOW.plus(Duration.ofDays(365)), false, KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
    LabCluster lab = lab(state -> {
      ObjectNode cup = (ObjectNode) node(state, IMS).get("identities").get("cup");
      cup.put("pem", leaf);
      cup.put("selfSigned", false);
    });

    Plan plan = PlanFixture.plan(desired(""), lab.observe());

    assertThat(derived(plan)).isEmpty();
    assertThat(plan.notes()).anySatisfy(n -> assertThat(n).startsWith("cup of " + IMS + " is CA-signed by CN=Elsewhere CA, "
        + "which is not in cup-trust on " + IMS));
  }

  @Test
  void theExchangeNeedsBothKindsOfNode() throws IOException {
    LabCluster lab = lab(state -> removeTrust(state, PUB, "CallManager-trust", identityPem(state, IMP, "cup")));
    ObservedCluster full = lab.observe();
    ObservedCluster unifiedCmOnly = new ObservedCluster(full.name(), full.nodes().stream()
        .filter(n -> !n.role().isImAndPresence()).toList(), full.security(), full.enterprise(), full.imAndPresence(),
        full.capf(), full.sipOAuth(), full.monitoring(), full.phones(), full.staleLscs(), full.pendingCsrs(),
        full.fingerprint());

    Plan plan = PlanFixture.plan(desired(""), unifiedCmOnly);

    assertThat(derived(plan)).isEmpty();
  }

  @Test
  void aRegeneratedCupIsExchangedByTheNextReconcileAndPruningKeepsIt() throws IOException {
    PlanFixture.write(desiredDir(), "certificates.yaml", """
        apiVersion: uctrust/v1
        kind: Certificate
        metadata: {name: cup}
        spec:
          service: cup
          nodes: [imp-pub.example.com]
          key: {type: rsa, size: 3072}
          issuer: {type: self-signed}
        ---
        apiVersion: uctrust/v1
        kind: TrustStore
        metadata: {name: callmanager-trust}
        spec:
          store: CallManager-trust
          certificates: [{file: certs/root.pem}]
          prune: true
        """);
    PlanFixture.writeCa(desiredDir(), "certs/root.pem", "Corp Root");
    ResolvedDesired desired = desired("imAndPresence: {sipTrunkSecurityProfile: IMP Trunk Profile}");
    LabCluster lab = lab(state -> { });

    Plan first = PlanFixture.plan(desired, lab.observe());

    assertThat(derived(first)).isEmpty();
    assertThat(first.changes()).anySatisfy(c -> assertThat(c.address()).isEqualTo(IMP + "/cup"));
    assertThat(first.notes()).contains("cup of " + IMP + " is regenerated by this plan; the next reconcile puts the new "
        + "certificate into CallManager-trust on " + PUB + ", " + SUB + REASON_TAIL);
    applyAll(lab, first);

    ObservedCluster renewed = lab.observe();
    String newCup = observed(renewed, IMP).identities().stream().filter(i -> i.service().yaml().equals("cup"))
        .findFirst().orElseThrow().certificate().pem();
    Plan second = PlanFixture.plan(desired, renewed);

    assertThat(second.changes()).extracting(Change::address).containsExactly(PUB + "/CallManager-trust/" + IMP,
        SUB + "/CallManager-trust/" + IMP, "Cisco CallManager@" + PUB, "Cisco CallManager@" + SUB);
    assertThat(derived(second)).flatExtracting(Change::operations).containsExactly(
        new Operation.UploadTrust(PUB, Store.CALLMANAGER_TRUST, newCup, "cup of " + IMP),
        new Operation.UploadTrust(SUB, Store.CALLMANAGER_TRUST, newCup, "cup of " + IMP));
    assertThat(second.notes()).anySatisfy(n -> assertThat(n).startsWith("SIP Trunk Security Profile 'IMP Trunk Profile' "
        + "(Cisco Unified CM Administration > System > Security > SIP Trunk Security Profile): X.509 Subject Name must be '"
        + IMP + ", " + IMS + "'"));
    applyAll(lab, second);

    // the uploads are uctrust's and CallManager-trust prunes, yet the exchange keeps them
    Plan third = PlanFixture.plan(desired, lab.observe());
    assertThat(third.changes()).isEmpty();
  }

  @Test
  void aCupIssuedByACaInThisPlanHasItsCaTrustedByUnifiedCmBeforeItIsInstalled() throws IOException {
    CertificateAuthority root = CertificateAuthority.create("CN=Corp Root,O=Example", KeyPairs.rsa(2048),
        NOW.minus(Duration.ofDays(10)), NOW.plus(Duration.ofDays(3650)), null);
    Files.createDirectories(temp.resolve("ca"));
    Files.createDirectories(desiredDir().resolve("certs"));
    // PlanFixture.SECRETS resolves env:CA_PASSWORD to "fixed-secret-11"
    CaKeyStore.save(temp.resolve("ca/root.p12"), root, "fixed-secret-11".toCharArray());
    PlanFixture.write(desiredDir(), "certs/root.pem", Pem.encode(root.certificate()));
    PlanFixture.write(desiredDir(), "certificates.yaml", """
        apiVersion: uctrust/v1
        kind: Certificate
        metadata: {name: cup}
        spec:
          service: cup
          nodes: [imp-pub.example.com]
          key: {type: rsa, size: 2048}
          issuer:
            type: ca
            keystore: %s
            keystorePassword: env:CA_PASSWORD
            caCertificates: certs/root.pem
        """.formatted(temp.resolve("ca/root.p12")));
    ResolvedDesired desired = desired("");
    LabCluster lab = lab(state -> { });

    Plan plan = PlanFixture.plan(desired, lab.observe());

    assertThat(derived(plan)).extracting(Change::address).containsExactly(PUB + "/CallManager-trust/Corp Root",
        SUB + "/CallManager-trust/Corp Root");
    assertThat(derived(plan).get(0).reason()).isEqualTo("derived: cup of " + IMP + " must be trusted by CallManager-trust "
        + "on " + PUB + ": the CA of Certificate/cup, which issues it in this plan" + REASON_TAIL);
    List<Outcome> outcomes = new Applier(lab, PlanFixture.SECRETS, new Journal(temp.resolve("journal")), line -> { })
        .signingWith(new IdentitySigners(PlanFixture.CLOCK, temp.resolve("state"))).apply(plan, Set.of());
    assertThat(outcomes).allSatisfy(o -> assertThat(o.status()).as(o.detail()).isEqualTo(Outcome.Status.SUCCEEDED));

    Plan again = PlanFixture.plan(desired, lab.observe());

    // the exchange is in place; what remains is the old self-signed cup in cup-trust, which the cleanup removes
    assertThat(derived(again)).isEmpty();
    assertThat(again.changes()).filteredOn(c -> c.phase() != Phase.RESTART).extracting(Change::address)
        .containsExactly(IMP + "/cup-trust/" + IMP, IMS + "/cup-trust/" + IMP);
  }
}
