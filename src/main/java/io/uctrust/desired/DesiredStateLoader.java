package io.uctrust.desired;

import io.uctrust.diagnostic.Diagnostic;
import io.uctrust.diagnostic.SourceLocation;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.CollectionStartEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Reads a desired-state folder (every {@code *.yaml}/{@code *.yml} below it, hidden folders skipped)
 * or a single file into {@link Document}s, turning every parse and structure problem into a
 * diagnostic with file, line and column. Never throws for bad input.
 *
 * <p>Not for: value and cross-document checks; {@code Validator} does those on the result.
 */
public final class DesiredStateLoader {

  /** Largest YAML file read, in bytes. A 100,000-phone name list is about 2.5 MB. */
  public static final long MAX_FILE_BYTES = 16L * 1024 * 1024;

  /** Most aliases of mappings or lists per document; more is treated as an alias bomb. */
  public static final int MAX_ALIASES = 100;

  /** Deepest nesting of mappings and lists; the engine's composer recurses, so deeper input could overflow the stack. */
  public static final int MAX_DEPTH = 64;

  private static final Set<String> ENVELOPE = Set.of("apiVersion", "kind", "metadata", "spec");

  /** Loads {@code source}: a folder or one YAML file. */
  public LoadResult load(Path source) {
    List<Diagnostic> diagnostics = new ArrayList<>();
    List<Document<?>> documents = new ArrayList<>();
    List<Document<?>> incomplete = new ArrayList<>();
    List<Path> files;
    Path root = source.toAbsolutePath().normalize();
    try {
      files = yamlFiles(root);
    } catch (NoSuchFileException e) {
      diagnostics.add(Diagnostic.error("unreadable", SourceLocation.ofFile(root),
          "no such file or folder", "give a desired-state folder or YAML file"));
      return new LoadResult(new DesiredState(root, documents), List.of(), diagnostics, 0);
    } catch (IOException e) {
      diagnostics.add(Diagnostic.error("unreadable", SourceLocation.ofFile(root),
          "cannot read: " + e.getMessage(), null));
      return new LoadResult(new DesiredState(root, documents), List.of(), diagnostics, 0);
    }
    if (files.isEmpty()) {
      diagnostics.add(Diagnostic.error("empty", SourceLocation.ofFile(root),
          "no *.yaml or *.yml files found", "put desired-state documents in this folder"));
    }
    for (Path file : files) {
      loadFile(file, documents, incomplete, diagnostics);
    }
    return new LoadResult(new DesiredState(Files.isDirectory(root) ? root : root.getParent(), documents),
        incomplete, diagnostics, files.size());
  }

  /**
   * Loads YAML text as if it were the file {@code file} (for content that is not on disk, such as a git
   * blob or a fuzzer's input). File references in it resolve against {@code file}'s folder.
   */
  public LoadResult loadText(Path file, String text) {
    List<Diagnostic> diagnostics = new ArrayList<>();
    List<Document<?>> documents = new ArrayList<>();
    List<Document<?>> incomplete = new ArrayList<>();
    Path absolute = file.toAbsolutePath().normalize();
    parse(absolute, text, documents, incomplete, diagnostics);
    return new LoadResult(new DesiredState(absolute.getParent(), documents), incomplete, diagnostics, 1);
  }

