package io.uctrust.cli;

import io.uctrust.gitops.GitSourceException;
import io.uctrust.validate.ValidationJsonRenderer;
import io.uctrust.validate.ValidationOptions;
import io.uctrust.validate.ValidationReport;
import io.uctrust.validate.ValidationTextRenderer;
import io.uctrust.validate.Validator;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code uctrust validate}: checks a desired-state folder and reports every problem. */
@Command(name = "validate", mixinStandardHelpOptions = true,
    description = "Check desired state (every *.yaml/*.yml below DIR) against the model and the Cisco guides' rules.",
    footer = {"", "Exit codes: 0 valid (warnings allowed), 1 invalid or unreadable input."})
final class ValidateCommand implements Callable<Integer> {

  enum Output { text, json }

  @Spec CommandSpec spec;

  @Mixin SourceMixin source;

  @Option(names = "--state-dir", paramLabel = "DIR",
      description = "With --repo: keep the repository's cache in DIR/git (default: $XDG_STATE_HOME/uctrust/git or "
          + "~/.local/state/uctrust/git).")
  Path stateDir;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "text (default) or json")
  Output output = Output.text;

  @Option(names = "--allow-literal-secrets",
      description = "Accept literal secret values with a warning (lab use only; never commit them).")
  boolean allowLiteralSecrets;

  private final Clock clock;
  private final Map<String, String> environment;

  ValidateCommand(Clock clock, Map<String, String> environment) {
    this.clock = clock;
    this.environment = environment;
  }

  @Override
  public Integer call() {
    SourceMixin.DesiredFolder desired;
    try {
      desired = source.open(stateDir, environment);
    } catch (GitSourceException e) {
      spec.commandLine().getErr().println("uctrust: " + e.getMessage());
      return ExitCode.INVALID;
    }
    ValidationReport report;
    try (desired) {
      ValidationOptions options = new ValidationOptions(allowLiteralSecrets, ValidationOptions.DEFAULTS.expiryWarningDays());
      report = new Validator(clock, options).validate(desired.dir());
    }
    // paths relative to the repository root for a checkout: the cache folder means nothing to users
    Path base = desired.base();
    String rendered = output == Output.json
        ? new ValidationJsonRenderer(base).render(report)
        : (desired.revision() == null ? "" : "Source: " + desired.revision().describe() + "\n")
            + new ValidationTextRenderer(Terminal.colour(), base).render(report);
    spec.commandLine().getOut().print(rendered);
    spec.commandLine().getOut().flush();
    return report.valid() ? ExitCode.OK : ExitCode.INVALID;
  }
}
