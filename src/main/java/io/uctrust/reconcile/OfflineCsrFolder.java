package io.uctrust.reconcile;

import io.uctrust.desired.ResolvedDesired;
import io.uctrust.observed.ObservedCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The {@code offline-ca/pending/} folder of a desired-state repository: one {@code <phone>.csr} per CSR waiting in
 * CAPF for the offline CA, kept equal to the cluster's list (CSRs are public; a file whose CSR is no longer pending
 * is removed). The administrator has them signed and commits the certificates to {@code offline-ca/signed/}.
 *
 * <p>Not for: signed certificates (the planner reads and checks those), or private keys, which never leave the phones.
 */
final class OfflineCsrFolder {
  private OfflineCsrFolder() {}

  /** Writes the pending CSRs under {@code root}; returns their paths relative to {@code root}, in phone order. */
  static List<String> write(Path root, List<ObservedCluster.PendingCsr> pending) throws IOException {
    Path folder = root.resolve(ResolvedDesired.OFFLINE_PENDING);
    if (pending.isEmpty() && !Files.isDirectory(folder)) {
      return List.of();
    }
    Files.createDirectories(folder);
    Set<String> keep = new HashSet<>();
    List<String> written = new ArrayList<>();
    for (ObservedCluster.PendingCsr csr : pending.stream().sorted((a, b) -> a.phone().compareTo(b.phone())).toList()) {
      if (csr.pem() == null) {
        continue;
      }
      Path file = folder.resolve(csr.phone() + ".csr");
      if (!Files.exists(file) || !Files.readString(file, StandardCharsets.US_ASCII).equals(csr.pem())) {
        Path temporary = folder.resolve("." + csr.phone() + ".csr.tmp");
        Files.writeString(temporary, csr.pem(), StandardCharsets.US_ASCII);
        Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      }
      keep.add(file.getFileName().toString());
      written.add(ResolvedDesired.OFFLINE_PENDING + "/" + file.getFileName());
    }
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".csr")).toList()) {
        if (!keep.contains(file.getFileName().toString())) {
          Files.delete(file);
        }
      }
    }
    return written;
  }
}
