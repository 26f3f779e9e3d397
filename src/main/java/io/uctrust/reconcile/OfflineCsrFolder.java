package io.uctrust.reconcile;

import io.uctrust.desired.DesiredState;
import io.uctrust.desired.OfflineCaFiles;
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
 * Service identities' CSRs ({@code <node>-<service>.csr}, see {@link OfflineCaFiles}) share the folder: they are
 * listed with the phones' but written and removed by the identity issuance, never here.
 *
 * <p>Not for: signed certificates (the planner reads and checks those), or private keys, which never leave the phones.
 */
final class OfflineCsrFolder {
  private OfflineCsrFolder() {}

  /**
   * Writes the phones' pending CSRs under the root of {@code state}; returns the paths, relative to the root, of every
   * CSR waiting there: the phones' in phone order, then the identities'.
   */
  static List<String> write(DesiredState state, List<ObservedCluster.PendingCsr> pending) throws IOException {
    Path folder = state.root().resolve(ResolvedDesired.OFFLINE_PENDING);
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
    Set<String> identities = OfflineCaFiles.identities(state);
    List<String> waiting = new ArrayList<>();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".csr")).sorted().toList()) {
        String name = file.getFileName().toString();
        if (identities.contains(name.substring(0, name.length() - ".csr".length()))) {
          waiting.add(ResolvedDesired.OFFLINE_PENDING + "/" + name);
        } else if (!keep.contains(name)) {
          Files.delete(file);
        }
      }
    }
    written.addAll(waiting);
    return written;
  }
}
