package io.uctrust.cli;

import io.uctrust.apply.Outcome;
import io.uctrust.cluster.SecretRedactor;
import io.uctrust.desired.DesiredState;
import io.uctrust.gitops.GitSourceException;
import io.uctrust.gitops.PendingCsrPublisher;
import io.uctrust.plan.Plan;
import io.uctrust.plan.PlanJson;
import io.uctrust.plan.render.MarkdownPlanRenderer;
import io.uctrust.plan.render.TextPlanRenderer;
import io.uctrust.reconcile.ClusterResult;
import io.uctrust.reconcile.ReconcileResult;
import io.uctrust.reconcile.Reconciler;
import io.uctrust.target.snapshot.SnapshotFile;
import io.uctrust.validate.ValidationJsonRenderer;
import io.uctrust.validate.ValidationOptions;
import io.uctrust.validate.ValidationReport;
import io.uctrust.validate.ValidationTextRenderer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.eclipse.jgit.lib.PersonIdent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code uctrust reconcile}: plan, and apply unless {@code --dry-run}. */
@Command(name = "reconcile", mixinStandardHelpOptions = true,
    description = {"Compare the desired state in DIR with the cluster and show the plan (--dry-run), or apply it.",
        "Apply runs exactly the plan it shows (or the one saved with --dry-run --out FILE, given with --plan FILE)."},
    footer = {"", "Exit codes: --dry-run: 0 in sync, 2 changes pending, 1 invalid input or error.",
        "           apply: 0 every change succeeded, 1 invalid input, error or a failed change."})
final class ReconcileCommand implements Callable<Integer> {

  enum Output { text, json, markdown }

  private static final java.util.regex.Pattern AUTHOR = java.util.regex.Pattern.compile("^\\s*(.+?)\\s*<([^<>\\s]+)>\\s*$");

  @Spec CommandSpec spec;

  @Mixin TargetMixin target;

  @Mixin SourceMixin source;

