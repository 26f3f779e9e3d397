package io.uctrust.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
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
  private Path ca;

  private record Run(int code, String out, String err) {}

  private Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(CLOCK, Map.of(), new PrintWriter(out), new PrintWriter(err), args);
    return new Run(code, out.toString(), err.toString());
  }

  private static void openssl(Path dir, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as("openssl %s: %s", args, output).isZero();
  }

  @BeforeEach
  void offlineCaAndDesiredState() throws Exception {
    assumeThat(new ProcessBuilder("openssl", "version").start().waitFor()).as("openssl is installed").isZero();
    ca = Files.createDirectories(temp.resolve("ca"));
    Files.createDirectories(ca.resolve("new"));
    Files.writeString(ca.resolve("index.txt"), "");
    Files.writeString(ca.resolve("serial"), "1000\n");
    Files.writeString(ca.resolve("ca.cnf"), """
        [ca]
        default_ca = offline
        [offline]
        dir = .
        database = ./index.txt
        new_certs_dir = ./new
        serial = ./serial
        certificate = ./ca.pem
        private_key = ./ca.key
        default_md = sha256
        default_days = 365
        policy = any
        unique_subject = no
        copy_extensions = none
        x509_extensions = lsc
        [any]
        commonName = supplied
        [lsc]
        basicConstraints = critical,CA:FALSE
        keyUsage = critical,digitalSignature,keyEncipherment
        extendedKeyUsage = clientAuth,serverAuth
        authorityKeyIdentifier = keyid
        [req]
        distinguished_name = dn
        [dn]
        [root]
        basicConstraints = critical,CA:TRUE,pathlen:0
        keyUsage = critical,digitalSignature,keyCertSign,cRLSign
        subjectKeyIdentifier = hash
        """);
    openssl(ca, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "3650",
        "-subj", "/O=Example Corp/CN=Example Offline LSC CA", "-config", "ca.cnf", "-extensions", "root");

    desired = ReconcileCommandTest.copyExample("offline-ca", temp);
    // this offline CA replaces the example's, whose key was discarded; the lab's phones live in Branch-East
    Files.copy(ca.resolve("ca.pem"), desired.resolve("certs/lsc-chain.pem"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
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
      openssl(ca, "ca", "-batch", "-config", "ca.cnf", "-in", csr.toString(), "-out", signed.resolve(phone + ".pem").toString());
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
