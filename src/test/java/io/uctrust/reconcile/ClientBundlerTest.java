package io.uctrust.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.uctrust.desired.CertificateSpec.Service;
import io.uctrust.desired.ClusterSpec;
import io.uctrust.desired.ClusterSpec.NodeRole;
import io.uctrust.desired.DesiredResolver;
import io.uctrust.desired.Document;
import io.uctrust.desired.ResolvedDesired;
import io.uctrust.desired.TrustStoreSpec.Store;
import io.uctrust.diagnostic.Diagnostic;
import io.uctrust.observed.ObservedCluster;
import io.uctrust.observed.Snapshots;
import io.uctrust.pki.CertificateFacts;
import io.uctrust.pki.CertificateMaker;
import io.uctrust.pki.KeyPairs;
import io.uctrust.pki.Pem;
import io.uctrust.reconcile.ClientBundle.Client;
import io.uctrust.validate.ValidationOptions;
import io.uctrust.validate.ValidationReport;
import io.uctrust.validate.Validator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which certificates each kind of client gets, from a desired state in a temporary folder and a cluster observed
 * in memory: a corporate CA (root and issuing CA, named by the Certificate documents) signs tomcat on the Unified CM
 * publisher, a partner CA found only in the IM and Presence trust store signs cup-xmpp on the IM and Presence
 * publisher, the IM and Presence subscriber's cup-xmpp has an issuer found nowhere, and the rest is self-signed.
 */
class ClientBundlerTest {

  private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
  private static final CertificateMaker MAKER = new CertificateMaker();
  private static final int CA_USAGE = KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature;

  private static final String PUB = "cucm-pub.example.com";
  private static final String SUB = "cucm-sub1.example.com";
  private static final String IMP = "imp-pub.example.com";
  private static final String IMS = "imp-sub1.example.com";

  private static final String CLUSTER = """
      apiVersion: uctrust/v1
      kind: Cluster
      metadata: {name: lab}
      spec:
        target: {type: lab}
        release: "15.0"
        domain: example.com
        nodes:
          - {name: cucm-pub.example.com, role: cucm-publisher}
          - {name: cucm-sub1.example.com, role: cucm-subscriber}
          - {name: imp-pub.example.com, role: imp-publisher}
          - {name: imp-sub1.example.com, role: imp-subscriber}
      """;

  private static final String CERTIFICATES = """
      apiVersion: uctrust/v1
      kind: Certificate
      metadata: {name: tomcat}
      spec:
        service: tomcat
        distribution: multi-server
        nodes: all
        issuer: {type: offline, caCertificates: certs/corp-chain.pem}
      ---
      apiVersion: uctrust/v1
      kind: Certificate
      metadata: {name: cup-xmpp}
      spec:
        service: cup-xmpp
        distribution: multi-server
        nodes: [imp-pub.example.com]
        issuer: {type: offline, caCertificates: certs/corp-chain.pem}
      ---
      apiVersion: uctrust/v1
      kind: Certificate
      metadata: {name: callmanager}
      spec:
        service: CallManager
        distribution: single-node
        nodes: all
        issuer: {type: self-signed}
      """;

  private static X509Certificate corpRoot;
  private static X509Certificate corpIssuing;
  private static X509Certificate corpLeaf;
  private static X509Certificate partnerRoot;
  private static X509Certificate partnerIssuing;
  /** Same name as the partner's issuing CA, another key: must never be taken for it. */
  private static X509Certificate impostor;
  private static X509Certificate tomcat;
  private static X509Certificate cupXmpp;
  private static X509Certificate orphan;
  private static X509Certificate tomcatEcdsa;
  private static X509Certificate callManager;
  private static X509Certificate expiredCup;

  @TempDir Path dir;

