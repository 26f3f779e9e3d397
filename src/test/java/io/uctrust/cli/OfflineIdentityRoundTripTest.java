package io.uctrust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.uctrust.observed.ObservedCluster;
import io.uctrust.pki.CertificateFacts;
import io.uctrust.pki.Pem;
import io.uctrust.target.lab.LabCluster;
import io.uctrust.target.lab.LabStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import io.uctrust.pki.OpensslCa;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A multi-server tomcat identity signed by an offline CA through the desired-state folder, with the real
 * {@code openssl ca} as that CA: reconcile writes the node's CSR to {@code offline-ca/pending/}, openssl signs it, the
 * chain is committed to {@code offline-ca/signed/}, and the next reconcile trusts the CA and installs it; a chain for
 * another key is a manual step. Exit codes as for every reconcile: dry run 0 in sync (a CSR waiting is a check) and
 * 2 with changes, manual steps included; apply 0 unless a change failed.
 */
class OfflineIdentityRoundTripTest {
  private static final Clock CLOCK = Clock.fixed(
      Instant.now().plusSeconds(3600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS), ZoneOffset.UTC);
  // an hour ahead: the certificates openssl makes during the test are valid from the real now
  private static final String PUB = "cucm-pub.example.com";
  private static final String SUB = "cucm-sub1.example.com";
  private static final String PENDING = "offline-ca/pending/" + PUB + "-tomcat.csr";
  private static final String SIGNED = "offline-ca/signed/" + PUB + "-tomcat.pem";

  @TempDir Path temp;
  private Path desired;
  private OpensslCa ca;

  private record Run(int code, String out, String err) {}

  private Run reconcile(String... options) {
    List<String> args = new ArrayList<>(List.of("reconcile", desired.toString(), "--state-dir",
        temp.resolve("lab").toString(), "--phones", "20"));
    args.addAll(List.of(options));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(CLOCK, Map.of(), new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));
    return new Run(code, out.toString(), err.toString());
  }

  @BeforeEach
  void offlineCaAndDesiredState() throws Exception {
    ca = OpensslCa.create(temp.resolve("ca"), "Example Offline Server CA", OpensslCa.Profile.SERVER);

    desired = Files.createDirectories(temp.resolve("desired"));
    Files.copy(Path.of("examples/lab/cluster.yaml"), desired.resolve("cluster.yaml"));
    Files.createDirectories(desired.resolve("certs"));
    Files.copy(ca.certificate(), desired.resolve("certs/offline-ca.pem"));
    Files.writeString(desired.resolve("certificate.yaml"), """
        apiVersion: uctrust/v1
        kind: Certificate
        metadata: {name: tomcat}
        spec:
          service: tomcat
          distribution: multi-server
          nodes: [%s, %s]
          key: {type: rsa, size: 2048}
          issuer: {type: offline, caCertificates: certs/offline-ca.pem}
          renewBefore: 30d
        """.formatted(PUB, SUB));
  }

  /** openssl signs {@code csr}; the chain (certificate, then the CA's) is committed as {@code signed}. */
  private void sign(Path csr, Path signed) throws Exception {
    Path leaf = temp.resolve("leaf-" + System.nanoTime() + ".pem");
    ca.sign(csr, leaf);
    Files.createDirectories(signed.getParent());
    Files.writeString(signed, Files.readString(leaf) + Files.readString(ca.certificate()));
  }

  private ObservedCluster.Certificate tomcat(String node) throws Exception {
    try (LabCluster lab = LabCluster.existing(new LabStore(temp.resolve("lab")), CLOCK)) {
      return lab.observe().nodes().stream().filter(n -> n.name().equals(node)).findFirst().orElseThrow().identities()
          .stream().filter(i -> i.service().yaml().equals("tomcat")).findFirst().orElseThrow().certificate();
    }
  }

  @Test
  void theCsrIsWrittenSignedByOpensslCommittedAndInstalledAfterItsCaIsTrustedAndTheNextDryRunIsInSync() throws Exception {
    Run first = reconcile();

    assertThat(first.code()).as(first.out() + first.err()).isZero();
    assertThat(first.err()).contains("replace  identity-certificate " + PUB + "/tomcat: succeeded (CSR written to "
        + PENDING + "; commit the signed chain as " + SIGNED + ")");
    assertThat(first.out()).contains("CSR(s) wait for the offline CA").contains(PENDING);
    assertThat(desired.resolve(PENDING)).exists();
    assertThat(tomcat(PUB).issuer()).isEqualTo(tomcat(PUB).subject());

    Run waiting = reconcile("--dry-run");
    assertThat(waiting.code()).as(waiting.out()).isZero();
    assertThat(waiting.out()).contains("In sync.");

    sign(desired.resolve(PENDING), desired.resolve(SIGNED));
    Run install = reconcile();

    assertThat(install.code()).as(install.out() + install.err()).isZero();
    assertThat(install.err()).containsSubsequence("create   trust-certificate " + PUB + "/tomcat-trust/",
        "replace  identity-certificate " + PUB + "/tomcat: succeeded", "restart  service Cisco Tomcat@" + PUB);
    String leaf = CertificateFacts.of(Pem.certificates(Files.readString(desired.resolve(SIGNED))).get(0)).sha256();
    assertThat(tomcat(PUB).sha256()).isEqualTo(leaf);
    assertThat(tomcat(SUB).sha256()).isEqualTo(leaf);
    assertThat(tomcat(PUB).issuer()).contains("CN=Example Offline Server CA");
    assertThat(desired.resolve(PENDING)).as("the installed identity's CSR is removed").doesNotExist();
    assertThat(desired.resolve(SIGNED)).as("its chain stays committed").exists();

    // then the guide's clean-up of the self-signed certificates the CA-signed one replaced, and nothing more
    Run cleanup = reconcile("--dry-run");
    assertThat(cleanup.out()).contains("Trust removals").doesNotContain("identity-certificate");
    assertThat(reconcile().code()).isZero();
    Run again = reconcile("--dry-run");
    assertThat(again.code()).as(again.out()).isZero();
    assertThat(again.out()).contains("In sync.");
  }

  @Test
  void aCommittedChainForAnotherKeyIsAManualStepAndTheIdentityKeepsWaiting() throws Exception {
    assertThat(reconcile().code()).isZero();
    ObservedCluster.Certificate before = tomcat(PUB);
    // a certificate the offline CA issued for a CSR of another key, committed under this identity's name
    ca.openssl("req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", "other.key", "-out", "other.csr", "-subj",
        "/CN=" + PUB, "-config", "ca.cnf");
    sign(ca.dir().resolve("other.csr"), desired.resolve(SIGNED));

    Run dry = reconcile("--dry-run");
    Run apply = reconcile();

    assertThat(dry.code()).as(dry.out()).isEqualTo(2);
    assertThat(dry.out()).contains(SIGNED + " cannot be installed: it is not for the key of the pending CSR " + PENDING);
    assertThat(apply.code()).as(apply.out() + apply.err()).isZero();
    assertThat(apply.out()).contains("0 failed").contains("1 manual");
    assertThat(tomcat(PUB)).isEqualTo(before);
    assertThat(desired.resolve(PENDING)).exists();
  }
}
