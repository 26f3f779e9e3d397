package io.uctrust.issuance;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.shredzone.acme4j.Account;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.exception.AcmeServerException;
import org.shredzone.acme4j.util.KeyPairUtils;

/**
 * The ACME account keys of one uctrust installation, one per ACME directory URL, each an EC P-256 key pair in
 * PEM at {@code <dir>/<first 16 hex digits of SHA-256(directory URL)>/account.pem}. A key file is private to its
 * owner (0600, folder 0700) from the moment it exists, is never rewritten, and appears whole or not at all, so
 * two runs racing to create it end up with the same key.
 *
 * <p>The account itself lives on the ACME server; the key is what finds it again. The first login with a new
 * key registers an account (agreeing to the server's terms of service, with the configured e-mail as contact);
 * later logins look up the existing account by its key and bring its contact in line with the configured
 * e-mail.
 *
 * <p>Not for: certificate keys (they stay with whoever made the CSR), keys of other protocols, or accounts that
 * need external account binding.
 */
public final class AcmeAccountStore {
  static final String KEY_FILE = "account.pem";
  private static final String ACCOUNT_DOES_NOT_EXIST = "urn:ietf:params:acme:error:accountDoesNotExist";
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");

  private final Path dir;

  public AcmeAccountStore(Path dir) {
    this.dir = Objects.requireNonNull(dir, "dir").toAbsolutePath();
  }

  /** Where the account key for {@code directory} is (or would be) kept. */
  public Path keyFile(URI directory) {
    return dir.resolve(folderName(directory)).resolve(KEY_FILE);
  }

  /** An account key, and whether this call made it (so no account on the server can know it yet). */
  record AccountKey(KeyPair keyPair, boolean created) {}

  /**
   * The account key for {@code directory}: the stored one, or a new one stored first.
   *
   * @throws IOException when the key file cannot be read or written, or holds no key pair
   */
  AccountKey key(URI directory) throws IOException {
    Path file = keyFile(directory);
    try {
      return new AccountKey(read(file), false);
    } catch (NoSuchFileException e) {
      // first run for this directory: made below
    }
    KeyPair keyPair = newKeyPair();
    Path folder = createPrivateFolder(file.getParent());
    Path temp = createPrivateFile(folder);
    try {
      // acme4j closes the writer it is given, so the PEM text is made first and then written and synced
      StringWriter pem = new StringWriter();
      KeyPairUtils.writeKeyPair(keyPair, pem);
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        channel.write(ByteBuffer.wrap(pem.toString().getBytes(StandardCharsets.US_ASCII)));
        channel.force(true);
      }
      // a hard link publishes the finished file in one step and, unlike a rename, never replaces one that
      // another run published meanwhile
      Files.createLink(file, temp);
      // the same key objects as a later run reads, and proof that the file loads
      return new AccountKey(read(file), true);
    } catch (FileAlreadyExistsException e) {
      return new AccountKey(read(file), false);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * Logs in to the account of this store's key for the session's server: looks up the existing account for a
   * stored key, and registers one (terms of service agreed) for a new key or when the server no longer knows the
   * key (a test CA that was reset).
   *
   * @throws AcmeException when the server refuses or cannot be reached
   * @throws IOException when the key file cannot be read or written
   */
  Login login(Session session, String email) throws AcmeException, IOException {
    AccountKey key = key(session.getServerUri());
    if (!key.created()) {
      try {
        Login login = new AccountBuilder().onlyExisting().useKeyPair(key.keyPair()).createLogin(session);
        updateContact(login.getAccount(), email);
        return login;
      } catch (AcmeServerException e) {
        if (!ACCOUNT_DOES_NOT_EXIST.equals(String.valueOf(e.getType()))) {
          throw e;
        }
      }
    }
    AccountBuilder builder = new AccountBuilder().agreeToTermsOfService().useKeyPair(key.keyPair());
    if (email != null) {
      builder.addEmail(email);
    }
    return builder.createLogin(session);
  }

  /** Replaces the account's contacts with {@code email} when they differ; leaves them when no e-mail is set. */
  private static void updateContact(Account account, String email) throws AcmeException {
    if (email == null) {
      return;
    }
    URI wanted = URI.create("mailto:" + email);
    if (account.getContacts().equals(List.of(wanted))) {
      return;
    }
    Account.EditableAccount edit = account.modify();
    edit.getContacts().clear();
    edit.addContact(wanted);
    edit.commit();
  }

  /**
   * A P-256 key pair from Bouncy Castle's provider (passed in, not installed): its private key encoding carries
   * the public key, which acme4j's PEM reader needs to give the pair back. A JDK key's encoding does not, so a
   * JDK key would be written fine and then not load.
   */
  private static KeyPair newKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", BouncyCastle.PROVIDER);
      generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("EC P-256 keys are not available", e);
    }
  }

  /** Made on first use only: building the provider takes a moment, and most runs only read their key. */
  private static final class BouncyCastle {
    static final Provider PROVIDER = new BouncyCastleProvider();
  }

  private static KeyPair read(Path file) throws IOException {
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
      return KeyPairUtils.readKeyPair(in);
    } catch (NoSuchFileException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new IOException("the ACME account key file " + file + " holds no PEM key pair", e);
    }
  }

  /** SHA-256 of the URL as configured: the same text always finds the same key. */
  static String folderName(URI directory) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256")
          .digest(directory.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  private static Path createPrivateFolder(Path folder) throws IOException {
    if (Files.isDirectory(folder)) {
      return folder;
    }
    try {
      Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
    } catch (UnsupportedOperationException e) {
      Files.createDirectories(folder);
    }
    return folder;
  }

  /**
   * A new empty file, owner read/write only before anything is written to it; the mode is set again because the
   * umask may have taken bits away. On a file system without POSIX modes: the default mode.
   */
  private static Path createPrivateFile(Path folder) throws IOException {
    Path temp;
    try {
      temp = Files.createTempFile(folder, "." + KEY_FILE + ".", ".tmp",
          PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    } catch (UnsupportedOperationException e) {
      return Files.createTempFile(folder, "." + KEY_FILE + ".", ".tmp");
    }
    Files.setPosixFilePermissions(temp, OWNER_ONLY);
    return temp;
  }
}
