package io.uctrust.desired;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Visits every value of a desired-state record tree with its dotted path ({@code spec.onlineCa.password}),
 * so that checks like "no literal secrets" or "redact secrets" need not know every record. It descends into uctrust's
 * own records (desired state and configuration), not into records of libraries.
 */
public final class FieldWalker {
  private FieldWalker() {}

  /** Calls {@code visitor} for each non-null value below {@code value}, depth first. */
  public static void walk(Object value, String path, BiConsumer<String, Object> visitor) {
    if (value == null) {
      return;
    }
    visitor.accept(path, value);
    if (value instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        walk(list.get(i), path + "[" + i + "]", visitor);
      }
    } else if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> walk(v, path + "." + k, visitor));
    } else if (value.getClass().isRecord() && value.getClass().getPackageName().startsWith("io.uctrust.")) {
      for (RecordComponent component : value.getClass().getRecordComponents()) {
        try {
          walk(component.getAccessor().invoke(value), path + "." + component.getName(), visitor);
        } catch (IllegalAccessException | InvocationTargetException e) {
          throw new IllegalStateException(e);
        }
      }
    }
  }
}
