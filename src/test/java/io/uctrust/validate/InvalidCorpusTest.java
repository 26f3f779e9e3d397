package io.uctrust.validate;

import static org.assertj.core.api.Assertions.assertThat;

import io.uctrust.diagnostic.Diagnostic;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs the corpus of invalid desired states in {@code src/test/resources/invalid/}: each folder holds the
 * input and {@code expected.txt}, the exact diagnostics ({@code file:line:column severity code message})
 * the validator must report, in order. Lines starting with '#' are comments; {@code # schema: rejects}
 * says the JSON Schema must reject the input too (checked by {@code SchemaAgreementTest}).
 */
class InvalidCorpusTest {

  static final Path CORPUS = Path.of("src/test/resources/invalid");
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC);

  static Stream<Path> cases() throws IOException {
    try (Stream<Path> dirs = Files.list(CORPUS)) {
      return dirs.filter(Files::isDirectory).sorted().toList().stream();
    }
  }

  static List<String> expected(Path dir) throws IOException {
    return Files.readAllLines(dir.resolve("expected.txt")).stream()
        .filter(l -> !l.isBlank() && !l.startsWith("#"))
        .toList();
  }

  static String render(Path dir, Diagnostic d) {
    Path file = dir.toAbsolutePath().relativize(d.location().file().toAbsolutePath());
    return file + ":" + d.location().line() + ":" + d.location().column() + " " + d.severity().word() + " " + d.code()
        + " " + d.message();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void reportsExactlyTheExpectedDiagnostics(Path dir) throws IOException {
    ValidationReport report = new Validator(CLOCK, ValidationOptions.DEFAULTS).validate(dir);

    List<String> actual = report.diagnostics().stream().map(d -> render(dir, d)).toList();
    assertThat(actual).as("diagnostics of %s", dir.getFileName()).containsExactlyElementsOf(expected(dir));
    assertThat(report.valid()).as("%s must be invalid", dir.getFileName()).isFalse();
  }

  @Test
  void corpusHasAtLeastFortyCases() throws IOException {
    assertThat(cases()).hasSizeGreaterThanOrEqualTo(40);
  }
}
