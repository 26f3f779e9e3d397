package io.uctrust.validate;

import io.uctrust.desired.Document;
import io.uctrust.desired.SourceMap;
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
 * <p>Required fields are not reported here: the binder already reports them at the right mapping. Also used for
 * configuration documents ({@code controller.yaml}), which are bound the same way. Not for: cross-field rules.
 */
public final class ConstraintChecker {

  private static final ValidatorFactory FACTORY = Validation.byProvider(HibernateValidator.class)
      .configure()
      .messageInterpolator(new ParameterMessageInterpolator(java.util.Set.of(Locale.ENGLISH), Locale.ENGLISH,
          locale -> Locale.ENGLISH, false))
      .buildValidatorFactory();

  private final Validator validator = FACTORY.getValidator();

  List<Diagnostic> check(Document<?> document) {
    List<Diagnostic> diagnostics = new ArrayList<>();
    diagnostics.addAll(check(document.sourceMap(), "metadata", document.metadata()));
    diagnostics.addAll(check(document.sourceMap(), "spec", document.spec()));
    return diagnostics;
  }

  /**
   * The constraint violations of {@code bean}, bound at field path {@code root} of a document read into
   * {@code sourceMap}, each at the line and column where the field was written.
   */
  public List<Diagnostic> check(SourceMap sourceMap, String root, Object bean) {
    List<Diagnostic> diagnostics = new ArrayList<>();
    if (bean != null) {
      collect(sourceMap, root, validator.validate(bean), diagnostics);
    }
    return diagnostics;
  }

  private static void collect(SourceMap sourceMap, String root,
      java.util.Set<? extends ConstraintViolation<?>> violations, List<Diagnostic> out) {
    for (ConstraintViolation<?> violation : violations) {
      if (violation.getConstraintDescriptor().getAnnotation() instanceof NotNull) {
        continue;
      }
      String path = path(root, violation.getPropertyPath());
      if (sourceMap.failedNear(path)) {
        continue;
      }
      Object value = violation.getInvalidValue();
      String shown = value instanceof String s ? "'" + s + "'" : String.valueOf(value);
      String message = path + ": " + violation.getMessage()
          + (value == null || value instanceof java.util.Collection<?> ? "" : " (got " + shown + ")");
      out.add(Diagnostic.error(code(violation), sourceMap.locate(path), message, null));
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
