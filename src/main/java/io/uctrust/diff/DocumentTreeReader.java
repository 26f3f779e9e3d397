package io.uctrust.diff;

import io.uctrust.desired.DesiredStateLoader;
import io.uctrust.desired.Kind;
import io.uctrust.desired.Metadata;
import io.uctrust.desired.NodeSelection;
import io.uctrust.desired.SecretRef;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.commons.text.similarity.LevenshteinDistance;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Reads the documents of one YAML file into plain trees without binding them, guided by the model only to
 * know which values are secrets: a literal in a field of type {@link SecretRef} (or, where the model does not
 * know the key, a key named like one) becomes a {@link RedactedSecret}; references ({@code env:}, {@code
 * file:}, {@code generate-unique}) stay as written, since they are not secrets.
 *
 * <p>Not for: files the loader has not already accepted as parseable; its pre-check guards nesting depth
 * and alias bombs before the composer sees the text, and this reader relies on that.
 */
final class DocumentTreeReader {

  /** Values visited per document, aliases expanded; the binder's limit. */
  static final int MAX_NODES = 2_000_000;

  /** Names of every secret field of the model, lower-case, for keys the model does not know. */
  private static final Set<String> SECRET_NAMES = secretNames();

  /** A document read from YAML: its tree, where each value was written, and its text values by raw path. */
  record RawDocument(Map<String, Object> tree, int line, Map<String, Integer> lines, Map<String, String> texts) {}

