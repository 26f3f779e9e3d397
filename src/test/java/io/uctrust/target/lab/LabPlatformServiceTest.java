package io.uctrust.target.lab;

import static io.uctrust.target.lab.ServedLabFixture.CLOCK;
import static io.uctrust.target.lab.ServedLabFixture.IMP;
import static io.uctrust.target.lab.ServedLabFixture.PUB;
import static io.uctrust.target.lab.ServedLabFixture.SUB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uctrust.cluster.ClusterException;
import io.uctrust.cluster.Operation;
import io.uctrust.cluster.TrustOwnership;
import io.uctrust.desired.CertificateSpec.Service;
import io.uctrust.desired.TrustStoreSpec.Store;
import io.uctrust.pki.CertificateFacts;
import io.uctrust.pki.CertificateMaker;
import io.uctrust.pki.Csr;
import io.uctrust.pki.KeyPairs;
import io.uctrust.pki.Pem;
import io.uctrust.pki.ServiceUsage;
import io.uctrust.target.cucm.platform.CsrRequest;
import io.uctrust.target.cucm.platform.PlatformCertificate;
import io.uctrust.target.cucm.platform.PlatformClient;
import io.uctrust.target.cucm.platform.PlatformSnapshot;
import io.uctrust.target.cucm.platform.SelfSignedRequest;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

class LabPlatformServiceTest {

  @TempDir Path dir;

  private static final CertificateMaker MAKER = new CertificateMaker();
  private static final KeyPair CA_KEYS = KeyPairs.ec(256);
  private static final X509Certificate CA = MAKER.selfSigned(CA_KEYS, new CertificateMaker.Request(
      "CN=Corporate Root,O=Example Corp", List.of(), Instant.parse("2026-01-01T00:00:00Z"),
      Instant.parse("2036-01-01T00:00:00Z"), true, null, KeyUsage.keyCertSign | KeyUsage.cRLSign, List.of(), "SHA256"));
  private static final String CA_PEM = Pem.encode(CA);

  @Test
  void eachNodesSnapshotHoldsItsOwnIdentitiesAndTrustStores() throws Exception {
    try (ServedLabFixture served = ServedLabFixture.serve(dir)) {
      for (String node : List.of(PUB, SUB, IMP)) {
        PlatformSnapshot snapshot = served.platform(node).snapshot();
        assertThat(snapshot.server()).isEqualTo(node);
        Set<String> expected = served.lab.read(state -> state.nodes.stream().filter(n -> n.name.equals(node)).findFirst()
            .orElseThrow().identities.entrySet().stream().map(e -> e.getKey() + " " + e.getValue().pem.strip())
            .collect(Collectors.toSet()));
        assertThat(snapshot.identities().stream().map(c -> c.service() + " " + c.pem().strip())).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(snapshot.trusts("tomcat")).isNotEmpty();
      }
      assertThat(served.platform(IMP).snapshot().identity("cup-xmpp")).isNotNull();
      assertThat(served.platform(PUB).snapshot().identity("CAPF")).isNotNull();
      assertThat(served.platform(SUB).snapshot().identity("CAPF")).isNull();
    }
  }

  @Test
  void identityAndTrustReadsAnswerPerService() throws Exception {
    try (ServedLabFixture served = ServedLabFixture.serve(dir)) {
      PlatformClient sub = served.platform(SUB);
      assertThat(sub.identity("tomcat").pem().strip()).isEqualTo(served.platform(SUB).snapshot().identity("tomcat").pem().strip());
      assertThat(sub.trust("CallManager")).isNotEmpty().allSatisfy(c -> assertThat(c.name()).endsWith(".pem"));
      assertThatThrownBy(() -> sub.trust("cup-xmpp")).isInstanceOf(ClusterException.class).hasMessageContaining("404");
    }
  }

  @Test
  void aTrustUploadMarkedByUctrustLeavesTheStateTheInProcessLabLeaves() throws Exception {
    try (ServedLabFixture served = ServedLabFixture.serve(dir)) {
      served.platform(SUB).uploadTrust(List.of("tomcat", "CallManager"), List.of(CA_PEM),
          TrustOwnership.marked("corporate root"));
      List<PlatformCertificate> tomcat = served.platform(SUB).trust("tomcat");
      assertThat(tomcat).filteredOn(c -> c.pem().strip().equals(CA_PEM.strip())).singleElement()
          .satisfies(c -> assertThat(c.description()).isEqualTo("uctrust: corporate root"));
    }
    LabStore inProcess = ServedLabFixture.copyOfSeeded(dir.resolve("in-process"));
    try (LabCluster lab = LabCluster.existing(inProcess, CLOCK)) {
      lab.perform(new Operation.UploadTrust(SUB, Store.TOMCAT_TRUST, CA_PEM, "corporate root"), null);
      lab.perform(new Operation.UploadTrust(SUB, Store.CALLMANAGER_TRUST, CA_PEM, "corporate root"), null);
    }
    JsonMapper json = JsonMapper.builder().build();
    assertThat(json.readTree(Files.readAllBytes(dir.resolve("lab").resolve("state.json"))))
        .isEqualTo(json.readTree(Files.readAllBytes(inProcess.stateFile())));
  }

