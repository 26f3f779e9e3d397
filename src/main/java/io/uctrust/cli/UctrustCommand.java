package io.uctrust.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;

/** The top-level {@code uctrust} command. */
@Command(
    name = "uctrust",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Declarative, GitOps-style reconciler for the certificate and security configuration of "
        + "Cisco Unified CM and IM and Presence clusters.",
    subcommands = {ReconcileCommand.class, StatusCommand.class, BundleCommand.class, ValidateCommand.class,
        DiffCommand.class, SnapshotCommand.class, ControllerCommand.class, LabCommand.class, SchemaCommand.class,
        AutoComplete.GenerateCompletion.class},
    footer = {"", "Exit codes: 0 success, 1 invalid input or failure, 2 changes pending (dry-run)."})
final class UctrustCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
