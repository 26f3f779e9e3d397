package io.uctrust.controller;

import static io.uctrust.controller.MonitoredClusters.CLUSTER;
import static io.uctrust.controller.MonitoredClusters.IMP;
import static io.uctrust.controller.MonitoredClusters.PUB;
import static org.assertj.core.api.Assertions.assertThat;

import io.uctrust.desired.CertificateSpec.Service;
import io.uctrust.desired.ClusterSpec.NodeRole;
import io.uctrust.desired.TrustStoreSpec.Store;
import io.uctrust.observed.ObservedCluster;
import io.uctrust.observed.Snapshots;
import io.uctrust.pki.OcspChecker;
import io.uctrust.pki.OpensslCa;
import io.uctrust.pki.OpensslOcspResponder;
import io.uctrust.pki.Revocation;
import io.uctrust.pki.RevocationStatus.Reason;
import io.uctrust.pki.RevocationStatus.State;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RevocationMonitor} on a lab-like cluster whose CA-signed identities come from a CA run by the real
 * {@code openssl ca}, asked of the real {@code openssl ocsp} responder answering from that CA's database: good and
 * revoked identities, a revoked intermediate above an identity, self-signed identities left alone, configured and
 * certificate-named responders, an unreachable responder, and an issuer no trust store holds.
 */
class RevocationMonitorIT {
  private static final String LEAF = """
      basicConstraints = critical,CA:FALSE
      keyUsage = critical,digitalSignature,keyEncipherment
      extendedKeyUsage = serverAuth,clientAuth
      authorityKeyIdentifier = keyid
      """;

  @TempDir Path dir;

  private final List<AutoCloseable> running = new ArrayList<>();
  private final Clock clock = Clock.systemUTC();
  private final RevocationMonitor monitor = new RevocationMonitor(new OcspChecker(clock, Duration.ofSeconds(5),
      OcspChecker.DEFAULT_SKEW), clock);
  private OpensslCa ca;
  private int port;
  private ObservedCluster.Certificate root;

  @BeforeEach
  void createCa() throws Exception {
    ca = OpensslCa.create(dir.resolve("ca"), "Example Issuing CA", OpensslCa.Profile.SERVER);
    root = Snapshots.certificate(Files.readString(ca.certificate()));
    port = OpensslOcspResponder.freePort();
  }

  @AfterEach
  void stopResponders() throws Exception {
    for (AutoCloseable resource : running) {
      resource.close();
    }
  }

  @Test
  void aRevokedIdentityRaisesAnAlertAndIsReportedForReissueWhileGoodAndSelfSignedOnesAreNot() throws Exception {
    ObservedCluster.Certificate tomcat = issue("tomcat." + PUB, aia());
    ObservedCluster.Certificate callManager = issue("callmanager." + PUB, aia());
    ObservedCluster.Certificate xmpp = issue("xmpp." + IMP, aia());
    ca.revoke(dir.resolve("ca/callmanager." + PUB + ".pem"), "keyCompromise");
    ObservedCluster.Certificate ipsec = selfSigned("ipsec." + PUB);
    OpensslOcspResponder responder = responder();
    ObservedCluster lab = lab(List.of(
        node(PUB, List.of(identity(Service.TOMCAT, tomcat), identity(Service.CALLMANAGER, callManager),
            new ObservedCluster.Identity(Service.IPSEC, ipsec, true)), trusting(Store.TOMCAT_TRUST, Store.CALLMANAGER_TRUST)),
        node(IMP, List.of(identity(Service.CUP_XMPP, xmpp)), trusting(Store.CUP_XMPP_TRUST))));

    RevocationMonitor.Report report = monitor.check(lab, ocsp(null));

    assertThat(report.checks()).extracting(c -> c.node() + "/" + c.service() + " " + c.status().state())
        .containsExactly(PUB + "/tomcat GOOD", PUB + "/CallManager REVOKED", IMP + "/cup-xmpp GOOD");
    RevocationMonitor.Check revoked = report.checks().get(1);
    assertThat(revoked.status().reason()).isEqualTo(Reason.KEY_COMPROMISE);
    assertThat(revoked.status().responder()).isEqualTo(responder.uri());
    assertThat(report.notifications()).singleElement().satisfies(n -> {
      assertThat(n.type()).isEqualTo(NotificationType.CERTIFICATE_REVOKED);
      assertThat(n.key()).isEqualTo(CLUSTER + "/" + PUB + "/CallManager/" + callManager.sha256());
      assertThat(n.title()).isEqualTo("CallManager of " + PUB + " is revoked");
      assertThat(n.text()).contains("(keyCompromise) according to " + responder.uri())
          .contains("The next reconcile issues a new one");
      assertThat(n.facts()).containsEntry("reason", "keyCompromise").containsEntry("sha256", callManager.sha256());
    });
    Revocation revocation = report.revoked().get(callManager.sha256());
    assertThat(report.revoked()).containsOnlyKeys(callManager.sha256());
    assertThat(revocation.describe()).isEqualTo("revoked (keyCompromise at " + revoked.status().revokedAt()
        + ", OCSP responder " + responder.uri() + ")");
    assertThat(report.good()).containsExactly(tomcat.sha256(), xmpp.sha256());
  }

