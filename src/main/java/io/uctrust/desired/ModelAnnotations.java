package io.uctrust.desired;

import java.lang.annotation.Annotation;
import java.lang.reflect.RecordComponent;

/**
 * Finds annotations written on a record component. Jakarta constraints do not target record components,
 * so javac keeps them on the accessor (and field); our own annotations stay on the component.
 */
final class ModelAnnotations {
  private ModelAnnotations() {}

  static <A extends Annotation> A find(RecordComponent component, Class<A> type) {
    A direct = component.getAnnotation(type);
    return direct != null ? direct : component.getAccessor().getAnnotation(type);
  }
}
