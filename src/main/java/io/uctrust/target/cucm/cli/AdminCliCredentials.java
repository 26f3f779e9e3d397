package io.uctrust.target.cucm.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.util.security.SecurityUtils;

/**
 * A platform administrator of a Unified CM node (the OS admin user of the {@code admin:} CLI, not an
 * application user) with either a password or a private key file (PEM or OpenSSH format, optionally
 * encrypted with a passphrase), resolved by the caller from secret references. Password and passphrase
 * are kept as private copies of the characters; {@link #toString()} shows the user name and the key file
 * path only.
 *
 * <p>Not for: storing credentials anywhere (plans, journals, logs), equality checks, or AXL users.
 */
public final class AdminCliCredentials {
  private final String username;
  private final char[] password;
  private final Path keyFile;
  private final char[] passphrase;

  private AdminCliCredentials(String username, char[] password, Path keyFile, char[] passphrase) {
    Objects.requireNonNull(username, "username");
    if (username.isBlank() || username.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
      throw new IllegalArgumentException("an admin CLI user name must be non-blank, without spaces or control "
          + "characters");
    }
    this.username = username;
    this.password = password == null ? null : password.clone();
    this.keyFile = keyFile;
    this.passphrase = passphrase == null ? null : passphrase.clone();
  }

  /** Log in with a password. */
  public static AdminCliCredentials password(String username, char[] password) {
    Objects.requireNonNull(password, "password");
    if (password.length == 0) {
      throw new IllegalArgumentException("the admin CLI password is empty");
    }
    return new AdminCliCredentials(username, password, null, null);
  }

  /** Log in with the private key in {@code keyFile}; {@code passphrase} is null for an unencrypted key. */
  public static AdminCliCredentials privateKey(String username, Path keyFile, char[] passphrase) {
    Objects.requireNonNull(keyFile, "keyFile");
    return new AdminCliCredentials(username, null, keyFile, passphrase);
  }

  public String username() {
    return username;
  }

  /** The private key file, when this logs in with a key. */
  public Optional<Path> keyFile() {
    return Optional.ofNullable(keyFile);
  }

  /** The password as a string (MINA SSHD takes passwords as strings), or null for key login. */
  String passwordText() {
    return password == null ? null : new String(password);
  }

  /** Adds the password and the passphrase to {@code redaction}. */
  void addSecretsTo(Redaction redaction) {
    if (password != null) {
      redaction.add(new String(password));
    }
    if (passphrase != null) {
      redaction.add(new String(passphrase));
    }
  }

  /** The key pairs in the key file (empty for password login). */
  List<KeyPair> loadKeyPairs() throws AdminCliException {
    if (keyFile == null) {
      return List.of();
    }
    if (!Files.isRegularFile(keyFile) || !Files.isReadable(keyFile)) {
      throw new AdminCliException(AdminCliException.Kind.PRIVATE_KEY, "the private key file " + keyFile
          + " does not exist or cannot be read");
    }
    FilePasswordProvider passwords = passphrase == null ? FilePasswordProvider.EMPTY
        : FilePasswordProvider.of(new String(passphrase));
    try (InputStream in = Files.newInputStream(keyFile)) {
      Iterable<KeyPair> loaded = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(keyFile.toString()),
          in, passwords);
      List<KeyPair> keys = new ArrayList<>();
      if (loaded != null) {
        loaded.forEach(keys::add);
      }
      if (keys.isEmpty()) {
        throw new AdminCliException(AdminCliException.Kind.PRIVATE_KEY, "the file " + keyFile
            + " holds no private key uctrust can read (PEM or OpenSSH format)");
      }
      return keys;
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      // The parsers' messages name the resource and the problem, never key material or the passphrase.
      throw new AdminCliException(AdminCliException.Kind.PRIVATE_KEY, "cannot load the private key from " + keyFile
          + " (" + e.getClass().getSimpleName() + "): check the format (PEM or OpenSSH) and the passphrase"
          + (passphrase == null ? " (none was given; is the key encrypted?)" : ""), e);
    }
  }

  @Override
  public String toString() {
    return "AdminCliCredentials[username=" + username + (keyFile == null ? ", password=<redacted>]"
        : ", keyFile=" + keyFile + (passphrase == null ? "]" : ", passphrase=<redacted>]"));
  }
}
