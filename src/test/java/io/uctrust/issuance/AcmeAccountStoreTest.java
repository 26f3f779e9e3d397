package io.uctrust.issuance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.interfaces.ECPublicKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keeping one ACME account key per directory URL. */
class AcmeAccountStoreTest {
  private static final URI DIRECTORY = URI.create("https://acme.example.net/directory");
  private static final URI OTHER_DIRECTORY = URI.create("https://acme.example.org/directory");

  @TempDir Path dir;

  @Test
  void theFirstKeyIsANewP256KeyInAFolderNamedAfterTheDirectoryUrlHash() throws IOException {
    AcmeAccountStore store = new AcmeAccountStore(dir);

    AcmeAccountStore.AccountKey key = store.key(DIRECTORY);

    assertThat(key.created()).isTrue();
    assertThat(((ECPublicKey) key.keyPair().getPublic()).getParams().getCurve().getField().getFieldSize())
        .isEqualTo(256);
    // first 16 hex digits of SHA-256("https://acme.example.net/directory")
    assertThat(store.keyFile(DIRECTORY))
        .isEqualTo(dir.resolve(AcmeAccountStore.folderName(DIRECTORY)).resolve("account.pem"))
        .exists();
    assertThat(AcmeAccountStore.folderName(DIRECTORY)).hasSize(16).matches("[0-9a-f]{16}");
    assertThat(Files.readString(store.keyFile(DIRECTORY))).startsWith("-----BEGIN EC PRIVATE KEY-----");
  }

  @Test
  void theKeyFileIsReadableByItsOwnerOnlyAndItsFolderIsPrivate() throws IOException {
    assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
    AcmeAccountStore store = new AcmeAccountStore(dir);

    store.key(DIRECTORY);

    Path file = store.keyFile(DIRECTORY);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
        .isEqualTo("rwx------");
    assertThat(Files.list(file.getParent())).containsExactly(file);
  }

  @Test
  void aSecondRunReusesTheStoredKeyAndLeavesTheFileAsItWas() throws IOException {
    AcmeAccountStore.AccountKey first = new AcmeAccountStore(dir).key(DIRECTORY);
    byte[] stored = Files.readAllBytes(new AcmeAccountStore(dir).keyFile(DIRECTORY));

    AcmeAccountStore.AccountKey again = new AcmeAccountStore(dir).key(DIRECTORY);

    assertThat(again.created()).isFalse();
    assertThat(again.keyPair().getPublic().getEncoded()).isEqualTo(first.keyPair().getPublic().getEncoded());
    assertThat(again.keyPair().getPrivate().getEncoded()).isEqualTo(first.keyPair().getPrivate().getEncoded());
    assertThat(Files.readAllBytes(new AcmeAccountStore(dir).keyFile(DIRECTORY))).isEqualTo(stored);
  }

  @Test
  void anotherDirectoryGetsAnotherKeyInAnotherFolder() throws IOException {
    AcmeAccountStore store = new AcmeAccountStore(dir);

    AcmeAccountStore.AccountKey one = store.key(DIRECTORY);
    AcmeAccountStore.AccountKey other = store.key(OTHER_DIRECTORY);

    assertThat(other.created()).isTrue();
    assertThat(other.keyPair().getPublic()).isNotEqualTo(one.keyPair().getPublic());
    assertThat(store.keyFile(OTHER_DIRECTORY).getParent()).isNotEqualTo(store.keyFile(DIRECTORY).getParent());
  }

  @Test
  void aKeyFileThatHoldsNoKeyIsReportedWithItsPathAndNotReplaced() throws IOException {
    AcmeAccountStore store = new AcmeAccountStore(dir);
    Path file = store.keyFile(DIRECTORY);
    Files.createDirectories(file.getParent());
    Files.writeString(file, "not a key");

    assertThatThrownBy(() -> store.key(DIRECTORY))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("holds no PEM key pair");
    assertThat(Files.readString(file)).isEqualTo("not a key");
  }
}