  /** Thrown when a document expands beyond {@link #MAX_NODES} values. */
  static final class TooLargeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TooLargeException() {
      super("document expands to more than " + MAX_NODES + " values");
    }
  }

  private static final LevenshteinDistance DISTANCE = new LevenshteinDistance(2);

  private int visited;

  /** Every non-empty document of {@code text}; the engine's exceptions propagate. */
  List<RawDocument> read(String label, String text) {
    LoadSettings settings = LoadSettings.builder()
        .setLabel(label)
        .setSchema(new CoreSchema())
        .setMaxAliasesForCollections(DesiredStateLoader.MAX_ALIASES)
        .setAllowRecursiveKeys(false)
        .setCodePointLimit((int) DesiredStateLoader.MAX_FILE_BYTES)
        .setUseMarks(true)
        .build();
    List<RawDocument> documents = new ArrayList<>();
    for (Node node : new Compose(settings).composeAllFromString(text)) {
      if (node == null || node instanceof ScalarNode s && Tag.NULL.equals(s.getTag())) {
        continue;
      }
      visited = 0;
      Map<String, Integer> lines = new LinkedHashMap<>();
      Map<String, String> texts = new LinkedHashMap<>();
      Object value = document(node, lines, texts);
      Map<String, Object> tree = value instanceof Map<?, ?> map ? cast(map) : new LinkedHashMap<>(Map.of("", value));
      documents.add(new RawDocument(tree, line(node), lines, texts));
    }
    return documents;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Map<?, ?> map) {
    return (Map<String, Object>) map;
  }

  /** The top level: its spec's type follows from {@code kind}, which may be anywhere among the keys. */
  private Object document(Node node, Map<String, Integer> lines, Map<String, String> texts) {
    if (!(node instanceof MappingNode mapping)) {
      return value(node, null, "", "", lines, texts);
    }
    Type specType = null;
    for (NodeTuple tuple : mapping.getValue()) {
      if ("kind".equals(text(tuple.getKeyNode())) && tuple.getValueNode() instanceof ScalarNode kind) {
        for (Kind k : Kind.values()) {
          if (k.yaml().equals(kind.getValue())) {
            specType = k.specType();
          }
        }
      }
    }
    Map<String, Type> envelope = new LinkedHashMap<>();
    envelope.put("apiVersion", String.class);
    envelope.put("kind", String.class);
    envelope.put("metadata", Metadata.class);
    if (specType != null) {
      envelope.put("spec", specType);
    }
    Map<String, Object> tree = new LinkedHashMap<>();
    lines.put("", line(node));
    for (NodeTuple tuple : mapping.getValue()) {
      String key = text(tuple.getKeyNode());
      if (key != null && !tree.containsKey(key)) {
        tree.put(key, value(tuple.getValueNode(), envelope.get(key), key, key, lines, texts));
      }
    }
    return tree;
  }

  /**
   * The plain value of {@code node} at raw path {@code path}; {@code type} is the model's type there, or null
   * where the model has no such field.
   */
  private Object value(Node node, Type type, String key, String path, Map<String, Integer> lines,
      Map<String, String> texts) {
    if (++visited > MAX_NODES) {
      throw new TooLargeException();
    }
    lines.putIfAbsent(path, line(node));
    boolean secret = type != null ? raw(type) == SecretRef.class : secretName(key);
    if (secret) {
      if (node instanceof ScalarNode scalar && Tag.STR.equals(scalar.getTag())
          && SecretRef.parse(scalar.getValue()).source() != SecretRef.Source.LITERAL) {
        // A reference is not a secret; its file is never read or summarised, so it is kept out of the texts.
        return scalar.getValue();
      }
      // Anything else in a secret field is a literal, whatever its shape.
      Object literal = node instanceof ScalarNode scalar ? scalar.getValue()
          : value(node, null, "", path, new LinkedHashMap<>(), new LinkedHashMap<>());
      return RedactedSecret.of(String.valueOf(literal));
    }
    if (node instanceof MappingNode mapping) {
      Map<String, Object> map = new LinkedHashMap<>();
      for (NodeTuple tuple : mapping.getValue()) {
        String childKey = text(tuple.getKeyNode());
        // Duplicate keys are the validator's to report; the first one counts, as for the binder.
        if (childKey != null && !map.containsKey(childKey)) {
          String childPath = path.isEmpty() ? childKey : path + "." + childKey;
          map.put(childKey, value(tuple.getValueNode(), child(type, childKey), childKey, childPath, lines, texts));
        }
      }
      return map;
    }
    if (node instanceof SequenceNode sequence) {
      List<Object> list = new ArrayList<>();
      Type element = element(type);
      for (Node item : sequence.getValue()) {
        list.add(value(item, element, key, path + "[" + list.size() + "]", lines, texts));
      }
      return list;
    }
    ScalarNode scalar = (ScalarNode) node;
    Object value = scalar(scalar);
    if (value instanceof String s) {
      texts.put(path, s);
    }
    return value;
  }

  private static Object scalar(ScalarNode scalar) {
    Tag tag = scalar.getTag();
    String text = scalar.getValue();
    if (Tag.NULL.equals(tag)) {
      return null;
    }
    if (Tag.BOOL.equals(tag)) {
      return Boolean.valueOf(text.toLowerCase(Locale.ROOT));
    }
    if (Tag.INT.equals(tag)) {
      try {
        BigInteger number = text.startsWith("0x") ? new BigInteger(text.substring(2), 16)
            : text.startsWith("0o") ? new BigInteger(text.substring(2), 8) : new BigInteger(text.replace("+", ""));
        return number.bitLength() < 64 ? (Object) number.longValue() : number;
      } catch (NumberFormatException e) {
        return text;
      }
    }
    if (Tag.FLOAT.equals(tag)) {
      try {
        return Double.valueOf(text);
      } catch (NumberFormatException e) {
        return text;
      }
    }
    return text;
  }

  private static String text(Node node) {
    return node instanceof ScalarNode s && !Tag.NULL.equals(s.getTag()) ? s.getValue() : null;
  }

  private static int line(Node node) {
    return node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
  }

  /**
   * Whether a key the model does not know may hold a secret: named like a secret field of the model or within
   * two typos of one ({@code pasword}), or saying password, secret, token or passphrase. Erring towards hiding.
   */
  private static boolean secretName(String key) {
    String lower = key.toLowerCase(Locale.ROOT);
    return SECRET_NAMES.stream().anyMatch(name -> DISTANCE.apply(lower, name) >= 0)
        || lower.contains("password") || lower.contains("secret") || lower.contains("token")
        || lower.contains("privatekey") || lower.contains("passphrase");
  }

  /** The model's type of field {@code key} inside a value of {@code type}; null where there is none. */
  private static Type child(Type type, String key) {
    if (type == null) {
      return null;
    }
    Class<?> raw = raw(type);
    if (raw.isRecord()) {
      for (RecordComponent component : raw.getRecordComponents()) {
        if (component.getName().equals(key)) {
          return component.getGenericType();
        }
      }
      return null;
    }
    if (Map.class.isAssignableFrom(raw) && type instanceof ParameterizedType p) {
      return p.getActualTypeArguments()[1];
    }
    return null;
  }

  private static Type element(Type type) {
    if (type == null) {
      return null;
    }
    if (raw(type) == NodeSelection.class) {
      return String.class;
    }
    if (List.class.isAssignableFrom(raw(type)) && type instanceof ParameterizedType p) {
      return p.getActualTypeArguments()[0];
    }
    return null;
  }

  private static Class<?> raw(Type type) {
    if (type instanceof Class<?> c) {
      return c;
    }
    if (type instanceof ParameterizedType p) {
      return (Class<?>) p.getRawType();
    }
    return Object.class;
  }

  private static Set<String> secretNames() {
    Set<String> names = new HashSet<>();
    Set<Class<?>> seen = new HashSet<>();
    for (Kind kind : Kind.values()) {
      collectSecretNames(kind.specType(), names, seen);
    }
    return Set.copyOf(names);
  }

  private static void collectSecretNames(Type type, Set<String> names, Set<Class<?>> seen) {
    Class<?> raw = raw(type);
    if (type instanceof ParameterizedType p) {
      for (Type argument : p.getActualTypeArguments()) {
        collectSecretNames(argument, names, seen);
      }
    }
    if (!raw.isRecord() || !seen.add(raw)) {
      return;
    }
    for (RecordComponent component : raw.getRecordComponents()) {
      if (component.getType() == SecretRef.class) {
        names.add(component.getName().toLowerCase(Locale.ROOT));
      }
      collectSecretNames(component.getGenericType(), names, seen);
    }
  }
}
