package io.uctrust.pki;

import static io.uctrust.pki.CertificateAuthorityTest.END;
import static io.uctrust.pki.CertificateAuthorityTest.START;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Saving a CA to an encrypted PKCS#12 file and loading it back. */
class CaKeyStoreTest {

  private static final char[] PASSWORD = "correct horse battery staple".toCharArray();
  private static final CertificateAuthority ROOT =
      CertificateAuthority.create("CN=Root,O=Example", KeyPairs.ec(384), START, END, 1);
  private static final CertificateAuthority ISSUING =
      ROOT.subordinate("CN=Issuing,O=Example", KeyPairs.rsa(2048), START, END, 0);

  @TempDir Path dir;

  @Test
  void aSavedCaLoadsBackWithItsKeyAndWholeChain() throws Exception {
    Path file = dir.resolve("ca.p12");

    CaKeyStore.save(file, ISSUING, PASSWORD);
    CertificateAuthority loaded = CaKeyStore.load(file, PASSWORD);

    assertThat(loaded.certificate()).isEqualTo(ISSUING.certificate());
    assertThat(loaded.chain()).containsExactly(ISSUING.certificate(), ROOT.certificate());
    assertThat(loaded.privateKey().getEncoded()).isEqualTo(ISSUING.privateKey().getEncoded());
    loaded.issue(Csr.create(KeyPairs.ec(256), "CN=SEP001122334455", List.of()), START, END,
        CertificateAuthority.Profile.LSC).verify(ISSUING.certificate().getPublicKey());
  }

  @Test
  void theFileIsReadableByItsOwnerOnly() throws IOException {
    assumeTrue(posix());
    Path file = dir.resolve("ca.p12");

    CaKeyStore.save(file, ROOT, PASSWORD);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
  }

  @Test
  void savingReplacesAnExistingFileWithAPrivateOneAndLeavesNoTemporaryFile() throws IOException {
    assumeTrue(posix());
    Path file = dir.resolve("ca.p12");
    Files.writeString(file, "old");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    CaKeyStore.save(file, ROOT, PASSWORD);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(CaKeyStore.load(file, PASSWORD).certificate()).isEqualTo(ROOT.certificate());
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(file);
    }
  }

  @Test
  void aWrongPasswordIsReportedWithTheFileButNotThePassword() {
    Path file = dir.resolve("ca.p12");
    CaKeyStore.save(file, ROOT, PASSWORD);

    assertThatThrownBy(() -> CaKeyStore.load(file, "hunter2".toCharArray()))
        .isInstanceOf(CaKeyStore.WrongPasswordException.class)
        .hasMessageContaining(file.toString()).hasMessageContaining("password")
        .hasMessageContaining("wrong")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2").doesNotContain(new String(PASSWORD)));
  }

  @Test
  void aMissingOrForeignFileIsAnIoErrorNamingIt() throws IOException {
    Path missing = dir.resolve("missing.p12");
    Path text = Files.writeString(dir.resolve("text.p12"), "not a key store");

    assertThatThrownBy(() -> CaKeyStore.load(missing, PASSWORD)).isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining(missing.toString()).hasMessageContaining("does not exist");
    assertThatThrownBy(() -> CaKeyStore.load(text, PASSWORD)).isInstanceOf(UncheckedIOException.class)
        .isNotInstanceOf(CaKeyStore.WrongPasswordException.class).hasMessageContaining(text.toString());
  }

  @Test
  void anEmptyPasswordIsRefused() {
    assertThatThrownBy(() -> CaKeyStore.save(dir.resolve("ca.p12"), ROOT, new char[0]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a password");
    assertThat(dir.resolve("ca.p12")).doesNotExist();
  }

  @Test
  void aFolderThatDoesNotExistIsAnIoErrorAndCreatesNothing() {
    Path file = dir.resolve("no/such/folder/ca.p12");

    assertThatThrownBy(() -> CaKeyStore.save(file, ROOT, PASSWORD)).isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining(file.toString());
  }

  private static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }
}
