package io.uctrust.cli;

import io.uctrust.reconcile.SnapshotRecorder;
import io.uctrust.target.snapshot.Snapshot;
import io.uctrust.validate.ValidationOptions;
import io.uctrust.validate.ValidationTextRenderer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code uctrust snapshot save}: record the live clusters for dry runs without them ({@code reconcile --against}). */
@Command(name = "snapshot", mixinStandardHelpOptions = true,
    description = "Record what a cluster has now, for planning without it: 'reconcile --dry-run --against FILE'.")
final class SnapshotCommand implements Runnable {

  @Spec CommandSpec spec;

  private final Clock clock;
  private final Map<String, String> environment;

  /** {@code environment} is where {@code env:} credentials come from, and the secrets kept out of the file. */
  SnapshotCommand(Clock clock, Map<String, String> environment) {
    this.clock = clock;
    this.environment = environment;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "save", mixinStandardHelpOptions = true,
      description = {"Observe each cluster of DIR (or --cluster NAME) through its target and write one JSON file with what "
          + "each has, when it was observed and its online CA as probed from here; secrets of the desired state are "
          + "redacted. 'reconcile --dry-run --against FILE' then plans against it with no credentials and no network."},
      footer = {"", "Exit codes: 0 written, 1 invalid input or error (nothing written)."})
  int save(@Mixin TargetMixin target,
      @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "Desired-state folder (default: .)") Path dir,
      @Option(names = "--out", required = true, paramLabel = "FILE", description = "The snapshot file to write (replaced "
          + "atomically).") Path out,
      @Option(names = "--allow-literal-secrets", description = "Accept literal secret values (lab use only).")
      boolean allowLiteralSecrets) throws IOException {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter stderr = spec.commandLine().getErr();
    Path folder = dir == null ? Path.of(".") : dir;
    ValidationOptions validation = new ValidationOptions(allowLiteralSecrets, ValidationOptions.DEFAULTS.expiryWarningDays());
    SnapshotRecorder.Saved saved = new SnapshotRecorder(clock, target.options(environment), validation, environment,
        VersionProvider.version()).save(folder, target.cluster, out);
    if (!saved.validation().valid()) {
      stdout.print(new ValidationTextRenderer(Terminal.colour(), Path.of("").toAbsolutePath()).render(saved.validation()));
      return ExitCode.INVALID;
    }
    if (saved.written() == null) {
      saved.errors().forEach(e -> stderr.println("uctrust: " + e));
      stderr.println("uctrust: nothing written to " + out);
      return ExitCode.INVALID;
    }
    for (Snapshot.RecordedCluster cluster : saved.written().clusters()) {
      stdout.println("Cluster " + cluster.cluster() + " (" + cluster.target() + "): " + cluster.observed().nodes().size()
          + " nodes, " + cluster.observed().phones().size() + " phones, observed " + cluster.observedAt() + ", "
          + cluster.observed().fingerprint());
      if (cluster.redacted() > 0) {
        stderr.println("warning: cluster " + cluster.cluster() + ": " + cluster.redacted() + " value(s) held a secret of the "
            + "desired state and were redacted; plans against this snapshot can differ from the live cluster's");
      }
    }
    stdout.println("snapshot saved to " + out);
    return ExitCode.OK;
  }
}