  @BeforeAll
  static void pki() {
    KeyPair corpRootKeys = KeyPairs.ec(256);
    corpRoot = MAKER.selfSigned(corpRootKeys, ca("CN=Corp Root CA,O=Example Corp", null));
    KeyPair corpIssuingKeys = KeyPairs.ec(256);
    corpIssuing = MAKER.issue(corpIssuingKeys.getPublic(), ca("CN=Corp Issuing CA,O=Example Corp", 0), corpRoot,
        corpRootKeys.getPrivate());
    corpLeaf = leaf("CN=ca-web.example.com", corpIssuing, corpIssuingKeys);
    tomcat = leaf("CN=" + PUB, corpIssuing, corpIssuingKeys);
    KeyPair partnerRootKeys = KeyPairs.ec(256);
    partnerRoot = MAKER.selfSigned(partnerRootKeys, ca("CN=Partner Root CA,O=Partner", null));
    KeyPair partnerIssuingKeys = KeyPairs.ec(256);
    partnerIssuing = MAKER.issue(partnerIssuingKeys.getPublic(), ca("CN=Partner Issuing CA,O=Partner", 0), partnerRoot,
        partnerRootKeys.getPrivate());
    KeyPair impostorKeys = KeyPairs.ec(256);
    impostor = MAKER.selfSigned(impostorKeys, ca("CN=Partner Issuing CA,O=Partner", null));
    cupXmpp = leaf("CN=" + IMP, partnerIssuing, partnerIssuingKeys);
    KeyPair unknownKeys = KeyPairs.ec(256);
    X509Certificate unknown = MAKER.selfSigned(unknownKeys, ca("CN=Unknown CA,O=Elsewhere", null));
    orphan = leaf("CN=" + IMS, unknown, unknownKeys);
    tomcatEcdsa = selfSigned("CN=" + PUB + ",OU=tomcat-ECDSA", NOW.plus(Duration.ofDays(365)));
    callManager = selfSigned("CN=" + PUB + ",OU=CallManager", NOW.plus(Duration.ofDays(365)));
    expiredCup = selfSigned("CN=" + IMP + ",OU=cup", NOW.minus(Duration.ofDays(1)));
  }

  private static CertificateMaker.Request ca(String subject, Integer pathLength) {
    return new CertificateMaker.Request(subject, List.of(), NOW.minus(Duration.ofDays(30)), NOW.plus(Duration.ofDays(3650)),
        true, pathLength, CA_USAGE, List.of(), null);
  }

