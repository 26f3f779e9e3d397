package io.uctrust.desired;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.AnnotatedParameterizedType;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hibernate.validator.constraints.Range;

/**
 * Derives the JSON Schema (draft 2020-12) of every kind from the desired-state records and their
 * annotations, the same metadata the loader binds with, so the published schema cannot drift from the
 * model. Cross-field rules of the guides are the validator's job and are not in the schema.
 */
public final class SchemaGenerator {

  public static final String DRAFT = "https://json-schema.org/draft/2020-12/schema";

  /** The schema of one document of {@code kind}. */
  public Map<String, Object> document(Kind kind) {
    Map<String, Object> schema = new LinkedHashMap<>();
    schema.put("$schema", DRAFT);
    schema.put("$id", "urn:uctrust:schema:v1:" + kind.yaml().toLowerCase(java.util.Locale.ROOT));
    schema.put("title", "uctrust " + kind.yaml());
    schema.putAll(envelope(kind.yaml(), Metadata.class, kind.specType()));
    return schema;
  }

  /** The schema of a configuration document of {@code kind} (not desired state: not part of {@link #any()}). */
  public Map<String, Object> document(ConfigKind kind) {
    Map<String, Object> schema = new LinkedHashMap<>();
    schema.put("$schema", DRAFT);
    schema.put("$id", "urn:uctrust:schema:v1:" + kind.kind().toLowerCase(java.util.Locale.ROOT));
    schema.put("title", "uctrust " + kind.kind());
    schema.putAll(envelope(kind.kind(), kind.metadataType(), kind.specType()));
    return schema;
  }

  /** The schema of any document: dispatches on {@code kind}; for files that mix kinds. */
  public Map<String, Object> any() {
    Map<String, Object> schema = new LinkedHashMap<>();
    schema.put("$schema", DRAFT);
    schema.put("$id", "urn:uctrust:schema:v1:document");
    schema.put("title", "uctrust desired-state document");
    schema.put("type", "object");
    schema.put("required", List.of("apiVersion", "kind", "metadata", "spec"));
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("kind", Map.of("enum", Kind.spellings()));
    schema.put("properties", properties);
    List<Object> branches = new ArrayList<>();
    for (Kind kind : Kind.values()) {
      Map<String, Object> condition = new LinkedHashMap<>();
      condition.put("properties", Map.of("kind", Map.of("const", kind.yaml())));
      condition.put("required", List.of("kind"));
      Map<String, Object> branch = new LinkedHashMap<>();
      branch.put("if", condition);
      branch.put("then", envelope(kind.yaml(), Metadata.class, kind.specType()));
      branches.add(branch);
    }
    schema.put("allOf", branches);
    return schema;
  }

  private Map<String, Object> envelope(String kind, Class<?> metadataType, Class<?> specType) {
    Map<String, Object> schema = new LinkedHashMap<>();
    Doc doc = specType.getAnnotation(Doc.class);
    if (doc != null) {
      schema.put("description", doc.value());
    }
    schema.put("type", "object");
    schema.put("additionalProperties", false);
    schema.put("required", List.of("apiVersion", "kind", "metadata", "spec"));
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("apiVersion", Map.of("const", Document.API_VERSION));
    properties.put("kind", Map.of("const", kind));
    properties.put("metadata", object(metadataType));
    properties.put("spec", object(specType));
    schema.put("properties", properties);
    return schema;
  }

  private Map<String, Object> object(Class<?> record) {
    Map<String, Object> schema = new LinkedHashMap<>();
    Doc doc = record.getAnnotation(Doc.class);
    if (doc != null) {
      schema.put("description", doc.value());
    }
    schema.put("type", "object");
    schema.put("additionalProperties", false);
    Map<String, Object> properties = new LinkedHashMap<>();
    List<String> required = new ArrayList<>();
    for (RecordComponent component : record.getRecordComponents()) {
      Map<String, Object> property = new LinkedHashMap<>();
      Doc fieldDoc = component.getAnnotation(Doc.class);
      if (fieldDoc != null) {
        property.put("description", fieldDoc.value());
      }
      // The field's own description wins over the description of the record type it holds.
      type(component.getAnnotatedType(), component).forEach(property::putIfAbsent);
      constraints(property, annotations(component));
      properties.put(component.getName(), property);
      if (ModelAnnotations.find(component, NotNull.class) != null) {
        required.add(component.getName());
      }
    }
    if (!required.isEmpty()) {
      schema.put("required", required);
    }
    schema.put("properties", properties);
    return schema;
  }

  private static List<Annotation> annotations(RecordComponent component) {
    List<Annotation> all = new ArrayList<>(Arrays.asList(component.getAccessor().getAnnotations()));
    all.addAll(Arrays.asList(component.getAnnotations()));
    return all;
  }

  private Map<String, Object> type(AnnotatedType annotated, AnnotatedElement field) {
    Class<?> raw = NodeBinder.rawClass(annotated.getType());
    Map<String, Object> schema = new LinkedHashMap<>();
    ValueType<?> valueType = ValueTypes.find(raw);
    if (valueType != null) {
      schema.putAll(valueType.schema(field));
    } else if (raw == String.class) {
      schema.put("type", "string");
    } else if (raw == Integer.class) {
      schema.put("type", "integer");
    } else if (raw == Boolean.class) {
      schema.put("type", "boolean");
    } else if (raw.isEnum()) {
      schema.put("type", "string");
      schema.put("enum", Spelling.Of.all(raw));
    } else if (List.class.isAssignableFrom(raw)) {
      AnnotatedType element = ((AnnotatedParameterizedType) annotated).getAnnotatedActualTypeArguments()[0];
      Map<String, Object> items = type(element, null);
      constraints(items, Arrays.asList(element.getAnnotations()));
      schema.put("type", "array");
      schema.put("items", items);
    } else if (Map.class.isAssignableFrom(raw)) {
      AnnotatedType value = ((AnnotatedParameterizedType) annotated).getAnnotatedActualTypeArguments()[1];
      schema.put("type", "object");
      schema.put("additionalProperties", type(value, null));
    } else if (raw.isRecord()) {
      schema.putAll(object(raw));
    } else {
      throw new IllegalStateException("no schema for " + raw);
    }
    return schema;
  }

  /** Adds the JSON Schema form of Jakarta and uctrust constraints to {@code schema}. */
  private static void constraints(Map<String, Object> schema, List<Annotation> annotations) {
    boolean array = "array".equals(schema.get("type"));
    for (Annotation a : annotations) {
      if (a instanceof Range r) {
        schema.put("minimum", r.min());
        schema.put("maximum", r.max());
      } else if (a instanceof Min m) {
        schema.put("minimum", m.value());
      } else if (a instanceof Max m) {
        schema.put("maximum", m.value());
      } else if (a instanceof Pattern p) {
        schema.put("pattern", p.regexp());
      } else if (a instanceof Size s) {
        if (s.min() > 0) {
          schema.put(array ? "minItems" : "minLength", s.min());
        }
        if (s.max() < Integer.MAX_VALUE) {
          schema.put(array ? "maxItems" : "maxLength", s.max());
        }
      } else if (a instanceof NotEmpty) {
        schema.put(array ? "minItems" : "minLength", 1);
      } else if (a instanceof Email) {
        schema.put("format", "email");
      } else if (a instanceof OneOf o) {
        schema.put("enum", Arrays.stream(o.value()).boxed().toList());
      } else if (a instanceof Doc d && !d.example().isEmpty()) {
        schema.put("examples", List.of(d.example().replace("\"", "")));
      }
    }
  }
}
