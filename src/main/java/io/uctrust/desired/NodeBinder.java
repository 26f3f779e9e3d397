package io.uctrust.desired;

import io.uctrust.diagnostic.Diagnostic;
import io.uctrust.diagnostic.SourceLocation;
import jakarta.validation.constraints.NotNull;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.text.similarity.LevenshteinDistance;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Binds a composed YAML node tree onto the immutable desired-state records, checking structure as it
 * goes: unknown keys (with a "did you mean"), duplicate keys, wrong types, enum spellings, missing
 * required fields and explicit nulls. Every problem becomes a {@link Diagnostic} with the exact line and
 * column; binding goes on after a problem so that one run reports them all.
 *
 * <p>Not for: value ranges and formats (Jakarta Validation does those) or rules that look across fields
 * and documents (the validator's rules do those).
 */
final class NodeBinder {

  /** Nodes visited per document, aliases expanded: stops alias bombs that pass the parser's limit. */
  static final int MAX_NODES = 2_000_000;

  private static final LevenshteinDistance DISTANCE = new LevenshteinDistance(4);

  private final Reading reading;
  private final SourceMap sourceMap;
  private int visited;
  private boolean exhausted;

  NodeBinder(SourceMap sourceMap, List<Diagnostic> sink) {
    this.sourceMap = sourceMap;
    this.reading = new Reading(sourceMap, sink);
  }

  /**
   * Problem reporting for {@link ValueType}s and the binder itself. Every error names the field path it
   * belongs to, and marks that path as failed so that field constraints do not report it again.
   */
  static final class Reading {
    private final SourceMap sourceMap;
    private final List<Diagnostic> sink;

    Reading(SourceMap sourceMap, List<Diagnostic> sink) {
      this.sourceMap = sourceMap;
      this.sink = sink;
    }

    void error(Node node, String path, String code, String message, String hint) {
      sink.add(Diagnostic.error(code, at(node, path), message, hint));
      sourceMap.fail(path);
    }

    /** Remembers where the value at {@code path} was written. */
    void record(String path, Node node) {
      node.getStartMark().ifPresent(m -> sourceMap.put(path, m.getLine() + 1, m.getColumn() + 1));
    }

    SourceLocation at(Node node, String fieldPath) {
      Optional<Mark> mark = node == null ? Optional.empty() : node.getStartMark();
      return mark.map(m -> new SourceLocation(sourceMap.file(), m.getLine() + 1, m.getColumn() + 1, fieldPath))
          .orElseGet(() -> sourceMap.locate(fieldPath));
    }

    List<Diagnostic> sink() {
      return sink;
    }
  }

  Reading reading() {
    return reading;
  }

  /** Binds {@code node} as a value of {@code type}, at field path {@code path}. */
  Object bind(Node node, Type type, String path, AnnotatedElement field) {
    if (exhausted) {
      return null;
    }
    if (++visited > MAX_NODES) {
      exhausted = true;
      reading.error(node, path, "too-large", "document expands to more than " + MAX_NODES + " values (aliases included)",
          "split the desired state into smaller documents and avoid nested aliases");
      return null;
    }
    reading.record(path, node);
    Class<?> raw = rawClass(type);
    ValueType<?> valueType = ValueTypes.find(raw);
    if (valueType != null) {
      return valueType.read(node, path, field, reading);
    }
    if (raw == String.class) {
      if (node instanceof ScalarNode s && !Tag.STR.equals(s.getTag()) && !Tag.NULL.equals(s.getTag())) {
        reading.error(node, path, "type", path + ": expected text, got " + describe(node),
            "put it in quotes: \"" + s.getValue() + "\"");
        return null;
      }
      return scalar(node, path, "text", Tag.STR);
    }
    if (raw == Integer.class) {
      String text = scalar(node, path, "a whole number", Tag.INT);
      return text == null ? null : toInt(node, path, text);
    }
    if (raw == Boolean.class) {
      String text = scalar(node, path, "true or false", Tag.BOOL);
      return text == null ? null : Boolean.valueOf(text.toLowerCase(java.util.Locale.ROOT));
    }
    if (raw.isEnum()) {
      return enumValue(node, path, raw);
    }
    if (List.class.isAssignableFrom(raw)) {
      return list(node, path, elementType(type, 0), field);
    }
    if (Map.class.isAssignableFrom(raw)) {
      return map(node, path, elementType(type, 1));
    }
    if (raw.isRecord()) {
      return record(node, path, raw);
    }
    throw new IllegalStateException("no YAML binding for " + type);
  }

  private String scalar(Node node, String path, String expected, Tag... accepted) {
    if (node instanceof ScalarNode s && Arrays.asList(accepted).contains(s.getTag())) {
      return s.getValue();
    }
    reading.error(node, path, "type", path + ": expected " + expected + ", got " + describe(node), null);
    return null;
  }

  private Integer toInt(Node node, String path, String text) {
    try {
      BigInteger value = new BigInteger(text.replace("_", "").replaceFirst("^\\+", ""));
      if (value.bitLength() < 32) {
        return value.intValue();
      }
    } catch (NumberFormatException e) {
      // hex, octal or other YAML integer forms are not accepted; fall through to the error below
    }
    reading.error(node, path, "type", path + ": " + text + " is not a decimal whole number in range", null);
    return null;
  }

  private Object enumValue(Node node, String path, Class<?> type) {
    List<String> allowed = Spelling.Of.all(type);
    String hint = "allowed: " + String.join(", ", allowed);
    if (!(node instanceof ScalarNode s) || Tag.NULL.equals(s.getTag())) {
      reading.error(node, path, "type", path + ": expected one of the allowed values, got "
          + describe(node), hint);
      return null;
    }
    for (Object constant : type.getEnumConstants()) {
      if (Spelling.Of.yaml((Enum<?>) constant).equals(s.getValue())) {
        return constant;
      }
    }
    String suggestion = suggest(s.getValue(), allowed);
    reading.error(node, path, "enum", path + ": '" + s.getValue() + "' is not allowed"
        + (suggestion == null ? "" : "; did you mean '" + suggestion + "'?"), hint);
    return null;
  }

  private List<Object> list(Node node, String path, Type elementType, AnnotatedElement field) {
    if (!(node instanceof SequenceNode seq)) {
      reading.error(node, path, "type", path + ": expected a list, got " + describe(node), null);
      return null;
    }
    List<Object> values = new ArrayList<>(seq.getValue().size());
    int i = 0;
    for (Node item : seq.getValue()) {
      String itemPath = path + "[" + i++ + "]";
      if (isNull(item)) {
        reading.error(item, itemPath, "null", itemPath + ": empty list entry", "remove the '-' or give it a value");
        continue;
      }
      Object value = bind(item, elementType, itemPath, field);
      if (value != null) {
        values.add(value);
      }
    }
    // Entries that failed are left out (and reported); the rest stay, so later checks see real values.
    return List.copyOf(values);
  }

  private Map<String, Object> map(Node node, String path, Type valueType) {
    if (!(node instanceof MappingNode mapping)) {
      reading.error(node, path, "type", path + ": expected a mapping, got " + describe(node), null);
      return null;
    }
    Map<String, Object> values = new LinkedHashMap<>();
    Map<String, Node> seen = new HashMap<>();
    for (NodeTuple tuple : mapping.getValue()) {
      String key = key(tuple.getKeyNode(), path, seen);
      if (key == null) {
        continue;
      }
      String childPath = path + "." + key;
      if (isNull(tuple.getValueNode())) {
        nullValue(tuple, childPath);
        continue;
      }
      values.put(key, bind(tuple.getValueNode(), valueType, childPath, null));
    }
    return values;
  }

  /** Binds a record; missing required fields are reported at the mapping. */
  Object record(Node node, String path, Class<?> type) {
    if (!(node instanceof MappingNode mapping)) {
      reading.error(node, path, "type", (path.isEmpty() ? "document" : path)
          + ": expected a mapping, got " + describe(node), null);
      return null;
    }
    RecordComponent[] components = type.getRecordComponents();
    Map<String, Integer> index = new LinkedHashMap<>();
    for (int i = 0; i < components.length; i++) {
      index.put(components[i].getName(), i);
    }
    Object[] args = new Object[components.length];
    boolean[] present = new boolean[components.length];
    Map<String, Node> seen = new HashMap<>();
    for (NodeTuple tuple : mapping.getValue()) {
      String key = key(tuple.getKeyNode(), path, seen);
      if (key == null) {
        continue;
      }
      String childPath = path.isEmpty() ? key : path + "." + key;
      Integer i = index.get(key);
      if (i == null) {
        unknownKey(tuple.getKeyNode(), childPath, key, index.keySet());
        continue;
      }
      present[i] = true;
      if (isNull(tuple.getValueNode())) {
        nullValue(tuple, childPath);
        continue;
      }
      args[i] = bind(tuple.getValueNode(), components[i].getGenericType(), childPath, components[i]);
    }
    for (int i = 0; i < components.length; i++) {
      if (!present[i] && ModelAnnotations.find(components[i], NotNull.class) != null) {
        String childPath = path.isEmpty() ? components[i].getName() : path + "." + components[i].getName();
        Doc doc = components[i].getAnnotation(Doc.class);
        reading.sink.add(Diagnostic.error("required", reading.at(node, childPath),
            (path.isEmpty() ? "" : path + ": ") + "missing required field '" + components[i].getName() + "'",
            doc == null ? null : doc.value()));
      }
    }
    return construct(type, components, args);
  }

  private static Object construct(Class<?> type, RecordComponent[] components, Object[] args) {
    Class<?>[] types = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
    try {
      Constructor<?> constructor = type.getDeclaredConstructor(types);
      return constructor.newInstance(args);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException("record " + type.getSimpleName() + " rejected bound values", e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot construct " + type.getName(), e);
    }
  }

  private String key(Node keyNode, String path, Map<String, Node> seen) {
    if (!(keyNode instanceof ScalarNode scalar) || !Tag.STR.equals(scalar.getTag())) {
      reading.error(keyNode, path, "type", "keys must be plain text, got " + describe(keyNode), null);
      return null;
    }
    String key = scalar.getValue();
    Node first = seen.putIfAbsent(key, keyNode);
    if (first != null) {
      String childPath = path.isEmpty() ? key : path + "." + key;
      int firstLine = first.getStartMark().map(m -> m.getLine() + 1).orElse(0);
      reading.error(keyNode, childPath, "duplicate-key", "duplicate key '" + key + "'"
          + (firstLine > 0 ? " (first defined at line " + firstLine + ")" : ""), "keep only one of them");
      return null;
    }
    return key;
  }

  private void unknownKey(Node keyNode, String childPath, String key, Collection<String> allowed) {
    String suggestion = suggest(key, allowed);
    reading.error(keyNode, childPath, "unknown-field", "unknown field '" + key + "'"
        + (suggestion == null ? "" : "; did you mean '" + suggestion + "'?"),
        "allowed here: " + String.join(", ", allowed));
  }

  private void nullValue(NodeTuple tuple, String childPath) {
    reading.error(tuple.getKeyNode(), childPath, "null", childPath + " has no value", "give it a value or remove the key");
  }

  /** The closest allowed spelling, when it is close enough to be a likely typo. */
  static String suggest(String given, Collection<String> allowed) {
    String lower = given.toLowerCase(java.util.Locale.ROOT);
    if (lower.length() >= 3) {
      List<String> extending = allowed.stream()
          .filter(a -> a.toLowerCase(java.util.Locale.ROOT).startsWith(lower) && !a.equalsIgnoreCase(given)).toList();
      if (extending.size() == 1) {
        return extending.get(0);
      }
    }
    return allowed.stream()
        .map(a -> Map.entry(a, distance(given, a)))
        .filter(e -> e.getValue() >= 0 && e.getValue() <= Math.max(2, given.length() / 3))
        .min(Comparator.comparingInt(Map.Entry::getValue))
        .map(Map.Entry::getKey)
        .orElse(null);
  }

  private static int distance(String given, String allowed) {
    if (given.equalsIgnoreCase(allowed)) {
      return 0;
    }
    return DISTANCE.apply(given.toLowerCase(java.util.Locale.ROOT), allowed.toLowerCase(java.util.Locale.ROOT));
  }

  static boolean isNull(Node node) {
    return node instanceof ScalarNode s && Tag.NULL.equals(s.getTag());
  }

  /** A short, user-facing description of what a node holds. */
  static String describe(Node node) {
    if (node instanceof MappingNode) {
      return "a mapping";
    }
    if (node instanceof SequenceNode) {
      return "a list";
    }
    if (node instanceof ScalarNode s) {
      Tag tag = s.getTag();
      String value = s.getValue().length() > 40 ? s.getValue().substring(0, 40) + "..." : s.getValue();
      if (Tag.NULL.equals(tag)) {
        return "nothing (null)";
      }
      if (Tag.BOOL.equals(tag)) {
        return "the boolean " + value;
      }
      if (Tag.INT.equals(tag) || Tag.FLOAT.equals(tag)) {
        return "the number " + value;
      }
      return "the text '" + value + "'";
    }
    return "an unsupported node";
  }

  static Class<?> rawClass(Type type) {
    if (type instanceof Class<?> c) {
      return c;
    }
    if (type instanceof ParameterizedType p) {
      return (Class<?>) p.getRawType();
    }
    throw new IllegalStateException("unsupported type " + type);
  }

  static Type elementType(Type type, int argument) {
    if (type instanceof ParameterizedType p) {
      return p.getActualTypeArguments()[argument];
    }
    throw new IllegalStateException("raw collection type " + type);
  }
}