  private static X509Certificate leaf(String subject, X509Certificate issuer, KeyPair issuerKeys) {
    return MAKER.issue(KeyPairs.ec(256).getPublic(), new CertificateMaker.Request(subject, List.of(),
        NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(365)), false, null,
        KeyUsage.digitalSignature | KeyUsage.keyEncipherment, List.of(), null), issuer, issuerKeys.getPrivate());
  }

  private static X509Certificate selfSigned(String subject, Instant notAfter) {
    return MAKER.selfSigned(KeyPairs.ec(256), new CertificateMaker.Request(subject, List.of(),
        notAfter.minus(Duration.ofDays(700)), notAfter, false, null, KeyUsage.digitalSignature | KeyUsage.keyEncipherment,
        List.of(), null));
  }

  @Test
  void jabberGetsTheCasOfTomcatAndXmppAndTheSelfSignedTomcatButNothingOfCallManager() throws IOException {
    ClientBundle bundle = bundle(Client.JABBER);

    assertThat(subjects(bundle)).containsExactlyInAnyOrder(subject(corpRoot), subject(partnerRoot), subject(tomcatEcdsa),
        subject(corpIssuing), subject(partnerIssuing));
    assertThat(bundle.entries()).allSatisfy(e -> assertThat(e.services())
        .isSubsetOf(Service.TOMCAT, Service.TOMCAT_ECDSA, Service.CUP_XMPP, Service.CUP_XMPP_ECDSA));
  }

  @Test
  void browsersGetOnlyWhatTomcatNeeds() throws IOException {
    ClientBundle bundle = bundle(Client.BROWSER);

    assertThat(subjects(bundle)).containsExactly(subject(corpRoot), subject(tomcatEcdsa), subject(corpIssuing));
  }

  @Test
  void expresswayAlsoGetsCallManagerAndLeavesAnExpiredCupOutWithAWarning() throws IOException {
    ClientBundle bundle = bundle(Client.EXPRESSWAY);

    assertThat(subjects(bundle)).contains(subject(callManager), subject(partnerRoot), subject(corpRoot))
        .doesNotContain(subject(expiredCup));
    assertThat(bundle.warnings()).anySatisfy(w -> assertThat(w).startsWith("left out " + subject(expiredCup))
        .contains("cup on " + IMP).contains("expired on 2026-11-30"));
  }

  @Test
  void leavesOfTheChainFileAndCaSignedIdentitiesStayOut() throws IOException {
    ClientBundle bundle = bundle(Client.EXPRESSWAY);

    assertThat(fingerprints(bundle)).doesNotContain(sha256(corpLeaf), sha256(tomcat), sha256(cupXmpp), sha256(orphan));
    assertThat(bundle.considered()).anySatisfy(c -> assertThat(c).contains("skipped the leaf " + subject(corpLeaf)));
  }

  @Test
  void eachCertificateComesOnceWithEveryServiceNodeAndSourceItStandsFor() throws IOException {
    ClientBundle bundle = bundle(Client.JABBER);

    assertThat(fingerprints(bundle)).doesNotHaveDuplicates();
    ClientBundle.Entry root = entry(bundle, corpRoot);
    assertThat(root.services()).containsExactly(Service.TOMCAT, Service.CUP_XMPP);
    assertThat(root.nodes()).containsExactly(PUB, SUB, IMP, IMS);
    assertThat(root.reasons()).containsExactly("issuer.caCertificates of Certificate tomcat (certificates.yaml:3)",
        "issuer.caCertificates of Certificate cup-xmpp (certificates.yaml:12)",
        "issuer of the identities, found in certs/corp-chain.pem of the desired state");
    assertThat(entry(bundle, corpIssuing).reasons()).contains(
        "issuer of the identities, found in tomcat-trust, certs/corp-chain.pem of the desired state");
  }

  @Test
  void rootsComeFirstThenIntermediatesEachInTheOrderFound() throws IOException {
    ClientBundle bundle = bundle(Client.JABBER);

    assertThat(bundle.entries()).extracting(ClientBundle.Entry::kind).containsExactly("root CA",
        "self-signed identity", "root CA", "intermediate CA", "intermediate CA");
    assertThat(subjects(bundle).subList(3, 5)).containsExactly(subject(corpIssuing), subject(partnerIssuing));
  }

  @Test
  void aSelfSignedIdentityIsItsOwnRootForTheServiceAndNodeThatPresentIt() throws IOException {
    ClientBundle.Entry entry = entry(bundle(Client.BROWSER), tomcatEcdsa);

    assertThat(entry.root()).isTrue();
    assertThat(entry.services()).containsExactly(Service.TOMCAT_ECDSA);
    assertThat(entry.nodes()).containsExactly(PUB);
    assertThat(entry.reasons()).containsExactly("the cluster (without it clients ask users to accept it)");
  }

  @Test
  void theChainOfACaSignedIdentityIsFoundInTheTrustStoresByNameAndSignature() throws IOException {
    ClientBundle bundle = bundle(Client.JABBER);

    assertThat(entry(bundle, partnerIssuing).reasons()).containsExactly("issuer of the identities, found in cup-xmpp-trust");
    assertThat(entry(bundle, partnerRoot).nodes()).containsExactly(IMP);
    assertThat(fingerprints(bundle)).doesNotContain(sha256(impostor));
  }

  @Test
  void anIssuerFoundNowhereIsAWarningNamingItAndWhoNeedsIt() throws IOException {
    ClientBundle bundle = bundle(Client.JABBER);

    assertThat(bundle.warnings()).containsExactly("the issuer " + orphan.getIssuerX500Principal().getName()
        + " of cup-xmpp on " + IMS + " is in no trust store of the cluster nor in the desired state, so the bundle lacks "
        + "it (and what issued it); add it with a TrustStore document");
  }

  @Test
  void withNothingThatQualifiesTheBundleIsEmptyAndSaysWhatWasConsidered() throws IOException {
    ObservedCluster onlyCallManager = observed(List.of(node(PUB, NodeRole.CUCM_PUBLISHER,
        List.of(new ObservedCluster.Identity(Service.CALLMANAGER, Snapshots.certificate(Pem.encode(callManager)), true)),
        List.of())));

    String callManagerOnly = CERTIFICATES.substring(CERTIFICATES.indexOf("metadata: {name: callmanager}"));

    ClientBundle bundle = bundle(Client.BROWSER, onlyCallManager, "apiVersion: uctrust/v1\nkind: Certificate\n"
        + callManagerOnly);

    assertThat(bundle.empty()).isTrue();
    assertThat(bundle.considered()).containsExactly(
        "Certificate documents for services browser clients do not verify: callmanager (CallManager)",
        "cluster lab: no node has an identity for tomcat, tomcat-ECDSA");
  }

  @Test
  void thePemTextHasOneCommentedBlockPerCertificate() throws IOException {
    ClientBundle bundle = bundle(Client.BROWSER);
    String text = bundle.pem();

    assertThat(Pem.certificates(text)).hasSize(3);
    assertThat(text).startsWith("# uctrust bundle --for browser: what browser clients need to trust for tomcat, "
        + "tomcat-ECDSA\n# cluster lab; 3 certificates, roots first\n\n# " + subject(corpRoot) + "\n# sha256 ");
    assertThat(text).contains("# for tomcat on " + PUB + ", " + SUB + ", " + IMP + ", " + IMS + "\n")
        .contains("# expires 2036-11-28\n").contains("# root CA; from issuer.caCertificates of Certificate tomcat");
  }

  // --- fixture

  private ClientBundle bundle(Client client) throws IOException {
    ObservedCluster observed = observed(List.of(
        node(PUB, NodeRole.CUCM_PUBLISHER, List.of(identity(Service.TOMCAT, tomcat, false),
            identity(Service.TOMCAT_ECDSA, tomcatEcdsa, true), identity(Service.CALLMANAGER, callManager, true)),
            List.of(trust(Store.TOMCAT_TRUST, corpIssuing), trust(Store.TOMCAT_TRUST, impostor))),
        node(IMP, NodeRole.IMP_PUBLISHER, List.of(identity(Service.CUP_XMPP, cupXmpp, false),
            identity(Service.CUP, expiredCup, true)),
            List.of(trust(Store.CUP_XMPP_TRUST, partnerRoot), trust(Store.CUP_XMPP_TRUST, partnerIssuing))),
        node(IMS, NodeRole.IMP_SUBSCRIBER, List.of(identity(Service.CUP_XMPP, orphan, false)), List.of())));
    return bundle(client, observed, CERTIFICATES);
  }

  private ClientBundle bundle(Client client, ObservedCluster observed, String certificates) throws IOException {
    Files.writeString(dir.resolve("cluster.yaml"), CLUSTER);
    Files.writeString(dir.resolve("certificates.yaml"), certificates);
    Files.createDirectories(dir.resolve("certs"));
    Files.writeString(dir.resolve("certs/corp-chain.pem"), Pem.encode(corpLeaf) + Pem.encode(corpIssuing)
        + Pem.encode(corpRoot));
    ValidationReport report = new Validator(Clock.fixed(NOW, ZoneOffset.UTC), ValidationOptions.DEFAULTS).validate(dir);
    assertThat(report.valid()).as(report.diagnostics().stream().filter(Diagnostic::isError).toList().toString()).isTrue();
    ResolvedDesired desired = new DesiredResolver().resolve(report.state());
    Document<ClusterSpec> cluster = report.state().clusters().get(0);
    return ClientBundler.of(client, desired, Map.of(cluster, observed), NOW);
  }

  private static ObservedCluster observed(List<ObservedCluster.Node> nodes) {
    return new ObservedCluster("lab", nodes, null, null, null, null, null, null, List.of(), List.of(), List.of(), "");
  }

  private static ObservedCluster.Node node(String name, NodeRole role, List<ObservedCluster.Identity> identities,
      List<ObservedCluster.TrustEntry> trust) {
    return new ObservedCluster.Node(name, role, identities, trust, Map.of());
  }

  private static ObservedCluster.Identity identity(Service service, X509Certificate certificate, boolean selfSigned) {
    return new ObservedCluster.Identity(service, Snapshots.certificate(Pem.encode(certificate)), selfSigned);
  }

  private static ObservedCluster.TrustEntry trust(Store store, X509Certificate certificate) {
    return new ObservedCluster.TrustEntry(store, Snapshots.certificate(Pem.encode(certificate)), "test",
        ObservedCluster.Owner.OTHER);
  }

  private static ClientBundle.Entry entry(ClientBundle bundle, X509Certificate certificate) {
    return bundle.entries().stream().filter(e -> e.certificate().equals(certificate)).findFirst().orElseThrow();
  }

  private static List<String> subjects(ClientBundle bundle) {
    List<String> subjects = new ArrayList<>();
    bundle.entries().forEach(e -> subjects.add(e.facts().subject()));
    return subjects;
  }

  private static List<String> fingerprints(ClientBundle bundle) {
    return bundle.entries().stream().map(e -> e.facts().sha256()).toList();
  }

  private static String subject(X509Certificate certificate) {
    return CertificateFacts.of(certificate).subject();
  }

  private static String sha256(X509Certificate certificate) {
    return CertificateFacts.of(certificate).sha256();
  }
}
