package io.uctrust.cluster;

import io.uctrust.desired.DesiredState;
import io.uctrust.desired.Document;
import io.uctrust.desired.FieldWalker;
import io.uctrust.desired.SecretRef;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces secret values in text that leaves uctrust for other people's eyes (a recorded snapshot, a pull-request
 * comment) with {@value #REDACTED}: the values behind the desired state's secret references ({@code env:NAME},
 * {@code file:PATH}, literals) and any PEM private key. A last line of defence: nothing uctrust observes or plans is
 * meant to hold a secret in the first place.
 *
 * <p>Not for: deciding which fields are secret (the model's {@link SecretRef} fields are), or keeping values beyond
 * the run: it holds them in memory only, and never shows them.
 */
public final class SecretRedactor {

  /** What a redacted value reads as. */
  public static final String REDACTED = "[redacted]";

  /** Shorter values are redacted only where they are the whole text: anywhere, they would shred ordinary words. */
  static final int SHORTEST_SUBSTRING = 4;

  /** Redacts private keys only. */
  public static final SecretRedactor KEYS_ONLY = new SecretRedactor(List.of());

  private static final Pattern PRIVATE_KEY = Pattern.compile(
      "-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----.*?(-----END [A-Z0-9 ]*PRIVATE KEY-----|\\z)", Pattern.DOTALL);

  private final List<String> values;

  /** A redactor of {@code values} (and private keys); blank values are ignored. */
  public SecretRedactor(Collection<String> values) {
    // longest first, so a secret that contains another is replaced whole
    this.values = values.stream().filter(v -> v != null && !v.isBlank()).distinct()
        .sorted(Comparator.comparingInt(String::length).reversed()).toList();
  }

  /**
   * A redactor of every secret {@code state} refers to that can be read here: {@code env:} references from
   * {@code environment}, {@code file:} references relative to their YAML file, and literals. One that cannot be read
   * here cannot leak from here either, so it is skipped.
   */
  public static SecretRedactor of(DesiredState state, Map<String, String> environment) {
    SecretReader reader = new SecretReader(environment);
    Set<String> values = new LinkedHashSet<>();
    for (Document<?> doc : state.documents()) {
      FieldWalker.walk(doc.spec(), "spec", (path, value) -> {
        if (value instanceof SecretRef ref && ref.source() != SecretRef.Source.GENERATE_UNIQUE) {
          try {
            values.add(reader.read(ref, doc.resolve(".")));
          } catch (ClusterException unreadable) {
            // not readable here, so not in anything made here
          }
        }
      });
    }
    return new SecretRedactor(values);
  }

  /** {@code text} with every secret value and private key replaced; null stays null. */
  public String redact(String text) {
    if (text == null) {
      return null;
    }
    String out = PRIVATE_KEY.matcher(text).replaceAll(Matcher.quoteReplacement(REDACTED));
    for (String value : values) {
      if (value.length() >= SHORTEST_SUBSTRING) {
        out = out.replace(value, REDACTED);
      } else if (out.equals(value)) {
        out = REDACTED;
      }
    }
    return out;
  }
}
