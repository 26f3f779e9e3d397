package io.uctrust.validate;

import io.uctrust.desired.Document;
import io.uctrust.diagnostic.Diagnostic;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import jakarta.validation.constraints.NotNull;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.hibernate.validator.HibernateValidator;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

/**
 * Checks field constraints (ranges, patterns, sizes, e-mail syntax) of bound documents with Jakarta
 * Validation and maps each violation back to the line and column where the field was written.
 *
 * <p>Required fields are not reported here: the binder already reports them at the right mapping.
 */
final class ConstraintChecker {

  private static final ValidatorFactory FACTORY = Validation.byProvider(HibernateValidator.class)
      .configure()
      .messageInterpolator(new ParameterMessageInterpolator(java.util.Set.of(Locale.ENGLISH), Locale.ENGLISH,
          locale -> Locale.ENGLISH, false))
      .buildValidatorFactory();

  private final Validator validator = FACTORY.getValidator();

  List<Diagnostic> check(Document<?> document) {
    List<Diagnostic> diagnostics = new ArrayList<>();
    collect(document, "metadata", validator.validate(document.metadata()), diagnostics);
    collect(document, "spec", validator.validate(document.spec()), diagnostics);
    return diagnostics;
  }

  private static void collect(Document<?> document, String root,
      java.util.Set<? extends ConstraintViolation<?>> violations, List<Diagnostic> out) {
    for (ConstraintViolation<?> violation : violations) {
      if (violation.getConstraintDescriptor().getAnnotation() instanceof NotNull) {
        continue;
      }
      String path = path(root, violation.getPropertyPath());
      if (document.sourceMap().failedNear(path)) {
        continue;
      }
      Object value = violation.getInvalidValue();
      String shown = value instanceof String s ? "'" + s + "'" : String.valueOf(value);
      String message = path + ": " + violation.getMessage()
          + (value == null || value instanceof java.util.Collection<?> ? "" : " (got " + shown + ")");
      out.add(Diagnostic.error(code(violation), document.locate(path), message, null));
    }
  }

  private static String code(ConstraintViolation<?> violation) {
    String name = violation.getConstraintDescriptor().getAnnotation().annotationType().getSimpleName();
    return switch (name) {
      case "Range", "Min", "Max", "OneOf" -> "range";
      case "Pattern", "Email" -> "format";
      case "Size", "NotEmpty" -> "size";
      default -> name.toLowerCase(Locale.ROOT);
    };
  }

  /** HV property path to our dotted path: {@code ports[0].phone}, {@code selector.names[2]}. */
  static String path(String root, Path propertyPath) {
    StringBuilder sb = new StringBuilder(root);
    for (Path.Node node : propertyPath) {
      if (node.getIndex() != null) {
        sb.append('[').append(node.getIndex()).append(']');
      } else if (node.getKey() != null) {
        sb.append('.').append(node.getKey());
      }
      if (node.getKind() == ElementKind.PROPERTY) {
        sb.append('.').append(node.getName());
      }
    }
    return sb.toString();
  }
}
