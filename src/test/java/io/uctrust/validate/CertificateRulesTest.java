package io.uctrust.validate;

import static org.assertj.core.api.Assertions.assertThat;

import io.uctrust.diagnostic.Diagnostic;
import io.uctrust.pki.TestCertificates;
import io.uctrust.pki.TestCertificates.Spec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issuer rules over one or several Certificate documents: CA rotation settings and public-CA constraints. */
class CertificateRulesTest {

  private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  @TempDir Path dir;

  @BeforeEach
  void cluster() throws IOException {
    Files.writeString(dir.resolve("cluster.yaml"), """
        apiVersion: uctrust/v1
        kind: Cluster
        metadata: {name: lab}
        spec:
          target: {type: lab}
          domain: example.com
          nodes:
            - {name: cucm-pub.example.com, role: cucm-publisher}
            - {name: cucm-sub.example.com, role: cucm-subscriber}
            - {name: imp-pub.example.com, role: imp-publisher}
            - {name: imp-sub.example.com, role: imp-subscriber}
          imAndPresence: {xmppDomain: example.com}
        """);
    TestCertificates.writePem(dir.resolve("ca/new.pem"),
        Spec.selfSignedCa("New Root", NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(3650))));
    TestCertificates.writePem(dir.resolve("ca/old.pem"),
        Spec.selfSignedCa("Old Root", NOW.minus(Duration.ofDays(900)), NOW.plus(Duration.ofDays(100))));
  }

  private List<Diagnostic> validate(String certificates) throws IOException {
    Files.writeString(dir.resolve("certificates.yaml"), certificates);
    return new Validator(CLOCK, ValidationOptions.DEFAULTS).validate(dir).diagnostics();
  }

  private static String certificate(String name, String service, String nodes, String issuer, String extra) {
    return """
        ---
        apiVersion: uctrust/v1
        kind: Certificate
        metadata: {name: %s}
        spec:
          service: %s
          nodes: %s
          issuer: %s
        %s""".formatted(name, service, nodes, issuer, extra.indent(2));
  }

  private static final String OFFLINE = "{type: offline, caCertificates: ca/new.pem}";

  @Test
  void aRotationOverlapWithoutAPreviousCaIsIgnoredWithAWarning() throws IOException {
    List<Diagnostic> diagnostics = validate(certificate("tomcat", "tomcat", "[cucm-pub.example.com]",
        "{type: offline, caCertificates: ca/new.pem, rotationOverlap: 14d}", ""));

    assertThat(diagnostics).singleElement().satisfies(d -> {
      assertThat(d.isError()).isFalse();
      assertThat(d.code()).isEqualTo("ignored");
      assertThat(d.location().field()).isEqualTo("spec.issuer.rotationOverlap");
      assertThat(d.message()).contains("only with spec.issuer.previousCaCertificates");
    });
  }

  @Test
  void aPreviousCaThatIsTheCurrentCaWarnsThatNothingRotates() throws IOException {
    List<Diagnostic> diagnostics = validate(certificate("tomcat", "tomcat", "[cucm-pub.example.com]",
        "{type: offline, caCertificates: ca/new.pem, previousCaCertificates: ca/new.pem}", ""));

    assertThat(diagnostics).singleElement().satisfies(d -> {
      assertThat(d.isError()).isFalse();
      assertThat(d.code()).isEqualTo("rotation-same-ca");
      assertThat(d.location().field()).isEqualTo("spec.issuer.previousCaCertificates");
    });
  }

  @Test
  void aRotationFromAnotherCaWithAnOverlapIsAccepted() throws IOException {
    assertThat(validate(certificate("tomcat", "tomcat", "[cucm-pub.example.com]",
        "{type: offline, caCertificates: ca/new.pem, previousCaCertificates: ca/old.pem, rotationOverlap: 14d}", "")))
        .isEmpty();
  }

  @Test
  void rotationSettingsOnASelfSignedIssuerAreIgnoredWithAWarning() throws IOException {
    List<Diagnostic> diagnostics = validate(certificate("tomcat", "tomcat", "[cucm-pub.example.com]",
        "{type: self-signed, previousCaCertificates: ca/old.pem}", ""));

    assertThat(diagnostics).extracting(Diagnostic::code).containsExactly("ignored");
    assertThat(diagnostics.get(0).message()).contains("not used by issuer type self-signed");
  }

  @Test
  void aCaSigningOneCertificatePerFqdnCannotSignTomcatAndXmppOfOneNode() throws IOException {
    String issuer = "{type: offline, caCertificates: ca/new.pem, oneCertificatePerFqdn: true}";
    List<Diagnostic> diagnostics = validate(certificate("imp-tomcat", "tomcat", "[imp-pub.example.com]", issuer, "")
        + certificate("imp-xmpp", "cup-xmpp", "[imp-pub.example.com]", issuer, "subjectAltNames: [example.com]"));

    assertThat(diagnostics).singleElement().satisfies(d -> {
      assertThat(d.isError()).isTrue();
      assertThat(d.code()).isEqualTo("one-certificate-per-fqdn");
      assertThat(d.location().field()).isEqualTo("spec.issuer.oneCertificatePerFqdn");
      assertThat(d.message()).contains("'imp-pub.example.com'").contains("Certificate 'imp-tomcat'")
          .contains("Certificate 'imp-xmpp'");
    });
  }

  @Test
  void theSameServicesSentToTwoCasAreAccepted() throws IOException {
    TestCertificates.writePem(dir.resolve("ca/other.pem"),
        Spec.selfSignedCa("Other Public Root", NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(3650))));

    assertThat(validate(certificate("imp-tomcat", "tomcat", "[imp-pub.example.com]",
        "{type: offline, caCertificates: ca/new.pem, oneCertificatePerFqdn: true}", "")
        + certificate("imp-xmpp", "cup-xmpp", "[imp-pub.example.com]",
            "{type: offline, caCertificates: ca/other.pem, oneCertificatePerFqdn: true}",
            "subjectAltNames: [example.com]")))
        .isEmpty();
  }

  @Test
  void aSharedNameOnSingleNodeCertificatesIsTwoCertificatesForOneFqdn() throws IOException {
    // every node's own cup-xmpp certificate carries the XMPP domain: one certificate per node names it again
    List<Diagnostic> diagnostics = validate(certificate("xmpp", "cup-xmpp", "[imp-pub.example.com, imp-sub.example.com]",
        "{type: offline, caCertificates: ca/new.pem, oneCertificatePerFqdn: true}", "subjectAltNames: [example.com]"));

    assertThat(diagnostics).singleElement().satisfies(d -> {
      assertThat(d.code()).isEqualTo("one-certificate-per-fqdn");
      assertThat(d.message()).contains("'example.com'");
      assertThat(d.hint()).contains("multi-server");
    });
  }

  @Test
  void aMultiServerCertificateNamesEachFqdnOnce() throws IOException {
    assertThat(validate(certificate("xmpp", "cup-xmpp", "[imp-pub.example.com, imp-sub.example.com]",
        "{type: offline, caCertificates: ca/new.pem, oneCertificatePerFqdn: true}",
        "distribution: multi-server\nsubjectAltNames: [example.com]"))).isEmpty();
  }

  @Test
  void oneDocumentSayingTheCaSignsOneCertificatePerFqdnBindsTheOthersSentToIt() throws IOException {
    List<Diagnostic> diagnostics = validate(certificate("cucm-tomcat", "tomcat", "[cucm-pub.example.com]", OFFLINE, "")
        + certificate("cucm-callmanager", "CallManager", "[cucm-pub.example.com]",
            "{type: offline, caCertificates: ca/new.pem, oneCertificatePerFqdn: true}", ""));

    assertThat(diagnostics).extracting(Diagnostic::code).containsExactly("one-certificate-per-fqdn");
  }

  @Test
  void withoutTheRuleACaMaySignSeveralCertificatesForOneFqdn() throws IOException {
    assertThat(validate(certificate("cucm-tomcat", "tomcat", "[cucm-pub.example.com]", OFFLINE, "")
        + certificate("cucm-callmanager", "CallManager", "[cucm-pub.example.com]", OFFLINE, ""))).isEmpty();
  }

  @Test
  void csrsSentToOnePublicCaMustCarryTheSameSubject() throws IOException {
    String issuer = "{type: offline, caCertificates: ca/new.pem, publicCa: true}";
    List<Diagnostic> diagnostics = validate(
        certificate("cucm-tomcat", "tomcat", "[cucm-pub.example.com]", issuer,
            "subject: {organization: Example Corp, organizationalUnit: Voice, country: US}")
        + certificate("imp-tomcat", "tomcat", "[imp-pub.example.com]", issuer,
            "subject: {organization: Example Corporation, organizationalUnit: Voice, country: US}"));

    assertThat(diagnostics).singleElement().satisfies(d -> {
      assertThat(d.isError()).isTrue();
      assertThat(d.code()).isEqualTo("public-ca-subject");
      assertThat(d.location().field()).isEqualTo("spec.subject");
      assertThat(d.message()).contains("Certificate 'cucm-tomcat'")
          .contains("organization 'Example Corporation' there 'Example Corp'").doesNotContain("organizationalUnit");
    });
  }

  @Test
  void aPrivateCaMayGetDifferentSubjects() throws IOException {
    assertThat(validate(
        certificate("cucm-tomcat", "tomcat", "[cucm-pub.example.com]", OFFLINE, "subject: {organization: Voice Team}")
        + certificate("imp-tomcat", "tomcat", "[imp-pub.example.com]", OFFLINE, "subject: {organization: Presence Team}")))
        .isEmpty();
  }

  @Test
  void subjectsSentToDifferentPublicCasAreNotCompared() throws IOException {
    TestCertificates.writePem(dir.resolve("ca/other.pem"),
        Spec.selfSignedCa("Other Public Root", NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(3650))));

    assertThat(validate(
        certificate("cucm-tomcat", "tomcat", "[cucm-pub.example.com]",
            "{type: offline, caCertificates: ca/new.pem, publicCa: true}", "subject: {organization: A}")
        + certificate("imp-tomcat", "tomcat", "[imp-pub.example.com]",
            "{type: offline, caCertificates: ca/other.pem, publicCa: true}", "subject: {organization: B}")))
        .isEmpty();
  }
}