  @Option(names = "--dry-run", description = "Plan only; change nothing.")
  boolean dryRun;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "text (default), json or markdown")
  Output output = Output.text;

  @Option(names = "--out", paramLabel = "FILE", description = "With --dry-run: save the plan (JSON) for a later --plan.")
  Path out;

  @Option(names = "--plan", paramLabel = "FILE", description = "Apply this saved plan; refused when it is stale.")
  Path planFile;

  @Option(names = "--against", paramLabel = "FILE", description = "With --dry-run: plan against this snapshot ('uctrust "
      + "snapshot save') instead of the cluster: no credentials, no network, nothing written.")
  Path against;

  @Option(names = "--allow-literal-secrets", description = "Accept literal secret values (lab use only).")
  boolean allowLiteralSecrets;

  @Option(names = "--phones-per-minute", paramLabel = "N",
      description = "Pace phone operations: at most N phones get new CAPF settings and reset per minute, in batches "
          + "(default: 120 for a real cluster, unpaced for the lab; 0 = unpaced).")
  Integer phonesPerMinute;

  @Option(names = "--push-csrs", paramLabel = "BRANCH",
      description = "With --repo: commit the CSRs waiting for the offline CA (offline-ca/pending/) to BRANCH of the repository "
          + "and push it (fast-forward only; the commit message lists them).")
  String pushCsrs;

  @Option(names = "--push-author", paramLabel = "'NAME <EMAIL>'",
      description = "With --push-csrs: author and committer of that commit (default: uctrust <uctrust@localhost>).")
  String pushAuthor = "uctrust <uctrust@localhost>";

  @Option(names = "--retry-failed", description = "Set the CAPF operation again on phones whose last attempt with the same "
      + "settings failed (without it they are held and listed as a check).")
  boolean retryFailed;

  private final Clock clock;
  private final Map<String, String> environment;

  ReconcileCommand(Clock clock, Map<String, String> environment) {
    this.clock = clock;
    this.environment = environment;
  }

  @Override
  public Integer call() {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter stderr = spec.commandLine().getErr();
    if (planFile != null && dryRun) {
      stderr.println("uctrust: --plan applies a saved plan; it cannot be combined with --dry-run");
      return ExitCode.INVALID;
    }
    if (out != null && !dryRun) {
      stderr.println("uctrust: --out saves a dry-run plan; add --dry-run");
      return ExitCode.INVALID;
    }
    if (against != null && !dryRun) {
      stderr.println("uctrust: --against plans against a recorded snapshot, which cannot be applied; add --dry-run");
      return ExitCode.INVALID;
    }
    SnapshotFile snapshot = null;
    if (against != null) {
      try {
        snapshot = SnapshotFile.read(against);
      } catch (SnapshotFile.UnreadableSnapshotException e) {
        stderr.println("uctrust: " + e.getMessage());
        return ExitCode.INVALID;
      }
    }
    Plan saved = null;
    if (planFile != null) {
      try {
        saved = PlanJson.read(Files.readString(planFile, StandardCharsets.UTF_8));
      } catch (IOException | PlanJson.UnreadablePlanException e) {
        stderr.println("uctrust: cannot use plan " + planFile + ": " + e.getMessage());
        return ExitCode.INVALID;
      }
    }
    if (phonesPerMinute != null && phonesPerMinute < 0) {
      stderr.println("uctrust: --phones-per-minute must be 0 (unpaced) or more");
      return ExitCode.INVALID;
    }
    if (pushCsrs != null && source.repo == null) {
      stderr.println("uctrust: --push-csrs commits to the repository the desired state comes from; add --repo URL");
      return ExitCode.INVALID;
    }
    if (!AUTHOR.matcher(pushAuthor).matches()) {
      stderr.println("uctrust: --push-author must look like 'NAME <EMAIL>', not '" + pushAuthor + "'");
      return ExitCode.INVALID;
    }
    SourceMixin.DesiredFolder desired;
    try {
      desired = source.open(target.stateDir, environment);
    } catch (GitSourceException e) {
      stderr.println("uctrust: " + e.getMessage());
      return ExitCode.INVALID;
    }
    try (desired) {
      if (pushCsrs != null) {
        try {
          publisher(desired).restore(desired.checkout(), pushCsrs);
        } catch (GitSourceException e) {
          stderr.println("uctrust: " + e.getMessage());
          return ExitCode.INVALID;
        }
      }
      return run(desired, saved, snapshot, stdout, stderr);
    }
  }

  private int run(SourceMixin.DesiredFolder desired, Plan saved, SnapshotFile snapshot, PrintWriter stdout,
      PrintWriter stderr) {
    ValidationOptions validation = new ValidationOptions(allowLiteralSecrets, ValidationOptions.DEFAULTS.expiryWarningDays());
    Reconciler reconciler = new Reconciler(clock, target.options(environment), validation, environment,
        line -> {
          stderr.println(line);
          stderr.flush();
        });
    reconciler.pacing(phonesPerMinute).retryingFailedPhones(retryFailed).against(snapshot).readFrom(desired.revision());
    Path dir = desired.dir();
    ReconcileResult result = dryRun ? reconciler.dryRun(dir, target.cluster) : reconciler.apply(dir, target.cluster, saved);
    if (!result.validation().valid()) {
      stdout.print(invalid(result.validation(), desired.base()));
      return ExitCode.INVALID;
    }
    for (ClusterResult cluster : result.clusters()) {
      if (cluster.error() != null) {
        stderr.println("uctrust: cluster " + cluster.cluster() + ": " + cluster.error());
      }
    }
    List<Plan> plans = result.clusters().stream().map(ClusterResult::plan).filter(Objects::nonNull).toList();
    if (dryRun) {
      Map<String, String> errors = new LinkedHashMap<>();
      result.clusters().stream().filter(c -> c.error() != null).forEach(c -> errors.put(c.cluster(), c.error()));
      print(stdout, plans, errors, result.dryRunExitCode(), result.validation().state());
      result.clusters().forEach(c -> pendingCsrs(stderr, c));
      if (out != null && !plans.isEmpty()) {
        try {
          Files.writeString(out, PlanJson.write(plans.get(0)), StandardCharsets.UTF_8);
          stderr.println("plan saved to " + out + (plans.size() > 1 ? " (first cluster only; use --cluster)" : ""));
        } catch (IOException e) {
          stderr.println("uctrust: cannot write " + out + ": " + e.getMessage());
          return ExitCode.INVALID;
        }
      }
      return published(desired, result, stderr, result.dryRunExitCode());
    }
    for (ClusterResult cluster : result.clusters()) {
      report(stdout, cluster);
    }
    return published(desired, result, stdout, result.applyExitCode());
  }

  /**
   * With {@code --push-csrs}: the pending CSRs the run left in the checkout, committed to that branch and pushed;
   * {@code code} unless the push fails. Without it, a repository's pending CSRs are only in the cache: say so.
   */
  private int published(SourceMixin.DesiredFolder desired, ReconcileResult result, PrintWriter out, int code) {
    boolean pending = result.clusters().stream().anyMatch(c -> !c.pendingCsrs().isEmpty());
    if (pushCsrs == null) {
      if (pending && desired.checkout() != null) {
        out.println("  (they are in the cache's checkout of the repository, which the next run resets: add --push-csrs "
            + "BRANCH to commit them to the repository)");
      }
      return code;
    }
    try {
      PendingCsrPublisher.Published published = publisher(desired).publish(desired.checkout(), pushCsrs);
      if (published.upToDate()) {
        out.println("offline CA branch " + pushCsrs + ": up to date");
      } else {
        out.println("offline CA branch " + pushCsrs + ": pushed commit " + published.commit().substring(0, 12) + " ("
            + published.added().size() + " new CSR(s), " + published.removed().size() + " no longer pending)");
      }
      return code;
    } catch (GitSourceException e) {
      out.println("uctrust: " + e.getMessage());
      return ExitCode.INVALID;
    }
  }

  private PendingCsrPublisher publisher(SourceMixin.DesiredFolder desired) {
    java.util.regex.Matcher parts = AUTHOR.matcher(pushAuthor);
    parts.matches();
    return new PendingCsrPublisher(desired.source(), environment, new PersonIdent(parts.group(1), parts.group(2)), clock);
  }

  /** The validation report in the output's format: machines and pull requests get what they asked for. */
  private String invalid(ValidationReport report, Path base) {
    return switch (output) {
      case json -> new ValidationJsonRenderer(base).render(report);
      case markdown -> new MarkdownPlanRenderer().renderInvalid(new ValidationTextRenderer(false, base).render(report));
      case text -> new ValidationTextRenderer(Terminal.colour(), base).render(report);
    };
  }

  private void print(PrintWriter stdout, List<Plan> plans, Map<String, String> errors, int exitCode, DesiredState state) {
    switch (output) {
      case json -> stdout.print(PlanJson.writeDryRun(plans, errors, exitCode));
      case markdown -> stdout.print(new MarkdownPlanRenderer(MarkdownPlanRenderer.MAX_CHARACTERS,
          SecretRedactor.of(state, environment)).render(plans, errors, exitCode));
      case text -> plans.forEach(p -> stdout.print(new TextPlanRenderer(Terminal.colour()).render(p)));
      default -> throw new IllegalStateException();
    }
  }

  private static void report(PrintWriter stdout, ClusterResult cluster) {
    if (cluster.plan() == null) {
      return;
    }
    if (cluster.plan().source() != null) {
      // what was applied came from this commit; the journal keeps it with the plan
      stdout.println("Source: " + cluster.plan().source().describe());
    }
    if (cluster.outcomes().isEmpty()) {
      stdout.println("Cluster " + cluster.cluster() + ": in sync, nothing to apply.");
      pendingCsrs(stdout, cluster);
      return;
    }
    long ok = cluster.outcomes().stream().filter(o -> o.status() == Outcome.Status.SUCCEEDED).count();
    long failed = cluster.outcomes().stream().filter(o -> o.status() == Outcome.Status.FAILED).count();
    long skipped = cluster.outcomes().stream().filter(o -> o.status() == Outcome.Status.SKIPPED).count();
    long manual = cluster.outcomes().stream().filter(o -> o.status() == Outcome.Status.MANUAL).count();
    long already = cluster.outcomes().stream().filter(o -> o.status() == Outcome.Status.ALREADY_DONE).count();
    stdout.println("Cluster " + cluster.cluster() + ": " + ok + " succeeded, " + failed + " failed, " + skipped + " skipped"
        + (already == 0 ? "" : ", " + already + " already done") + (manual == 0 ? "" : ", " + manual + " manual"));
    cluster.outcomes().stream().filter(o -> o.status() == Outcome.Status.FAILED || o.status() == Outcome.Status.SKIPPED)
        .forEach(o -> stdout.println("  #" + o.change() + " " + o.status().name().toLowerCase(java.util.Locale.ROOT) + ": "
            + o.detail()));
    if (cluster.authenticationStrings() != null) {
      stdout.println("  generated authentication strings: " + cluster.authenticationStrings()
          + " (mode 0600; enter them on the phones, then delete the file)");
    }
    pendingCsrs(stdout, cluster);
  }

  /** The CSRs waiting for the offline CA, written into the desired-state folder. */
  private static void pendingCsrs(PrintWriter stdout, ClusterResult cluster) {
    if (cluster.pendingCsrs().isEmpty()) {
      return;
    }
    stdout.println("  " + cluster.pendingCsrs().size() + " CSR(s) wait for the offline CA; have them signed and commit each "
        + "certificate (or chain) as offline-ca/signed/<same name>.pem:");
    cluster.pendingCsrs().stream().limit(20).forEach(f -> stdout.println("    " + f));
    if (cluster.pendingCsrs().size() > 20) {
      stdout.println("    ... and " + (cluster.pendingCsrs().size() - 20) + " more");
    }
  }
}
