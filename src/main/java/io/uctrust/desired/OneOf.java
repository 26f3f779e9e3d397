package io.uctrust.desired;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Arrays;

/** The integer must be one of the listed values (key sizes); published as a JSON Schema {@code enum}. */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.RECORD_COMPONENT, ElementType.TYPE_USE, ElementType.METHOD,
    ElementType.PARAMETER})
@Constraint(validatedBy = OneOf.Validator.class)
public @interface OneOf {
  int[] value();

  String message() default "must be one of {value}";

  Class<?>[] groups() default {};

  Class<? extends Payload>[] payload() default {};

  /** Checks {@link OneOf}. */
  final class Validator implements ConstraintValidator<OneOf, Integer> {
    private int[] allowed;

    @Override
    public void initialize(OneOf annotation) {
      allowed = annotation.value();
    }

    @Override
    public boolean isValid(Integer value, ConstraintValidatorContext context) {
      return value == null || Arrays.stream(allowed).anyMatch(a -> a == value);
    }
  }
}
