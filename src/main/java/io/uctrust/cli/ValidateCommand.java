package io.uctrust.cli;

import io.uctrust.validate.ValidationJsonRenderer;
import io.uctrust.validate.ValidationOptions;
import io.uctrust.validate.ValidationReport;
import io.uctrust.validate.ValidationTextRenderer;
import io.uctrust.validate.Validator;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code uctrust validate}: checks a desired-state folder and reports every problem. */
@Command(name = "validate", mixinStandardHelpOptions = true,
    description = "Check desired state (every *.yaml/*.yml below DIR) against the model and the Cisco guides' rules.",
    footer = {"", "Exit codes: 0 valid (warnings allowed), 1 invalid or unreadable input."})
final class ValidateCommand implements Callable<Integer> {

  enum Output { text, json }

  @Spec CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "Desired-state folder or YAML file (default: .)")
  Path dir = Path.of(".");

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "text (default) or json")
  Output output = Output.text;

  @Option(names = "--allow-literal-secrets",
      description = "Accept literal secret values with a warning (lab use only; never commit them).")
  boolean allowLiteralSecrets;

  private final Clock clock;

  ValidateCommand(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Integer call() {
    ValidationOptions options = new ValidationOptions(allowLiteralSecrets, ValidationOptions.DEFAULTS.expiryWarningDays());
    ValidationReport report = new Validator(clock, options).validate(dir);
    Path base = Path.of("").toAbsolutePath();
    String rendered = output == Output.json
        ? new ValidationJsonRenderer(base).render(report)
        : new ValidationTextRenderer(Terminal.colour(), base).render(report);
    spec.commandLine().getOut().print(rendered);
    spec.commandLine().getOut().flush();
    return report.valid() ? ExitCode.OK : ExitCode.INVALID;
  }
}
