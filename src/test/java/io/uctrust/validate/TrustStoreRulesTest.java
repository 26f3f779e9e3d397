package io.uctrust.validate;

import static org.assertj.core.api.Assertions.assertThat;

import io.uctrust.desired.TestYaml;
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
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Trust store certificate checks against a fixed clock. */
class TrustStoreRulesTest {

  private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  @TempDir Path dir;

  private List<Diagnostic> validate(String store, String monitoring) throws IOException {
    Files.writeString(dir.resolve("cluster.yaml"), TestYaml.CLUSTER + monitoring);
    Files.writeString(dir.resolve("trust.yaml"), """
        apiVersion: uctrust/v1
        kind: TrustStore
        metadata: {name: trust}
        spec:
          store: %s
          certificates:
            - {file: certs/ca.pem}
        """.formatted(store));
    return new Validator(CLOCK, ValidationOptions.DEFAULTS).validate(dir).diagnostics();
  }

  private void ca(Spec... specs) throws IOException {
    TestCertificates.writePem(dir.resolve("certs/ca.pem"), specs);
  }

  @Test
  void aCurrentCaCertificateIsAccepted() throws IOException {
    ca(Spec.selfSignedCa("Root", NOW.minus(Duration.ofDays(10)), NOW.plus(Duration.ofDays(3650))));

    assertThat(validate("CallManager-trust", "")).isEmpty();
  }

  @Test
  void anExpiredCertificateIsAnErrorFromTheMomentItExpires() throws IOException {
    ca(Spec.selfSignedCa("Old Root", NOW.minus(Duration.ofDays(800)), NOW));

    assertThat(validate("CallManager-trust", "")).singleElement().satisfies(d -> {
      assertThat(d.isError()).isTrue();
      assertThat(d.code()).isEqualTo("expired");
      assertThat(d.message()).contains("CN=Old Root").contains("expired on 2026-12-01T00:00:00Z");
      assertThat(d.location().line()).isEqualTo(7);
      assertThat(d.location().field()).isEqualTo("spec.certificates[0].file");
    });
  }

  @Test
  void aCertificateExpiringWithinThirtyDaysIsAWarning() throws IOException {
    ca(Spec.selfSignedCa("Soon", NOW.minus(Duration.ofDays(800)), NOW.plus(Duration.ofDays(29))));

    assertThat(validate("CallManager-trust", "")).singleElement().satisfies(d -> {
      assertThat(d.isError()).isFalse();
      assertThat(d.code()).isEqualTo("expiring");
      assertThat(d.message()).contains("in 29 days");
    });
  }

  @Test
  void theMonitoringNotificationWindowSetsWhenExpiryWarningsStart() throws IOException {
    ca(Spec.selfSignedCa("Soon", NOW.minus(Duration.ofDays(800)), NOW.plus(Duration.ofDays(45))));
    String monitoring = """
        ---
        apiVersion: uctrust/v1
        kind: Monitoring
        metadata: {name: m}
        spec: {certificateMonitor: {notificationStartDays: 60}}
        """;

    assertThat(validate("CallManager-trust", monitoring)).extracting(Diagnostic::code).containsExactly("expiring");
    assertThat(validate("CallManager-trust", "")).isEmpty();
  }

  @Test
  void aLeafCertificateThatIsNeitherCaNorSelfSignedIsAnError() throws IOException {
    ca(new Spec("CN=server.example.com", "CN=Some CA", NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(365)), false,
        KeyUsage.digitalSignature));

    assertThat(validate("tomcat-trust", "")).extracting(Diagnostic::code).containsExactly("not-a-ca");
  }

  @Test
  void capfTrustNeedsCasThatCanSignCertificates() throws IOException {
    ca(Spec.selfSignedCa("No Sign", NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(3650)))
        .withKeyUsage(KeyUsage.digitalSignature));

    assertThat(validate("CAPF-trust", "")).singleElement()
        .satisfies(d -> assertThat(d.message()).contains("without keyUsage keyCertSign"));
    assertThat(validate("tomcat-trust", "")).isEmpty();
  }

  @Test
  void aChainFileMissingItsIssuerIsPointedOut() throws IOException {
    Instant from = NOW.minus(Duration.ofDays(1));
    Instant to = NOW.plus(Duration.ofDays(3650));
    ca(new Spec("CN=Issuing", "CN=Elsewhere Root", from, to, true, KeyUsage.keyCertSign),
        Spec.selfSignedCa("Unrelated Root", from, to));

    assertThat(validate("tomcat-trust", "")).extracting(Diagnostic::code).containsExactly("incomplete-chain");
  }

  @Test
  void aFileThatIsNotACertificateIsAnErrorAtTheFileField() throws IOException {
    Files.createDirectories(dir.resolve("certs"));
    Files.writeString(dir.resolve("certs/ca.pem"), "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n");

    assertThat(validate("tomcat-trust", "")).singleElement().satisfies(d -> {
      assertThat(d.code()).isEqualTo("certificate-file");
      assertThat(d.message()).isEqualTo("'certs/ca.pem' is not a PEM or DER certificate");
    });
  }
}