  @Test
  void aMultiServerIdentityIsAskedAboutOnceAndReportedForEveryNodeThatHasIt() throws Exception {
    ObservedCluster.Certificate shared = issue("uc.example.com", aia());
    ca.revoke(dir.resolve("ca/uc.example.com.pem"), "superseded");
    responder();
    ObservedCluster lab = lab(List.of(
        node(PUB, List.of(identity(Service.TOMCAT, shared)), trusting(Store.TOMCAT_TRUST)),
        node("cucm-sub1.example.com", List.of(identity(Service.TOMCAT, shared)), trusting(Store.TOMCAT_TRUST))));

    RevocationMonitor.Report report = monitor.check(lab, ocsp(null));

    assertThat(report.checks()).extracting(RevocationMonitor.Check::node)
        .containsExactly(PUB, "cucm-sub1.example.com");
    // the same verified answer for both: one request
    assertThat(report.checks().get(0).status()).isSameAs(report.checks().get(1).status());
    assertThat(report.notifications()).extracting(Notification::key).containsExactly(
        CLUSTER + "/" + PUB + "/tomcat/" + shared.sha256(),
        CLUSTER + "/cucm-sub1.example.com/tomcat/" + shared.sha256());
  }

  @Test
  void aRevokedIntermediateAboveAnIdentityIsReportedAsARevokedCa() throws Exception {
    Path intermediate = dir.resolve("ca/intermediate");
    ca.openssl("req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", intermediate + ".key", "-out",
        intermediate + ".csr", "-subj", "/O=Example Corp/CN=Example Intermediate CA", "-config", "ca.cnf");
    ca.sign(Path.of(intermediate + ".csr"), Path.of(intermediate + ".pem"), """
        basicConstraints = critical,CA:TRUE
        keyUsage = critical,keyCertSign,cRLSign
        subjectKeyIdentifier = hash
        authorityKeyIdentifier = keyid
        authorityInfoAccess = OCSP;URI:http://127.0.0.1:%d/
        """.formatted(port));
    ca.revoke(Path.of(intermediate + ".pem"), "cACompromise");
    Path leaf = dir.resolve("ca/leaf");
    ca.openssl("req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", leaf + ".key", "-out", leaf + ".csr",
        "-subj", "/O=Example Corp/CN=" + PUB, "-config", "ca.cnf");
    Files.writeString(Path.of(leaf + ".cnf"), "[leaf]\n" + LEAF);
    ca.openssl("x509", "-req", "-in", leaf + ".csr", "-CA", intermediate + ".pem", "-CAkey", intermediate + ".key",
        "-CAcreateserial", "-days", "30", "-extfile", leaf + ".cnf", "-extensions", "leaf", "-out", leaf + ".pem");
    ObservedCluster.Certificate identity = Snapshots.certificate(Files.readString(Path.of(leaf + ".pem")));
    ObservedCluster.Certificate ica = Snapshots.certificate(Files.readString(Path.of(intermediate + ".pem")));
    responder();
    ObservedCluster lab = lab(List.of(node(PUB, List.of(identity(Service.TOMCAT, identity)), List.of(
        new ObservedCluster.TrustEntry(Store.TOMCAT_TRUST, ica, "intermediate", ObservedCluster.Owner.UCTRUST),
        new ObservedCluster.TrustEntry(Store.TOMCAT_TRUST, root, "root", ObservedCluster.Owner.UCTRUST)))));

    RevocationMonitor.Report report = monitor.check(lab, ocsp(null));

    // the leaf names no responder; the intermediate names the root's, which knows it revoked
    assertThat(report.checks()).extracting(c -> c.service() + " " + c.status().state())
        .containsExactly("tomcat NO_RESPONDER", "CA REVOKED");
    assertThat(report.notifications()).singleElement().satisfies(n -> {
      assertThat(n.key()).isEqualTo(CLUSTER + "/CA/" + ica.sha256());
      assertThat(n.title()).isEqualTo("CA certificate Example Intermediate CA is revoked");
      assertThat(n.facts()).containsEntry("reason", "cACompromise");
    });
  }

