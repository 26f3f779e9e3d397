package io.uctrust.cli;

import io.uctrust.diff.DiffJsonRenderer;
import io.uctrust.diff.DiffMarkdownRenderer;
import io.uctrust.diff.DiffReport;
import io.uctrust.diff.DiffTextRenderer;
import io.uctrust.gitops.RevisionDiffException;
import io.uctrust.gitops.RevisionDiffer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code uctrust diff}: what a commit range changes in the desired state, for reviewers, without a cluster. */
@Command(name = "diff", mixinStandardHelpOptions = true,
    description = {"Show what the commits from --from to --to change in the desired state: documents added, removed "
        + "and changed (kinds and fields), referenced certificate files and offline CA files. No cluster is needed.",
        "Documents are matched by kind, cluster and name, so moving one to another file is no change."},
    footer = {"", "Exit codes: 0 no desired-state changes, 2 changes, 1 error (not a repository, unknown revision)."})
final class DiffCommand implements Callable<Integer> {

  enum Output { text, json, markdown }

  @Spec CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "DIR",
      description = "A folder in a git working tree, or a bare repository (default: .)")
  Path dir = Path.of(".");

  @Option(names = "--from", required = true, paramLabel = "REV",
      description = "The earlier revision: branch, tag, commit or expression (main, v1.2, 1a2b3c4, HEAD~2, origin/main).")
  String from;

  @Option(names = "--to", paramLabel = "REV", description = "The later revision (default: HEAD).")
  String to = "HEAD";

  @Option(names = "--path", paramLabel = "SUBDIR",
      description = "The desired-state folder, relative to the repository root (default: DIR's place in the working "
          + "tree; the root of a bare repository).")
  String path;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "text (default), json or markdown")
  Output output = Output.text;

  private final Clock clock;

  DiffCommand(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Integer call() {
    PrintWriter stdout = spec.commandLine().getOut();
    DiffReport report;
    try {
      report = new RevisionDiffer(clock).diff(dir, from, to, path);
    } catch (RevisionDiffException e) {
      spec.commandLine().getErr().println("uctrust: " + e.getMessage());
      return ExitCode.INVALID;
    }
    stdout.print(switch (output) {
      case json -> new DiffJsonRenderer().render(report);
      case markdown -> new DiffMarkdownRenderer().render(report);
      case text -> new DiffTextRenderer().render(report);
    });
    stdout.flush();
    return report.diff().hasChanges() ? ExitCode.CHANGES : ExitCode.OK;
  }
}
