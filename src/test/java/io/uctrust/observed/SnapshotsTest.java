package io.uctrust.observed;

import static org.assertj.core.api.Assertions.assertThat;

import io.uctrust.desired.CertificateSpec.Service;
import io.uctrust.desired.ClusterSpec.NodeRole;
import io.uctrust.pki.Pem;
import io.uctrust.pki.TestCertificates;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What snapshots keep of a certificate, and what their fingerprint covers. */
class SnapshotsTest {

  private static final String PEM = Pem.encode(TestCertificates.create(TestCertificates.Spec.selfSignedCa("Snapshot CA",
      Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2036-01-01T00:00:00Z"))));

  @Test
  void aCertificateReadsTheSamePemTextWhateverLineEndingsItCameWith() {
    ObservedCluster.Certificate unix = Snapshots.certificate(PEM);
    ObservedCluster.Certificate windows = Snapshots.certificate(PEM.replace("\n", "\r\n"));

    assertThat(windows.pem()).isEqualTo(unix.pem());
    assertThat(Pem.certificate(unix.pem())).isEqualTo(Pem.certificate(PEM));
  }

  @Test
  void theFingerprintCoversTheCertificateByItsHashNotByItsPemText() {
    ObservedCluster.Certificate certificate = Snapshots.certificate(PEM);
    ObservedCluster.Certificate withoutPem = new ObservedCluster.Certificate(certificate.subject(),
        certificate.commonName(), certificate.issuer(), certificate.sha256(), certificate.notBefore(),
        certificate.notAfter(), certificate.keyAlgorithm(), certificate.keyBits(), certificate.dnsNames(), null);

    assertThat(snapshot(withoutPem).fingerprint()).isEqualTo(snapshot(certificate).fingerprint());
  }

  private static ObservedCluster snapshot(ObservedCluster.Certificate certificate) {
    ObservedCluster.Node node = new ObservedCluster.Node("cucm-pub.example.com", NodeRole.CUCM_PUBLISHER,
        List.of(new ObservedCluster.Identity(Service.TOMCAT, certificate, true)), List.of(), Map.of());
    return Snapshots.withFingerprint(new ObservedCluster("lab", List.of(node), null, null, null, null, null, null,
        List.of(), List.of(), List.of(), ""));
  }
}
