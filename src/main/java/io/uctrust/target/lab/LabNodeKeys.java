package io.uctrust.target.lab;

import io.uctrust.cluster.ClusterException;
import io.uctrust.pki.Pem;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.util.Locale;
import java.util.Optional;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.PEMParser;
import java.security.KeyFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * The key store of the lab's nodes: the key pair behind each node's latest CSR per service ("pending"), behind its
 * installed identity ("identity": CA-signed, seeded or regenerated self-signed), and behind an identity a lab fault
 * keeps serving over TLS ("stale"), in {@code <lab>/keys/nodes/<node>/}, files 0600. A real node keeps these keys to
 * itself; so does the lab, which is why a CSR is bound to its node, a newer CSR replaces the older one, and the lab
 * can serve each identity over TLS.
 *
 * <p>Not for: the CAPF CA's key ({@link LabCapfAuthority}) or anything outside the lab.
 */
final class LabNodeKeys {
  private final Path dir;

  LabNodeKeys(Path labDir) {
    this.dir = labDir.resolve("keys").resolve("nodes");
  }

  /** Keeps {@code keys} as the pending key of {@code service} on {@code node}, replacing an older one. */
  void savePending(String node, String service, KeyPair keys) throws ClusterException {
    write(file(node, service, "pending"), keys, "CSR key of " + service + " on " + node);
  }

  /** The key of the node's latest CSR for {@code service}, if it has one. */
  Optional<KeyPair> pending(String node, String service) throws ClusterException {
    return read(file(node, service, "pending"));
  }

  /** The pending key becomes the key of the installed identity (on {@code node} and, multi-server, on {@code also}). */
  void install(String node, String service, KeyPair keys, Iterable<String> also) throws ClusterException {
    for (String target : concat(node, also)) {
      saveIdentity(target, service, keys);
    }
    try {
      Files.deleteIfExists(file(node, service, "pending"));
    } catch (IOException e) {
      throw new ClusterException("cannot remove the CSR key of " + service + " on " + node + ": " + e.getMessage());
    }
  }

  /** Keeps {@code keys} as the key of {@code node}'s installed {@code service} identity (seeded or self-signed). */
  void saveIdentity(String node, String service, KeyPair keys) throws ClusterException {
    write(file(node, service, "identity"), keys, "identity key of " + service + " on " + node);
  }

  /** The key of {@code node}'s installed {@code service} identity; empty in labs made before keys were kept. */
  Optional<KeyPair> identity(String node, String service) throws ClusterException {
    return read(file(node, service, "identity"));
  }

  /** Keeps {@code keys} as the key of the identity a lab fault makes {@code node} go on serving. */
  void saveStale(String node, String service, KeyPair keys) throws ClusterException {
    write(file(node, service, "stale"), keys, "stale key of " + service + " on " + node);
  }

  /** The key of the identity {@code node} goes on serving for {@code service}, if a lab fault set one. */
  Optional<KeyPair> stale(String node, String service) throws ClusterException {
    return read(file(node, service, "stale"));
  }

  private static void write(Path file, KeyPair keys, String what) throws ClusterException {
    try {
      Files.createDirectories(file.getParent());
      Path temporary = file.resolveSibling(file.getFileName() + ".new");
      Files.deleteIfExists(temporary);
      LabFiles.create(temporary, LabFiles.PRIVATE);
      Files.writeString(temporary, encode(keys), StandardCharsets.US_ASCII);
      Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new ClusterException("cannot keep the " + what + ": " + e.getMessage());
    }
  }

  private static Iterable<String> concat(String node, Iterable<String> also) {
    java.util.List<String> all = new java.util.ArrayList<>();
    all.add(node);
    also.forEach(all::add);
    return all;
  }

  private Path file(String node, String service, String kind) {
    return dir.resolve(node).resolve(service.toLowerCase(Locale.ROOT) + "." + kind + ".pem");
  }

  /**
   * PKCS#8 private key and SubjectPublicKeyInfo public key: the traditional "EC PRIVATE KEY" form of a JDK EC key
   * carries no public key, so the pair could not be read back.
   */
  private static String encode(KeyPair keys) throws IOException {
    return Pem.encode(new JcaPKCS8Generator(keys.getPrivate(), null).generate())
        + Pem.encode(SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded()));
  }

  private static Optional<KeyPair> read(Path file) throws ClusterException {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try (PEMParser parser = new PEMParser(new StringReader(Files.readString(file, StandardCharsets.US_ASCII)))) {
      Object first = parser.readObject();
      Object second = parser.readObject();
      if (!(first instanceof PrivateKeyInfo privateKey) || !(second instanceof SubjectPublicKeyInfo publicKey)) {
        throw new ClusterException("the lab key file " + file + " holds no key pair");
      }
      // the JDK's own key types, whichever providers are registered: TLS refuses a Bouncy Castle "ECDSA" key
      KeyFactory factory = KeyFactory.getInstance(
          X9ObjectIdentifiers.id_ecPublicKey.equals(privateKey.getPrivateKeyAlgorithm().getAlgorithm()) ? "EC" : "RSA");
      return Optional.of(new KeyPair(factory.generatePublic(new X509EncodedKeySpec(publicKey.getEncoded())),
          factory.generatePrivate(new PKCS8EncodedKeySpec(privateKey.getEncoded()))));
    } catch (java.security.GeneralSecurityException e) {
      throw new ClusterException("the lab key file " + file + " holds a key the JDK cannot read: " + e.getMessage());
    } catch (IOException e) {
      throw new ClusterException("cannot read the lab key file " + file + ": " + e.getMessage());
    }
  }
}
