package io.uctrust.desired;

import java.util.List;
import java.util.Map;

/**
 * A valid desired state together with the contents of every PEM file it names, where each document came
 * from (as {@code file:line} relative to the folder), and a fingerprint of all input files: everything
 * the planner needs, so planning reads no files and stays a pure function. {@code signedLscs} holds the text of
 * every {@code offline-ca/signed/<phone>.pem} by phone name; {@code signedIdentities} and {@code pendingIdentities}
 * the text of every {@code offline-ca/signed/<node>-<service>.pem} and {@code offline-ca/pending/<node>-<service>.csr}
 * by that name ({@link OfflineCaFiles} tells the two kinds apart).
 */
public record ResolvedDesired(DesiredState state, Map<String, List<String>> pems, Map<Document<?>, String> sources,
    Map<String, String> signedLscs, String fingerprint, java.util.Set<String> issuerFilesHere,
    Map<String, String> signedIdentities, Map<String, String> pendingIdentities) {

  /** Where an offline CA's signed certificates are committed: {@code <phone>.pem} or {@code <node>-<service>.pem}, chain allowed. */
  public static final String OFFLINE_SIGNED = "offline-ca/signed";
  /** Where uctrust writes the CSRs waiting for the offline CA: {@code <phone>.csr} or {@code <node>-<service>.csr}. */
  public static final String OFFLINE_PENDING = "offline-ca/pending";

  public ResolvedDesired {
    pems = Map.copyOf(pems);
    sources = Map.copyOf(sources);
    signedLscs = Map.copyOf(signedLscs);
    issuerFilesHere = java.util.Set.copyOf(issuerFilesHere);
    signedIdentities = Map.copyOf(signedIdentities);
    pendingIdentities = Map.copyOf(pendingIdentities);
  }

  /** The documents of {@code all} that describe cluster {@code cluster}: all without a cluster name when there is one Cluster, else those naming it. */
  public <S> List<Document<S>> forCluster(List<Document<S>> all, String cluster) {
    boolean single = state.clusters().size() == 1;
    return all.stream().filter(d -> single ? d.metadata().cluster() == null || d.metadata().cluster().equals(cluster)
        : cluster.equals(d.metadata().cluster())).toList();
  }

  /**
   * Whether the CA keystore or PKCS#11 module a Certificate document's issuer names (absolute, or relative to its
   * YAML file) exists on this machine: only then can this machine issue from it. Not part of the fingerprint.
   */
  public boolean issuerFileHere(Document<?> doc, String file) {
    return issuerFilesHere.contains(doc.resolve(file).toString());
  }

  /** The PEM certificates of a file named in {@code doc} (relative to its YAML file). */
  public List<String> certificates(Document<?> doc, String relative) {
    return pems.getOrDefault(key(doc, relative), List.of());
  }

  /** {@code file:line} of a document's field, relative to the desired-state folder. */
  public String source(Document<?> doc, String path) {
    String file = sources.getOrDefault(doc, doc.kind().yaml());
    int line = doc.locate(path).line();
    return line > 0 ? file + ":" + line : file;
  }

  /** {@code ref} as an operation needs it: a {@code file:} path made absolute against the document's folder. */
  public SecretRef secret(Document<?> doc, SecretRef ref) {
    if (ref == null || ref.source() != SecretRef.Source.FILE) {
      return ref;
    }
    return new SecretRef(SecretRef.Source.FILE, doc.resolve(ref.reference()).toString());
  }

  /** The key of a PEM file in {@link #pems}: its normalized absolute path. */
  public static String key(Document<?> doc, String relative) {
    return doc.resolve(relative).toString();
  }
}
