package io.uctrust.target.snapshot;

import io.uctrust.cluster.ClusterException;
import io.uctrust.cluster.SecretRedactor;
import io.uctrust.desired.ClusterSpec;
import io.uctrust.desired.Document;
import io.uctrust.observed.ObservedCluster;
import io.uctrust.observed.Snapshots;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * A recorded snapshot and the file it was read from, and its JSON form ({@code format: uctrust.snapshot/v1}): written
 * atomically, secrets redacted; read back to the very {@link ObservedCluster} that was recorded, with the same
 * fingerprint (checked, as is each certificate's PEM against its facts, so an edited file is refused rather than
 * planned against). Fields are only ever added within a format version; a newer format is refused.
 *
 * <p>Not for: a cluster's live state, or anything to apply.
 */
public final class SnapshotFile {

  private static final Pattern FORMAT = Pattern.compile("uctrust\\.snapshot/v(\\d{1,9})");

  private static final JsonMapper JSON = JsonMapper.builder()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  /** A file that is not a snapshot this uctrust can plan against; the message names the file and says why. */
  public static final class UnreadableSnapshotException extends Exception {
    private static final long serialVersionUID = 1L;

    UnreadableSnapshotException(String message) {
      super(message);
    }
  }

  /** The file's form of a snapshot. */
  private record FileForm(String format, String uctrustVersion, Instant savedAt, List<ClusterForm> clusters) {}

  /**
   * The file's form of a recorded cluster: the observed state in its own JSON form, which leaves certificates' PEM text
   * out, and that text once per certificate by SHA-256 (the same CA sits in many trust stores).
   */
  private record ClusterForm(String cluster, String target, Instant observedAt, Snapshot.RecordedProbe onlineCaProbe,
      int redacted, ObservedCluster observed, Map<String, String> certificates) {

    static ClusterForm of(Snapshot.RecordedCluster recorded) {
      Map<String, String> certificates = new TreeMap<>();
      SnapshotFile.certificates(recorded.observed()).filter(c -> c.pem() != null)
          .forEach(c -> certificates.put(c.sha256(), c.pem()));
      return new ClusterForm(recorded.cluster(), recorded.target(), recorded.observedAt(), recorded.onlineCaProbe(),
          recorded.redacted(), recorded.observed(), certificates);
    }

    /** The recorded cluster, each certificate with its PEM text, which must match its facts. */
    Snapshot.RecordedCluster recorded() {
      Map<String, String> pems = certificates == null ? Map.of() : certificates;
      List<ObservedCluster.Node> nodes = new ArrayList<>();
      for (ObservedCluster.Node node : observed.nodes()) {
        nodes.add(new ObservedCluster.Node(node.name(), node.role(),
            node.identities().stream().map(i -> new ObservedCluster.Identity(i.service(), withPem(i.certificate(), pems),
                i.selfSigned())).toList(),
            node.trust().stream().map(t -> new ObservedCluster.TrustEntry(t.store(), withPem(t.certificate(), pems),
                t.description(), t.owner())).toList(),
            node.services()));
      }
      ObservedCluster o = observed;
      return new Snapshot.RecordedCluster(cluster, target, observedAt, onlineCaProbe, redacted, new ObservedCluster(o.name(),
          nodes, o.security(), o.enterprise(), o.imAndPresence(), o.capf(), o.sipOAuth(), o.monitoring(), o.phones(),
          o.staleLscs(), o.pendingCsrs(), o.fingerprint()));
    }

    private ObservedCluster.Certificate withPem(ObservedCluster.Certificate certificate, Map<String, String> pems) {
      String pem = certificate == null ? null : pems.get(certificate.sha256());
      if (pem == null) {
        return certificate;
      }
      ObservedCluster.Certificate fromPem;
      try {
        fromPem = Snapshots.certificate(pem);
      } catch (IllegalArgumentException e) {
        fromPem = null;
      }
      if (fromPem == null || !fromPem.equals(new ObservedCluster.Certificate(certificate.subject(),
          certificate.commonName(), certificate.issuer(), certificate.sha256(), certificate.notBefore(),
          certificate.notAfter(), certificate.keyAlgorithm(), certificate.keyBits(), certificate.dnsNames(), fromPem.pem()))) {
        throw new IllegalArgumentException("was changed after it was recorded: in cluster '" + cluster
            + "' the PEM text of certificate " + certificate.sha256() + " does not match its facts");
      }
      return fromPem;
    }
  }

  private final Path path;
  private final Snapshot snapshot;

  private SnapshotFile(Path path, Snapshot snapshot) {
    this.path = path;
    this.snapshot = snapshot;
  }

  public Path path() {
    return path;
  }

  public Snapshot snapshot() {
    return snapshot;
  }

  /**
   * A read-only port over the recorded {@code cluster}; fails when the snapshot holds no cluster of that name or
   * recorded it through another target type.
   */
  public SnapshotCluster open(Document<ClusterSpec> cluster) throws ClusterException {
    Snapshot.RecordedCluster recorded = snapshot.cluster(cluster.name()).orElseThrow(() -> new ClusterException(
        "snapshot " + path + " has no cluster '" + cluster.name() + "' (it holds: " + String.join(", ",
            snapshot.clusters().stream().map(Snapshot.RecordedCluster::cluster).toList())
            + "); record it with 'uctrust snapshot save --cluster " + cluster.name() + "'"));
    String target = cluster.spec().target().type().name().toLowerCase(Locale.ROOT);
    if (!target.equals(recorded.target())) {
      throw new ClusterException("snapshot " + path + " recorded cluster '" + cluster.name() + "' through target "
          + recorded.target() + ", but its Cluster document now says " + target + "; record it again with 'uctrust snapshot save'");
    }
    return new SnapshotCluster(path, recorded);
  }

