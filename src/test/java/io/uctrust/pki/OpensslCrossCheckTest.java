package io.uctrust.pki;

import static io.uctrust.pki.CertificateAuthorityTest.END;
import static io.uctrust.pki.CertificateAuthorityTest.START;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the pki package writes, read by the real {@code openssl} binary (skipped when it is not installed): key
 * stores, chains, CSRs and issued certificates, and the other way round.
 */
class OpensslCrossCheckTest {

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
