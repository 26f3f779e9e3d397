package io.uctrust.desired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.uctrust.validate.ValidationOptions;
import io.uctrust.validate.ValidationReport;
import io.uctrust.validate.Validator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Property: whatever text the loader is given, validation ends with diagnostics, never an exception,
 * and every diagnostic says where and what. Inputs are seeded mutations of the examples (reproducible;
 * the seed is in the failure message) plus hand-picked hostile inputs. Jazzer explores further in
 * {@link LoaderFuzzTest}.
 */
class LoaderRobustnessTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC);
  private static final String[] FRAGMENTS = {
    ":", "- ", "{", "}", "[", "]", "&a ", "*a", "!!binary ", "!A%0", "\t", "\"", "'", "#", "---\n", "...\n", "? ", "|",
    ">", "\\u0000", "%YAML 1.1\n", "!!int ", "~", "null", "0x1F", "1e999", "-.inf", "\u00e9", "\ud83d\ude00", "<<: *a\n"
  };

  private final Validator validator = new Validator(CLOCK, ValidationOptions.DEFAULTS);
  private final DesiredStateLoader loader = new DesiredStateLoader();

  static List<String> seeds() throws IOException {
    try (Stream<Path> files = Files.walk(Path.of("examples"))) {
      List<String> texts = new ArrayList<>();
      for (Path p : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        texts.add(Files.readString(p));
      }
      return texts;
    }
  }

  @Test
  void mutatedExamplesNeverEscapeAsExceptions() throws IOException {
    List<String> seeds = seeds();
    Path file = Path.of("examples/lab/mutated.yaml");
    for (int seed = 0; seed < 1500; seed++) {
      Random random = new Random(seed);
      String text = mutate(seeds.get(random.nextInt(seeds.size())), random);
      int s = seed;
      assertThatCode(() -> check(file, text)).as("seed %d", s).doesNotThrowAnyException();
    }
  }

  @Test
  void hostileInputsEndInDiagnostics() {
    List<String> inputs = List.of("", "\u0000", "!A%0", "%TAG ! tag:a:\n--- !<x> a", "a: !!binary ====", "[" .repeat(5000),
        "{".repeat(5000), "- ".repeat(5000) + "x", "? [a]\n: b", "a: &a [*a]", "<<: [*x]", "\"\\uD800\"", "key: \"\\x\"",
        "apiVersion: uctrust/v1\nkind: Cluster\nmetadata: {name: a}\nspec: {nodes: !!map {}}\n",
        "apiVersion: uctrust/v1\nkind: Capf\nmetadata: {name: a}\nspec: {keepAliveMinutes: 99999999999999999999}\n");
    for (String text : inputs) {
      assertThatCode(() -> check(Path.of("hostile.yaml"), text)).as("input %s", text.substring(0, Math.min(30, text.length())))
          .doesNotThrowAnyException();
    }
  }

  private void check(Path file, String text) {
    ValidationReport report = validator.validate(loader.loadText(file, text));
    assertThat(report.diagnostics()).allSatisfy(d -> {
      assertThat(d.message()).isNotBlank();
      assertThat(d.location().file()).isNotNull();
      assertThat(d.location().line()).isNotNegative();
    });
  }

  private static String mutate(String text, Random random) {
    StringBuilder sb = new StringBuilder(text);
    int edits = 1 + random.nextInt(4);
    for (int i = 0; i < edits && sb.length() > 0; i++) {
      int at = random.nextInt(sb.length());
      switch (random.nextInt(5)) {
        case 0 -> sb.deleteCharAt(at);
        case 1 -> sb.insert(at, FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
        case 2 -> sb.setCharAt(at, (char) (32 + random.nextInt(95)));
        case 3 -> {
          int end = Math.min(sb.length(), at + random.nextInt(80));
          sb.insert(random.nextInt(sb.length()), sb.substring(at, end));
        }
        default -> {
          int end = Math.min(sb.length(), at + random.nextInt(40));
          sb.delete(at, end);
        }
      }
    }
    return sb.toString();
  }
}
