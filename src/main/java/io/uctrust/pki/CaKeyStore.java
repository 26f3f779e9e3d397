package io.uctrust.pki;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * A {@link CertificateAuthority}'s private key and chain in a password-encrypted PKCS#12 file: the key and
 * the certificates encrypted with PBES2 (PBKDF2 with HMAC-SHA256, AES-256-CBC), integrity by HMAC-SHA256 (the
 * JDK 17 defaults; the key's algorithm is set explicitly so that a changed {@code keystore.pkcs12.*} security
 * property cannot weaken it). The file is private to its owner (0600) from the moment it exists and is
 * replaced atomically, so a reader never sees half a key store. The file opens with {@code openssl pkcs12}.
 *
 * <p>Not for: other keys or trust stores, or files whose password is kept next to them. The caller owns the
 * password array and should clear it when done; nothing here keeps or prints it.
 */
public final class CaKeyStore {
  private static final String ALIAS = "ca";
  private static final String KEY_PROTECTION = "PBEWithHmacSHA256AndAES_256";
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private CaKeyStore() {}

  /** The password does not open the key store (its integrity check or its decryption fails). */
  public static final class WrongPasswordException extends UncheckedIOException {
    private static final long serialVersionUID = 1L;

    WrongPasswordException(String message, IOException cause) {
      super(message, cause);
    }
  }

  /**
   * Writes {@code ca}'s key and chain to {@code file}, replacing it if it exists. The bytes go to a new 0600
   * file in the same folder first, which is then moved over {@code file} in one step.
   *
   * @throws IllegalArgumentException when the password is empty
   * @throws UncheckedIOException when the file cannot be written (nothing is left behind)
   */
  public static void save(Path file, CertificateAuthority ca, char[] password) {
    requirePassword(password);
    KeyStore store = newStore();
    try {
      store.load(null, null);
      store.setEntry(ALIAS, new KeyStore.PrivateKeyEntry(ca.privateKey(), ca.chain().toArray(Certificate[]::new)),
          new KeyStore.PasswordProtection(password, KEY_PROTECTION, null));
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot put the CA key into a PKCS#12 key store", e);
    }
    Path target = file.toAbsolutePath();
    Path temp = null;
    try {
      temp = createPrivate(target.getParent(), "." + target.getFileName() + ".");
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE);
          OutputStream out = Channels.newOutputStream(channel)) {
        store.store(out, password);
        channel.force(true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      deleteQuietly(temp, e);
      throw new UncheckedIOException("cannot write the CA key store " + file + ": " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      deleteQuietly(temp, e);
      throw new IllegalStateException("cannot encrypt the CA key store " + file, e);
    }
  }

  /**
   * Reads the CA stored in {@code file} with {@link #save}.
   *
   * @throws WrongPasswordException when {@code password} does not open the file
   * @throws UncheckedIOException when the file is missing, unreadable or not a PKCS#12 file
   * @throws IllegalArgumentException when the password is empty, or the file holds no CA key with its chain
   */
  public static CertificateAuthority load(Path file, char[] password) {
    requirePassword(password);
    KeyStore store = newStore();
    try (InputStream in = Files.newInputStream(file)) {
      store.load(in, password);
    } catch (NoSuchFileException e) {
      throw new UncheckedIOException("the CA key store " + file + " does not exist", e);
    } catch (IOException e) {
      // the JDK reports a failed MAC check or a failed decryption as an IOException caused by this
      if (e.getCause() instanceof UnrecoverableKeyException) {
        throw new WrongPasswordException("the password of the CA key store " + file + " is wrong", e);
      }
      throw new UncheckedIOException("the CA key store " + file + " is not a readable PKCS#12 file", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the CA key store " + file + " cannot be read: " + e.getMessage(), e);
    }
    try {
      for (String alias : Collections.list(store.aliases())) {
        if (store.isKeyEntry(alias)) {
          Key key = store.getKey(alias, password);
          Certificate[] chain = store.getCertificateChain(alias);
          if (key instanceof PrivateKey privateKey && chain != null) {
            List<X509Certificate> certificates = new ArrayList<>();
            for (Certificate certificate : chain) {
              certificates.add((X509Certificate) certificate);
            }
            return CertificateAuthority.of(certificates, privateKey);
          }
        }
      }
    } catch (UnrecoverableKeyException e) {
      throw new WrongPasswordException("the password of the CA key store " + file + " is wrong",
          new IOException(e.getMessage(), e));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException("the CA key store " + file + " holds no usable CA: " + e.getMessage(), e);
    }
    throw new IllegalArgumentException("the CA key store " + file + " holds no private key with its certificate");
  }

  private static KeyStore newStore() {
    try {
      return KeyStore.getInstance("PKCS12");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PKCS12 key stores are not available", e);
    }
  }

  private static void requirePassword(char[] password) {
    // without a password the JDK skips the integrity check and would store the key unencrypted
    if (password == null || password.length == 0) {
      throw new IllegalArgumentException("a CA key store needs a password");
    }
  }

  /**
   * A new empty file in {@code dir}, owner read/write only before anything is written to it; the mode is set
   * again because the umask may have taken bits away. On a file system without POSIX modes: the default mode.
   */
  private static Path createPrivate(Path dir, String prefix) throws IOException {
    Path temp;
    try {
      temp = Files.createTempFile(dir, prefix, ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    } catch (UnsupportedOperationException e) {
      return Files.createTempFile(dir, prefix, ".tmp");
    }
    Files.setPosixFilePermissions(temp, OWNER_ONLY);
    return temp;
  }

  private static void deleteQuietly(Path temp, Exception cause) {
    if (temp == null) {
      return;
    }
    try {
      Files.deleteIfExists(temp);
    } catch (IOException e) {
      cause.addSuppressed(e);
    }
  }
}