  private static List<Path> yamlFiles(Path root) throws IOException {
    if (!Files.exists(root)) {
      throw new NoSuchFileException(root.toString());
    }
    if (!Files.isDirectory(root)) {
      return List.of(root);
    }
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(p -> !hidden(root, p))
          .filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().matches(".*\\.ya?ml"))
          .sorted(Comparator.comparing(Path::toString))
          .toList();
    }
  }

  private static boolean hidden(Path root, Path p) {
    for (Path part : root.relativize(p)) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  private void loadFile(Path file, List<Document<?>> documents, List<Document<?>> incomplete,
      List<Diagnostic> diagnostics) {
    String text = readText(file, diagnostics);
    if (text != null) {
      parse(file, text, documents, incomplete, diagnostics);
    }
  }

  /**
   * The text of {@code file}, read as strict UTF-8 within {@link #MAX_FILE_BYTES}; null, with a diagnostic, when it
   * cannot be read.
   */
  static String readText(Path file, List<Diagnostic> diagnostics) {
    try {
      long size = Files.size(file);
      if (size > MAX_FILE_BYTES) {
        diagnostics.add(Diagnostic.error("too-large", SourceLocation.ofFile(file),
            "file is " + size + " bytes; the limit is " + MAX_FILE_BYTES,
            "split the desired state into several files"));
        return null;
      }
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(Files.readAllBytes(file)))
          .toString();
    } catch (NoSuchFileException e) {
      diagnostics.add(Diagnostic.error("unreadable", SourceLocation.ofFile(file), "no such file", null));
      return null;
    } catch (CharacterCodingException e) {
      diagnostics.add(Diagnostic.error("encoding", SourceLocation.ofFile(file),
          "file is not valid UTF-8", "save it as UTF-8"));
      return null;
    } catch (IOException e) {
      diagnostics.add(Diagnostic.error("unreadable", SourceLocation.ofFile(file),
          "cannot read: " + e.getClass().getSimpleName(), null));
      return null;
    }
  }

  private void parse(Path file, String text, List<Document<?>> documents, List<Document<?>> incomplete,
      List<Diagnostic> diagnostics) {
    composeEach(file, text, diagnostics, (node, documentIndex) -> {
      int before = diagnostics.size();
      Document<?> document = bindDocument(node, file, documentIndex, diagnostics);
      boolean clean = diagnostics.subList(before, diagnostics.size()).stream().noneMatch(Diagnostic::isError);
      if (document != null) {
        (clean ? documents : incomplete).add(document);
      }
    });
  }

  /** Receives each non-empty document of a YAML text, composed with marks, and its index in the text. */
  @FunctionalInterface
  interface NodeSink {
    void accept(Node node, int index);
  }

  /**
   * Composes every document of {@code text} (as the file {@code file}) within the loader's limits and hands each
   * non-empty one to {@code sink}; syntax errors and breached limits become diagnostics.
   */
  static void composeEach(Path file, String text, List<Diagnostic> diagnostics, NodeSink sink) {
    if (text.length() > MAX_FILE_BYTES) {
      diagnostics.add(Diagnostic.error("too-large", SourceLocation.ofFile(file),
          "text is " + text.length() + " characters; the limit is " + MAX_FILE_BYTES, "split it into several files"));
      return;
    }
    LoadSettings settings = LoadSettings.builder()
        .setLabel(file.toString())
        .setSchema(new CoreSchema())
        .setMaxAliasesForCollections(MAX_ALIASES)
        .setAllowRecursiveKeys(false)
        .setCodePointLimit((int) MAX_FILE_BYTES)
        .setUseMarks(true)
        .build();
    int index = 0;
    try {
      Diagnostic limit = precheck(file, settings, text);
      if (limit != null) {
        diagnostics.add(limit);
        return;
      }
      Iterator<Node> nodes = new Compose(settings).composeAllFromString(text).iterator();
      while (nodes.hasNext()) {
        Node node = nodes.next();
        int documentIndex = index++;
        if (node == null || NodeBinder.isNull(node)) {
          continue;
        }
        sink.accept(node, documentIndex);
      }
    } catch (MarkedYamlEngineException e) {
      diagnostics.add(syntaxError(file, e));
    } catch (RuntimeException e) {
      // The engine also throws unmarked exceptions (IllegalArgumentException for some escapes, limits).
      diagnostics.add(Diagnostic.error("yaml-syntax", SourceLocation.ofFile(file),
          "YAML cannot be read: " + firstLine(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()),
          null));
    }
  }

  /**
   * Checks the resource limits on the parser's event stream, which does not recurse, before the composer
   * (which does) sees the text: nesting deeper than {@link #MAX_DEPTH} and more than {@link #MAX_ALIASES}
   * aliases of mappings or lists in one document (an alias bomb). Returns the first breach with its
   * position, or null. Syntax errors surface here first, with their marks.
   */
  private static Diagnostic precheck(Path file, LoadSettings settings, String text) {
    int depth = 0;
    int aliases = 0;
    Set<String> collectionAnchors = new java.util.HashSet<>();
    for (Event event : new Parse(settings).parseString(text)) {
      switch (event.getEventId()) {
        case MappingStart, SequenceStart -> {
          ((CollectionStartEvent) event).getAnchor().ifPresent(a -> collectionAnchors.add(a.getValue()));
          if (++depth > MAX_DEPTH) {
            return Diagnostic.error("too-deep", at(file, event), "mappings and lists are nested more than "
                + MAX_DEPTH + " levels deep", "flatten the document");
          }
        }
        case MappingEnd, SequenceEnd -> depth--;
        case Alias -> {
          if (collectionAnchors.contains(((AliasEvent) event).getAlias().getValue()) && ++aliases > MAX_ALIASES) {
            return Diagnostic.error("too-many-aliases", at(file, event), "more than " + MAX_ALIASES
                + " aliases of mappings or lists in one document; this looks like an alias bomb",
                "write the values out, or use fewer anchors");
          }
        }
        case DocumentStart -> {
          aliases = 0;
          collectionAnchors.clear();
        }
        default -> { }
      }
    }
    return null;
  }

  private static SourceLocation at(Path file, Event event) {
    return event.getStartMark().map(m -> new SourceLocation(file, m.getLine() + 1, m.getColumn() + 1, ""))
        .orElse(SourceLocation.ofFile(file));
  }

  /**
   * A parser error in the user's terms. An unclosed flow mapping or list is reported where it opens (the
   * parser only notices at the next token); indentation problems get a hint about columns.
   */
  private static Diagnostic syntaxError(Path file, MarkedYamlEngineException e) {
    String problem = firstLine(e.getProblem() != null ? e.getProblem() : e.getContext());
    String context = e.getContext() == null ? "" : e.getContext();
    Mark problemMark = e.getProblemMark().or(e::getContextMark).orElse(null);
    Mark contextMark = e.getContextMark().orElse(null);
    if (contextMark != null && problemMark != null && context.startsWith("while parsing a flow")
        && contextMark.getLine() != problemMark.getLine()) {
      String what = context.contains("mapping") ? "mapping '{'" : "list '['";
      return Diagnostic.error("yaml-syntax", location(file, contextMark), "YAML syntax error: the flow " + what
          + " opened here is not closed (at line " + (problemMark.getLine() + 1) + ", column " + (problemMark.getColumn() + 1)
          + ": " + problem + ")", "close it with " + (context.contains("mapping") ? "'}'" : "']'") + " on the same value");
    }
    String hint = problem.contains("block end") || problem.contains("mapping values are not allowed")
        || problem.contains("could not find expected ':'")
        ? "check the indentation: keys of one mapping start in the same column, and a value that is itself a mapping starts on a new, deeper-indented line"
        : context;
    if (problem.contains("\t") || problem.contains("tab")) {
      hint = "YAML does not allow tabs for indentation; use spaces";
    }
    return Diagnostic.error("yaml-syntax", problemMark == null ? SourceLocation.ofFile(file) : location(file, problemMark),
        "YAML syntax error: " + problem, hint);
  }

  private static SourceLocation location(Path file, Mark mark) {
    return new SourceLocation(file, mark.getLine() + 1, mark.getColumn() + 1, "");
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "";
    }
    int nl = text.indexOf('\n');
    return nl < 0 ? text : text.substring(0, nl);
  }

  private Document<?> bindDocument(Node node, Path file, int index, List<Diagnostic> diagnostics) {
    SourceMap sourceMap = new SourceMap(file);
    NodeBinder binder = new NodeBinder(sourceMap, diagnostics);
    NodeBinder.Reading reading = binder.reading();
    Map<String, Node> fields = envelope(node, sourceMap, reading);
    if (fields == null) {
      return null;
    }
    Kind kind = null;
    Node kindNode = fields.get("kind");
    if (kindNode != null) {
      sourceMapPut(sourceMap, "kind", kindNode);
      kind = (Kind) binder.bind(kindNode, Kind.class, "kind", null);
    }
    Metadata metadata = null;
    if (fields.containsKey("metadata")) {
      Node metadataNode = fields.get("metadata");
      metadata = NodeBinder.isNull(metadataNode) ? null
          : (Metadata) binder.bind(metadataNode, Metadata.class, "metadata", null);
      if (NodeBinder.isNull(metadataNode)) {
        reading.error(metadataNode, "metadata", "null", "metadata has no value", "give it at least a name");
      }
    }
    Object spec = null;
    if (kind != null && fields.containsKey("spec")) {
      Node specNode = fields.get("spec");
      if (NodeBinder.isNull(specNode)) {
        reading.error(specNode, "spec", "null", "spec has no value", "give the " + kind.yaml() + " settings, or {}");
      } else {
        spec = binder.bind(specNode, kind.specType(), "spec", null);
      }
    }
    if (kind == null || metadata == null || spec == null) {
      return null;
    }
    return new Document<>(kind, metadata, spec, sourceMap, index);
  }

  /**
   * The envelope of a document ({@code apiVersion}, {@code kind}, {@code metadata}, {@code spec}) by key, with
   * the document's and {@code apiVersion}'s positions recorded; reports a document that is not a mapping (then
   * returns null), unknown, duplicate and missing keys, and an {@code apiVersion} other than
   * {@link Document#API_VERSION}.
   */
  static Map<String, Node> envelope(Node node, SourceMap sourceMap, NodeBinder.Reading reading) {
    node.getStartMark().ifPresent(m -> sourceMapRoot(sourceMap, m));
    if (!(node instanceof MappingNode mapping)) {
      reading.error(node, "", "type", "a document must be a mapping with apiVersion, kind, metadata and spec, got "
          + NodeBinder.describe(node), null);
      return null;
    }
    Map<String, Node> fields = new HashMap<>();
    Map<String, Node> keys = new HashMap<>();
    for (NodeTuple tuple : mapping.getValue()) {
      Node keyNode = tuple.getKeyNode();
      String key = keyNode instanceof ScalarNode s && Tag.STR.equals(s.getTag()) ? s.getValue() : null;
      if (key == null) {
        reading.error(keyNode, "", "type", "keys must be plain text, got " + NodeBinder.describe(keyNode), null);
      } else if (keys.containsKey(key)) {
        reading.error(keyNode, key, "duplicate-key", "duplicate key '" + key + "' (first defined at line "
            + keys.get(key).getStartMark().map(m -> m.getLine() + 1).orElse(0) + ")", "keep only one of them");
      } else if (!ENVELOPE.contains(key)) {
        String suggestion = NodeBinder.suggest(key, ENVELOPE);
        reading.error(keyNode, key, "unknown-field", "unknown field '" + key + "'"
            + (suggestion == null ? "" : "; did you mean '" + suggestion + "'?"),
            "allowed here: apiVersion, kind, metadata, spec");
      } else {
        keys.put(key, keyNode);
        fields.put(key, tuple.getValueNode());
      }
    }
    for (String required : List.of("apiVersion", "kind", "metadata", "spec")) {
      if (!fields.containsKey(required)) {
        reading.error(node, required, "required", "missing required field '" + required + "'",
            required.equals("apiVersion") ? "write apiVersion: " + Document.API_VERSION : null);
      }
    }
    Node apiVersion = fields.get("apiVersion");
    if (apiVersion != null) {
      String value = ValueTypes.stringOf(apiVersion);
      sourceMapPut(sourceMap, "apiVersion", apiVersion);
      if (!Document.API_VERSION.equals(value)) {
        reading.error(apiVersion, "apiVersion", "api-version", "apiVersion must be " + Document.API_VERSION
            + ", got " + NodeBinder.describe(apiVersion), null);
      }
    }
    return fields;
  }

  private static void sourceMapRoot(SourceMap sourceMap, Mark mark) {
    sourceMap.put("", mark.getLine() + 1, mark.getColumn() + 1);
  }

  private static void sourceMapPut(SourceMap sourceMap, String path, Node node) {
    node.getStartMark().ifPresent(m -> sourceMap.put(path, m.getLine() + 1, m.getColumn() + 1));
  }
}
