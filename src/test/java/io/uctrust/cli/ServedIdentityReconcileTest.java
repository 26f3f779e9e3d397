package io.uctrust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.uctrust.desired.CertificateSpec.Service;
import io.uctrust.pki.CaKeyStore;
import io.uctrust.pki.CertificateAuthority;
import io.uctrust.pki.KeyPairs;
import io.uctrust.pki.Pem;
import io.uctrust.target.lab.LabCluster;
import io.uctrust.target.lab.LabStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Through {@code reconcile} on the in-process lab: after the restarts every node is checked over TLS to serve its new
 * identity (CA-issued and self-signed, XMPP behind STARTTLS), and a node that goes on serving its old one fails the
 * run, and keeps failing it, until it serves the new one.
 */
class ServedIdentityReconcileTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC);
  private static final String PUB = "cucm-pub.example.com";
  private static final String SUB = "cucm-sub1.example.com";
  private static final String IMP = "imp-pub.example.com";
  private static final String PASSWORD = "ca-keystore-password";

  @TempDir Path temp;

  private record Run(int code, String out, String err) {}

  private Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(CLOCK, Map.of("UCTRUST_CA_PASSWORD", PASSWORD), new PrintWriter(out), new PrintWriter(err), args);
    return new Run(code, out.toString(), err.toString());
  }

  private Path desired(String certificates) throws IOException {
    Path dir = temp.resolve("desired");
    Files.createDirectories(dir.resolve("certs"));
    Files.writeString(dir.resolve("cluster.yaml"), """
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
        """);
    Files.writeString(dir.resolve("certificates.yaml"), certificates);
    return dir;
  }

  private String state() {
    return temp.resolve("lab").toString();
  }

  @Test
  void caIssuedAndSelfSignedIdentitiesAreDoneWhenEveryNodeServesThem() throws Exception {
    CertificateAuthority root = CertificateAuthority.create("CN=Corp Root,O=Example", KeyPairs.rsa(2048),
        CLOCK.instant().minus(Duration.ofDays(10)), CLOCK.instant().plus(Duration.ofDays(3650)), null);
    Files.createDirectories(temp.resolve("ca"));
    CaKeyStore.save(temp.resolve("ca/root.p12"), root, PASSWORD.toCharArray());
    Path desired = desired("""
        apiVersion: uctrust/v1
        kind: Certificate
        metadata: {name: tomcat}
        spec:
          service: tomcat
          distribution: multi-server
          nodes: [cucm-pub.example.com, cucm-sub1.example.com]
          key: {type: rsa, size: 2048}
          issuer:
            type: ca
            keystore: %s
            keystorePassword: env:UCTRUST_CA_PASSWORD
            caCertificates: certs/root.pem
        ---
        apiVersion: uctrust/v1
        kind: Certificate
        metadata: {name: callmanager-ecdsa}
        spec:
          service: CallManager-ECDSA
          nodes: [cucm-pub.example.com]
          key: {type: ec, size: 256}
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
        """.formatted(temp.resolve("ca/root.p12")));
    Files.writeString(desired.resolve("certs/root.pem"), Pem.encode(root.certificate()));

    Run apply = run("reconcile", desired.toString(), "--state-dir", state());

    assertThat(apply.code()).as(apply.out() + apply.err()).isZero();
    assertThat(apply.out()).contains(" succeeded, 0 failed, 0 skipped");
    assertThat(apply.err())
        .containsPattern("verify +served-identity " + PUB + "/tomcat: succeeded \\(serves the new certificate CN " + PUB
            + " \\(sha256 [0-9a-f]{16}, chain of 2\\) on " + PUB + ":8443 \\(tomcat\\)\\)")
        .contains("served-identity " + SUB + "/tomcat: succeeded (serves the new certificate CN " + PUB)
        .contains("served-identity " + PUB + "/CallManager-ECDSA: succeeded (serves the new certificate CN " + PUB)
        .contains("served-identity " + IMP + "/cup-xmpp: succeeded (serves the new certificate CN " + IMP);
    // what follows the new identities: the self-signed clean-up and the exchange of the regenerated ones, then nothing
    assertThat(run("reconcile", desired.toString(), "--state-dir", state()).code()).isZero();
    Run again = run("reconcile", "--dry-run", desired.toString(), "--state-dir", state());
    assertThat(again.code()).as(again.out()).isZero();
  }

  @Test
  void aNodeServingItsOldCertificateFailsTheRunUntilItServesTheNewOne() throws Exception {
    Path desired = desired("""
        apiVersion: uctrust/v1
        kind: Certificate
        metadata: {name: tomcat}
        spec:
          service: tomcat
          nodes: [cucm-pub.example.com, cucm-sub1.example.com]
          subjectAltNames: [uc.example.com]
          issuer: {type: self-signed}
        """);
    assertThat(run("lab", "init", desired.toString(), "--state-dir", state(), "--phones", "10").code()).isZero();
    try (LabCluster lab = LabCluster.existing(new LabStore(Path.of(state())), CLOCK)) {
      lab.staleTls(SUB, Service.TOMCAT);
    }

    Run apply = run("reconcile", desired.toString(), "--state-dir", state());

    assertThat(apply.code()).isEqualTo(1);
    assertThat(apply.out()).contains("1 failed")
        .contains("failed: " + SUB + ":8443 (tomcat) serves CN " + SUB + " (sha256 ")
        .contains("the identity store holds the expected one, so the service has not picked it up");
    assertThat(apply.err()).contains("served-identity " + PUB + "/tomcat: succeeded");
    // the identity matches the desired state, but the change is not done: the next run checks again
    Run dryRun = run("reconcile", "--dry-run", desired.toString(), "--state-dir", state());
    assertThat(dryRun.code()).as(dryRun.out()).isEqualTo(2);
    assertThat(dryRun.out()).contains("served-identity " + SUB + "/tomcat")
        .contains("owed: the last apply found the node not serving its new certificate");
    assertThat(run("reconcile", desired.toString(), "--state-dir", state()).code()).isEqualTo(1);
  }
}
