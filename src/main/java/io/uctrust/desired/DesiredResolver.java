package io.uctrust.desired;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prepares a valid desired state for planning: reads every PEM file its documents name, records where
 * each document came from, and fingerprints all of its input (YAML and PEM files), so the planner reads
 * nothing itself and a saved plan can tell when its input changed.
 */
public final class DesiredResolver {

  private static final Pattern PEM_BLOCK =
      Pattern.compile("-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\\s]+?-----END CERTIFICATE-----");

  /** Resolves {@code state}; fails with an IOException naming the file when a referenced file cannot be read. */
  public ResolvedDesired resolve(DesiredState state) throws IOException {
    Map<String, List<String>> pems = new HashMap<>();
    Map<Document<?>, String> sources = new HashMap<>();
    TreeMap<String, byte[]> inputs = new TreeMap<>();
    for (Document<?> doc : state.documents()) {
      Path file = doc.file().toAbsolutePath().normalize();
      sources.put(doc, state.root().toAbsolutePath().normalize().relativize(file).toString());
      inputs.computeIfAbsent(file.toString(), f -> read(file));
      for (String relative : fileReferences(doc)) {
        Path pem = doc.resolve(relative);
        byte[] bytes = inputs.computeIfAbsent(pem.toString(), f -> read(pem));
        pems.put(ResolvedDesired.key(doc, relative), blocks(new String(bytes, java.nio.charset.StandardCharsets.US_ASCII)));
      }
    }
    java.util.Set<String> issuerFiles = new java.util.HashSet<>();
    for (Document<?> doc : state.documents()) {
      if (doc.spec() instanceof CertificateSpec certificate) {
        CertificateSpec.Issuer issuer = certificate.issuer();
        for (String file : java.util.Arrays.asList(issuer.keystore(),
            issuer.pkcs11() == null ? null : issuer.pkcs11().library())) {
          if (file != null && Files.isRegularFile(doc.resolve(file))) {
            issuerFiles.add(doc.resolve(file).toString());
          }
        }
      }
    }
    // phones' and identities' signed files share the folder; OfflineCaFiles says whose each is
    java.util.Set<String> identities = OfflineCaFiles.identities(state);
    Map<String, String> signed = new TreeMap<>();
    Map<String, String> signedIdentities = new TreeMap<>();
    for (Path file : files(state.root().resolve(ResolvedDesired.OFFLINE_SIGNED), ".pem")) {
      byte[] bytes = inputs.computeIfAbsent(file.toString(), f -> read(file));
      String name = baseName(file, ".pem");
      (identities.contains(name) ? signedIdentities : signed).put(name,
          bytes == null ? "" : new String(bytes, java.nio.charset.StandardCharsets.US_ASCII));
    }
    // uctrust's own output, so not part of the fingerprint: an apply that writes one does not make its plan stale
    Map<String, String> pendingIdentities = new TreeMap<>();
    for (Path file : files(state.root().resolve(ResolvedDesired.OFFLINE_PENDING), ".csr")) {
      String name = baseName(file, ".csr");
      byte[] bytes = identities.contains(name) ? read(file) : null;
      if (bytes != null) {
        pendingIdentities.put(name, new String(bytes, java.nio.charset.StandardCharsets.US_ASCII));
      }
    }
    if (inputs.containsValue(null)) {
      String missing = inputs.entrySet().stream().filter(e -> e.getValue() == null).map(Map.Entry::getKey).findFirst().get();
      throw new IOException("cannot read " + missing);
    }
    return new ResolvedDesired(state, pems, sources, signed, fingerprint(inputs), issuerFiles, signedIdentities,
        pendingIdentities);
  }

  /** The files of {@code folder} ending in {@code extension}, sorted; none when it does not exist. */
  private static List<Path> files(Path folder, String extension) throws IOException {
    Path absolute = folder.toAbsolutePath().normalize();
    if (!Files.isDirectory(absolute)) {
      return List.of();
    }
    try (java.util.stream.Stream<Path> files = Files.list(absolute)) {
      return files.filter(f -> f.getFileName().toString().endsWith(extension)).sorted().toList();
    }
  }

  private static String baseName(Path file, String extension) {
    String name = file.getFileName().toString();
    return name.substring(0, name.length() - extension.length());
  }

  /** The PEM files a document names (trust store certificates, CA chains). */
  static List<String> fileReferences(Document<?> doc) {
    List<String> files = new ArrayList<>();
    if (doc.spec() instanceof TrustStoreSpec trust) {
      trust.certificates().forEach(c -> files.add(c.file()));
    } else if (doc.spec() instanceof CapfSpec capf) {
      if (capf.onlineCa() != null && capf.onlineCa().caCertificate() != null) {
        files.add(capf.onlineCa().caCertificate());
      }
      if (capf.onlineCa() != null && capf.onlineCa().httpsCertificate() != null) {
        files.add(capf.onlineCa().httpsCertificate());
      }
      if (capf.offlineCa() != null) {
        files.addAll(capf.offlineCa().caCertificates());
      }
    } else if (doc.spec() instanceof CertificateSpec certificate) {
      if (certificate.issuer().caCertificates() != null) {
        files.add(certificate.issuer().caCertificates());
      }
      // the CA being retired: the planner matches identities against it and removes it from the trust stores
      if (certificate.issuer().previousCaCertificates() != null) {
        files.add(certificate.issuer().previousCaCertificates());
      }
    } else if (doc.spec() instanceof SipOAuthSpec sip) {
      sip.expresswayC().stream().filter(e -> e.caCertificate() != null).forEach(e -> files.add(e.caCertificate()));
    }
    return files;
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      return null;
    }
  }

  private static List<String> blocks(String text) {
    List<String> blocks = new ArrayList<>();
    Matcher m = PEM_BLOCK.matcher(text);
    while (m.find()) {
      blocks.add(m.group() + "\n");
    }
    return blocks;
  }

  private static String fingerprint(TreeMap<String, byte[]> inputs) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      inputs.forEach((name, bytes) -> {
        digest.update(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        digest.update((byte) 0);
        digest.update(bytes);
        digest.update((byte) 0);
      });
      return "sha256:" + HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
