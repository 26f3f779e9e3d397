package io.uctrust.bench;

import io.uctrust.validate.ValidationOptions;
import io.uctrust.validate.ValidationReport;
import io.uctrust.validate.Validator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Load + validate of a desired state naming N phones, in process (warm JVM). Run by bench/validate.sh. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ValidateBenchmark {

  @Param({"10000"})
  int phones;

  private Path folder;
  private final Validator validator =
      new Validator(Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC), ValidationOptions.DEFAULTS);

  @Setup
  public void generate() throws IOException {
    folder = PhoneFleet.write(phones, Files.createTempDirectory("uctrust-bench"));
    ValidationReport report = validator.validate(folder);
    if (!report.valid()) {
      throw new IllegalStateException("generated state is invalid: " + report.diagnostics().get(0));
    }
  }

  @Benchmark
  public ValidationReport validate() {
    return validator.validate(folder);
  }
}