  @Test
  void aTrustUploadByAnyoneElseIsOwnedByThemAndKeepsItsDescription() throws Exception {
    try (ServedLabFixture served = ServedLabFixture.serve(dir)) {
      served.platform(PUB).uploadTrust(List.of("tomcat"), List.of(CA_PEM), "added by hand");
      String sha256 = CertificateFacts.of(CA).sha256();
      LabState.Trust stored = served.lab.read(state -> state.nodes.get(0).trust.get("tomcat-trust").stream()
          .filter(t -> t.sha256.equals(sha256)).findFirst().orElseThrow());
      assertThat(stored.owner).isEqualTo("OTHER");
      assertThat(stored.description).isEqualTo("added by hand");
      assertThat(served.platform(PUB).trust("tomcat")).anySatisfy(c -> assertThat(c.description()).isEqualTo("added by hand"));
    }
  }

  @Test
  void anIdentityIsRefusedUntilItsCaIsTrustedThenInstalled() throws Exception {
    try (ServedLabFixture served = ServedLabFixture.serve(dir)) {
      PlatformClient sub = served.platform(SUB);
      String csr = sub.generateCsr(CsrRequest.thisServer("tomcat", SUB, List.of(SUB)));
      X509Certificate leaf = sign(csr, SUB);
      List<String> chain = List.of(Pem.encode(leaf), CA_PEM);

      assertThatThrownBy(() -> sub.uploadIdentity("tomcat", chain)).isInstanceOf(ClusterException.class)
          .hasMessageContaining("HTTP 400").hasMessageContaining("upload the signing CA chain to tomcat-trust first")
          .hasMessageContaining("is not in tomcat-trust");

      sub.uploadTrust(List.of("tomcat"), List.of(CA_PEM), TrustOwnership.marked("corporate root"));
      sub.uploadIdentity("tomcat", chain);

      assertThat(Pem.certificate(sub.identity("tomcat").pem())).isEqualTo(leaf);
      boolean selfSigned = served.lab.read(state -> state.nodes.get(1).identities.get("tomcat").selfSigned);
      assertThat(selfSigned).isFalse();
      assertThat(served.lab.observe().nodes().get(1).name()).isEqualTo(SUB);
    }
  }

  @Test
  void anIdentityNotMatchingTheLatestCsrIsRefused() throws Exception {
    try (ServedLabFixture served = ServedLabFixture.serve(dir)) {
      PlatformClient sub = served.platform(SUB);
      sub.uploadTrust(List.of("tomcat"), List.of(CA_PEM), TrustOwnership.marked("corporate root"));
      X509Certificate stale = sign(sub.generateCsr(CsrRequest.thisServer("tomcat", SUB, List.of(SUB))), SUB);
      sub.generateCsr(CsrRequest.thisServer("tomcat", SUB, List.of(SUB)));
      assertThatThrownBy(() -> sub.uploadIdentity("tomcat", List.of(Pem.encode(stale), CA_PEM)))
          .isInstanceOf(ClusterException.class).hasMessageContaining("latest CSR");
    }
  }

  @Test
  void aCsrCarriesTheAskedNamesAndKey() throws Exception {
    try (ServedLabFixture served = ServedLabFixture.serve(dir)) {
      String csr = served.platform(IMP).generateCsr(new CsrRequest("cup-xmpp", CsrRequest.THIS_SERVER, IMP, CsrRequest.EC,
          384, "sha384", List.of(IMP, "example.com")));
      PKCS10CertificationRequest request = parse(csr);
      assertThat(request.getSubject().toString()).contains("CN=" + IMP);
      assertThat(new JcaPKCS10CertificationRequest(request).getPublicKey().getAlgorithm()).isEqualTo("EC");
    }
  }

  @Test
  void aCsrAsksForTheGuidesUsagesOfItsServiceUnderTheLabsOrganization() throws Exception {
    try (ServedLabFixture served = ServedLabFixture.serve(dir)) {
      Csr tomcat = Csr.parse(served.platform(SUB).generateCsr(CsrRequest.thisServer("tomcat", SUB, List.of(SUB))));
      Csr xmpp = Csr.parse(served.platform(IMP).generateCsr(new CsrRequest("cup-xmpp-ECDSA", CsrRequest.THIS_SERVER, IMP,
          CsrRequest.EC, 256, "sha256", List.of(IMP, "example.com"))));

      assertThat(tomcat.subject()).isEqualTo("CN=" + SUB + ",O=uctrust lab");
      assertThat(tomcat.requestedKeyUsage()).isEqualTo(ServiceUsage.of(Service.TOMCAT).keyUsage());
      assertThat(tomcat.requestedExtendedKeyUsage())
          .containsExactly(KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth);
      assertThat(xmpp.requestedKeyUsage()).as("an EC key agrees instead of enciphering")
          .isEqualTo(KeyUsage.digitalSignature | KeyUsage.keyAgreement);
      assertThat(xmpp.requestedExtendedKeyUsage()).containsExactly(KeyPurposeId.id_kp_serverAuth,
          KeyPurposeId.id_kp_clientAuth, KeyPurposeId.id_kp_ipsecEndSystem);
      assertThat(xmpp.dnsNames()).containsExactly(IMP, "example.com");
      assertThat(xmpp.signatureValid()).isTrue();
    }
  }

