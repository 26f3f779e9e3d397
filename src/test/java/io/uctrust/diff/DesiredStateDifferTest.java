package io.uctrust.diff;

import static org.assertj.core.api.Assertions.assertThat;

import io.uctrust.diff.DesiredDiff.Change;
import io.uctrust.diff.DesiredDiff.DocumentChange;
import io.uctrust.diff.DesiredDiff.FieldChange;
import io.uctrust.pki.Csr;
import io.uctrust.pki.KeyPairs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The comparison of two revisions of the lab example, as folders on disk (no git: that is RevisionDifferTest's). */
class DesiredStateDifferTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC);

  @TempDir Path dir;

  private Path before;
  private Path after;

  @BeforeEach
  void twoCopiesOfTheLab() throws IOException {
    before = dir.resolve("before");
    after = dir.resolve("after");
    copy(Path.of("examples/lab"), before.resolve("lab"));
    copy(Path.of("examples/lab"), after.resolve("lab"));
  }

  static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  private void edit(String file, String from, String to) throws IOException {
    Path path = after.resolve("lab").resolve(file);
    String text = Files.readString(path);
    assertThat(text).contains(from);
    Files.writeString(path, text.replace(from, to));
  }

  private DesiredSnapshot snapshot(Path base) throws IOException {
    return new DesiredSnapshotReader(CLOCK).read(base, "lab");
  }

  private DesiredDiff diff() throws IOException {
    return new DesiredStateDiffer().diff(snapshot(before), snapshot(after));
  }

  private static DocumentChange document(DesiredDiff diff, String kind, String name) {
    return diff.documents().stream().filter(d -> d.kind().equals(kind) && d.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError(kind + "/" + name + " not in " + diff.documents()));
  }

  private static List<String> lines(DocumentChange document) {
    return document.fields().stream().map(DiffTextRenderer::field).toList();
  }

  @Test
  void theSameDesiredStateHasNoChanges() throws IOException {
    DesiredDiff diff = diff();

    assertThat(diff.hasChanges()).isFalse();
    assertThat(diff.documents()).isEmpty();
    assertThat(diff.clusters()).containsExactly("lab");
  }

  @Test
  void aChangedFieldShowsItsPathWithTheValueBeforeAndAfter() throws IOException {
    edit("capf.yaml", "keepAliveMinutes: 15", "keepAliveMinutes: 30");

    DesiredDiff diff = diff();

    DocumentChange capf = document(diff, "Capf", "capf");
    assertThat(diff.documents()).containsExactly(capf);
    assertThat(capf.change()).isEqualTo(Change.CHANGED);
    assertThat(capf.cluster()).isEqualTo("lab");
    assertThat(capf.file()).isEqualTo("lab/capf.yaml");
    assertThat(lines(capf)).containsExactly("~ spec.keepAliveMinutes: 15 → 30");
    assertThat(capf.fields().get(0).line()).isEqualTo(9);
    assertThat(capf.fields().get(0).after()).isEqualTo(30L);
  }

  @Test
  void textThatReadsAsANumberIsQuotedSoATypeChangeIsVisible() throws IOException {
    edit("cluster.yaml", "release: \"15.0\"", "release: 15.0");
    edit("capf.yaml", "port: 443", "port: \"443\"");

    DesiredDiff diff = diff();

    assertThat(lines(document(diff, "Cluster", "lab"))).containsExactly("~ spec.release: \"15.0\" → 15.0");
    assertThat(lines(document(diff, "Capf", "capf"))).containsExactly("~ spec.onlineCa.port: 443 → \"443\"");
  }

  @Test
  void anAddedDocumentListsItsFieldsWithTheCertificatesItsFilesHold() throws IOException {
    Files.writeString(after.resolve("lab/extra.yaml"), """
        apiVersion: uctrust/v1
        kind: TrustStore
        metadata: {name: phone-vpn-trust, description: VPN head-end CA}
        spec:
          store: Phone-VPN-trust
          certificates:
            - {file: certs/edge-ca.pem}
        """);

    DesiredDiff diff = diff();

    DocumentChange added = document(diff, "TrustStore", "phone-vpn-trust");
    assertThat(diff.documents()).containsExactly(added);
    assertThat(added.change()).isEqualTo(Change.ADDED);
    assertThat(added.file()).isEqualTo("lab/extra.yaml");
    assertThat(lines(added)).containsExactly(
        "+ metadata.description: VPN head-end CA",
        "+ spec.store: Phone-VPN-trust",
        "+ spec.certificates[file=certs/edge-ca.pem].file: certs/edge-ca.pem  (CN=Example Edge CA,OU=Edge,O=Example Corp,C=US"
            + " (sha256 " + fingerprint("certs/edge-ca.pem").substring(0, 16) + "))");
  }

  @Test
  void aRemovedDocumentIsListedWithWhatItHeld() throws IOException {
    edit("truststores.yaml", """
        ---
        apiVersion: uctrust/v1
        kind: TrustStore
        metadata: {name: cup-xmpp-trust}
        spec:
          store: cup-xmpp-trust
          nodes: [imp-pub.example.com, imp-sub1.example.com]
          certificates:
            - {file: certs/corp-chain.pem, description: Example Corp issuing chain}
        """, "");

    DesiredDiff diff = diff();

    DocumentChange removed = document(diff, "TrustStore", "cup-xmpp-trust");
    assertThat(diff.documents()).containsExactly(removed);
    assertThat(removed.change()).isEqualTo(Change.REMOVED);
    assertThat(removed.file()).isEqualTo("lab/truststores.yaml");
    assertThat(lines(removed)).startsWith("- spec.store: cup-xmpp-trust",
        "- spec.nodes: [imp-pub.example.com, imp-sub1.example.com]");
    assertThat(lines(removed).get(2)).startsWith("- spec.certificates[file=certs/corp-chain.pem].file: certs/corp-chain.pem  "
        + "(CN=Example Corp Issuing CA 1,O=Example Corp,C=US (sha256 ").contains("; CN=Example Corp Root CA,O=Example Corp,C=US");
  }

  @Test
  void documentsMovedToOtherFilesAreNoChange() throws IOException {
    Path lab = after.resolve("lab");
    Files.move(lab.resolve("capf.yaml"), lab.resolve("renamed.yml"));
    Files.writeString(lab.resolve("monitoring.yaml"), Files.readString(lab.resolve("monitoring.yaml")) + "---\n"
        + Files.readString(lab.resolve("phones.yaml")));
    Files.delete(lab.resolve("phones.yaml"));

    assertThat(diff().hasChanges()).isFalse();
  }

  @Test
  void aCertificateAddedToATrustStoreIsMatchedByItsFile() throws IOException {
    edit("truststores.yaml",
        "    - {file: certs/edge-ca.pem, description: Expressway-C CA for MRA}\n  removeManufacturingRoots",
        "    - {file: certs/ca-https.pem, description: Online CA web server}\n"
            + "    - {file: certs/edge-ca.pem, description: Expressway-C CA for MRA (edge)}\n  removeManufacturingRoots");

    DocumentChange store = document(diff(), "TrustStore", "callmanager-trust");

    assertThat(lines(store)).containsExactly(
        "+ spec.certificates[file=certs/ca-https.pem].file: certs/ca-https.pem  (CN=ca.example.com,O=Example Corp,C=US"
            + " (sha256 " + fingerprint("certs/ca-https.pem").substring(0, 16) + "))",
        "+ spec.certificates[file=certs/ca-https.pem].description: Online CA web server",
        "~ spec.certificates[file=certs/edge-ca.pem].description: Expressway-C CA for MRA → Expressway-C CA for MRA (edge)");
  }

  @Test
  void listItemsWithANameAreMatchedByNameWhateverTheirOrder() throws IOException {
    edit("cluster.yaml",
        "    - {name: cucm-sub1.example.com, role: cucm-subscriber, ipv4: 192.0.2.11, ipv6: \"2001:db8::11\"}\n"
            + "    - {name: cucm-sub2.example.com, role: cucm-subscriber, ipv4: 192.0.2.12}\n",
        "    - {name: cucm-sub2.example.com, role: cucm-subscriber, ipv4: 192.0.2.12}\n"
            + "    - {name: cucm-sub1.example.com, role: cucm-subscriber, ipv4: 192.0.2.99, ipv6: \"2001:db8::11\"}\n"
            + "    - {name: cucm-sub3.example.com, role: cucm-subscriber}\n");

    DocumentChange cluster = document(diff(), "Cluster", "lab");

    assertThat(lines(cluster)).containsExactly(
        "~ spec.nodes[name=cucm-sub1.example.com].ipv4: 192.0.2.11 → 192.0.2.99",
        "+ spec.nodes[name=cucm-sub3.example.com].name: cucm-sub3.example.com",
        "+ spec.nodes[name=cucm-sub3.example.com].role: cucm-subscriber");
  }

  @Test
  void listsOfPlainValuesShowEachValueAddedOrRemoved() throws IOException {
    edit("certificates.yaml", "subjectAltNames: [uc.example.com]", "subjectAltNames: [cucm.example.com, uc.example.com]");
    edit("phones.yaml", "devicePools: [HQ, Branch-East]", "devicePools: [Branch-East, HQ]");
    edit("monitoring.yaml", "to: [uc-admins@example.com]", "to: [pki@example.com]");

    DesiredDiff diff = diff();

    assertThat(lines(document(diff, "Certificate", "tomcat")))
        .containsExactly("+ spec.subjectAltNames[0]: cucm.example.com");
    assertThat(lines(document(diff, "PhoneCertificatePolicy", "renew-expiring")))
        .containsExactly("~ spec.selector.devicePools: [HQ, Branch-East] → [Branch-East, HQ]");
    assertThat(lines(document(diff, "Monitoring", "monitoring"))).containsExactly(
        "+ spec.certificateMonitor.email.to[0]: pki@example.com",
        "- spec.certificateMonitor.email.to[0]: uc-admins@example.com");
  }

  @Test
  void aPemFileWithNewContentShowsSubjectAndFingerprintBeforeAndAfterWhereverItIsNamed() throws IOException {
    Files.copy(Path.of("examples/offline-ca/certs/offline-root.pem"), after.resolve("lab/certs/edge-ca.pem"),
        StandardCopyOption.REPLACE_EXISTING);

    DesiredDiff diff = diff();

    String change = "~ spec.certificates[file=certs/edge-ca.pem].file: certs/edge-ca.pem content changed: "
        + "CN=Example Edge CA,OU=Edge,O=Example Corp,C=US (sha256 " + fingerprint("certs/edge-ca.pem").substring(0, 16)
        + ") → CN=Example Offline Root CA,O=Example Corp,C=US (sha256 "
        + fingerprint("../offline-ca/certs/offline-root.pem").substring(0, 16) + ")";
    assertThat(lines(document(diff, "TrustStore", "callmanager-trust"))).containsExactly(change);
    assertThat(lines(document(diff, "TrustStore", "tomcat-trust"))).containsExactly(change);
    FieldChange expressway = document(diff, "SipOAuth", "sip-oauth").fields().get(0);
    assertThat(expressway.path()).isEqualTo("spec.expresswayC[host=expc1.example.com].caCertificate");
    assertThat(expressway.contentOnly()).isTrue();
    assertThat(expressway.afterFile().items().get(0).sha256()).isEqualTo(fingerprint("../offline-ca/certs/offline-root.pem"));
    assertThat(diff.documents()).hasSize(3);
  }

  @Test
  void aLiteralSecretIsRedactedAndItsChangeStillShows() throws IOException {
    edit("capf.yaml", "password: env:UCTRUST_ONLINE_CA_PASSWORD", "password: hunter2\n    pasword: hunter3");
    edit("certificates.yaml", "keystorePassword: env:UCTRUST_CA_PASSWORD\n    caCertificates: certs/corp-chain.pem\n  renewBefore: 30d",
        "keystorePassword: env:UCTRUST_OTHER_PASSWORD\n    caCertificates: certs/corp-chain.pem\n  renewBefore: 30d");

    DesiredDiff diff = diff();

    assertThat(lines(document(diff, "Capf", "capf"))).containsExactly(
        "~ spec.onlineCa.password: env:UCTRUST_ONLINE_CA_PASSWORD → (redacted)",
        "+ spec.onlineCa.pasword: (redacted)");
    assertThat(lines(document(diff, "Certificate", "tomcat"))).containsExactly(
        "~ spec.issuer.keystorePassword: env:UCTRUST_CA_PASSWORD → env:UCTRUST_OTHER_PASSWORD");
    Path later = dir.resolve("later");
    copy(after, later);
    Files.writeString(later.resolve("lab/capf.yaml"), Files.readString(later.resolve("lab/capf.yaml"))
        .replace("hunter2", "correct horse"));
    DesiredDiff literalToLiteral = new DesiredStateDiffer().diff(snapshot(after), snapshot(later));
    assertThat(lines(document(literalToLiteral, "Capf", "capf")))
        .containsExactly("~ spec.onlineCa.password: (redacted) → (redacted)");
  }

  @Test
  void noOutputShowsALiteralWhateverItsShapeOrKey() throws IOException {
    edit("capf.yaml", "password: env:UCTRUST_ONLINE_CA_PASSWORD", "password: {value: hunter5}\n    pin: [hunter6]");
    edit("capf.yaml", "metadata: {name: capf}", "metadata: {name: capf}\nsecret: hunter7");

    DesiredSnapshot literal = snapshot(after);
    DesiredDiff diff = new DesiredStateDiffer().diff(snapshot(before), literal);
    DiffReport report = new DiffReport("lab", new DiffReport.Side("a", "a".repeat(40), true, List.of(), java.util.Set.of()),
        DiffReport.Side.of("b", "b".repeat(40), literal), diff);

    assertThat(lines(document(diff, "Capf", "capf"))).containsExactly(
        "+ secret: (redacted)",
        "~ spec.onlineCa.password: env:UCTRUST_ONLINE_CA_PASSWORD → (redacted)",
        "+ spec.onlineCa.pin: (redacted)");
    for (String output : List.of(new DiffTextRenderer().render(report), new DiffMarkdownRenderer().render(report),
        new DiffJsonRenderer().render(report))) {
      assertThat(output).contains("(redacted)").doesNotContain("hunter");
    }
  }

  @Test
  void offlineCaFilesAddedRemovedAndChangedAreListed() throws IOException {
    Path signedBefore = Files.createDirectories(before.resolve("lab/offline-ca/signed"));
    Files.copy(Path.of("examples/offline-ca/certs/lsc-chain.pem"), signedBefore.resolve("SEP001122334455.pem"));
    Path pendingBefore = Files.createDirectories(before.resolve("lab/offline-ca/pending"));
    Files.writeString(pendingBefore.resolve("SEP001122334455.csr"),
        Csr.create(KeyPairs.ec(256), "CN=SEP001122334455", List.of()).pem());
    Path pendingAfter = Files.createDirectories(after.resolve("lab/offline-ca/pending"));
    Files.writeString(pendingAfter.resolve("SEP00AABBCCDDEE.csr"),
        Csr.create(KeyPairs.ec(256), "CN=SEP00AABBCCDDEE", List.of()).pem());

    DesiredDiff diff = diff();

    assertThat(diff.documents()).isEmpty();
    assertThat(diff.hasChanges()).isTrue();
    assertThat(diff.files()).extracting(f -> f.change().sign() + " " + f.path() + "  " + DiffTextRenderer.file(f))
        .satisfiesExactly(
            pending -> assertThat(pending).startsWith("- lab/offline-ca/pending/SEP001122334455.csr  request CN=SEP001122334455 (sha256 "),
            pending -> assertThat(pending).startsWith("+ lab/offline-ca/pending/SEP00AABBCCDDEE.csr  request CN=SEP00AABBCCDDEE (sha256 "),
            signed -> assertThat(signed).startsWith("- lab/offline-ca/signed/SEP001122334455.pem  CN=Example LSC Signing CA"));
  }

  @Test
  void aRevisionThatDoesNotValidateStillComparesAndSaysWhy() throws IOException {
    edit("capf.yaml", "keepAliveMinutes: 15", "keepAliveMinutes: 90");

    DesiredSnapshot invalid = snapshot(after);
    DesiredDiff diff = new DesiredStateDiffer().diff(snapshot(before), invalid);

    assertThat(lines(document(diff, "Capf", "capf"))).containsExactly("~ spec.keepAliveMinutes: 15 → 90");
    assertThat(invalid.valid()).isFalse();
    assertThat(invalid.errors()).extracting(DiffTextRenderer::error)
        .containsExactly("lab/capf.yaml:9:21  spec.keepAliveMinutes: must be between 5 and 60 (got 90)");
  }

  @Test
  void documentsOfAFileThatCannotBeParsedAreNeitherAddedNorRemoved() throws IOException {
    edit("truststores.yaml", "prune: true\n---", "prune: [true\n---");
    edit("capf.yaml", "keepAliveMinutes: 15", "keepAliveMinutes: 20");

    DesiredSnapshot broken = snapshot(after);
    DesiredDiff diff = new DesiredStateDiffer().diff(snapshot(before), broken);

    assertThat(diff.documents()).extracting(DocumentChange::address).containsExactly("Capf/capf");
    assertThat(broken.unreadableFiles()).containsExactly("lab/truststores.yaml");
    assertThat(broken.errors()).anySatisfy(e -> assertThat(e.code()).isEqualTo("yaml-syntax"));
  }

  @Test
  void addingTheClusterADocumentAlreadyBelongedToChangesAFieldNotItsIdentity() throws IOException {
    edit("capf.yaml", "metadata: {name: capf}", "metadata: {name: capf, cluster: lab}");

    assertThat(lines(document(diff(), "Capf", "capf"))).containsExactly("+ metadata.cluster: lab");
  }

  private static String fingerprint(String relativeToLab) throws IOException {
    try {
      return io.uctrust.pki.PemCertificates.read(Path.of("examples/lab").resolve(relativeToLab)).stream()
          .map(io.uctrust.pki.CertificateFacts::of).findFirst().orElseThrow().sha256();
    } catch (io.uctrust.pki.PemCertificates.UnreadableCertificateException e) {
      throw new AssertionError(e);
    }
  }
}
