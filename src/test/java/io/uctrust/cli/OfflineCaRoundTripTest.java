package io.uctrust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import io.uctrust.pki.OpensslCa;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The offline-CA round trip through the desired-state folder, with the real {@code openssl ca} as the offline CA:
 * reconcile writes the phones' CSRs to {@code offline-ca/pending/}, openssl signs them, the certificates are
 * committed to {@code offline-ca/signed/}, and the next reconcile checks and installs them; a bad certificate is
 * reported for its phone and blocks nothing else.
 */
class OfflineCaRoundTripTest {
  private static final Clock CLOCK = Clock.fixed(
      Instant.now().plusSeconds(3600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS), ZoneOffset.UTC);
  // an hour ahead: the certificates openssl makes during the test are valid from the real now

  @TempDir Path temp;
  private Path desired;
  private OpensslCa ca;

  private record Run(int code, String out, String err) {}

  private Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(CLOCK, Map.of(), new PrintWriter(out), new PrintWriter(err), args);
    return new Run(code, out.toString(), err.toString());
  }

  @BeforeEach
  void offlineCaAndDesiredState() throws Exception {
    ca = OpensslCa.create(temp.resolve("ca"), "Example Offline LSC CA", OpensslCa.Profile.LSC);

    desired = ReconcileCommandTest.copyExample("offline-ca", temp);
    // this offline CA replaces the example's, whose key was discarded; the lab's phones live in Branch-East
    Files.copy(ca.certificate(), desired.resolve("certs/lsc-chain.pem"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Path cluster = desired.resolve("cluster.yaml");
    Files.writeString(cluster, Files.readString(cluster).replace("devicePools: [Branch]", "devicePools: [Branch-East]"));
  }

  @Test
  void pendingCsrsAreWrittenSignedByOpensslCommittedAndInstalledAndABadCertificateIsReportedAlone() throws Exception {
    String state = temp.resolve("lab").toString();
    Run first = run("reconcile", desired.toString(), "--state-dir", state, "--phones", "40");
    assertThat(first.code()).as(first.out() + first.err()).isZero();
    Path pending = desired.resolve("offline-ca/pending");
    List<Path> csrs;
    // the phones' CSRs; the example's tomcat identity waits in the same folder, under its own name
    String identity = "ucm1.branch.example.com-tomcat.csr";
    try (Stream<Path> files = Files.list(pending)) {
      csrs = files.filter(f -> !f.getFileName().toString().equals(identity)).sorted().toList();
    }
    assertThat(csrs).as(first.out()).hasSizeGreaterThan(1);
    assertThat(pending.resolve(identity)).exists();
    assertThat(first.out()).contains("CSR(s) wait for the offline CA").contains("offline-ca/pending/" + csrs.get(0).getFileName());

    Path signed = Files.createDirectories(desired.resolve("offline-ca/signed"));
    for (Path csr : csrs) {
      String phone = csr.getFileName().toString().replace(".csr", "");
      ca.sign(csr, signed.resolve(phone + ".pem"));
    }
    // the first phone's file gets the second phone's certificate: a key that is not its CSR's
    String bad = csrs.get(0).getFileName().toString().replace(".csr", "");
    String good = csrs.get(1).getFileName().toString().replace(".csr", "");
    Files.copy(signed.resolve(good + ".pem"), signed.resolve(bad + ".pem"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    Run dry = run("reconcile", "--dry-run", desired.toString(), "--state-dir", state);
    assertThat(dry.code()).isEqualTo(2);
    assertThat(dry.out()).contains("phone-lsc").contains(good)
        .contains("offline-ca/signed/" + bad + ".pem cannot be installed: it is not for the key of the phone's pending CSR");

    Run second = run("reconcile", desired.toString(), "--state-dir", state);
    assertThat(second.code()).as(second.out() + second.err()).isZero();
    assertThat(second.out()).as("the phone with the bad certificate, and the identity waiting").contains("2 manual");
    try (Stream<Path> files = Files.list(pending)) {
      assertThat(files.map(f -> f.getFileName().toString()).toList()).as("only the phone with the bad certificate waits, "
          + "and the identity, whose CSR no phone's list removes").containsExactlyInAnyOrder(bad + ".csr", identity);
    }
    Run status = run("status", desired.toString(), "--state-dir", state, "--stale-lsc");
    assertThat(status.out()).contains("CSRs waiting for the offline CA").contains(bad);
  }
}