  /** Reads {@code file}; every failure names the file. */
  public static SnapshotFile read(Path file) throws UnreadableSnapshotException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UnreadableSnapshotException("cannot read snapshot " + file + ": " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : " " + e.getMessage()));
    }
    try {
      return new SnapshotFile(file, parse(text));
    } catch (IllegalArgumentException e) {
      throw new UnreadableSnapshotException("snapshot " + file + " " + e.getMessage());
    }
  }

  /**
   * Writes {@code snapshot} to {@code file} (a temporary file moved over it, so a reader sees the old file or the new one,
   * mode 0644) with every value {@code redactor} finds replaced; returns what was written, each cluster's
   * {@code redacted} count and fingerprint those of the written content.
   */
  public static Snapshot write(Path file, Snapshot snapshot, SecretRedactor redactor) throws IOException {
    Snapshot redacted = redact(snapshot, redactor);
    Path target = file.toAbsolutePath();
    Files.createDirectories(target.getParent());
    Path temporary = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
    try {
      Files.writeString(temporary, json(redacted), StandardCharsets.UTF_8);
      try {
        Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-r--r--"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system: its default permissions apply
      }
      try {
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temporary);
    }
    return redacted;
  }

  /** The JSON text of {@code snapshot}, PEM text of certificates included. */
  static String json(Snapshot snapshot) {
    return JSON.writeValueAsString(new FileForm(snapshot.format(), snapshot.uctrustVersion(), snapshot.savedAt(),
        snapshot.clusters().stream().map(ClusterForm::of).toList())) + "\n";
  }

  /** The snapshot in {@code text}; an IllegalArgumentException's message says what is wrong with it. */
  static Snapshot parse(String text) {
    FileForm file;
    try {
      JsonNode tree = JSON.readTree(text);
      String format = tree == null || !tree.isObject() ? "" : tree.path("format").asString("");
      Matcher version = FORMAT.matcher(format);
      if (version.matches() && !format.equals(Snapshot.FORMAT)) {
        throw new IllegalArgumentException("has format " + format + ", newer than this uctrust reads (" + Snapshot.FORMAT
            + "); update uctrust or record it again with this one");
      }
      if (!version.matches()) {
        throw new IllegalArgumentException("is not a uctrust snapshot (no \"format\": \"" + Snapshot.FORMAT + "\")");
      }
      file = JSON.treeToValue(tree, FileForm.class);
    } catch (JacksonException e) {
      throw new IllegalArgumentException("is not a readable uctrust snapshot: " + e.getOriginalMessage());
    }
    if (file.clusters() == null || file.clusters().isEmpty()) {
      throw new IllegalArgumentException("holds no cluster");
    }
    List<Snapshot.RecordedCluster> checked = new ArrayList<>();
    for (ClusterForm cluster : file.clusters()) {
      if (cluster.cluster() == null || cluster.target() == null || cluster.observed() == null
          || cluster.observed().nodes() == null) {
        throw new IllegalArgumentException("has a cluster entry without its name, target or observed state");
      }
      checked.add(check(cluster.recorded()));
    }
    return new Snapshot(file.format(), file.uctrustVersion(), file.savedAt(), checked);
  }

  /** {@code cluster} if it is unedited: its name is its observed state's, and its fingerprint matches its content. */
  private static Snapshot.RecordedCluster check(Snapshot.RecordedCluster cluster) {
    ObservedCluster observed = cluster.observed();
    if (!cluster.cluster().equals(observed.name())) {
      throw new IllegalArgumentException("records cluster '" + observed.name() + "' under the name '" + cluster.cluster()
          + "'");
    }
    if (!Snapshots.withFingerprint(observed).fingerprint().equals(observed.fingerprint())) {
      throw new IllegalArgumentException("was changed after it was recorded: cluster '" + cluster.cluster()
          + "' no longer matches its fingerprint; record it again with 'uctrust snapshot save'");
    }
    return cluster;
  }

  private static Stream<ObservedCluster.Certificate> certificates(ObservedCluster observed) {
    return observed.nodes().stream()
        .flatMap(n -> Stream.concat(n.identities().stream().map(ObservedCluster.Identity::certificate),
            n.trust().stream().map(ObservedCluster.TrustEntry::certificate)))
        .filter(Objects::nonNull);
  }

  private static Snapshot redact(Snapshot snapshot, SecretRedactor redactor) {
    List<Snapshot.RecordedCluster> clusters = new ArrayList<>();
    for (Snapshot.RecordedCluster cluster : snapshot.clusters()) {
      int[] count = {0};
      JsonNode tree = redact(JSON.valueToTree(ClusterForm.of(cluster)), redactor, count);
      Snapshot.RecordedCluster clean = JSON.treeToValue(tree, ClusterForm.class).recorded();
      clusters.add(new Snapshot.RecordedCluster(clean.cluster(), clean.target(), clean.observedAt(), clean.onlineCaProbe(),
          count[0], Snapshots.withFingerprint(clean.observed())));
    }
    return new Snapshot(snapshot.format(), snapshot.uctrustVersion(), snapshot.savedAt(), clusters);
  }

  private static JsonNode redact(JsonNode node, SecretRedactor redactor, int[] count) {
    if (node.isString()) {
      String value = node.asString();
      String clean = redactor.redact(value);
      if (clean.equals(value)) {
        return node;
      }
      count[0]++;
      return StringNode.valueOf(clean);
    }
    if (node instanceof ObjectNode object) {
      for (String name : List.copyOf(object.propertyNames())) {
        object.set(name, redact(object.get(name), redactor, count));
      }
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        array.set(i, redact(array.get(i), redactor, count));
      }
    }
    return node;
  }
}
