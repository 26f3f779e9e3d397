package io.uctrust.diff;

import io.uctrust.desired.DesiredStateLoader;
import io.uctrust.desired.LoadResult;
import io.uctrust.desired.ResolvedDesired;
import io.uctrust.diagnostic.Diagnostic;
import io.uctrust.diagnostic.SourceLocation;
import io.uctrust.validate.ValidationOptions;
import io.uctrust.validate.Validator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads one revision of a desired-state folder into a {@link DesiredSnapshot}: the same files the loader reads
 * ({@code *.yaml}/{@code *.yml}, hidden folders skipped), each document as a plain tree, the files its values
 * name (summarised), the offline CA's files, and the validator's errors.
 *
 * <p>Not for: deciding anything about a cluster; and it reads only below {@code base}, never a secret's file.
 */
public final class DesiredSnapshotReader {

  /** Diagnostic codes after which the loader knows nothing of a file's documents. */
  private static final Set<String> FILE_FAILURES =
      Set.of("unreadable", "encoding", "yaml-syntax", "too-deep", "too-many-aliases");

  /**
   * Makes the files that the documents' text values may name available below {@code base} before the
   * validator reads them (a revision materialised from git holds only its YAML at first). Paths are relative
   * to {@code base}, with {@code /}; most are not files at all, and those are to be ignored.
   */
  @FunctionalInterface
  public interface ReferenceFetcher {
    void fetch(Set<String> paths) throws IOException;
  }

  private final Clock clock;

  public DesiredSnapshotReader(Clock clock) {
    this.clock = clock;
  }

  /** Reads {@code folder} (relative to {@code base}, {@code ""} for {@code base} itself) as it is on disk. */
  public DesiredSnapshot read(Path base, String folder) throws IOException {
    return read(base, folder, paths -> { });
  }

  /** Reads {@code folder} below {@code base}, letting {@code fetcher} supply the files the documents name. */
  public DesiredSnapshot read(Path base, String folder, ReferenceFetcher fetcher) throws IOException {
    Path realBase = base.toRealPath();
    Path root = folder.isEmpty() ? realBase : realBase.resolve(folder).normalize();
    if (!Files.exists(root)) {
      return DesiredSnapshot.missing(folder);
    }
    LoadResult loaded = new DesiredStateLoader().load(root);
    Set<String> unreadable = new LinkedHashSet<>();
    for (Diagnostic d : loaded.diagnostics()) {
      if (FILE_FAILURES.contains(d.code()) || d.code().equals("too-large") && d.location().line() == 0) {
        unreadable.add(relative(realBase, d.location().file()));
      }
    }
    List<Parsed> parsed = new ArrayList<>();
    for (Path file : yamlFiles(root)) {
      String name = relative(realBase, file);
      if (unreadable.contains(name)) {
        continue;
      }
      try {
        for (DocumentTreeReader.RawDocument raw : new DocumentTreeReader().read(name, text(file))) {
          parsed.add(new Parsed(name, raw, candidates(name, raw)));
        }
      } catch (RuntimeException | CharacterCodingException e) {
        // The loader accepted the file but its documents cannot be compared (alias expansion beyond the
        // limit): treat it like a file the loader could not read.
        unreadable.add(name);
      }
    }
    Set<String> wanted = new HashSet<>();
    parsed.forEach(p -> wanted.addAll(p.candidates().values()));
    fetcher.fetch(wanted);
    List<Diagnostic> errors = new Validator(clock, ValidationOptions.DEFAULTS).validate(loaded).diagnostics().stream()
        .filter(Diagnostic::isError)
        .map(d -> relative(realBase, d))
        .toList();
    Map<String, FileSummary> summaries = new HashMap<>();
    List<SnapshotDocument> documents = new ArrayList<>();
    for (Parsed p : parsed) {
      Map<String, SnapshotDocument.ReferencedFile> files = new LinkedHashMap<>();
      for (Map.Entry<String, String> candidate : p.candidates().entrySet()) {
        FileSummary summary = summary(realBase, candidate.getValue(), summaries);
        if (summary != null) {
          files.put(candidate.getKey(), new SnapshotDocument.ReferencedFile(
              p.raw().texts().get(candidate.getKey()), candidate.getValue(), summary));
        }
      }
      documents.add(document(p, files));
    }
    return new DesiredSnapshot(folder, true, assignClusters(documents), offlineCaFiles(realBase, root), unreadable,
        errors);
  }

  private record Parsed(String file, DocumentTreeReader.RawDocument raw, Map<String, String> candidates) {}

