package io.uctrust.issuance;

import io.uctrust.desired.CertificateSpec;
import io.uctrust.desired.OfflineCaFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The identities' side of a desired-state repository's {@code offline-ca/pending/}: the CSR a node made for an
 * offline CA is written there as {@code <node>-<service>.csr} (atomically, so a reader never sees half a file), and
 * removed once its signed chain is installed. The signed chain itself stays in {@code offline-ca/signed/}, where the
 * administrator committed it.
 *
 * <p>Not for: phones' CSRs (the reconciler's {@code OfflineCsrFolder}), reading signed chains (the resolver does), or
 * private keys, which never leave the node.
 */
public final class OfflineIdentityFolder {
  private final Path root;

  /** The offline-CA files of the desired-state folder {@code root}. */
  public OfflineIdentityFolder(Path root) {
    this.root = root;
  }

  /** Writes {@code pem} as the pending CSR of {@code service} on {@code node}; returns its path relative to the root. */
  public String writeCsr(String node, CertificateSpec.Service service, String pem) throws IOException {
    String relative = OfflineCaFiles.pendingCsr(node, service);
    Path file = root.resolve(relative);
    Files.createDirectories(file.getParent());
    Path temporary = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.writeString(temporary, pem, StandardCharsets.US_ASCII);
    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return relative;
  }

  /** Removes the pending CSR of an identity whose signed chain is now installed; true when there was one. */
  public boolean installed(String node, CertificateSpec.Service service) throws IOException {
    return Files.deleteIfExists(root.resolve(OfflineCaFiles.pendingCsr(node, service)));
  }
}
