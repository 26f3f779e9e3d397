package io.uctrust.desired;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The YAML spelling of an enum constant when it is not the default, which is the constant's name in
 * lower case with '-' for '_' ({@code ONLINE_CA} is {@code online-ca}). Spellings are part of the
 * public contract: never change one, only add.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface Spelling {
  String value();

  /** Reads the spelling of enum constants. */
  final class Of {
    private Of() {}

    /** The YAML spelling of {@code constant}. */
    public static String yaml(Enum<?> constant) {
      try {
        Spelling spelling =
            constant.getDeclaringClass().getField(constant.name()).getAnnotation(Spelling.class);
        return spelling != null
            ? spelling.value()
            : constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
      } catch (NoSuchFieldException e) {
        throw new IllegalStateException(e);
      }
    }

    /** The constant of {@code type} spelled {@code text} (ignoring case and surrounding blanks), if any. */
    public static <E extends Enum<E>> java.util.Optional<E> find(Class<E> type, String text) {
      String wanted = text.strip();
      return Arrays.stream(type.getEnumConstants()).filter(c -> yaml(c).equalsIgnoreCase(wanted)).findFirst();
    }

    /** All spellings of {@code type}, in declaration order. */
    public static List<String> all(Class<?> type) {
      return Arrays.stream(type.getEnumConstants()).map(c -> yaml((Enum<?>) c)).toList();
    }
  }
}