  @Test
  void aConfiguredResponderIsAskedAboutCertificatesThatNameNone() throws Exception {
    ObservedCluster.Certificate tomcat = issue("tomcat." + PUB, LEAF);
    OpensslOcspResponder responder = responder();
    ObservedCluster lab = lab(List.of(node(PUB, List.of(identity(Service.TOMCAT, tomcat)),
        trusting(Store.TOMCAT_TRUST))));

    RevocationMonitor.Report configured = monitor.check(lab, ocsp(responder.uri()));
    RevocationMonitor.Report fromCertificate = monitor.check(lab, ocsp(null));

    assertThat(configured.checks()).singleElement().satisfies(c -> {
      assertThat(c.status().state()).isEqualTo(State.GOOD);
      assertThat(c.status().responder()).isEqualTo(responder.uri());
    });
    assertThat(fromCertificate.checks()).singleElement()
        .satisfies(c -> assertThat(c.status().state()).isEqualTo(State.NO_RESPONDER));
    assertThat(configured.notifications()).isEmpty();
    assertThat(fromCertificate.notifications()).isEmpty();
  }

  @Test
  void anUnreachableResponderIsOneFailureListingEveryCertificateAndOnlyTheFirstWaitsForIt() throws Exception {
    ObservedCluster.Certificate tomcat = issue("tomcat." + PUB, aia());
    ObservedCluster.Certificate callManager = issue("callmanager." + PUB, aia());
    ObservedCluster.Certificate xmpp = issue("xmpp." + IMP, aia());
    ObservedCluster lab = lab(List.of(
        node(PUB, List.of(identity(Service.TOMCAT, tomcat), identity(Service.CALLMANAGER, callManager)),
            trusting(Store.TOMCAT_TRUST, Store.CALLMANAGER_TRUST)),
        node(IMP, List.of(identity(Service.CUP_XMPP, xmpp)), trusting(Store.CUP_XMPP_TRUST))));
    URI nobody = URI.create("http://127.0.0.1:" + port + "/");

    RevocationMonitor.Report report = monitor.check(lab, ocsp(null));

    assertThat(report.checks()).allSatisfy(c -> assertThat(c.status()).isNull());
    assertThat(report.checks().get(0).problem()).contains("the responder is unreachable");
    assertThat(report.checks().get(1).problem()).isEqualTo("not asked: " + nobody + " was unreachable for "
        + "O=Example Corp,CN=tomcat." + PUB + " in this run");
    assertThat(report.revoked()).isEmpty();
    assertThat(report.notifications()).singleElement().satisfies(n -> {
      assertThat(n.type()).isEqualTo(NotificationType.REVOCATION_CHECK_FAILED);
      assertThat(n.key()).isEqualTo(CLUSTER + "/responder/" + nobody);
      assertThat(n.title()).isEqualTo("OCSP checks at " + nobody + " failed for 3 certificates of " + CLUSTER);
      assertThat(n.text().lines()).hasSize(3);
    });
  }

