package io.uctrust.plan;

import static io.uctrust.plan.PlanFixture.CALLMANAGER;
import static io.uctrust.plan.PlanFixture.CAPF;
import static io.uctrust.plan.PlanFixture.ENROLLMENT;
import static io.uctrust.plan.PlanFixture.FEDERATION;
import static io.uctrust.plan.PlanFixture.IMP;
import static io.uctrust.plan.PlanFixture.IMS;
import static io.uctrust.plan.PlanFixture.NODES;
import static io.uctrust.plan.PlanFixture.NOW;
import static io.uctrust.plan.PlanFixture.PRESENCE_ENGINE;
import static io.uctrust.plan.PlanFixture.PUB;
import static io.uctrust.plan.PlanFixture.SIP_PROXY;
import static io.uctrust.plan.PlanFixture.SUB;
import static io.uctrust.plan.PlanFixture.SYNC_AGENT;
import static io.uctrust.plan.PlanFixture.TFTP;
import static io.uctrust.plan.PlanFixture.TOMCAT;
import static io.uctrust.plan.PlanFixture.TVS;
import static io.uctrust.plan.PlanFixture.XCP_ROUTER;
import static io.uctrust.plan.PlanFixture.addTrust;
import static io.uctrust.plan.PlanFixture.applyAll;
import static io.uctrust.plan.PlanFixture.at;
import static io.uctrust.plan.PlanFixture.caPem;
import static io.uctrust.plan.PlanFixture.restarts;
import static io.uctrust.plan.PlanFixture.withoutRestarts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.uctrust.cluster.ClusterException;
import io.uctrust.cluster.Operation;
import io.uctrust.desired.CertificateSpec.Hash;
import io.uctrust.desired.CertificateSpec.KeyType;
import io.uctrust.desired.CertificateSpec.Service;
import io.uctrust.desired.PhoneCertificatePolicySpec.AuthenticationMode;
import io.uctrust.desired.PhoneCertificatePolicySpec.KeyOrder;
import io.uctrust.desired.ResolvedDesired;
import io.uctrust.validate.ValidationOptions;
import io.uctrust.validate.ValidationReport;
import io.uctrust.validate.Validator;
import io.uctrust.desired.SecretRef;
import io.uctrust.desired.SipOAuthSpec;
import io.uctrust.desired.TrustStoreSpec;
import io.uctrust.desired.TrustStoreSpec.Store;
import io.uctrust.observed.ObservedCluster;
import io.uctrust.pki.Pem;
import io.uctrust.observed.Snapshots;
import io.uctrust.target.lab.LabCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every kind of change the planner emits, against a lab seeded once per JVM (four nodes, 1,100 phones):
 * the exact action, resource, address, phase, impact and operations of each, the order of the plan, and
 * that what the desired state does not name is left alone.
 */
class PlannerTest {

  @TempDir Path temp;

  private Path desiredDir() {
    return temp.resolve("desired");
  }

  private LabCluster lab() {
    return PlanFixture.lab(temp.resolve("lab"));
  }

  private LabCluster lab(java.util.function.Consumer<ObjectNode> edit) {
    return PlanFixture.lab(temp.resolve("lab"), edit);
  }

  /** Writes the Cluster document (with {@code clusterExtra} in its spec) and {@code file} holding {@code yaml}. */
  private ResolvedDesired desired(String clusterExtra, String file, String yaml) throws IOException {
    PlanFixture.cluster(desiredDir(), clusterExtra);
    if (file != null) {
      PlanFixture.write(desiredDir(), file, yaml);
    }
    return PlanFixture.desired(desiredDir());
  }

  private String ca(String relative, String cn) throws IOException {
    return PlanFixture.writeCa(desiredDir(), relative, cn);
  }

  private static Change change(Phase phase, Action action, String resource, String address, String before, String after,
      String reason, String source, Impact impact, Operation... operations) {
    return new Change(0, phase, action, resource, address, before, after, reason, source, impact, List.of(),
        List.of(operations));
  }

  /** The changes of {@code plan} (restarts excluded) with ids cleared, for comparison with expected changes. */
  private static List<Change> drafts(Plan plan) {
    return withoutRestarts(plan).stream().map(c -> c.withId(0)).toList();
  }

  private static ObservedCluster.Node observedNode(ObservedCluster observed, String name) {
    return observed.nodes().stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
  }

  private static String describe(String pem) {
    ObservedCluster.Certificate c = Snapshots.certificate(pem);
    return c.subject() + " (sha256 " + c.sha256().substring(0, 16) + ", expires " + c.notAfter().toString().substring(0, 10) + ")";
  }

  private static String sha256(String pem) {
    return Snapshots.certificate(pem).sha256();
  }