  @Test
  void regeneratingASelfSignedIdentityPerformsTheLabOperation() throws Exception {
    try (ServedLabFixture served = ServedLabFixture.serve(dir)) {
      String pem = served.platform(SUB).regenerateSelfSigned(new SelfSignedRequest("tomcat", "EC", 384, "SHA384", SUB,
          List.of(SUB, "cucm.example.com"), 730));
      X509Certificate certificate = Pem.certificate(pem);
      assertThat(certificate.getSubjectX500Principal().getName()).contains("CN=" + SUB).contains("OU=tomcat");
      assertThat(certificate.getPublicKey().getAlgorithm()).isEqualTo("EC");
      assertThat(certificate.getSigAlgName()).isEqualTo("SHA384withECDSA");
      assertThat(Duration.between(certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant()).toDays())
          .isEqualTo(730);
      assertThat(served.platform(SUB).identity("tomcat").pem().strip()).isEqualTo(pem.strip());
      // as in-process: the new certificate is distributed to every node's tomcat-trust
      for (String node : List.of(PUB, SUB, IMP)) {
        assertThat(served.platform(node).trust("tomcat")).anySatisfy(c -> assertThat(c.pem().strip()).isEqualTo(pem.strip()));
      }
    }
  }

  @Test
  void aTrustedCertificateCanBeDeletedByFingerprint() throws Exception {
    try (ServedLabFixture served = ServedLabFixture.serve(dir)) {
      PlatformClient pub = served.platform(PUB);
      pub.uploadTrust(List.of("tomcat"), List.of(CA_PEM), TrustOwnership.marked("corporate root"));
      assertThat(pub.deleteTrust("tomcat", CertificateFacts.of(CA).sha256())).isTrue();
      assertThat(pub.trust("tomcat")).noneSatisfy(c -> assertThat(c.pem().strip()).isEqualTo(CA_PEM.strip()));
      assertThat(pub.deleteTrust("tomcat", CertificateFacts.of(CA).sha256())).isFalse();
    }
  }

  @Test
  void aWrongPasswordIsRefusedWith401() throws Exception {
    try (ServedLabFixture served = ServedLabFixture.serve(dir)) {
      assertThatThrownBy(() -> served.platform(PUB, "wrong").snapshot()).isInstanceOf(ClusterException.class)
          .hasMessageContaining("HTTP 401").hasMessageNotContaining("wrong");
    }
  }

  @Test
  void injectedFaultsSurfaceAsTheClientsErrors() throws Exception {
    try (ServedLabFixture served = ServedLabFixture.serve(dir)) {
      PlatformClient pub = served.platform(PUB);
      served.faults.add(LabFaults.parse("platform:POST trust/certificates=throttle*1"));
      pub.uploadTrust(List.of("tomcat"), List.of(CA_PEM), TrustOwnership.marked("retried"));
      assertThat(served.faults.hits()).containsExactly("platform:POST trust/certificates THROTTLE");

      served.faults.add(LabFaults.parse("platform:GET snapshot/server=throttle*2"));
      assertThatThrownBy(pub::snapshot).hasMessageContaining("unavailable (HTTP 503)");

      served.faults.add(LabFaults.parse("platform:GET identity/*=server-error"));
      assertThatThrownBy(() -> pub.identity("tomcat")).hasMessageContaining("HTTP 500");

      served.faults.add(LabFaults.parse("platform:GET trust/certificate=delay@300ms"));
      long started = System.nanoTime();
      assertThat(pub.trust("tomcat")).isNotEmpty();
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }
  }

  private static X509Certificate sign(String csr, String node) throws Exception {
    PublicKey key = new JcaPKCS10CertificationRequest(parse(csr)).getPublicKey();
    return MAKER.issue(key, new CertificateMaker.Request("CN=" + node + ",O=Example Corp", List.of(node),
        Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2027-11-01T00:00:00Z"), false, null,
        KeyUsage.digitalSignature | KeyUsage.keyEncipherment, List.of(KeyPurposeId.id_kp_serverAuth), "SHA256"), CA,
        CA_KEYS.getPrivate());
  }

  private static PKCS10CertificationRequest parse(String csr) throws Exception {
    try (PEMParser parser = new PEMParser(new StringReader(csr))) {
      return (PKCS10CertificationRequest) parser.readObject();
    }
  }
}
