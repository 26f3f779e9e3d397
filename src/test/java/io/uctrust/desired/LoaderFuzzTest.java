package io.uctrust.desired;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.uctrust.validate.ValidationOptions;
import io.uctrust.validate.ValidationReport;
import io.uctrust.validate.Validator;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Coverage-guided fuzzing of load + validate with Jazzer: any input ends in diagnostics, never an
 * exception. Plain {@code mvn verify} replays the seed and crash inputs in {@code
 * LoaderFuzzTestInputs/}; {@code JAZZER_FUZZ=1 mvn test -Dtest=LoaderFuzzTest} fuzzes.
 */
class LoaderFuzzTest {

  private static final Validator VALIDATOR =
      new Validator(Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC), ValidationOptions.DEFAULTS);
  private static final DesiredStateLoader LOADER = new DesiredStateLoader();

  @FuzzTest(maxDuration = "60s")
  void anyInputEndsInDiagnosticsNotExceptions(FuzzedDataProvider data) {
    String text = data.consumeRemainingAsString();
    ValidationReport report = VALIDATOR.validate(LOADER.loadText(Path.of("fuzz.yaml"), text));
    assertThat(report.diagnostics()).allSatisfy(d -> assertThat(d.message()).isNotBlank());
  }
}