  private static void perform(LabCluster lab, Operation... operations) {
    for (Operation operation : operations) {
      try {
        lab.perform(operation, PlanFixture.SECRETS);
      } catch (ClusterException e) {
        throw new AssertionError(e);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------- trust

  static Stream<Arguments> trustStoresAndTheirRestarts() {
    return Stream.of(
        arguments("CallManager-trust", Map.of(PUB, List.of(at(CALLMANAGER, PUB)), SUB, List.of(at(CALLMANAGER, SUB))),
            List.of(at(CALLMANAGER, PUB), at(CALLMANAGER, SUB))),
        arguments("CAPF-trust", Map.of(PUB, List.of(at(CAPF, PUB)), SUB, List.of()), List.of(at(CAPF, PUB))),
        arguments("tomcat-trust", Map.of(PUB, List.of(at(TOMCAT, PUB)), SUB, List.of(at(TOMCAT, SUB)),
                IMP, List.of(at(TOMCAT, IMP), at(SYNC_AGENT, IMP)), IMS, List.of(at(TOMCAT, IMS))),
            List.of(at(TOMCAT, PUB), at(TOMCAT, SUB), at(SYNC_AGENT, IMP), at(TOMCAT, IMP), at(TOMCAT, IMS))),
        arguments("TVS-trust", Map.of(PUB, List.of(at(TVS, PUB)), SUB, List.of(at(TVS, SUB))),
            List.of(at(TVS, PUB), at(TVS, SUB))),
        arguments("Phone-Edge-trust", Map.of(PUB, List.of(), SUB, List.of()), List.of()),
        arguments("ipsec-trust", Map.of(PUB, List.of(), SUB, List.of(), IMP, List.of(), IMS, List.of()), List.of()),
        arguments("cup-trust", Map.of(IMP, List.of(at(SIP_PROXY, IMP)), IMS, List.of(at(SIP_PROXY, IMS))),
            List.of(at(SIP_PROXY, IMP), at(SIP_PROXY, IMS))),
        arguments("cup-xmpp-trust", Map.of(IMP, List.of(at(XCP_ROUTER, IMP), at(SYNC_AGENT, IMP)),
                IMS, List.of(at(XCP_ROUTER, IMS))),
            List.of(at(XCP_ROUTER, IMP), at(SYNC_AGENT, IMP), at(XCP_ROUTER, IMS))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("trustStoresAndTheirRestarts")
  void aListedCertificateMissingOnANodeIsUploadedToEveryNodeHoldingTheStore(String store,
      Map<String, List<String>> restartsByNode, List<String> restartOrder) throws IOException {
    String pem = ca("certs/root.pem", "Corp Root");
    ResolvedDesired desired = desired("", "trust.yaml", """
        apiVersion: uctrust/v1
        kind: TrustStore
        metadata: {name: trust}
        spec:
          store: %s
          certificates:
            - {file: certs/root.pem, description: Corp Root CA}
        """.formatted(store));

    Plan plan = PlanFixture.plan(desired, lab().observe());

    Store parsed = desired.state().trustStores().get(0).spec().store();
    List<Change> expected = new ArrayList<>();
    for (String node : NODES) {
      if (restartsByNode.containsKey(node)) {
        expected.add(change(Phase.TRUST, Action.CREATE, "trust-certificate", node + "/" + store + "/Corp Root", "",
            describe(pem), "listed in TrustStore/trust, missing on the node", "trust.yaml:7",
            new Impact(restartsByNode.get(node), false, 0), new Operation.UploadTrust(node, parsed, pem, "Corp Root CA")));
      }
    }
    assertThat(drafts(plan)).containsExactlyElementsOf(expected);
    assertThat(restarts(plan)).containsExactlyElementsOf(restartOrder);
  }

  @Test
  void aRestartChangeNamesTheChangeThatNeedsItAndRestartsExactlyThatService() throws IOException {
    ca("certs/root.pem", "Corp Root");
    ResolvedDesired desired = desired("", "trust.yaml", """
        apiVersion: uctrust/v1
        kind: TrustStore
        metadata: {name: trust}
        spec:
          store: CAPF-trust
          nodes: [cucm-pub.example.com]
          certificates: [{file: certs/root.pem}]
        """);

    Plan plan = PlanFixture.plan(desired, lab().observe());

    String reason = "needed after trust-certificate cucm-pub.example.com/CAPF-trust/Corp Root";
    assertThat(plan.changes()).hasSize(2);
    assertThat(plan.changes().get(0).operations()).singleElement().isInstanceOfSatisfying(Operation.UploadTrust.class,
        op -> assertThat(op.description()).as("description defaults to the CN").isEqualTo("Corp Root"));
    assertThat(plan.changes().get(1)).isEqualTo(new Change(2, Phase.RESTART, Action.RESTART, "service", at(CAPF, PUB), "", "",
        reason, "", Impact.NONE, List.of(), List.of(new Operation.RestartService(PUB, CAPF, reason))));
  }

  @Test
  void aCertificateAlreadyInTheStoreIsNotUploadedWhoeverPutItThere() throws IOException {
    String pem = ca("certs/root.pem", "Corp Root");
    ResolvedDesired desired = desired("", "trust.yaml", """
        apiVersion: uctrust/v1
        kind: TrustStore
        metadata: {name: trust}
        spec:
          store: CallManager-trust
          certificates: [{file: certs/root.pem}]
        """);
    LabCluster lab = lab(state -> addTrust(state, SUB, "CallManager-trust", pem, "OTHER"));
    perform(lab, new Operation.UploadTrust(PUB, Store.CALLMANAGER_TRUST, pem, "uploaded earlier"));

    Plan plan = PlanFixture.plan(desired, lab.observe());

    assertThat(plan.changes()).isEmpty();
    assertThat(plan.inSync()).isTrue();
  }

  @Test
  void removeManufacturingRootsRemovesOnlyCiscoOwnedRootsFromCallManagerTrust() throws IOException {
    String otherRoot = caPem("Cisco_Root_CA_2048");
    String uctrustRoot = caPem("CAP-RTP-002");
    ResolvedDesired desired = desired("", "trust.yaml", """
        apiVersion: uctrust/v1
        kind: TrustStore
        metadata: {name: cm}
        spec:
          store: CallManager-trust
          removeManufacturingRoots: true
        ---
        apiVersion: uctrust/v1
        kind: TrustStore
        metadata: {name: capf}
        spec:
          store: CAPF-trust
          removeManufacturingRoots: true
        """);
    LabCluster lab = lab(state -> {
      addTrust(state, PUB, "CallManager-trust", otherRoot, "OTHER");
      addTrust(state, SUB, "CallManager-trust", uctrustRoot, "UCTRUST");
    });
    ObservedCluster observed = lab.observe();

    Plan plan = PlanFixture.plan(desired, observed);

    List<Change> expected = new ArrayList<>();
    for (String node : List.of(PUB, SUB)) {
      for (ObservedCluster.TrustEntry entry : observedNode(observed, node).trust()) {
        if (entry.store() == Store.CALLMANAGER_TRUST && entry.owner() == ObservedCluster.Owner.CISCO
            && TrustStoreSpec.MANUFACTURING_ROOTS.contains(entry.certificate().commonName())) {
          ObservedCluster.Certificate c = entry.certificate();
          expected.add(change(Phase.TRUST_CLEANUP, Action.DELETE, "trust-certificate",
              node + "/CallManager-trust/" + c.commonName(),
              c.subject() + " (sha256 " + c.sha256().substring(0, 16) + ", expires " + c.notAfter().toString().substring(0, 10)
                  + ")", "", "Cisco manufacturing root; TrustStore/cm sets removeManufacturingRoots", "trust.yaml:5",
              Impact.restarting(List.of(at(CALLMANAGER, node))),
              new Operation.RemoveTrust(node, Store.CALLMANAGER_TRUST, c.sha256(), c.subject())));
        }
      }
    }
    assertThat(expected).as("the lab seeds the four roots on both Unified CM nodes").hasSize(8);
    assertThat(expected.stream().map(Change::address).map(a -> a.substring(a.lastIndexOf('/') + 1)).distinct())
        .containsExactlyElementsOf(TrustStoreSpec.MANUFACTURING_ROOTS);
    assertThat(drafts(plan)).containsExactlyElementsOf(expected);
    assertThat(plan.changes()).flatExtracting(Change::operations).noneMatch(op -> op instanceof Operation.RemoveTrust r
        && (r.store() == Store.CAPF_TRUST || r.sha256().equals(sha256(otherRoot)) || r.sha256().equals(sha256(uctrustRoot))));
    assertThat(restarts(plan)).containsExactly(at(CALLMANAGER, PUB), at(CALLMANAGER, SUB));
  }

  @Test
  void pruneRemovesOnlyEntriesUctrustAddedThatNoTrustStoreDocumentListsForThatStoreAndNode() throws IOException {
    String a = ca("certs/a.pem", "Old A");
    String x = ca("certs/x.pem", "New X");
    String b = caPem("Old B");
    String c = caPem("Someone Elses C");
    String d = caPem("Tomcat D");
    LabCluster lab = lab(state -> addTrust(state, PUB, "CallManager-trust", c, "OTHER"));
    perform(lab,
        new Operation.UploadTrust(PUB, Store.CALLMANAGER_TRUST, a, "A"),
        new Operation.UploadTrust(SUB, Store.CALLMANAGER_TRUST, a, "A"),
        new Operation.UploadTrust(PUB, Store.CALLMANAGER_TRUST, b, "B"),
        new Operation.UploadTrust(PUB, Store.TOMCAT_TRUST, d, "D"));
    ResolvedDesired desired = desired("", "trust.yaml", """
        apiVersion: uctrust/v1
        kind: TrustStore
        metadata: {name: cm-all}
        spec:
          store: CallManager-trust
          nodes: all
          prune: true
          certificates: [{file: certs/x.pem}]
        ---
        apiVersion: uctrust/v1
        kind: TrustStore
        metadata: {name: cm-pub}
        spec:
          store: CallManager-trust
          nodes: [cucm-pub.example.com]
          certificates: [{file: certs/a.pem}]
        """);

    Plan plan = PlanFixture.plan(desired, lab.observe());

    String reason = "added by uctrust and no longer listed; TrustStore/cm-all sets prune";
    assertThat(drafts(plan)).containsExactly(
        change(Phase.TRUST, Action.CREATE, "trust-certificate", PUB + "/CallManager-trust/New X", "", describe(x),
            "listed in TrustStore/cm-all, missing on the node", "trust.yaml:8",
            Impact.restarting(List.of(at(CALLMANAGER, PUB))),
            new Operation.UploadTrust(PUB, Store.CALLMANAGER_TRUST, x, "New X")),
        change(Phase.TRUST, Action.CREATE, "trust-certificate", SUB + "/CallManager-trust/New X", "", describe(x),
            "listed in TrustStore/cm-all, missing on the node", "trust.yaml:8",
            Impact.restarting(List.of(at(CALLMANAGER, SUB))),
            new Operation.UploadTrust(SUB, Store.CALLMANAGER_TRUST, x, "New X")),
        change(Phase.TRUST_CLEANUP, Action.DELETE, "trust-certificate", PUB + "/CallManager-trust/Old B", describe(b), "",
            reason, "trust.yaml:5", Impact.restarting(List.of(at(CALLMANAGER, PUB))),
            new Operation.RemoveTrust(PUB, Store.CALLMANAGER_TRUST, sha256(b), "CN=Old B")),
        change(Phase.TRUST_CLEANUP, Action.DELETE, "trust-certificate", SUB + "/CallManager-trust/Old A", describe(a), "",
            reason, "trust.yaml:5", Impact.restarting(List.of(at(CALLMANAGER, SUB))),
            new Operation.RemoveTrust(SUB, Store.CALLMANAGER_TRUST, sha256(a), "CN=Old A")));
    assertThat(restarts(plan)).containsExactly(at(CALLMANAGER, PUB), at(CALLMANAGER, SUB));
    assertThat(plan.changes().stream().filter(ch -> ch.address().equals(at(CALLMANAGER, PUB))).findFirst().orElseThrow()
        .reason()).isEqualTo("needed after 2 changes: trust-certificate " + PUB + "/CallManager-trust/New X; trust-certificate "
            + PUB + "/CallManager-trust/Old B");
  }

  @Test
  void withoutPruneNothingUctrustAddedIsRemoved() throws IOException {
    String old = caPem("Old A");
    LabCluster lab = lab();
    perform(lab, new Operation.UploadTrust(PUB, Store.CALLMANAGER_TRUST, old, "A"));
    ca("certs/x.pem", "New X");
    ResolvedDesired desired = desired("", "trust.yaml", """
        apiVersion: uctrust/v1
        kind: TrustStore
        metadata: {name: cm}
        spec:
          store: CallManager-trust
          prune: false
          certificates: [{file: certs/x.pem}]
        """);

    Plan plan = PlanFixture.plan(desired, lab.observe());

    assertThat(withoutRestarts(plan)).extracting(Change::action).containsOnly(Action.CREATE);
  }

  @Test
  void aCertificateListedByTwoDocumentsForTheSameStoreAndNodeIsUploadedOnce() throws IOException {
    ca("certs/root.pem", "Corp Root");
    ResolvedDesired desired = desired("", "trust.yaml", """
        apiVersion: uctrust/v1
        kind: TrustStore
        metadata: {name: cm-all}
        spec:
          store: CallManager-trust
          certificates: [{file: certs/root.pem}]
        ---
        apiVersion: uctrust/v1
        kind: TrustStore
        metadata: {name: cm-pub}
        spec:
          store: CallManager-trust
          nodes: [cucm-pub.example.com]
          certificates: [{file: certs/root.pem, description: again}]
        """);

    Plan plan = PlanFixture.plan(desired, lab().observe());

    assertThat(withoutRestarts(plan)).extracting(Change::address)
        .containsExactly(PUB + "/CallManager-trust/Corp Root", SUB + "/CallManager-trust/Corp Root");
  }

  // ------------------------------------------------------------------------------------------- settings

  static Stream<Arguments> enterpriseParameters() {
    List<String> ipv6Restarts = List.of(at(CALLMANAGER, PUB), at(TFTP, PUB), at(CALLMANAGER, SUB), at(TFTP, SUB));
    return Stream.of(
        arguments("enableIpv6: true", List.of(List.of("Enable IPv6", "False", "True")), ipv6Restarts),
        arguments("enableIpv6: false", List.of(), List.of()),
        arguments("oauthWithRefreshLoginFlow: true", List.of(List.of("OAuth with Refresh Login Flow", "Disabled", "Enabled")),
            List.of()),
        arguments("certificateValidityCheck: {enabled: false, frequencyDays: 7}", List.of(
            List.of("Certificate Validity Check", "True", "False"), List.of("Validity Check Frequency", "1", "7")), List.of()),
        arguments("certificateValidityCheck: {frequencyDays: 30}", List.of(List.of("Validity Check Frequency", "1", "30")),
            List.of()),
        arguments("enableIpv6: false\noauthWithRefreshLoginFlow: false\ncertificateValidityCheck: {enabled: true, "
            + "frequencyDays: 1}", List.of(), List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("enterpriseParameters")
  void enterpriseParametersAreUpdatedWhenTheyDifferAndOnlyIpv6RestartsCallManagerAndTftpOnEveryUnifiedCmNode(String yaml,
      List<List<String>> expected, List<String> restarts) throws IOException {
    ResolvedDesired desired = desired("enterpriseParameters:\n" + yaml.lines().map(l -> "  " + l + "\n")
        .reduce("", String::concat), null, null);

    Plan plan = PlanFixture.plan(desired, lab().observe());

    assertThat(drafts(plan)).containsExactlyElementsOf(expected.stream().map(e -> change(Phase.SETTINGS, Action.UPDATE,
        "enterprise-parameter", e.get(0), e.get(1), e.get(2), "set in Cluster/lab", "cluster.yaml:14",
        Impact.restarting(e.get(0).equals("Enable IPv6") ? restarts : List.of()),
        new Operation.SetEnterpriseParameter(e.get(0), e.get(2)))).toList());
    assertThat(restarts(plan)).containsExactlyElementsOf(restarts);
  }

  @Test
  void imAndPresenceSettingsAreUpdatedWhenTheClusterHasImAndPresenceNodes() throws IOException {
    ResolvedDesired desired = desired("""
        imAndPresence:
          xmppDomain: example.com
          hostedDomains: [example.com, example.org]
          useDomainNameForXmppSan: true
          enableWildcardsInXmppFederationCertificates: true
          sipTrunkSecurityProfile: IMP Trunk Profile
        """, null, null);
    LabCluster lab = lab();

    Plan plan = PlanFixture.plan(desired, lab.observe());

    String xmppSan = "Domain name for XMPP Server-to-Server Certificate Subject Alternative Name";
    String useDomain = "Use Domain Name for XMPP Certificate Subject Alternative Name";
    String wildcards = "Enable Wildcards in XMPP Federation Security Certificates";
    assertThat(drafts(plan)).containsExactly(
        change(Phase.SETTINGS, Action.UPDATE, "im-and-presence-setting", xmppSan, "(not set)", "example.com",
            "set in Cluster/lab", "cluster.yaml:14", Impact.NONE, new Operation.SetImAndPresenceSetting(xmppSan, "example.com")),
        change(Phase.SETTINGS, Action.UPDATE, "im-and-presence-setting", "Hosted Domains", "", "example.com;example.org",
            "set in Cluster/lab", "cluster.yaml:15", Impact.NONE,
            new Operation.SetImAndPresenceSetting("Hosted Domains", "example.com;example.org")),
        change(Phase.SETTINGS, Action.UPDATE, "im-and-presence-setting", useDomain, "False", "True", "set in Cluster/lab",
            "cluster.yaml:16", Impact.NONE, new Operation.SetImAndPresenceSetting(useDomain, "True")),
        change(Phase.SETTINGS, Action.UPDATE, "im-and-presence-setting", wildcards, "False", "True", "set in Cluster/lab",
            "cluster.yaml:17", Impact.NONE, new Operation.SetImAndPresenceSetting(wildcards, "True")),
        change(Phase.SETTINGS, Action.UPDATE, "im-and-presence-setting", "SIP Trunk Security Profile", "(not set)",
            "IMP Trunk Profile", "set in Cluster/lab", "cluster.yaml:18", Impact.NONE,
            new Operation.SetImAndPresenceSetting("SIP Trunk Security Profile", "IMP Trunk Profile")));
    assertThat(restarts(plan)).isEmpty();

    applyAll(lab, plan);
    assertThat(PlanFixture.plan(desired, lab.observe()).changes()).isEmpty();
  }

  @Test
  void imAndPresenceSettingsAreLeftAloneWhenTheClusterHasNoImAndPresenceNode() throws IOException {
    ResolvedDesired desired = desired("imAndPresence: {xmppDomain: example.com, useDomainNameForXmppSan: true}", null, null);
    LabCluster lab = lab(state -> {
      ArrayNode nodes = (ArrayNode) state.get("nodes");
      for (int i = nodes.size() - 1; i >= 0; i--) {
        if (nodes.get(i).get("role").asString().startsWith("imp")) {
          nodes.remove(i);
        }
      }
    });
    assertThat(lab.observe().nodes()).extracting(ObservedCluster.Node::name).containsExactly(PUB, SUB);

    assertThat(PlanFixture.plan(desired, lab.observe()).changes()).isEmpty();
  }

  @Test
  void aClusterSecurityModeChangeIsAManualStepWithoutOperations() throws IOException {
    ResolvedDesired desired = desired("security: {mixedMode: true, fipsMode: true}", null, null);

    Plan plan = PlanFixture.plan(desired, lab().observe());

    assertThat(plan.changes()).hasSize(2).allSatisfy(c -> {
      assertThat(c.phase()).isEqualTo(Phase.MANUAL);
      assertThat(c.action()).isEqualTo(Action.MANUAL);
      assertThat(c.resource()).isEqualTo("cluster-security");
      assertThat(c.before()).isEqualTo("false");
      assertThat(c.after()).isEqualTo("true");
      assertThat(c.operations()).isEmpty();
      assertThat(c.impact()).isEqualTo(Impact.NONE);
      assertThat(c.source()).isEqualTo("cluster.yaml:13");
    });
    assertThat(plan.changes()).extracting(Change::address).containsExactly("cluster security mode", "FIPS mode");
    assertThat(plan.changes().get(0).reason()).startsWith("set in Cluster/lab; changing it reboots or re-keys the cluster, "
        + "so uctrust leaves it to you: utils ctl set-cluster mixed-mode");
    assertThat(plan.summary().manual()).isEqualTo(2);
  }

  @Test
  void aSecurityModeThatMatchesTheClusterNeedsNothing() throws IOException {
    ResolvedDesired desired = desired("security: {mixedMode: false, fipsMode: false}", null, null);

    assertThat(PlanFixture.plan(desired, lab().observe()).changes()).isEmpty();
  }

  @Test
  void capfServiceParametersRestartCapfOnThePublisherOnce() throws IOException {
    ResolvedDesired desired = desired("", "capf.yaml", """
        apiVersion: uctrust/v1
        kind: Capf
        metadata: {name: capf}
        spec:
          issuer: offline-ca
          certificateValidityDays: 730
        """);

    Plan plan = PlanFixture.plan(desired, lab().observe());

    Impact capfRestart = Impact.restarting(List.of(at(CAPF, PUB)));
    assertThat(drafts(plan)).containsExactly(
        change(Phase.SETTINGS, Action.UPDATE, "capf-parameter", "Certificate Issuer to Endpoint",
            "Cisco Certificate Authority Proxy Function", "Offline CA", "set in Capf/capf", "capf.yaml:5", capfRestart,
            new Operation.SetServiceParameter(PUB, CAPF, "Certificate Issuer to Endpoint", "Offline CA", null)),
        change(Phase.SETTINGS, Action.UPDATE, "capf-parameter", "Duration Of Certificate Validity", "1825", "730",
            "set in Capf/capf", "capf.yaml:6", capfRestart,
            new Operation.SetServiceParameter(PUB, CAPF, "Duration Of Certificate Validity", "730", null)));
    assertThat(restarts(plan)).containsExactly(at(CAPF, PUB));
    assertThat(plan.changes().get(2).reason()).isEqualTo("needed after 2 changes: capf-parameter Certificate Issuer to "
        + "Endpoint; capf-parameter Duration Of Certificate Validity");
  }

  private static final String ONLINE_CA_TRUST = """
      apiVersion: uctrust/v1
      kind: TrustStore
      metadata: {name: capf-trust}
      spec:
        store: CAPF-trust
        nodes: [cucm-pub.example.com]
        certificates: [{file: certs/root.pem}]
      ---
      apiVersion: uctrust/v1
      kind: TrustStore
      metadata: {name: cm-trust}
      spec:
        store: CallManager-trust
        certificates: [{file: certs/root.pem}]
      """;

  private ResolvedDesired onlineCa(String port, String extra) throws IOException {
    ca("certs/root.pem", "Corp Root");
    PlanFixture.write(desiredDir(), "trust.yaml", ONLINE_CA_TRUST);
    return desired("", "capf.yaml", """
        apiVersion: uctrust/v1
        kind: Capf
        metadata: {name: capf}
        spec:
          issuer: online-ca
          onlineCa:
            hostname: ca.example.com
            port: %s
            template: CiscoLSC
            type: microsoft-ca
            username: svc-capf
            password: env:UCTRUST_ONLINE_CA_PASSWORD
            caCertificate: certs/root.pem
        %s""".formatted(port, extra));
  }

  private static X509Certificate served(String cn, String issuer) {
    return io.uctrust.pki.TestCertificates.create(new io.uctrust.pki.TestCertificates.Spec("CN=" + cn, "CN=" + issuer,
        NOW.minus(Duration.ofDays(30)), NOW.plus(Duration.ofDays(300)), false, 0x80 | 0x20));
  }

  private Plan preflight(ResolvedDesired desired, io.uctrust.capf.OnlineCaClient.Probe probe) {
    return new Planner().withOnlineCaProbe(probe).plan(desired, desired.state().clusters().get(0), lab().observe(), PlanFixture.CLOCK);
  }

  private static List<Change> preflightChanges(Plan plan) {
    return plan.changes().stream().filter(c -> c.resource().equals("online-ca-preflight")).toList();
  }

  @Test
  void anOnlineCaWhoseHttpsCertificateIsIssuedByTheRootThePlanUploadsPassesThePreflight() throws IOException {
    Plan plan = preflight(onlineCa("443", ""), new io.uctrust.capf.OnlineCaClient.Probe(true, List.of("192.0.2.5"),
        List.of(served("ca.example.com", "Corp Root")), null));

    assertThat(preflightChanges(plan)).isEmpty();
  }

  @Test
  void anOnlineCaIssuedByAnotherRootIsAManualStepNamingItsIssuer() throws IOException {
    Plan plan = preflight(onlineCa("443", ""), new io.uctrust.capf.OnlineCaClient.Probe(true, List.of("192.0.2.5"),
        List.of(served("ca.example.com", "Other Root")), null));

    assertThat(preflightChanges(plan)).singleElement().satisfies(c -> {
      assertThat(c.action()).isEqualTo(Action.MANUAL);
      assertThat(c.reason()).contains("CAPF-trust does not trust").contains("issued by CN=Other Root");
    });
  }

  @Test
  void anOnlineCaServingACertificateForAnotherNameIsAManualStep() throws IOException {
    Plan plan = preflight(onlineCa("443", ""), new io.uctrust.capf.OnlineCaClient.Probe(true, List.of("192.0.2.5"),
        List.of(served("www.example.com", "Corp Root")), null));

    assertThat(preflightChanges(plan)).singleElement().satisfies(c -> {
      assertThat(c.action()).isEqualTo(Action.MANUAL);
      assertThat(c.reason()).contains("has CN 'www.example.com'").contains("must equal it");
    });
  }

  @Test
  void anOnlineCaThatDoesNotResolveFromHereIsACheckNotDrift() throws IOException {
    Plan plan = preflight(onlineCa("443", ""), new io.uctrust.capf.OnlineCaClient.Probe(false, List.of(), List.of(),
        "unknown host"));

    assertThat(preflightChanges(plan)).singleElement().satisfies(c -> {
      assertThat(c.action()).isEqualTo(Action.CHECK);
      assertThat(c.reason()).contains("ca.example.com does not resolve");
    });
  }

  private ResolvedDesired onlineCaWithoutTrustStores(String extra) throws IOException {
    ca("certs/root.pem", "Corp Root");
    return desired("", "capf.yaml", """
        apiVersion: uctrust/v1
        kind: Capf
        metadata: {name: capf}
        spec:
          issuer: online-ca
          onlineCa:
            hostname: ca.example.com
            port: 443
            template: CiscoLSC
            type: microsoft-ca
            username: svc-capf
            password: env:UCTRUST_ONLINE_CA_PASSWORD
            caCertificate: certs/root.pem
        %s""".formatted(extra));
  }

  private static List<Operation.UploadTrust> trustUploads(Plan plan) {
    return plan.changes().stream().flatMap(c -> c.operations().stream())
        .filter(Operation.UploadTrust.class::isInstance).map(Operation.UploadTrust.class::cast).toList();
  }

  @Test
  void theOnlineCaRootIsUploadedToThePublishersCapfTrustAndEveryUnifiedCmNodesCallManagerTrustWithoutTrustStoreDocuments()
      throws IOException {
    ResolvedDesired desired = onlineCaWithoutTrustStores("");
    LabCluster lab = lab();
    List<String> unifiedCm = lab.observe().nodes().stream().filter(n -> !n.role().isImAndPresence())
        .map(ObservedCluster.Node::name).toList();
    X509Certificate root = Pem.certificate(Files.readString(desiredDir().resolve("certs/root.pem")));

    Plan plan = new Planner().withOnlineCaProbe(new io.uctrust.capf.OnlineCaClient.Probe(true, List.of("192.0.2.5"),
        List.of(served("ca.example.com", "Corp Root")), null))
        .plan(desired, desired.state().clusters().get(0), lab.observe(), PlanFixture.CLOCK);

    assertThat(trustUploads(plan)).extracting(u -> u.node() + " " + u.store().yaml()).containsExactlyInAnyOrderElementsOf(
        Stream.concat(Stream.of(PUB + " CAPF-trust"), unifiedCm.stream().map(n -> n + " CallManager-trust")).toList());
    assertThat(trustUploads(plan)).allSatisfy(u -> assertThat(Pem.certificate(u.pem())).isEqualTo(root));
    assertThat(plan.changes()).filteredOn(c -> c.resource().equals("trust-certificate")).allSatisfy(c -> {
      assertThat(c.phase()).isEqualTo(Phase.TRUST);
      assertThat(c.reason()).startsWith("derived from Capf/capf spec.onlineCa.caCertificate");
    });
    assertThat(preflightChanges(plan)).isEmpty();
  }

  @Test
  void anOnlineCaHttpsCertificateTheRootDidNotIssueIsAlsoUploadedToCapfTrustOnly() throws IOException {
    ResolvedDesired desired;
    ca("certs/other.pem", "Other Root");
    X509Certificate https = served("ca.example.com", "Other Root");
    PlanFixture.write(desiredDir(), "certs/https.pem", Pem.encode(https));
    desired = onlineCaWithoutTrustStores("    httpsCertificate: certs/https.pem\n");

    Plan plan = new Planner().withOnlineCaProbe(new io.uctrust.capf.OnlineCaClient.Probe(true, List.of("192.0.2.5"),
        List.of(https), null)).plan(desired, desired.state().clusters().get(0), lab().observe(), PlanFixture.CLOCK);

    assertThat(trustUploads(plan)).filteredOn(u -> Pem.certificate(u.pem()).equals(https))
        .isNotEmpty().allSatisfy(u -> assertThat(u.store()).isEqualTo(Store.CAPF_TRUST));
    assertThat(preflightChanges(plan)).isEmpty();
  }

  @Test
  void anOnlineCaRootAlreadyOnTheNodesOrUploadedByATrustStoreIsNotUploadedTwice() throws IOException {
    ResolvedDesired desired = onlineCa("443", "");

    Plan plan = PlanFixture.plan(desired, lab().observe());

    assertThat(trustUploads(plan)).extracting(u -> u.node() + " " + u.store().yaml()).doesNotHaveDuplicates();
    assertThat(plan.changes()).filteredOn(c -> c.resource().equals("trust-certificate")).isNotEmpty()
        .noneSatisfy(c -> assertThat(c.reason()).startsWith("derived from"));
  }

  @Test
  void withoutAProbeThePreflightIsANote() throws IOException {
    Plan plan = PlanFixture.plan(onlineCa("443", ""), lab().observe());

    assertThat(preflightChanges(plan)).isEmpty();
    assertThat(plan.notes()).anySatisfy(n -> assertThat(n).startsWith("online CA preflight of ca.example.com was not run"));
  }

  @Test
  void anOnlineCaSetsItsParametersThePasswordOnceAndActivatesTheEnrollmentService() throws IOException {
    ResolvedDesired desired = onlineCa("443", "");
    LabCluster lab = lab();

    Plan plan = PlanFixture.plan(desired, lab.observe());

    Impact capfRestart = Impact.restarting(List.of(at(CAPF, PUB)));
    SecretRef password = new SecretRef(SecretRef.Source.ENV, "UCTRUST_ONLINE_CA_PASSWORD");
    List<Change> settings = drafts(plan).stream().filter(c -> c.phase() == Phase.SETTINGS).toList();
    assertThat(settings).containsExactly(
        change(Phase.SETTINGS, Action.UPDATE, "capf-parameter", "Certificate Issuer to Endpoint",
            "Cisco Certificate Authority Proxy Function", "Online CA", "set in Capf/capf", "capf.yaml:5", capfRestart,
            new Operation.SetServiceParameter(PUB, CAPF, "Certificate Issuer to Endpoint", "Online CA", null)),
        change(Phase.SETTINGS, Action.UPDATE, "capf-parameter", "Online CA Hostname", "(not set)", "ca.example.com",
            "set in Capf/capf", "capf.yaml:7", capfRestart,
            new Operation.SetServiceParameter(PUB, CAPF, "Online CA Hostname", "ca.example.com", null)),
        change(Phase.SETTINGS, Action.UPDATE, "capf-parameter", "Online CA Port", "(not set)", "443",
            "set in Capf/capf", "capf.yaml:8", capfRestart,
            new Operation.SetServiceParameter(PUB, CAPF, "Online CA Port", "443", null)),
        change(Phase.SETTINGS, Action.UPDATE, "capf-parameter", "Online CA Template", "(not set)", "CiscoLSC",
            "set in Capf/capf", "capf.yaml:9", capfRestart,
            new Operation.SetServiceParameter(PUB, CAPF, "Online CA Template", "CiscoLSC", null)),
        change(Phase.SETTINGS, Action.UPDATE, "capf-parameter", "Online CA Type", "(not set)", "Microsoft CA",
            "set in Capf/capf", "capf.yaml:10", capfRestart,
            new Operation.SetServiceParameter(PUB, CAPF, "Online CA Type", "Microsoft CA", null)),
        change(Phase.SETTINGS, Action.UPDATE, "capf-parameter", "Online CA Username", "(not set)", "svc-capf",
            "set in Capf/capf", "capf.yaml:11", capfRestart,
            new Operation.SetServiceParameter(PUB, CAPF, "Online CA Username", "svc-capf", null)),
        change(Phase.SETTINGS, Action.UPDATE, "capf-parameter", "Online CA Password", "(not set)",
            "env:UCTRUST_ONLINE_CA_PASSWORD", "set in Capf/capf (write-only; sent with every online CA change)",
            "capf.yaml:12", capfRestart, new Operation.SetServiceParameter(PUB, CAPF, "Online CA Password", null, password)),
        change(Phase.SETTINGS, Action.ACTIVATE, "service", ENROLLMENT + "@" + PUB, "Not Activated", "Started",
            "online CA needs Cisco Certificate Enrollment Service", "capf.yaml:5", Impact.NONE,
            new Operation.ActivateService(PUB, ENROLLMENT, true)));
    assertThat(restarts(plan)).contains(at(CAPF, PUB)).filteredOn(r -> r.startsWith(CAPF)).hasSize(1);

    applyAll(lab, plan);
    assertThat(PlanFixture.plan(desired, lab.observe()).changes()).as("password set and nothing else changed").isEmpty();
  }

  @Test
  void theOnlineCaPasswordIsSentAgainWithAnyOtherOnlineCaChange() throws IOException {
    LabCluster lab = lab();
    applyAll(lab, PlanFixture.plan(onlineCa("443", ""), lab.observe()));

    Plan plan = PlanFixture.plan(onlineCa("8443", ""), lab.observe());

    assertThat(withoutRestarts(plan)).extracting(Change::address, Change::before, Change::after).containsExactly(
        org.assertj.core.groups.Tuple.tuple("Online CA Port", "443", "8443"),
        org.assertj.core.groups.Tuple.tuple("Online CA Password", "(set)", "env:UCTRUST_ONLINE_CA_PASSWORD"));
    assertThat(restarts(plan)).containsExactly(at(CAPF, PUB));
  }

  @Test
  void theOnlineCaPasswordIsNotSentWhenOnlyANonOnlineCaParameterChanges() throws IOException {
    LabCluster lab = lab();
    applyAll(lab, PlanFixture.plan(onlineCa("443", ""), lab.observe()));

    Plan plan = PlanFixture.plan(onlineCa("443", "  certificateValidityDays: 365\n"), lab.observe());

    assertThat(withoutRestarts(plan)).extracting(Change::address).containsExactly("Duration Of Certificate Validity");
  }

  @Test
  void theEnrollmentServiceIsNotActivatedAgainOnceStarted() throws IOException {
    LabCluster lab = lab();
    perform(lab, new Operation.ActivateService(PUB, ENROLLMENT, true));

    Plan plan = PlanFixture.plan(onlineCa("443", ""), lab.observe());

    assertThat(plan.changes()).noneMatch(c -> c.action() == Action.ACTIVATE);
  }

  @ParameterizedTest(name = "keepAliveMinutes {0}")
  @ValueSource(ints = {5, 15, 30, 60})
  void theCapfKeepaliveIsSetWhenItDiffers(int minutes) throws IOException {
    ResolvedDesired desired = desired("", "capf.yaml", """
        apiVersion: uctrust/v1
        kind: Capf
        metadata: {name: capf}
        spec:
          keepAliveMinutes: %d
        """.formatted(minutes));

    Plan plan = PlanFixture.plan(desired, lab().observe());

    if (minutes == 15) {
      assertThat(plan.changes()).as("the lab keeps Cisco's default of 15").isEmpty();
    } else {
      assertThat(plan.changes()).containsExactly(new Change(1, Phase.SETTINGS, Action.UPDATE, "capf-keepalive",
          "CAPF keepalive", "15 minutes", minutes + " minutes", "set in Capf/capf", "capf.yaml:5", Impact.NONE, List.of(),
          List.of(new Operation.SetCapfKeepAlive(minutes))));
    }
  }

  static Stream<Arguments> staleLscs() {
    return Stream.of(arguments(true, 7, true), arguments(false, 7, false), arguments(true, 0, false));
  }

  @ParameterizedTest(name = "deleteStaleLscs {0} with {1} stale")
  @MethodSource("staleLscs")
  void staleLscsAreDeletedWhenAskedAndThereAreAny(boolean delete, int stale, boolean expected) throws IOException {
    ResolvedDesired desired = desired("", "capf.yaml", """
        apiVersion: uctrust/v1
        kind: Capf
        metadata: {name: capf}
        spec:
          deleteStaleLscs: %s
        """.formatted(delete));
    LabCluster lab = lab(state -> PlanFixture.staleLscs(state, stale));

    Plan plan = PlanFixture.plan(desired, lab.observe());

    if (expected) {
      assertThat(plan.changes()).containsExactly(new Change(1, Phase.SETTINGS, Action.DELETE, "stale-lsc", "stale LSCs",
          "7 stale LSCs", "none", "Capf/capf sets deleteStaleLscs", "capf.yaml:5", Impact.NONE, List.of(),
          List.of(new Operation.DeleteStaleLscs())));
      applyAll(lab, plan);
      assertThat(PlanFixture.plan(desired, lab.observe()).changes()).isEmpty();
    } else {
      assertThat(plan.changes()).isEmpty();
    }
  }

  @Test
  void enablingSipOAuthRestartsCallManagerOnEveryUnifiedCmNode() throws IOException {
    ResolvedDesired desired = desired("", "sip.yaml", """
        apiVersion: uctrust/v1
        kind: SipOAuth
        metadata: {name: sip}
        spec:
          enabled: true
        """);

    Plan plan = PlanFixture.plan(desired, lab().observe());

    assertThat(drafts(plan)).containsExactly(change(Phase.SETTINGS, Action.UPDATE, "sip-oauth-mode", "SIP OAuth mode",
        "disabled", "enabled", "set in SipOAuth/sip", "sip.yaml:5",
        Impact.restarting(List.of(at(CALLMANAGER, PUB), at(CALLMANAGER, SUB))), new Operation.SetSipOAuthMode(true)));
    assertThat(restarts(plan)).containsExactly(at(CALLMANAGER, PUB), at(CALLMANAGER, SUB));
  }

  @Test
  void aSipOAuthModeThatMatchesNeedsNothing() throws IOException {
    ResolvedDesired desired = desired("", "sip.yaml", """
        apiVersion: uctrust/v1
        kind: SipOAuth
        metadata: {name: sip}
        spec:
          enabled: false
        """);

    assertThat(PlanFixture.plan(desired, lab().observe()).changes()).isEmpty();
  }

  @Test
  void sipOAuthPortsAreSetPerNodeWhereTheyDifferKeepingUnnamedPorts() throws IOException {
    ResolvedDesired desired = desired("", "sip.yaml", """
        apiVersion: uctrust/v1
        kind: SipOAuth
        metadata: {name: sip}
        spec:
          enabled: false
          ports:
            - {node: cucm-pub.example.com, phone: 5090, mra: 5091}
            - {node: cucm-sub1.example.com, mra: 6000}
        """);

    Plan plan = PlanFixture.plan(desired, lab().observe());

    assertThat(drafts(plan)).containsExactly(change(Phase.SETTINGS, Action.UPDATE, "sip-oauth-ports", SUB, "5090/5091",
        "5090/6000", "set in SipOAuth/sip", "sip.yaml:8", Impact.restarting(List.of(at(CALLMANAGER, SUB))),
        new Operation.SetSipOAuthPorts(SUB, 5090, 6000)));
    assertThat(restarts(plan)).containsExactly(at(CALLMANAGER, SUB));
  }

  private static final String EXPRESSWAY = """
      apiVersion: uctrust/v1
      kind: SipOAuth
      metadata: {name: sip}
      spec:
        enabled: false
        expresswayC:
          - {host: expc1.example.com, description: Edge DC1, subjectNames: [expc1.example.com, expc.example.com]}
          - {host: expc2.example.com, subjectNames: [expc2.example.com]}
      """;

  @Test
  void anExpresswayCThatIsNotThereIsCreated() throws IOException {
    ResolvedDesired desired = desired("", "sip.yaml", EXPRESSWAY);

    Plan plan = PlanFixture.plan(desired, lab().observe());

    assertThat(drafts(plan)).containsExactly(
        change(Phase.SETTINGS, Action.CREATE, "expressway-c", "expc1.example.com", "",
            "Edge DC1 [expc1.example.com, expc.example.com]", "listed in SipOAuth/sip", "sip.yaml:7", Impact.NONE,
            new Operation.PutExpresswayC("expc1.example.com", "Edge DC1", List.of("expc1.example.com", "expc.example.com"))),
        change(Phase.SETTINGS, Action.CREATE, "expressway-c", "expc2.example.com", "", " [expc2.example.com]",
            "listed in SipOAuth/sip", "sip.yaml:8", Impact.NONE,
            new Operation.PutExpresswayC("expc2.example.com", "", List.of("expc2.example.com"))));
  }

  @Test
  void anExpresswayCWithOtherSubjectNamesOrDescriptionIsUpdatedMatchingTheHostIgnoringCase() throws IOException {
    ResolvedDesired desired = desired("", "sip.yaml", EXPRESSWAY);
    LabCluster lab = lab();
    perform(lab,
        new Operation.PutExpresswayC("EXPC1.example.com", "Old", List.of("expc1.example.com")),
        new Operation.PutExpresswayC("expc2.example.com", "", List.of("expc2.example.com")));

    Plan plan = PlanFixture.plan(desired, lab.observe());

    assertThat(drafts(plan)).containsExactly(change(Phase.SETTINGS, Action.UPDATE, "expressway-c", "expc1.example.com",
        "Old [expc1.example.com]", "Edge DC1 [expc1.example.com, expc.example.com]", "listed in SipOAuth/sip", "sip.yaml:7",
        Impact.NONE,
        new Operation.PutExpresswayC("expc1.example.com", "Edge DC1", List.of("expc1.example.com", "expc.example.com"))));
    applyAll(lab, plan);
    assertThat(PlanFixture.plan(desired, lab.observe()).changes()).isEmpty();
  }

  @Test
  void aPhoneSecurityProfileThatIsNotThereIsCreatedTouchingNoPhone() throws IOException {
    ResolvedDesired desired = desired("", "sip.yaml", """
        apiVersion: uctrust/v1
        kind: SipOAuth
        metadata: {name: sip}
        spec:
          enabled: false
          phoneSecurityProfiles:
            - {name: Cisco 8865 - OAuth, phoneType: Cisco 8865, deviceSecurityMode: encrypted, transport: tls, oauth: true}
        """);

    Plan plan = PlanFixture.plan(desired, lab().observe());

    assertThat(drafts(plan)).containsExactly(change(Phase.SETTINGS, Action.CREATE, "phone-security-profile",
        "Cisco 8865 - OAuth", "", "Cisco 8865, SIP, ENCRYPTED, TLS, OAuth", "listed in SipOAuth/sip", "sip.yaml:7",
        new Impact(List.of(), false, 0), new Operation.PutPhoneSecurityProfile("Cisco 8865 - OAuth", "", "Cisco 8865",
            SipOAuthSpec.Protocol.SIP, SipOAuthSpec.DeviceSecurityMode.ENCRYPTED, SipOAuthSpec.Transport.TLS, true, false,
            false)));
  }

  @Test
  void anExistingPhoneSecurityProfileThatDiffersIsUpdatedAndCountsThePhonesUsingIt() throws IOException {
    String name = "Cisco 8845 - Standard SIP Non-Secure Profile";
    ResolvedDesired desired = desired("", "sip.yaml", """
        apiVersion: uctrust/v1
        kind: SipOAuth
        metadata: {name: sip}
        spec:
          enabled: false
          phoneSecurityProfiles:
            - {name: Cisco 8845 - Standard SIP Non-Secure Profile, phoneType: Cisco 8845, deviceSecurityMode: authenticated,
               transport: tcp}
            - {name: Cisco 7841 - Standard SIP Non-Secure Profile, phoneType: Cisco 7841, deviceSecurityMode: non-secure,
               transport: tcp-udp}
        """);
    LabCluster lab = lab();
    ObservedCluster observed = lab.observe();
    List<String> using = observed.phones().stream().filter(p -> p.securityProfile().equals(name))
        .map(ObservedCluster.Phone::name).toList();
    assertThat(using).isNotEmpty();

    Plan plan = PlanFixture.plan(desired, observed);

    assertThat(drafts(plan)).containsExactly(new Change(0, Phase.SETTINGS, Action.UPDATE, "phone-security-profile", name,
        "Cisco 8845, SIP, NON_SECURE, TCP_UDP", "Cisco 8845, SIP, AUTHENTICATED, TCP",
        "listed in SipOAuth/sip; phones using it must be reset", "sip.yaml:7", new Impact(List.of(), false, using.size()),
        using, List.of(new Operation.PutPhoneSecurityProfile(name, name, "Cisco 8845", SipOAuthSpec.Protocol.SIP,
            SipOAuthSpec.DeviceSecurityMode.AUTHENTICATED, SipOAuthSpec.Transport.TCP, false, false, false))));
    assertThat(plan.summary().phones()).isEqualTo(using.size());
    applyAll(lab, plan);
    assertThat(PlanFixture.plan(desired, lab.observe()).changes()).isEmpty();
  }

  @Test
  void monitoringSettingsATargetCannotReadBecomeChecksWithTheGuiPathAndThePlanStaysInSync() throws IOException {
    ResolvedDesired desired = desired("", "monitoring.yaml", """
        apiVersion: uctrust/v1
        kind: Monitoring
        metadata: {name: monitoring}
        spec:
          certificateMonitor: {notificationStartDays: 45}
          revocation:
            ocsp: {enabled: true, responder: configured, uri: "http://ocsp.example.com/", checkEvery: 24h}
        """);
    ObservedCluster o = lab().observe();
    ObservedCluster unreadable = new ObservedCluster(o.name(), o.nodes(), o.security(), o.enterprise(), null, o.capf(),
        o.sipOAuth(), null, o.phones(), o.staleLscs(), o.pendingCsrs(), o.fingerprint());

    Plan plan = PlanFixture.plan(desired, unreadable);

    assertThat(plan.changes()).isNotEmpty().allSatisfy(c -> {
      assertThat(c.phase()).isEqualTo(Phase.MANUAL);
      assertThat(c.action()).isEqualTo(Action.CHECK);
      assertThat(c.before()).isEqualTo("(cannot be read)");
      assertThat(c.operations()).isEmpty();
    });
    assertThat(plan.changes()).extracting(Change::address).contains("Notification Start Time", "Enable OCSP");
    assertThat(plan.changes()).filteredOn(c -> c.address().equals("Enable OCSP")).singleElement()
        .satisfies(c -> assertThat(c.reason()).contains("Cisco Unified OS Administration > Security > Certificate Revocation"));
    assertThat(plan.inSync()).isTrue();
    assertThat(plan.summary().manual()).isEqualTo(plan.changes().size());
  }

  @Test
  void monitoringSettingsAreUpdatedWhereTheyDiffer() throws IOException {
    ResolvedDesired desired = desired("", "monitoring.yaml", """
        apiVersion: uctrust/v1
        kind: Monitoring
        metadata: {name: monitoring}
        spec:
          certificateMonitor:
            notificationStartDays: 45
            frequency: 12h
            lscMonitoring: true
            email: {enabled: true, to: [a@example.com, b@example.com]}
          revocation:
            ocsp: {enabled: true, responder: configured, uri: "http://ocsp.example.com/", checkEvery: 24h}
        """);
    LabCluster lab = lab();

    Plan plan = PlanFixture.plan(desired, lab.observe());

    assertThat(plan.changes()).allSatisfy(c -> {
      assertThat(c.phase()).isEqualTo(Phase.SETTINGS);
      assertThat(c.action()).isEqualTo(Action.UPDATE);
      assertThat(c.resource()).isEqualTo("monitoring-setting");
      assertThat(c.reason()).isEqualTo("set in Monitoring/monitoring");
      assertThat(c.impact()).isEqualTo(Impact.NONE);
      assertThat(c.operations()).containsExactly(new Operation.SetMonitoringSetting(c.address(), c.after()));
    });
    assertThat(plan.changes()).extracting(Change::address, Change::before, Change::after, Change::source).containsExactly(
        org.assertj.core.groups.Tuple.tuple("Notification Start Time", "30", "45", "monitoring.yaml:6"),
        org.assertj.core.groups.Tuple.tuple("Notification Frequency", "1d", "12h", "monitoring.yaml:7"),
        org.assertj.core.groups.Tuple.tuple("Enable LSC Monitoring", "False", "True", "monitoring.yaml:8"),
        org.assertj.core.groups.Tuple.tuple("Enable E-mail notification", "False", "True", "monitoring.yaml:9"),
        org.assertj.core.groups.Tuple.tuple("E-mail IDs", "", "a@example.com;b@example.com", "monitoring.yaml:9"),
        org.assertj.core.groups.Tuple.tuple("Enable OCSP", "False", "True", "monitoring.yaml:11"),
        org.assertj.core.groups.Tuple.tuple("OCSP Responder", "(not set)", "Use configured OCSP URI", "monitoring.yaml:11"),
        org.assertj.core.groups.Tuple.tuple("OCSP Configured URI", "(not set)", "http://ocsp.example.com/",
            "monitoring.yaml:11"),
        org.assertj.core.groups.Tuple.tuple("Check Every", "(not set)", "24h", "monitoring.yaml:11"));

    applyAll(lab, plan);
    assertThat(PlanFixture.plan(desired, lab.observe()).changes()).isEmpty();
  }

  @Test
  void monitoringValuesThatMatchNeedNothing() throws IOException {
    ResolvedDesired desired = desired("", "monitoring.yaml", """
        apiVersion: uctrust/v1
        kind: Monitoring
        metadata: {name: monitoring}
        spec:
          certificateMonitor: {notificationStartDays: 30, frequency: 1d, lscMonitoring: false, email: {enabled: false}}
          revocation: {ocsp: {enabled: false}}
        """);

    assertThat(PlanFixture.plan(desired, lab().observe()).changes()).isEmpty();
  }

  // ------------------------------------------------------------------------------------------ identities

  static Stream<Arguments> identityChanges() {
    return Stream.of(
        arguments("tomcat", PUB, "subjectAltNames: [uc.example.com]", "subject alternative names lack uc.example.com",
            KeyType.RSA, 2048, List.of(PUB, "uc.example.com"), List.of(at(TOMCAT, PUB)), false),
        arguments("CallManager", PUB, "key: {type: rsa, size: 3072}", "key is RSA 2048, desired RSA 3072", KeyType.RSA, 3072,
            List.of(PUB), List.of(at(CALLMANAGER, PUB), at(TFTP, PUB)), true),
        arguments("CallManager-ECDSA", SUB, "key: {type: ec, size: 256}", "key is EC 384, desired EC 256", KeyType.EC, 256,
            List.of(SUB), List.of(at(CALLMANAGER, SUB), at(TFTP, SUB)), true),
        arguments("TVS", PUB, "subjectAltNames: [tvs.example.com]", "subject alternative names lack tvs.example.com",
            KeyType.RSA, 2048, List.of(PUB, "tvs.example.com"), List.of(at(TVS, PUB), at(TFTP, PUB)), true),
        arguments("CAPF", PUB, "subjectAltNames: [capf.example.com]", "subject alternative names lack capf.example.com",
            KeyType.RSA, 2048, List.of(PUB, "capf.example.com"), List.of(at(CAPF, PUB), at(TFTP, PUB)), true),
        arguments("ipsec", SUB, "subjectAltNames: [ipsec.example.com]", "subject alternative names lack ipsec.example.com",
            KeyType.RSA, 2048, List.of(SUB, "ipsec.example.com"), List.of(), false),
        arguments("tomcat-ECDSA", IMS, "key: {type: ec, size: 521}", "key is EC 384, desired EC 521", KeyType.EC, 521,
            List.of(IMS), List.of(at(TOMCAT, IMS)), false),
        arguments("cup-ECDSA", IMS, "subjectAltNames: [cup.example.com]", "subject alternative names lack cup.example.com",
            KeyType.EC, 384, List.of(IMS, "cup.example.com"), List.of(at(SIP_PROXY, IMS), at(PRESENCE_ENGINE, IMS)), false),
        arguments("cup-xmpp", IMS, "subjectAltNames: [example.com]", "subject alternative names lack example.com",
            KeyType.RSA, 2048, List.of(IMS, "example.com"), List.of(at(XCP_ROUTER, IMP), at(XCP_ROUTER, IMS)), false),
        arguments("cup-xmpp-s2s", IMP, "subjectAltNames: [example.com]", "subject alternative names lack example.com",
            KeyType.RSA, 2048, List.of(IMP, "example.com"), List.of(at(FEDERATION, IMP)), false),
        arguments("cup-xmpp-s2s-ECDSA", IMS, "subjectAltNames: [example.com]", "subject alternative names lack example.com",
            KeyType.EC, 384, List.of(IMS, "example.com"), List.of(), false));
  }

  @ParameterizedTest(name = "{0} on {1}: {3}")
  @MethodSource("identityChanges")
  void aSelfSignedIdentityThatDiffersIsRegenerated(String service, String node, String field, String reason, KeyType type,
      int size, List<String> names, List<String> restarts, boolean trustList) throws IOException {
    ResolvedDesired desired = desired("", "certificates.yaml", """
        apiVersion: uctrust/v1
        kind: Certificate
        metadata: {name: identity}
        spec:
          service: %s
          nodes: [%s]
          %s
          issuer: {type: self-signed}
        """.formatted(service, node, field));
    ObservedCluster observed = lab().observe();
    Service parsed = desired.state().certificates().get(0).spec().service();
    ObservedCluster.Certificate current = observedNode(observed, node).identities().stream()
        .filter(i -> i.service() == parsed).findFirst().orElseThrow().certificate();

    Plan plan = PlanFixture.plan(desired, observed);

    assertThat(drafts(plan)).containsExactly(change(Phase.IDENTITY, Action.REPLACE, "identity-certificate",
        node + "/" + service, current.subject() + " (sha256 " + current.sha256().substring(0, 16) + ", expires 2031-11-30)",
        "self-signed, " + type + " " + size + ", SHA256, 1825 days, SAN " + String.join(", ", names), reason,
        "certificates.yaml:5", new Impact(restarts, trustList, 0),
        new Operation.RegenerateSelfSigned(node, parsed, type, size, Hash.SHA256, node, names, 1825)));
    assertThat(restarts(plan)).containsExactlyElementsOf(restarts);
    // ipsec has no TLS port to check
    assertThat(PlanFixture.verifications(plan)).containsExactlyElementsOf(
        parsed == Service.IPSEC ? List.of() : List.of(node + "/" + service));
  }

  @Test
  void everyNodeWithANewIdentityIsCheckedOverTlsAfterAllRestartsNodeByNode() throws IOException {
    ResolvedDesired desired = desired("", "certificates.yaml", """
        apiVersion: uctrust/v1
        kind: Certificate
        metadata: {name: cup-xmpp}
        spec:
          service: cup-xmpp
          nodes: [imp-sub1.example.com]
          subjectAltNames: [example.com]
          issuer: {type: self-signed}
        ---
        apiVersion: uctrust/v1
        kind: Certificate
        metadata: {name: tomcat}
        spec:
          service: tomcat
          distribution: multi-server
          nodes: [cucm-pub.example.com, cucm-sub1.example.com]
          issuer: {type: self-signed}
        ---
        apiVersion: uctrust/v1
        kind: Certificate
        metadata: {name: ipsec}
        spec:
          service: ipsec
          nodes: [cucm-sub1.example.com]
          subjectAltNames: [ipsec.example.com]
          issuer: {type: self-signed}
        """);

    Plan plan = PlanFixture.plan(desired, lab().observe());

    List<Change> checks = plan.changes().stream().filter(c -> c.phase() == Phase.VERIFY).toList();
    assertThat(checks).extracting(Change::address).containsExactly(PUB + "/tomcat", SUB + "/tomcat", IMS + "/cup-xmpp");
    int lastRestart = plan.changes().stream().filter(c -> c.phase() == Phase.RESTART).mapToInt(Change::id).max().orElseThrow();
    assertThat(checks).allSatisfy(c -> {
      assertThat(c.id()).isGreaterThan(lastRestart);
      assertThat(c.action()).isEqualTo(Action.VERIFY);
      assertThat(c.resource()).isEqualTo("served-identity");
      assertThat(c.reason()).isEqualTo("the node must serve the new certificate after its restart");
      assertThat(c.impact()).isEqualTo(Impact.NONE);
    });
    assertThat(checks.get(0).after()).isEqualTo("TLS port 8443 serves the new certificate");
    assertThat(checks.get(2).after()).isEqualTo("TLS port 5222 serves the new certificate");
    assertThat(checks).flatExtracting(Change::operations).containsExactly(
        new Operation.VerifyServedIdentity(PUB, Service.TOMCAT, KeyType.RSA, null),
        new Operation.VerifyServedIdentity(SUB, Service.TOMCAT, KeyType.RSA, null),
        new Operation.VerifyServedIdentity(IMS, Service.CUP_XMPP, KeyType.RSA, null));
    assertThat(plan.summary().line()).as("checks change nothing")
        .isEqualTo("0 to add, 4 to change, 0 to remove, 4 restarts, 0 phones affected");
  }

  @Test
  void aRegeneratedIdentityTakesTheCommonNameAndHashOfTheDocumentAndEveryReason() throws IOException {
    ResolvedDesired desired = desired("", "certificates.yaml", """
        apiVersion: uctrust/v1
        kind: Certificate
        metadata: {name: tomcat}
        spec:
          service: tomcat
          nodes: all
          commonName: uc.example.com
          subjectAltNames: [uc.example.com]
          key: {type: rsa, size: 4096}
          hash: sha512
          issuer: {type: self-signed}
        """);
    LabCluster lab = lab(state -> ((ObjectNode) PlanFixture.node(state, SUB).get("identities").get("tomcat"))
        .put("selfSigned", false));

    Plan plan = PlanFixture.plan(desired, lab.observe());

    assertThat(withoutRestarts(plan)).extracting(Change::address)
        .containsExactly(PUB + "/tomcat", SUB + "/tomcat", IMP + "/tomcat", IMS + "/tomcat");
    Change sub = withoutRestarts(plan).get(1);
    assertThat(sub.reason()).isEqualTo("it is CA-signed, the desired issuer is self-signed; key is RSA 2048, desired RSA "
        + "4096; subject alternative names lack uc.example.com; common name is cucm-sub1.example.com, desired uc.example.com");
    assertThat(sub.after()).isEqualTo("self-signed, RSA 4096, SHA512, 1825 days, SAN cucm-sub1.example.com, uc.example.com");
    assertThat(sub.operations()).containsExactly(new Operation.RegenerateSelfSigned(SUB, Service.TOMCAT, KeyType.RSA, 4096,
        Hash.SHA512, "uc.example.com", List.of(SUB, "uc.example.com"), 1825));
    assertThat(restarts(plan)).containsExactly(at(TOMCAT, PUB), at(TOMCAT, SUB), at(TOMCAT, IMP), at(TOMCAT, IMS));
  }

  @Test
  void aMultiServerSelfSignedIdentityNamesEveryNodeOfTheDocument() throws IOException {
    ResolvedDesired desired = desired("", "certificates.yaml", """
        apiVersion: uctrust/v1
        kind: Certificate
        metadata: {name: tomcat}
        spec:
          service: tomcat
          distribution: multi-server
          nodes: [cucm-pub.example.com, cucm-sub1.example.com]
          issuer: {type: self-signed}
        """);

    Plan plan = PlanFixture.plan(desired, lab().observe());

    assertThat(withoutRestarts(plan)).isNotEmpty().allSatisfy(c -> assertThat(c.operations()).singleElement()
        .isInstanceOfSatisfying(Operation.RegenerateSelfSigned.class, op -> {
          assertThat(op.subjectAltNames()).contains(PUB, SUB);
          assertThat(op.commonName()).isEqualTo(PUB);
        }));
  }

  @Test
  void aSelfSignedIdentityWithAnotherCommonNameIsRegenerated() throws IOException {
    ResolvedDesired desired = desired("", "certificates.yaml", """
        apiVersion: uctrust/v1
        kind: Certificate
        metadata: {name: tomcat}
        spec:
          service: tomcat
          nodes: [cucm-pub.example.com]
          commonName: uc.example.com
          issuer: {type: self-signed}
        """);

    Plan plan = PlanFixture.plan(desired, lab().observe());

    assertThat(withoutRestarts(plan)).singleElement().satisfies(c -> assertThat(c.operations()).containsExactly(
        new Operation.RegenerateSelfSigned(PUB, Service.TOMCAT, KeyType.RSA, 2048, Hash.SHA256, "uc.example.com",
            List.of(PUB), 1825)));
  }

  static Stream<Arguments> renewals() {
    return Stream.of(
        arguments("renewBefore: 60d", Instant.parse("2031-10-01T00:00:00Z")),
        arguments("renewBefore: 2w", Instant.parse("2031-11-16T00:00:00Z")),
        arguments("renewBeforePercent: 50", Instant.parse("2029-05-31T11:57:30Z")),
        arguments("renewBeforePercent: 10", Instant.parse("2031-05-31T11:59:30Z")),
        arguments("", Instant.parse("2030-04-06T17:58:21Z")));
  }

  @ParameterizedTest(name = "[{0}] due at {1}")
  @MethodSource("renewals")
  void aSelfSignedIdentityIsRenewedFromTheMomentItIsDueAndNotBefore(String renewal, Instant due) throws IOException {
    ResolvedDesired desired = desired("", "certificates.yaml", """
        apiVersion: uctrust/v1
        kind: Certificate
        metadata: {name: callmanager-ecdsa}
        spec:
          service: CallManager-ECDSA
          nodes: [cucm-pub.example.com]
          issuer: {type: self-signed}
          %s
        """.formatted(renewal));
    ObservedCluster observed = lab().observe();

    assertThat(PlanFixture.plan(desired, observed).changes()).as("now").isEmpty();
    Plan justBefore = PlanFixture.plan(desired, observed, Clock.fixed(due.minusSeconds(1), ZoneOffset.UTC));
    assertThat(justBefore.changes()).as("a second before it is due").isEmpty();
    Plan atDue = PlanFixture.plan(desired, observed, Clock.fixed(due, ZoneOffset.UTC));
    assertThat(withoutRestarts(atDue)).singleElement().satisfies(c -> {
      assertThat(c.action()).isEqualTo(Action.REPLACE);
      assertThat(c.address()).isEqualTo(PUB + "/CallManager-ECDSA");
      assertThat(c.reason()).isEqualTo("due for renewal since " + due.toString().substring(0, 10) + " (expires 2031-11-30)");
      assertThat(c.operations()).containsExactly(new Operation.RegenerateSelfSigned(PUB, Service.CALLMANAGER_ECDSA,
          KeyType.EC, 384, Hash.SHA256, PUB, List.of(PUB), 1825));
    });
    assertThat(restarts(atDue)).containsExactly(at(CALLMANAGER, PUB), at(TFTP, PUB));
  }

  @Test
  void aRenewBeforeAsLongAsTheSelfSignedLifetimeIsRejectedAndTheLongestAllowedConverges() throws IOException {
    PlanFixture.cluster(desiredDir(), "");
    PlanFixture.write(desiredDir(), "certificates.yaml", certificate("300w"));
    ValidationReport rejected = new Validator(PlanFixture.CLOCK, ValidationOptions.DEFAULTS).validate(desiredDir());
    assertThat(rejected.diagnostics()).singleElement().satisfies(d -> {
      assertThat(d.code()).isEqualTo("renewal");
      assertThat(d.message()).contains("is not shorter than the 1825-day lifetime");
    });

    // 260 weeks (1820 days): the seeded identity, five years old at most, is due six days after the lab was made.
    PlanFixture.write(desiredDir(), "certificates.yaml", certificate("260w"));
    ResolvedDesired desired = PlanFixture.desired(desiredDir());
    lab();
    java.time.Clock later = java.time.Clock.offset(PlanFixture.CLOCK, java.time.Duration.ofDays(6));
    LabCluster lab;
    try {
      lab = LabCluster.open(new io.uctrust.target.lab.LabStore(temp.resolve("lab")), "lab", PlanFixture.clusterSpec(), 0, later,
          java.time.Duration.ZERO);
    } catch (io.uctrust.cluster.ClusterException e) {
      throw new IllegalStateException(e);
    }
    Plan first = PlanFixture.plan(desired, lab.observe(), later);
    assertThat(withoutRestarts(first)).hasSize(1);

    applyAll(lab, first);

    // the renewed CallManager-ECDSA is then exchanged with IM and Presence (cup-trust), which only a plan made after
    // the renewal can know; after that, nothing
    Plan exchange = PlanFixture.plan(desired, lab.observe(), later);
    assertThat(withoutRestarts(exchange)).extracting(Change::address).containsExactly(IMP + "/cup-trust/" + PUB,
        IMS + "/cup-trust/" + PUB);
    applyAll(lab, exchange);
    assertThat(PlanFixture.plan(desired, lab.observe(), later).changes()).isEmpty();
  }

  private static String certificate(String renewBefore) {
    return """
        apiVersion: uctrust/v1
        kind: Certificate
        metadata: {name: callmanager-ecdsa}
        spec:
          service: CallManager-ECDSA
          nodes: [cucm-pub.example.com]
          issuer: {type: self-signed}
          renewBefore: %s
        """.formatted(renewBefore);
  }

  @Test
  void anIdentityThatMatchesAndIsNotDueNeedsNothing() throws IOException {
    ResolvedDesired desired = desired("", "certificates.yaml", """
        apiVersion: uctrust/v1
        kind: Certificate
        metadata: {name: tomcat}
        spec:
          service: tomcat
          nodes: [cucm-pub.example.com]
          subjectAltNames: [CUCM-PUB.example.com]
          key: {type: rsa, size: 2048}
          hash: sha256
          issuer: {type: self-signed}
          renewBefore: 30d
        ---
        apiVersion: uctrust/v1
        kind: Certificate
        metadata: {name: tomcat-ecdsa}
        spec:
          service: tomcat-ECDSA
          nodes: all
          issuer: {type: self-signed}
        """);

    Plan plan = PlanFixture.plan(desired, lab().observe());

    assertThat(plan.changes()).isEmpty();
    assertThat(plan.notes()).hasSize(2).allSatisfy(n -> assertThat(n).contains(" renews next on "));
    assertThat(plan.notes().get(0)).startsWith("Certificate/tomcat: tomcat renews next on ").endsWith(", renewBefore 30d)");
  }

  // ----------------------------------------------------------------------------------------------- phones

  private static final String[] SOME_PHONES = {"SEP00AAA18E0000", "SEP00AAA18E0007", "SEP00AAA18E0449"};

  static Stream<Arguments> selectors() {
    Predicate<ObservedCluster.Phone> all = p -> true;
    Instant soon = NOW.plus(Duration.ofDays(30));
    return Stream.of(
        arguments("devicePools: [HQ]", (Predicate<ObservedCluster.Phone>) p -> p.devicePool().equals("HQ")),
        arguments("models: [Cisco 8865, Cisco 7841]",
            (Predicate<ObservedCluster.Phone>) p -> Set.of("Cisco 8865", "Cisco 7841").contains(p.model())),
        arguments("names: [" + String.join(", ", SOME_PHONES) + "]",
            (Predicate<ObservedCluster.Phone>) p -> Set.of(SOME_PHONES).contains(p.name())),
        arguments("lsc: {expiresWithinDays: 30}",
            (Predicate<ObservedCluster.Phone>) p -> p.lsc() != null && p.lsc().notAfter().isBefore(soon)),
        arguments("lsc: {missing: true}", (Predicate<ObservedCluster.Phone>) p -> p.lsc() == null),
        arguments("devicePools: [Branch-East, Branch-West]\nmodels: [Cisco 8845]\nlsc: {missing: true}",
            (Predicate<ObservedCluster.Phone>) p -> Set.of("Branch-East", "Branch-West").contains(p.devicePool())
                && p.model().equals("Cisco 8845") && p.lsc() == null),
        arguments("all: true", all));
  }

  private ResolvedDesired policy(String selector, String rest) throws IOException {
    return desired("", "phones.yaml", """
        apiVersion: uctrust/v1
        kind: PhoneCertificatePolicy
        metadata: {name: policy}
        spec:
          selector:
        %s
        %s""".formatted(selector.lines().map(l -> "    " + l).reduce((a, b) -> a + "\n" + b).orElse(""), rest));
  }

  private static final String INSTALL_NULL_STRING = """
        operation: install-upgrade
        authentication: {mode: null-string}
      """;

  @ParameterizedTest(name = "{0}")
  @MethodSource("selectors")
  void aPolicySetsTheCapfOperationOnEverySelectedPhoneWithoutAFreshLscInBatchesOf500(String selector,
      Predicate<ObservedCluster.Phone> selects) throws IOException {
    ResolvedDesired desired = policy(selector, INSTALL_NULL_STRING);
    LabCluster lab = lab();
    ObservedCluster observed = lab.observe();
    // a phone whose LSC from the cluster's CAPF outlives the selector's window already has what install-upgrade gives
    Instant fresh = NOW.plus(Duration.ofDays(selector.contains("expiresWithinDays: 30") ? 30 : 0));
    List<String> phones = observed.phones().stream().filter(selects)
        .filter(p -> p.lsc() == null || !p.lsc().notAfter().isAfter(fresh)).map(ObservedCluster.Phone::name).toList();
    assertThat(phones).as("the lab has phones this selector selects").isNotEmpty();

    Plan plan = PlanFixture.plan(desired, observed);

    List<Operation> batches = new ArrayList<>();
    for (int i = 0; i < phones.size(); i += 500) {
      batches.add(new Operation.SetPhoneCapf(phones.subList(i, Math.min(phones.size(), i + 500)),
          io.uctrust.desired.PhoneCertificatePolicySpec.Operation.INSTALL_UPGRADE, AuthenticationMode.NULL_STRING, null,
          KeyOrder.RSA_ONLY, 2048, 256, null));
    }
    assertThat(plan.changes()).singleElement().satisfies(c -> {
      assertThat(c.phase()).isEqualTo(Phase.PHONES);
      assertThat(c.action()).isEqualTo(Action.UPDATE);
      assertThat(c.resource()).isEqualTo("phone-capf");
      assertThat(c.address()).isEqualTo("PhoneCertificatePolicy/policy (" + phones.size() + " phone"
          + (phones.size() == 1 ? "" : "s") + ")");
      assertThat(c.after()).isEqualTo("Install/Upgrade, By Null String, rsa-only RSA 2048");
      assertThat(c.reason()).startsWith("selected by PhoneCertificatePolicy/policy and not yet in that state: " + phones.get(0)
          + " (");
      assertThat(c.reason()).as("the first few names, then how many more")
          .endsWith(phones.size() > 5 ? " and " + (phones.size() - 5) + " more" : ")");
      assertThat(c.source()).as("the first line of the selector").isEqualTo("phones.yaml:6");
      assertThat(c.impact()).isEqualTo(new Impact(List.of(), false, phones.size()));
      assertThat(c.phones()).containsExactlyElementsOf(phones);
      assertThat(c.operations()).containsExactlyElementsOf(batches);
    });
    assertThat(batches).extracting(op -> ((Operation.SetPhoneCapf) op).phones().size())
        .allSatisfy(size -> assertThat(size).isBetween(1, 500));

    applyAll(lab, plan);
    assertThat(PlanFixture.plan(desired, lab.observe()).changes()).as("pending phones are not touched again").isEmpty();
  }

  static Stream<Arguments> authentications() {
    return Stream.of(
        arguments("""
              operation: install-upgrade
              authentication: {mode: auth-string, string: env:PHONE_AUTH}
              key: {order: ec-preferred, rsaSize: 3072, ecSize: 384}
              completeBy: "2027-01-15T18:00"
            """, new Operation.SetPhoneCapf(List.of(), io.uctrust.desired.PhoneCertificatePolicySpec.Operation.INSTALL_UPGRADE,
                AuthenticationMode.AUTH_STRING, new SecretRef(SecretRef.Source.ENV, "PHONE_AUTH"), KeyOrder.EC_PREFERRED,
                3072, 384, "2027-01-15T18:00"),
            "Install/Upgrade, By Authentication String, ec-preferred RSA 3072, by 2027-01-15T18:00, authentication string "
                + "env:PHONE_AUTH"),
        arguments("""
              operation: install-upgrade
              authentication: {mode: auth-string, string: generate-unique}
              key: {order: ec-only, ecSize: 521}
            """, new Operation.SetPhoneCapf(List.of(), io.uctrust.desired.PhoneCertificatePolicySpec.Operation.INSTALL_UPGRADE,
                AuthenticationMode.AUTH_STRING, new SecretRef(SecretRef.Source.GENERATE_UNIQUE, ""), KeyOrder.EC_ONLY,
                2048, 521, null),
            "Install/Upgrade, By Authentication String, ec-only EC 521, authentication string generate-unique"),
        arguments("""
              operation: delete
              authentication: {mode: existing-certificate-lsc}
            """, new Operation.SetPhoneCapf(List.of(), io.uctrust.desired.PhoneCertificatePolicySpec.Operation.DELETE,
                AuthenticationMode.EXISTING_CERTIFICATE_LSC, null, KeyOrder.RSA_ONLY, 2048, 256, null),
            "Delete, By Existing Certificate (precedence to LSC), rsa-only RSA 2048"),
        arguments("""
              operation: troubleshoot
              authentication: {mode: existing-certificate-mic}
              key: {order: rsa-only, rsaSize: 1024}
            """, new Operation.SetPhoneCapf(List.of(), io.uctrust.desired.PhoneCertificatePolicySpec.Operation.TROUBLESHOOT,
                AuthenticationMode.EXISTING_CERTIFICATE_MIC, null, KeyOrder.RSA_ONLY, 1024, 256, null),
            "Troubleshoot, By Existing Certificate (precedence to MIC), rsa-only RSA 1024"));
  }

  @ParameterizedTest(name = "{2}")
  @MethodSource("authentications")
  void aPolicyCarriesItsOperationAuthenticationKeyAndDeadlineToThePhones(String spec, Operation.SetPhoneCapf expected,
      String after) throws IOException {
    ResolvedDesired desired = policy("devicePools: [Remote-Workers]", spec);
    LabCluster lab = lab();
    ObservedCluster observed = lab.observe();
    // install-upgrade leaves phones with a fresh LSC from the cluster's CAPF alone, delete those without an LSC
    List<String> phones = observed.phones().stream().filter(p -> p.devicePool().equals("Remote-Workers"))
        .filter(p -> switch (expected.operation()) {
          case INSTALL_UPGRADE -> p.lsc() == null || !p.lsc().notAfter().isAfter(NOW);
          case DELETE -> p.lsc() != null;
          default -> true;
        })
        .map(ObservedCluster.Phone::name).toList();

    Plan plan = PlanFixture.plan(desired, observed);

    assertThat(plan.changes()).singleElement().satisfies(c -> {
      assertThat(c.after()).isEqualTo(after);
      assertThat(c.operations()).containsExactly(new Operation.SetPhoneCapf(phones, expected.operation(),
          expected.authenticationMode(), expected.authenticationString(), expected.keyOrder(), expected.rsaSize(),
          expected.ecSize(), expected.completeBy()));
    });
    applyAll(lab, plan);
    assertThat(PlanFixture.plan(desired, lab.observe()).changes()).isEmpty();
  }

  @Test
  void phonesAlreadyPendingTheSameOperationAreNotTouchedButOnesWithOtherSettingsAre() throws IOException {
    ResolvedDesired desired = policy("devicePools: [HQ]", INSTALL_NULL_STRING);
    List<ObservedCluster.Phone> hq = lab().observe().phones().stream().filter(p -> p.devicePool().equals("HQ")).toList();
    List<String> names = hq.stream().map(ObservedCluster.Phone::name).toList();
    // phones still in their CAPF session (operation pending): ten with the policy's settings, five with another key size
    LabCluster lab = lab(state -> state.withArray("phones").forEach(phone -> {
      int index = names.indexOf(phone.get("name").asText());
      if (index >= 0 && index < 15) {
        ObjectNode p = (ObjectNode) phone;
        p.put("certificateOperation", "INSTALL_UPGRADE").put("authenticationMode", "NULL_STRING").put("keyOrder", "RSA_ONLY")
            .put("rsaSize", index < 10 ? 2048 : 1024).put("ecSize", 256).put("certificateStatus", "Operation Pending");
      }
    }));
    List<String> expected = new ArrayList<>(names.subList(10, 15));
    hq.subList(15, hq.size()).stream().filter(p -> p.lsc() == null || !p.lsc().notAfter().isAfter(NOW))
        .forEach(p -> expected.add(p.name()));

    Plan plan = PlanFixture.plan(desired, lab.observe());

    assertThat(plan.changes()).singleElement().satisfies(c -> {
      assertThat(c.phones()).containsExactlyElementsOf(expected);
      assertThat(c.impact().phones()).isEqualTo(expected.size());
      assertThat(c.reason()).contains(names.get(10) + " (Install/Upgrade pending with other settings)");
    });
  }

  @Test
  void aPolicyWithOperationNoneLeavesPhonesWithoutPendingOperationsAlone() throws IOException {
    ResolvedDesired desired = policy("all: true", "  operation: none\n");

    assertThat(PlanFixture.plan(desired, lab().observe()).changes()).isEmpty();
  }

  @Test
  void whenTwoPoliciesSelectAPhoneTheFirstWinsAndThePlanSaysSo() throws IOException {
    ResolvedDesired desired = desired("", "phones.yaml", """
        apiVersion: uctrust/v1
        kind: PhoneCertificatePolicy
        metadata: {name: first}
        spec:
          selector: {devicePools: [HQ]}
          operation: none
        ---
        apiVersion: uctrust/v1
        kind: PhoneCertificatePolicy
        metadata: {name: second}
        spec:
          selector: {models: [Cisco 8865]}
          operation: install-upgrade
          authentication: {mode: null-string}
        """);
    ObservedCluster observed = lab().observe();
    List<String> both = observed.phones().stream().filter(p -> p.devicePool().equals("HQ") && p.model().equals("Cisco 8865"))
        .map(ObservedCluster.Phone::name).toList();
    List<String> secondOnly = observed.phones().stream()
        .filter(p -> !p.devicePool().equals("HQ") && p.model().equals("Cisco 8865"))
        .filter(p -> p.lsc() == null || !p.lsc().notAfter().isAfter(NOW)).map(ObservedCluster.Phone::name).toList();
    assertThat(both).isNotEmpty();

    Plan plan = PlanFixture.plan(desired, observed);

    assertThat(plan.changes()).singleElement().satisfies(c -> {
      assertThat(c.address()).isEqualTo("PhoneCertificatePolicy/second (" + secondOnly.size() + " phones)");
      assertThat(c.phones()).containsExactlyElementsOf(secondOnly);
    });
    assertThat(plan.notes()).containsExactly("PhoneCertificatePolicy/second also selects " + both.size() + " phone(s) that an "
        + "earlier policy claims, e.g. " + both.get(0) + " (first); the earlier policy applies to them");
  }

  @Test
  void mraActivationIsSetOnTheSelectedPhonesInBatchesOf500() throws IOException {
    ResolvedDesired desired = desired("", "sip.yaml", """
        apiVersion: uctrust/v1
        kind: SipOAuth
        metadata: {name: sip}
        spec:
          enabled: false
          mraActivation:
            - {devicePools: [Remote-Workers], models: [Cisco 8865], serviceDomain: mra.example.com,
               securityProfile: Cisco 8865 - OAuth}
            - {devicePools: [HQ, Branch-East, Branch-West], serviceDomain: office.example.com,
               securityProfile: Office OAuth}
        """);
    LabCluster lab = lab();
    ObservedCluster observed = lab.observe();
    List<String> remote = observed.phones().stream()
        .filter(p -> p.devicePool().equals("Remote-Workers") && p.model().equals("Cisco 8865"))
        .map(ObservedCluster.Phone::name).toList();
    List<String> office = observed.phones().stream().filter(p -> !p.devicePool().equals("Remote-Workers"))
        .map(ObservedCluster.Phone::name).toList();
    assertThat(office).hasSizeGreaterThan(500);

    Plan plan = PlanFixture.plan(desired, observed);

    assertThat(plan.changes()).hasSize(2);
    assertThat(plan.changes().get(0)).isEqualTo(new Change(1, Phase.PHONES, Action.UPDATE, "phone-mra-activation",
        "SipOAuth/sip mraActivation[0] (" + remote.size() + " phones)", "",
        "Allow Activation Code via MRA, service domain mra.example.com, profile Cisco 8865 - OAuth", "selected by SipOAuth/sip",
        "sip.yaml:7", new Impact(List.of(), false, remote.size()), remote,
        List.of(new Operation.SetPhoneMra(remote, "mra.example.com", "Cisco 8865 - OAuth"))));
    assertThat(plan.changes().get(1).phones()).containsExactlyElementsOf(office);
    assertThat(plan.changes().get(1).operations()).extracting(op -> ((Operation.SetPhoneMra) op).phones().size())
        .containsExactly(500, office.size() - 500);

    applyAll(lab, plan);
    assertThat(PlanFixture.plan(desired, lab.observe()).changes()).isEmpty();
  }

  @Test
  void overlappingMraActivationEntriesConverge() throws IOException {
    ResolvedDesired desired = desired("", "sip.yaml", """
        apiVersion: uctrust/v1
        kind: SipOAuth
        metadata: {name: sip}
        spec:
          enabled: false
          mraActivation:
            - {devicePools: [Remote-Workers], serviceDomain: mra.example.com, securityProfile: Remote OAuth}
            - {models: [Cisco 8865], serviceDomain: office.example.com, securityProfile: Office OAuth}
        """);
    LabCluster lab = lab();

    applyAll(lab, PlanFixture.plan(desired, lab.observe()));

    assertThat(PlanFixture.plan(desired, lab.observe()).changes()).isEmpty();
  }

  // --------------------------------------------------------------------------------------- whole plans

  /** A desired state touching every phase, like examples/lab. */
  private ResolvedDesired everything() throws IOException {
    ca("certs/root.pem", "Corp Root");
    ca("certs/edge.pem", "Edge CA");
    PlanFixture.write(desiredDir(), "trust.yaml", ONLINE_CA_TRUST + """
        ---
        apiVersion: uctrust/v1
        kind: TrustStore
        metadata: {name: tomcat-trust}
        spec:
          store: tomcat-trust
          certificates: [{file: certs/edge.pem}]
          prune: true
        ---
        apiVersion: uctrust/v1
        kind: TrustStore
        metadata: {name: cm-roots}
        spec:
          store: CallManager-trust
          removeManufacturingRoots: true
        ---
        apiVersion: uctrust/v1
        kind: TrustStore
        metadata: {name: phone-edge}
        spec:
          store: Phone-Edge-trust
          certificates: [{file: certs/root.pem}]
        """);
    PlanFixture.write(desiredDir(), "certificates.yaml", """
        apiVersion: uctrust/v1
        kind: Certificate
        metadata: {name: tomcat}
        spec:
          service: tomcat
          nodes: all
          subjectAltNames: [uc.example.com]
          issuer: {type: self-signed}
        ---
        apiVersion: uctrust/v1
        kind: Certificate
        metadata: {name: cup-xmpp}
        spec:
          service: cup-xmpp
          nodes: [imp-pub.example.com]
          subjectAltNames: [example.com]
          issuer: {type: self-signed}
        """);
    PlanFixture.write(desiredDir(), "phones.yaml", """
        apiVersion: uctrust/v1
        kind: PhoneCertificatePolicy
        metadata: {name: renew}
        spec:
          selector: {lsc: {expiresWithinDays: 30}}
          operation: install-upgrade
          authentication: {mode: existing-certificate-lsc}
        """);
    PlanFixture.write(desiredDir(), "sip.yaml", """
        apiVersion: uctrust/v1
        kind: SipOAuth
        metadata: {name: sip}
        spec:
          enabled: true
          ports: [{node: cucm-sub1.example.com, phone: 5095, mra: 5096}]
          phoneSecurityProfiles:
            - {name: Cisco 8865 - OAuth, phoneType: Cisco 8865, deviceSecurityMode: encrypted, transport: tls, oauth: true}
          mraActivation:
            - {devicePools: [Remote-Workers], serviceDomain: mra.example.com, securityProfile: Cisco 8865 - OAuth}
        """);
    PlanFixture.write(desiredDir(), "monitoring.yaml", """
        apiVersion: uctrust/v1
        kind: Monitoring
        metadata: {name: monitoring}
        spec:
          certificateMonitor: {lscMonitoring: true}
        """);
    return onlineCaCluster();
  }

  private ResolvedDesired onlineCaCluster() throws IOException {
    return desired("""
        security: {mixedMode: true}
        enterpriseParameters: {enableIpv6: true, oauthWithRefreshLoginFlow: true}
        imAndPresence: {xmppDomain: example.com}
        """, "capf.yaml", """
        apiVersion: uctrust/v1
        kind: Capf
        metadata: {name: capf}
        spec:
          issuer: online-ca
          keepAliveMinutes: 20
          deleteStaleLscs: true
          onlineCa:
            hostname: ca.example.com
            port: 443
            template: CiscoLSC
            type: microsoft-ca
            username: svc-capf
            password: env:UCTRUST_ONLINE_CA_PASSWORD
            caCertificate: certs/root.pem
        """);
  }

  private LabCluster everythingLab() {
    String old = caPem("Old Tomcat CA");
    LabCluster lab = lab(state -> PlanFixture.staleLscs(state, 3));
    perform(lab, new Operation.UploadTrust(IMP, Store.TOMCAT_TRUST, old, "old"));
    return lab;
  }

  @Test
  void aPlanRunsTrustThenSettingsThenIdentitiesThenCleanupThenRestartsThenChecksThenPhonesNumberedInOrder()
      throws IOException {
    ResolvedDesired desired = everything();
    LabCluster lab = everythingLab();

    Plan plan = PlanFixture.plan(desired, lab.observe());

    assertThat(plan.changes()).extracting(Change::phase).isSortedAccordingTo(java.util.Comparator.naturalOrder())
        .containsAll(List.of(Phase.values()));
    List<Phase> order = plan.changes().stream().map(Change::phase).distinct().toList();
    assertThat(order).containsExactly(Phase.TRUST, Phase.SETTINGS, Phase.IDENTITY, Phase.TRUST_CLEANUP, Phase.RESTART,
        Phase.VERIFY, Phase.PHONES, Phase.MANUAL);
    assertThat(plan.changes()).extracting(Change::id)
        .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, plan.changes().size()).boxed().toList());
    assertThat(plan.format()).isEqualTo(Plan.FORMAT);
    assertThat(plan.cluster()).isEqualTo("lab");
    assertThat(plan.target()).isEqualTo("lab");
    assertThat(plan.createdAt()).isEqualTo(NOW);
    assertThat(plan.desiredFingerprint()).isEqualTo(desired.fingerprint());
  }

  @Test
  void everyNeededRestartHappensExactlyOnceNodeByNodeInClusterOrderWithTomcatLastOnItsNode() throws IOException {
    ResolvedDesired desired = everything();
    LabCluster lab = everythingLab();

    Plan plan = PlanFixture.plan(desired, lab.observe());

    List<String> restarts = restarts(plan);
    Set<String> needed = new LinkedHashSet<>();
    plan.changes().forEach(c -> needed.addAll(c.impact().restarts()));
    assertThat(restarts).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(needed);
    List<Integer> nodeIndex = restarts.stream().map(r -> NODES.indexOf(r.substring(r.indexOf('@') + 1))).toList();
    assertThat(nodeIndex).doesNotContain(-1).isSorted();
    for (String node : NODES) {
      List<String> onNode = restarts.stream().filter(r -> r.endsWith("@" + node)).toList();
      assertThat(onNode).as("restarts on %s", node).contains(at(TOMCAT, node));
      assertThat(onNode.get(onNode.size() - 1)).as("last restart on %s", node).isEqualTo(at(TOMCAT, node));
    }
    assertThat(restarts).containsExactly(
        at(CAPF, PUB), at(CALLMANAGER, PUB), at(TFTP, PUB), at(TOMCAT, PUB),
        at(CALLMANAGER, SUB), at(TFTP, SUB), at(TOMCAT, SUB),
        at(SYNC_AGENT, IMP), at(XCP_ROUTER, IMP), at(TOMCAT, IMP),
        at(XCP_ROUTER, IMS), at(TOMCAT, IMS));
    for (Change restart : plan.changes().stream().filter(c -> c.phase() == Phase.RESTART).toList()) {
      String node = restart.address().substring(restart.address().indexOf('@') + 1);
      String service = restart.address().substring(0, restart.address().indexOf('@'));
      List<String> needing = plan.changes().stream().filter(c -> c.impact().restarts().contains(restart.address()))
          .map(c -> c.resource() + " " + c.address()).toList();
      assertThat(restart.action()).isEqualTo(Action.RESTART);
      assertThat(restart.resource()).isEqualTo("service");
      assertThat(restart.impact()).isEqualTo(Impact.NONE);
      assertThat(restart.reason()).isEqualTo(needing.size() == 1 ? "needed after " + needing.get(0)
          : "needed after " + needing.size() + " changes: " + String.join("; ", needing.subList(0, Math.min(3, needing.size())))
              + (needing.size() > 3 ? "; ..." : ""));
      assertThat(restart.operations()).containsExactly(new Operation.RestartService(node, service, restart.reason()));
    }
    assertThat(plan.changes()).filteredOn(c -> c.phase() == Phase.RESTART)
        .anySatisfy(c -> assertThat(c.reason()).endsWith("; ..."));
  }

  @Test
  void everyChangeKindOfTheExampleIsPresentAndApplyingItLeavesNothingToDo() throws IOException {
    ResolvedDesired desired = everything();
    LabCluster lab = everythingLab();

    Plan plan = PlanFixture.plan(desired, lab.observe());

    assertThat(plan.changes()).extracting(Change::resource).contains("trust-certificate", "enterprise-parameter",
        "im-and-presence-setting", "cluster-security", "capf-parameter", "service", "capf-keepalive", "stale-lsc",
        "sip-oauth-mode", "sip-oauth-ports", "phone-security-profile", "monitoring-setting", "identity-certificate",
        "phone-capf", "phone-mra-activation");
    applyAll(lab, plan);
    Plan again = PlanFixture.plan(desired, lab.observe());
    // the manual step, and a check for the phones whose online CA (not reachable from the lab) could not sign
    assertThat(again.changes()).as("only the manual step and checks are left").extracting(Change::phase)
        .containsOnly(Phase.MANUAL);
    assertThat(again.changes()).extracting(Change::action).containsOnlyOnce(Action.MANUAL);
  }

  @Test
  void aPlanReadBackFromItsJsonIsTheSamePlan() throws IOException {
    ResolvedDesired desired = everything();

    Plan plan = PlanFixture.plan(desired, everythingLab().observe());

    assertThat(PlanJson.read(PlanJson.write(plan))).isEqualTo(plan);
  }

  @Test
  void whatTheDesiredStateDoesNotNameIsNotManaged() throws IOException {
    ca("certs/root.pem", "Corp Root");
    ResolvedDesired desired = desired("""
        enterpriseParameters:
          certificateValidityCheck: {frequencyDays: 1}
        imAndPresence: {hostedDomains: []}
        """, "all.yaml", """
        apiVersion: uctrust/v1
        kind: Capf
        metadata: {name: capf}
        spec:
          onlineCa: {hostname: ca.example.com, port: 8443}
        ---
        apiVersion: uctrust/v1
        kind: SipOAuth
        metadata: {name: sip}
        spec:
          enabled: false
        ---
        apiVersion: uctrust/v1
        kind: Monitoring
        metadata: {name: monitoring}
        spec:
          certificateMonitor: {email: {}}
          revocation: {ocsp: {}}
        ---
        apiVersion: uctrust/v1
        kind: TrustStore
        metadata: {name: cm}
        spec:
          store: CallManager-trust
          prune: true
        ---
        apiVersion: uctrust/v1
        kind: PhoneCertificatePolicy
        metadata: {name: nothing-pending}
        spec:
          selector: {all: true}
          operation: none
        """);
    LabCluster lab = lab(state -> PlanFixture.staleLscs(state, 4));

    Plan plan = PlanFixture.plan(desired, lab.observe());

    assertThat(plan.changes()).isEmpty();
    assertThat(plan.notes()).isEmpty();
    assertThat(plan.summary().line()).isEqualTo("0 to add, 0 to change, 0 to remove, 0 restarts, 0 phones affected");
  }

  @Test
  void inAFolderWithTwoClustersOnlyTheDocumentsOfThePlannedClusterCount() throws IOException {
    ca("certs/root.pem", "Corp Root");
    PlanFixture.write(desiredDir(), "cluster.yaml", PlanFixture.CLUSTER + """
        ---
        apiVersion: uctrust/v1
        kind: Cluster
        metadata: {name: branch}
        spec:
          target: {type: lab}
          nodes: [{name: branch-pub.example.com, role: cucm-publisher}]
        """);
    PlanFixture.write(desiredDir(), "docs.yaml", """
        apiVersion: uctrust/v1
        kind: Capf
        metadata: {name: capf-lab, cluster: lab}
        spec: {keepAliveMinutes: 30}
        ---
        apiVersion: uctrust/v1
        kind: Capf
        metadata: {name: capf-branch, cluster: branch}
        spec: {keepAliveMinutes: 45}
        ---
        apiVersion: uctrust/v1
        kind: TrustStore
        metadata: {name: branch-trust, cluster: branch}
        spec:
          store: CallManager-trust
          certificates: [{file: certs/root.pem}]
        """);
    ResolvedDesired desired = PlanFixture.desired(desiredDir());
    var lab = desired.state().clusters().stream().filter(c -> c.name().equals("lab")).findFirst().orElseThrow();

    Plan plan = new Planner().plan(desired, lab, lab().observe(), PlanFixture.CLOCK);

    assertThat(plan.cluster()).isEqualTo("lab");
    assertThat(plan.changes()).singleElement().satisfies(c -> {
      assertThat(c.address()).isEqualTo("CAPF keepalive");
      assertThat(c.after()).isEqualTo("30 minutes");
    });
  }

  @Test
  void theSamePlanComesOutEveryTimeFromTheSameInputs() throws IOException {
    ResolvedDesired desired = everything();
    LabCluster lab = everythingLab();
    ObservedCluster observed = lab.observe();

    Plan first = PlanFixture.plan(desired, observed);
    Plan second = PlanFixture.plan(desired, observed);
    Plan fromFreshInputs = PlanFixture.plan(PlanFixture.desired(desiredDir()), lab.observe());

    assertThat(second).isEqualTo(first);
    assertThat(fromFreshInputs).isEqualTo(first);
    assertThat(PlanJson.write(fromFreshInputs)).isEqualTo(PlanJson.write(first));
    assertThat(lab.observe()).as("planning changes nothing on the cluster").isEqualTo(observed);
    assertThat(first.observedFingerprint()).isEqualTo(observed.fingerprint()).startsWith("sha256:");
  }
}
