package io.uctrust.desired;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The user-facing description of a desired-state type or field. It is the single source for the JSON
 * Schema descriptions and the field reference in {@code docs/reference.md}, so write it for an
 * administrator, not for a programmer.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.TYPE, ElementType.FIELD})
public @interface Doc {
  /** What the field means, its unit and default. */
  String value();

  /** An example value as YAML text, shown in the reference; empty when none fits. */
  String example() default "";
}
