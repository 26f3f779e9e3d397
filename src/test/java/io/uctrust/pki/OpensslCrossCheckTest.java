package io.uctrust.pki;

import static io.uctrust.pki.CertificateAuthorityTest.END;
import static io.uctrust.pki.CertificateAuthorityTest.START;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.uctrust.pki.CertificateAuthority.Profile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the pki package writes, read by the real {@code openssl} binary (skipped when it is not installed): key
 * stores, chains, CSRs and issued certificates, and the other way round.
 */
class OpensslCrossCheckTest {

  private static final Instant NOW = START.plus(Duration.ofDays(30));

  @TempDir Path dir;

  @BeforeAll
  static void opensslIsInstalled() {
    boolean found;
    try {
      found = openssl(Path.of("."), "version").exit() == 0;
    } catch (IOException e) {
      found = false;
    }
    assumeTrue(found, "openssl is not installed");
  }

  @Test
  void opensslOpensTheKeyStoreWithAes256AndRefusesAWrongPassword() throws IOException {
    Path file = dir.resolve("ca.p12");
    CaKeyStore.save(file, CertificateAuthority.create("CN=Root", KeyPairs.ec(256), START, END, 0),
        "s3cret pass".toCharArray());

    Run right = openssl(dir, "pkcs12", "-info", "-noout", "-in", file.toString(), "-passin", "pass:s3cret pass");
    Run wrong = openssl(dir, "pkcs12", "-info", "-noout", "-in", file.toString(), "-passin", "pass:nope");

    assertThat(right.exit()).as(right.output()).isZero();
    assertThat(right.output()).contains("MAC: sha256")
        .contains("Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC").contains("PRF hmacWithSHA256")
        .contains("PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC");
    assertThat(wrong.exit()).as(wrong.output()).isNotZero();
    assertThat(wrong.output()).containsIgnoringCase("invalid password");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"RSA 2048", "EC 256", "EC 384", "EC 521"})
  void opensslVerifiesAnLscIssuedByACapfSigningCa(String keyType) throws IOException {
    CertificateAuthority ca = CertificateAuthority.create("CN=CAPF Signing CA,O=Example", keys(keyType), START, END, 0);
    Csr csr = Csr.create(keys(keyType), "CN=SEP001122334455,O=Example", List.of());
    X509Certificate lsc = ca.issue(csr, START, START.plus(Duration.ofDays(365 * 5)), Profile.LSC);
    write("ca.pem", ca.certificate());
    write("leaf.pem", lsc);
    Files.writeString(dir.resolve("csr.pem"), csr.pem());

    Run verify = openssl(dir, "verify", "-x509_strict", "-attime", epoch(NOW), "-CAfile", "ca.pem", "leaf.pem");
    Run request = openssl(dir, "req", "-in", "csr.pem", "-verify", "-noout");
    Run caText = openssl(dir, "x509", "-in", "ca.pem", "-noout", "-text");
    Run lscText = openssl(dir, "x509", "-in", "leaf.pem", "-noout", "-text");

    assertThat(verify.exit()).as(verify.output()).isZero();
    assertThat(verify.output()).isEqualTo("leaf.pem: OK\n");
    assertThat(request.exit()).as(request.output()).isZero();
    assertThat(request.output()).contains("verify OK").doesNotContain("failure");
    String signature = keyType.startsWith("RSA") ? "sha256WithRSAEncryption" : "ecdsa-with-SHA256";
    assertThat(caText.output()).contains("X509v3 Basic Constraints: critical\n                CA:TRUE, pathlen:0")
        .contains("X509v3 Key Usage: critical\n                Digital Signature, Certificate Sign, CRL Sign")
        .contains("X509v3 Subject Key Identifier").contains("Signature Algorithm: " + signature);
    String usage = keyType.startsWith("RSA") ? "Digital Signature, Key Encipherment" : "Digital Signature, Key Agreement";
    assertThat(lscText.output()).contains("X509v3 Key Usage: critical\n                " + usage)
        .contains("X509v3 Extended Key Usage: \n                TLS Web Client Authentication, TLS Web Server "
            + "Authentication")
        .contains("X509v3 Authority Key Identifier").contains("Signature Algorithm: " + signature)
        .contains("Subject: O = Example, CN = SEP001122334455")
        .contains("CA:FALSE").doesNotContain("Subject Alternative Name");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"RSA 2048", "EC 256", "EC 384", "EC 521"})
  void opensslVerifiesAServerCertificateThroughAnUntrustedIntermediate(String keyType) throws IOException {
    CertificateAuthority root = CertificateAuthority.create("CN=Root,O=Example", keys(keyType), START, END, 1);
    CertificateAuthority issuing = root.subordinate("CN=Issuing,O=Example", keys(keyType), START, END, 0);
    Csr csr = Csr.create(keys(keyType), "CN=cucm-pub.example.com", List.of("cucm-pub.example.com", "cucm-pub"));
    write("root.pem", root.certificate());
    write("intermediate.pem", issuing.certificate());
    write("leaf.pem", issuing.issue(csr, START, END, Profile.SERVER));

    Run verify = openssl(dir, "verify", "-x509_strict", "-attime", epoch(NOW), "-purpose", "sslserver",
        "-CAfile", "root.pem", "-untrusted", "intermediate.pem", "leaf.pem");
    Run withoutIntermediate = openssl(dir, "verify", "-attime", epoch(NOW), "-CAfile", "root.pem", "leaf.pem");
    Run leafText = openssl(dir, "x509", "-in", "leaf.pem", "-noout", "-ext", "subjectAltName,extendedKeyUsage");

    assertThat(verify.exit()).as(verify.output()).isZero();
    assertThat(verify.output()).isEqualTo("leaf.pem: OK\n");
    assertThat(withoutIntermediate.exit()).isNotZero();
    assertThat(leafText.output()).contains("DNS:cucm-pub.example.com, DNS:cucm-pub").contains("TLS Web Server Authentication")
        .doesNotContain("Client");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"rsa:2048", "ec -pkeyopt ec_paramgen_curve:P-256"})
  void aCsrMadeByOpensslIsParsedAndItsCertificateVerifiedByOpenssl(String newKey) throws IOException {
    List<String> arguments = new ArrayList<>(List.of("req", "-new", "-nodes", "-keyout", "phone-key.pem",
        "-out", "csr.pem", "-subj", "/CN=SEP001122334455/O=Example", "-addext", "subjectAltName=DNS:phone.example.com",
        "-newkey"));
    arguments.addAll(List.of(newKey.split(" ")));
    Run made = openssl(dir, arguments.toArray(String[]::new));
    assertThat(made.exit()).as(made.output()).isZero();
    CertificateAuthority ca = CertificateAuthority.create("CN=CAPF Signing CA", newKey.startsWith("rsa")
        ? KeyPairs.rsa(2048) : KeyPairs.ec(256), START, END, 0);

    Csr csr = Csr.parse(Files.readString(dir.resolve("csr.pem")));
    write("ca.pem", ca.certificate());
    write("leaf.pem", ca.issue(csr, START, END, Profile.LSC));

    assertThat(csr.signatureValid()).isTrue();
    assertThat(csr.subject()).isEqualTo("O=Example,CN=SEP001122334455"); // openssl -subj encodes CN first
    assertThat(csr.keyAlgorithm()).isEqualTo(newKey.startsWith("rsa") ? "RSA" : "EC");
    assertThat(csr.keySize()).isEqualTo(newKey.startsWith("rsa") ? 2048 : 256);
    assertThat(csr.dnsNames()).containsExactly("phone.example.com");
    Run verify = openssl(dir, "verify", "-x509_strict", "-attime", epoch(NOW), "-CAfile", "ca.pem", "leaf.pem");
    assertThat(verify.exit()).as(verify.output()).isZero();
    assertThat(verify.output()).isEqualTo("leaf.pem: OK\n");
    Run certificateKey = openssl(dir, "x509", "-in", "leaf.pem", "-noout", "-pubkey");
    Run phoneKey = openssl(dir, "pkey", "-in", "phone-key.pem", "-pubout");
    assertThat(certificateKey.output()).isEqualTo(phoneKey.output());
  }

  @Test
  void aTamperedOpensslCsrIsRefusedByOpensslAndByIssue() throws IOException {
    Run made = openssl(dir, "req", "-new", "-nodes", "-newkey", "rsa:2048", "-keyout", "key.pem", "-out", "csr.pem",
        "-subj", "/CN=SEP001122334455");
    assertThat(made.exit()).as(made.output()).isZero();
    String tampered = CsrTest.tamper(Csr.parse(Files.readString(dir.resolve("csr.pem"))));
    Files.writeString(dir.resolve("tampered.pem"), tampered);
    CertificateAuthority ca = CertificateAuthority.create("CN=CA", KeyPairs.ec(256), START, END, 0);

    Run verify = openssl(dir, "req", "-in", "tampered.pem", "-verify", "-noout");

    // OpenSSL 3.0 exits 0 even then; its words are what count
    assertThat(verify.output()).contains("verify failure").doesNotContain("verify OK");
    assertThat(Csr.parse(tampered).signatureValid()).isFalse();
    assertThatThrownBy(() -> ca.issue(Csr.parse(tampered), START, END, Profile.LSC))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not verify");
  }

  private static KeyPair keys(String keyType) {
    String[] parts = keyType.split(" ");
    int bits = Integer.parseInt(parts[1]);
    return "RSA".equals(parts[0]) ? KeyPairs.rsa(bits) : KeyPairs.ec(bits);
  }

  private void write(String name, X509Certificate certificate) throws IOException {
    Files.writeString(dir.resolve(name), Pem.encode(certificate));
  }

  /** openssl's -attime: seconds since the epoch, so that the check does not depend on today's date. */
  private static String epoch(Instant at) {
    return Long.toString(at.getEpochSecond());
  }

  /** The exit code and the interleaved standard output and error of one openssl run. */
  record Run(int exit, String output) {}

  static Run openssl(Path dir, String... arguments) throws IOException {
    List<String> command = new ArrayList<>();
    command.add("openssl");
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException("openssl " + String.join(" ", arguments) + " did not finish in 60 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for openssl", e);
    }
    return new Run(process.exitValue(), output);
  }
}