  @Test
  void anIssuerInNoTrustStoreIsAFailureOfThatCertificateAndDisabledOcspAsksNothing() throws Exception {
    ObservedCluster.Certificate tomcat = issue("tomcat." + PUB, aia());
    ObservedCluster lab = lab(List.of(node(PUB, List.of(identity(Service.TOMCAT, tomcat)), List.of())));

    RevocationMonitor.Report report = monitor.check(lab, ocsp(null));
    RevocationMonitor.Report disabled = monitor.check(lab, MonitoringSettings.defaults());

    assertThat(report.notifications()).singleElement().satisfies(n -> {
      assertThat(n.type()).isEqualTo(NotificationType.REVOCATION_CHECK_FAILED);
      assertThat(n.key()).isEqualTo(CLUSTER + "/" + PUB + "/tomcat/" + tomcat.sha256());
      assertThat(n.text()).contains("its issuer CN=Example Issuing CA,O=Example Corp is in no trust store");
    });
    assertThat(disabled.checks()).isEmpty();
    assertThat(disabled.notifications()).isEmpty();
  }

  private MonitoringSettings ocsp(URI configured) {
    return new MonitoringSettings(30, Duration.ofDays(1), false, true, configured, Duration.ofHours(24));
  }

  private OpensslOcspResponder responder() throws Exception {
    OpensslOcspResponder responder = OpensslOcspResponder.start(ca, port, ca.certificate(), ca.key());
    running.add(responder);
    return responder;
  }

  private String aia() {
    return LEAF + "authorityInfoAccess = OCSP;URI:http://127.0.0.1:" + port + "/\n";
  }

  /** A key, CSR and certificate for {@code name} signed by the CA with {@code extensions}, as {@code <name>.pem}. */
  private ObservedCluster.Certificate issue(String name, String extensions) throws Exception {
    Path csr = dir.resolve("ca/" + name + ".csr");
    ca.openssl("req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", csr.toString(),
        "-subj", "/O=Example Corp/CN=" + name, "-config", "ca.cnf");
    Path pem = dir.resolve("ca/" + name + ".pem");
    ca.sign(csr, pem, extensions);
    return Snapshots.certificate(Files.readString(pem));
  }

  private ObservedCluster.Certificate selfSigned(String name) throws Exception {
    ca.openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".pem",
        "-days", "30", "-subj", "/CN=" + name, "-config", "ca.cnf");
    return Snapshots.certificate(Files.readString(dir.resolve("ca/" + name + ".pem")));
  }

  private List<ObservedCluster.TrustEntry> trusting(Store... stores) {
    List<ObservedCluster.TrustEntry> trust = new ArrayList<>();
    for (Store store : stores) {
      trust.add(new ObservedCluster.TrustEntry(store, root, "Example Issuing CA", ObservedCluster.Owner.UCTRUST));
    }
    return trust;
  }

  private static ObservedCluster.Identity identity(Service service, ObservedCluster.Certificate certificate) {
    return new ObservedCluster.Identity(service, certificate, false);
  }

  private static ObservedCluster.Node node(String name, List<ObservedCluster.Identity> identities,
      List<ObservedCluster.TrustEntry> trust) {
    return new ObservedCluster.Node(name, name.startsWith("imp") ? NodeRole.IMP_PUBLISHER : NodeRole.CUCM_PUBLISHER,
        identities, trust, Map.of());
  }

  private static ObservedCluster lab(List<ObservedCluster.Node> nodes) {
    return new ObservedCluster(CLUSTER, nodes, null, null, null, null, null, null, List.of(), List.of(), List.of(),
        "");
  }
}
