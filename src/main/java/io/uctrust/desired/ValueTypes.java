package io.uctrust.desired;

import java.lang.reflect.AnnotatedElement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/** The registry of desired-state value types with their own syntax. */
final class ValueTypes {
  private ValueTypes() {}

  private static final Map<Class<?>, ValueType<?>> TYPES =
      Map.of(
          SecretRef.class, new SecretType(),
          TimeAmount.class, new TimeAmountType(),
          NodeSelection.class, new NodeSelectionType());

  static ValueType<?> find(Class<?> type) {
    return TYPES.get(type);
  }

  static String stringOf(Node node) {
    return node instanceof ScalarNode s && !Tag.NULL.equals(s.getTag()) ? s.getValue() : null;
  }

  private static final class SecretType implements ValueType<SecretRef> {
    @Override
    public SecretRef read(Node node, String path, AnnotatedElement field, NodeBinder.Reading reading) {
      String text = stringOf(node);
      if (text == null || !Tag.STR.equals(node.getTag())) {
        reading.error(node, path, "type", path + ": expected a secret reference, got " + NodeBinder.describe(node),
            "write env:NAME or file:PATH");
        return null;
      }
      SecretRef ref = SecretRef.parse(text);
      Secret secret = field == null ? null : field.getAnnotation(Secret.class);
      boolean generateAllowed = secret != null && secret.allowGenerate();
      if (ref.source() == SecretRef.Source.GENERATE_UNIQUE && !generateAllowed) {
        reading.error(node, path, "secret", path + ": generate-unique is not allowed here",
            "write env:NAME or file:PATH");
        return null;
      }
      if ((ref.source() == SecretRef.Source.ENV || ref.source() == SecretRef.Source.FILE)
          && ref.reference().isBlank()) {
        reading.error(node, path, "secret", "secret reference '" + ref + "' names nothing",
            "write env:NAME or file:PATH with a name or path after the colon");
        return null;
      }
      if (ref.source() == SecretRef.Source.ENV && !ref.reference().matches("[A-Za-z_][A-Za-z0-9_]*")) {
        reading.error(node, path, "secret", "'" + ref + "' is not a valid environment variable name",
            "names are letters, digits and '_', not starting with a digit");
        return null;
      }
      return ref;
    }

    @Override
    public Map<String, Object> schema(AnnotatedElement field) {
      Secret secret = field == null ? null : field.getAnnotation(Secret.class);
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("type", "string");
      // Literals are rejected by validation unless --allow-literal-secrets; the schema shows the
      // reference forms so that editors suggest them, and does not forbid the escape hatch.
      s.put("minLength", 1);
      s.put("x-uctrust-secret", secret != null && secret.allowGenerate()
          ? "env:NAME | file:PATH | generate-unique" : "env:NAME | file:PATH");
      return s;
    }
  }

  private static final class TimeAmountType implements ValueType<TimeAmount> {
    @Override
    public TimeAmount read(Node node, String path, AnnotatedElement field, NodeBinder.Reading reading) {
      String text = stringOf(node);
      TimeAmount amount = text == null || !Tag.STR.equals(node.getTag()) ? null : TimeAmount.parse(text);
      if (amount == null) {
        reading.error(node, path, "duration", path + ": expected a duration such as 30d, 24h or 15m, got "
            + NodeBinder.describe(node), "a whole number followed by s, m, h, d or w");
      }
      return amount;
    }

    @Override
    public Map<String, Object> schema(AnnotatedElement field) {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("type", "string");
      s.put("pattern", TimeAmount.PATTERN);
      return s;
    }
  }

  private static final class NodeSelectionType implements ValueType<NodeSelection> {
    @Override
    public NodeSelection read(Node node, String path, AnnotatedElement field, NodeBinder.Reading reading) {
      if (node instanceof ScalarNode && "all".equals(stringOf(node)) && Tag.STR.equals(node.getTag())) {
        return NodeSelection.ALL;
      }
      if (node instanceof SequenceNode seq) {
        List<String> names = new ArrayList<>();
        boolean ok = true;
        int i = 0;
        for (Node item : seq.getValue()) {
          String itemPath = path + "[" + i++ + "]";
          reading.record(itemPath, item);
          String name = stringOf(item);
          if (name == null || !Tag.STR.equals(item.getTag())) {
            reading.error(item, itemPath, "type", itemPath + ": expected a node name, got " + NodeBinder.describe(item), null);
            ok = false;
          } else {
            names.add(name);
          }
        }
        if (ok && names.isEmpty()) {
          reading.error(node, path, "nodes", "the node list is empty", "write 'all' or name at least one node");
          return null;
        }
        return ok ? NodeSelection.of(names) : null;
      }
      reading.error(node, path, "type", path + ": expected 'all' or a list of node names, got "
          + NodeBinder.describe(node), null);
      return null;
    }

    @Override
    public Map<String, Object> schema(AnnotatedElement field) {
      Map<String, Object> all = new LinkedHashMap<>();
      all.put("const", "all");
      Map<String, Object> list = new LinkedHashMap<>();
      list.put("type", "array");
      list.put("minItems", 1);
      list.put("items", Map.of("type", "string"));
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("oneOf", List.of(all, list));
      return s;
    }
  }
}
