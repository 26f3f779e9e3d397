package io.uctrust.gitops;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.bcpg.KeyIdentifier;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.bouncycastle.openpgp.api.OpenPGPCertificate.OpenPGPComponentKey;
import org.bouncycastle.openpgp.api.OpenPGPImplementation;
import org.bouncycastle.openpgp.api.OpenPGPKeyReader;
import org.bouncycastle.openpgp.api.jcajce.JcaOpenPGPImplementation;

/**
 * The OpenPGP public keys whose signatures on commits are trusted, as read from one keyring file: the output of
 * {@code gpg --export} or {@code gpg --export --armor}, holding one or several keys (each with its subkeys, user ids
 * and self-signatures, revocations included). Trust is exactly membership of this file; the web of trust, the
 * owner-trust of a local GnuPG and key servers play no part.
 *
 * <p>Not for: secret keys (a file holding one is refused: a signing secret has no place beside the desired
 * state), SSH allowed-signers files, or X.509 certificates.
 */
public final class TrustedKeys {
  /** Parses the keyring and checks signatures; one instance, not the process-wide BC default, so nothing global. */
  static final OpenPGPImplementation OPENPGP = new JcaOpenPGPImplementation(new BouncyCastleProvider(),
      new SecureRandom());
  /** Fingerprints as gpg prints them with {@code --with-colons}: upper-case hex, no spaces. */
  static final HexFormat FINGERPRINT = HexFormat.of().withUpperCase();

  private final Path source;
  private final List<OpenPGPCertificate> certificates;

  private TrustedKeys(Path source, List<OpenPGPCertificate> certificates) {
    this.source = source;
    this.certificates = List.copyOf(certificates);
  }

  /**
   * Reads the keyring {@code file}, armored or binary. Throws an {@link IOException} whose message names the file
   * and says what is wrong with it (missing, unreadable, not a keyring, empty, holding a secret key), ready to show
   * to the user as it is.
   */
  public static TrustedKeys load(Path file) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new IOException("trusted keys file " + file + " does not exist");
    } catch (AccessDeniedException e) {
      throw new IOException("trusted keys file " + file + " cannot be read: permission denied");
    } catch (IOException e) {
      throw new IOException("trusted keys file " + file + " cannot be read: "
          + (Files.isDirectory(file) ? "it is a directory" : e.getMessage()));
    }
    List<OpenPGPCertificate> certificates;
    try {
      certificates = new OpenPGPKeyReader(OPENPGP).parseKeysOrCertificates(bytes);
    } catch (IOException | RuntimeException e) {
      // BC reports malformed input with several runtime exception types; all mean the same to the user
      throw new IOException("trusted keys file " + file
          + " is not a readable OpenPGP public keyring (damaged, or not the output of gpg --export)");
    }
    if (certificates.isEmpty()) {
      throw new IOException("trusted keys file " + file
          + " holds no OpenPGP public keys (expected the output of gpg --export, armored or binary)");
    }
    for (OpenPGPCertificate certificate : certificates) {
      if (certificate.isSecretKey()) {
        throw new IOException("trusted keys file " + file + " holds the secret key "
            + FINGERPRINT.formatHex(certificate.getFingerprint()) + "; export only public keys (gpg --export)");
      }
    }
    return new TrustedKeys(file, certificates);
  }

  /** The file the keys were read from, as given; it names the trust set in messages. */
  public Path source() {
    return source;
  }

  /** The fingerprints of the primary keys, in file order (for logs: which keys a run trusted). */
  public List<String> fingerprints() {
    return certificates.stream().map(c -> FINGERPRINT.formatHex(c.getFingerprint())).toList();
  }

  /** The primary key or subkey that one of {@code issuers} names, if it belongs to a trusted certificate. */
  Optional<OpenPGPComponentKey> key(List<KeyIdentifier> issuers) {
    for (KeyIdentifier issuer : issuers) {
      if (issuer.isWildcard()) {
        continue; // an anonymous issuer names no key; matching it would pick an arbitrary trusted key
      }
      for (OpenPGPCertificate certificate : certificates) {
        OpenPGPComponentKey key = certificate.getKey(issuer);
        if (key != null) {
          return Optional.of(key);
        }
      }
    }
    return Optional.empty();
  }
}
