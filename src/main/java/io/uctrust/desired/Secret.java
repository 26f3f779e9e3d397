package io.uctrust.desired;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@link SecretRef} field that may also say {@code generate-unique}: uctrust then generates a
 * value per device instead of reading one (phone authentication strings).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD})
public @interface Secret {
  boolean allowGenerate() default false;
}