  /** Raw path to the path (relative to base) each text value would name if it were a file reference. */
  private static Map<String, String> candidates(String file, DocumentTreeReader.RawDocument raw) {
    Map<String, String> candidates = new LinkedHashMap<>();
    Path folder = Path.of(file).getParent();
    raw.texts().forEach((path, text) -> {
      String written = text.startsWith("file:") ? text.substring(5) : text;
      // Phone and pool names, the bulk of long lists, have neither; file names have one or the other.
      if (written.isBlank() || written.indexOf('.') < 0 && written.indexOf('/') < 0) {
        return;
      }
      try {
        Path named = Path.of(written);
        if (named.isAbsolute()) {
          return;
        }
        Path resolved = (folder == null ? named : folder.resolve(named)).normalize();
        if (!resolved.toString().isEmpty() && !resolved.startsWith("..")) {
          candidates.put(path, resolved.toString().replace('\\', '/'));
        }
      } catch (InvalidPathException notAPath) {
        // Text that cannot be a path is simply not a reference.
      }
    });
    return candidates;
  }

  private static FileSummary summary(Path base, String path, Map<String, FileSummary> cache) throws IOException {
    if (cache.containsKey(path)) {
      return cache.get(path);
    }
    Path file = base.resolve(path).normalize();
    FileSummary summary = file.startsWith(base) && Files.isRegularFile(file) && !file.toString().matches(".*\\.ya?ml")
        ? FileSummary.of(file) : null;
    cache.put(path, summary);
    return summary;
  }

  private static SnapshotDocument document(Parsed p, Map<String, SnapshotDocument.ReferencedFile> files) {
    Map<String, Object> tree = p.raw().tree();
    String kind = tree.get("kind") instanceof String k ? k : "?";
    String name = "?";
    String cluster = null;
    if (tree.get("metadata") instanceof Map<?, ?> metadata) {
      name = metadata.get("name") instanceof String n ? n : "?";
      cluster = metadata.get("cluster") instanceof String c ? c : null;
    }
    return new SnapshotDocument(kind, cluster, name, p.file(), p.raw().line(), tree, p.raw().lines(), files);
  }

  /**
   * Gives every document its cluster as the model does: a Cluster document is its own, others name theirs
   * or belong to the only Cluster of the folder. So adding {@code metadata.cluster} for the cluster a document
   * already belonged to changes a field, not the document's identity.
   */
  private static List<SnapshotDocument> assignClusters(List<SnapshotDocument> documents) {
    List<String> clusters = documents.stream().filter(d -> d.kind().equals("Cluster")).map(SnapshotDocument::name)
        .distinct().toList();
    String only = clusters.size() == 1 ? clusters.get(0) : null;
    return documents.stream().map(d -> d.kind().equals("Cluster") ? d.inCluster(d.name())
        : d.cluster() == null ? d.inCluster(only) : d).toList();
  }

  private static Map<String, FileSummary> offlineCaFiles(Path base, Path root) throws IOException {
    Map<String, FileSummary> files = new LinkedHashMap<>();
    for (String folder : List.of(ResolvedDesired.OFFLINE_SIGNED, ResolvedDesired.OFFLINE_PENDING)) {
      Path dir = root.resolve(folder);
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> list = Files.list(dir)) {
        for (Path file : list.filter(Files::isRegularFile).sorted().toList()) {
          if (!file.getFileName().toString().startsWith(".")) {
            files.put(relative(base, file), FileSummary.of(file));
          }
        }
      }
    }
    return files;
  }

  /** The loader's file selection: {@code *.yaml}/{@code *.yml} below {@code root}, nothing hidden. */
  private static List<Path> yamlFiles(Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      return List.of(root);
    }
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(p -> {
        for (Path part : root.relativize(p)) {
          if (part.toString().startsWith(".")) {
            return false;
          }
        }
        return true;
      }).filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().matches(".*\\.ya?ml"))
          .sorted(Comparator.comparing(Path::toString))
          .toList();
    }
  }

  private static String text(Path file) throws IOException {
    return StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(Files.readAllBytes(file)))
        .toString();
  }

  private static String relative(Path base, Path file) {
    Path absolute = file.toAbsolutePath().normalize();
    return absolute.startsWith(base) ? base.relativize(absolute).toString().replace('\\', '/') : absolute.toString();
  }

  /** The diagnostic with its file relative to {@code base}, and no mention of where {@code base} is. */
  private static Diagnostic relative(Path base, Diagnostic d) {
    SourceLocation at = d.location();
    String prefix = base + java.io.File.separator;
    return new Diagnostic(d.severity(), d.code(),
        new SourceLocation(Path.of(relative(base, at.file())), at.line(), at.column(), at.field()),
        d.message().replace(prefix, ""), d.hint().replace(prefix, ""));
  }
}
