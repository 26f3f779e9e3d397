package io.uctrust.target.lab;

import io.uctrust.cluster.ClusterException;
import io.uctrust.cluster.SecretReader;
import io.uctrust.desired.SecretRef;
import io.uctrust.pki.CaKeyStore;
import io.uctrust.pki.CertificateAuthority;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the lab's CAPF keeps its signing key and finds its peers: the CAPF CA's key and certificate in
 * {@code keys/capf.p12} (PKCS#12, encrypted with the password in {@code keys/capf.password}, both 0600, read as a
 * {@code file:} reference like any secret), and the lab's online CA, which registers its address in {@code
 * online-ca/endpoint.json} while {@code uctrust lab online-ca} runs (the lab's name service).
 *
 * <p>Not for: a real cluster's CAPF key, which never leaves the cluster.
 */
final class LabCapfAuthority {
  private final Path dir;
  private CertificateAuthority cached;

  LabCapfAuthority(Path labDir) {
    this.dir = labDir;
  }

  private Path keyStore() {
    return dir.resolve("keys").resolve("capf.p12");
  }

  private Path passwordFile() {
    return dir.resolve("keys").resolve("capf.password");
  }

  /** Stores a new CAPF CA (after seeding or regenerating the CAPF certificate), replacing the old one. */
  void save(KeyPair keys, X509Certificate certificate) throws ClusterException {
    try {
      Files.createDirectories(dir.resolve("keys"));
      if (!Files.exists(passwordFile())) {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        LabFiles.create(passwordFile(), LabFiles.PRIVATE);
        Files.writeString(passwordFile(), Base64.getUrlEncoder().withoutPadding().encodeToString(random),
            StandardCharsets.US_ASCII);
      }
      cached = CertificateAuthority.of(List.of(certificate), keys.getPrivate());
      CaKeyStore.save(keyStore(), cached, password());
    } catch (IOException e) {
      throw new ClusterException("cannot store the lab's CAPF key in " + keyStore() + ": " + e.getMessage());
    }
  }

  /** The CAPF CA, or empty when this lab has none (a lab created by an older uctrust). */
  Optional<CertificateAuthority> load() {
    if (cached == null && Files.exists(keyStore())) {
      try {
        cached = CaKeyStore.load(keyStore(), password());
      } catch (IOException | RuntimeException e) {
        return Optional.empty();
      }
    }
    return Optional.ofNullable(cached);
  }

  private char[] password() throws IOException {
    try {
      return new SecretReader(Map.of()).read(SecretRef.parse("file:" + passwordFile()), null).toCharArray();
    } catch (ClusterException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /** Where the lab's online CA for {@code hostname} listens, when it runs. */
  Optional<InetSocketAddress> onlineCaAddress(String hostname) {
    if (hostname == null) {
      return Optional.empty();
    }
    return LabOnlineCa.registered(dir.resolve("online-ca"), hostname)
        .map(e -> new InetSocketAddress(e.address(), e.port()));
  }
}
