package io.uctrust.cli;

import io.uctrust.target.ConnectTo;
import io.uctrust.target.TargetOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Options that say which cluster and where its lab lives, shared by reconcile, status and lab. */
final class TargetMixin {

  @Spec(Spec.Target.MIXEE) CommandSpec spec;

  @Option(names = "--cluster", paramLabel = "NAME", description = "Only this cluster (default: every Cluster document).")
  String cluster;

  @Option(names = "--state-dir", paramLabel = "DIR",
      description = "Lab state folder (default: $XDG_STATE_HOME/uctrust/lab/<cluster> or ~/.local/state/uctrust/lab/<cluster>).")
  Path stateDir;

  @Option(names = "--phones", paramLabel = "N", description = "Phones of a lab created by this run (default: 200).")
  int phones = TargetOptions.DEFAULT_LAB_PHONES;

  @Option(names = "--connect-to", paramLabel = "HOST1:PORT1:HOST2:PORT2",
      description = "Target cucm: open connections to HOST1:PORT1 at HOST2:PORT2 instead (curl's --connect-to; HOST1 "
          + "or PORT1 empty for any). TLS and SSH still verify HOST1. Repeatable; 'uctrust lab serve' prints the ones it needs.")
  List<String> connectTo = new ArrayList<>();

  TargetOptions options() {
    return options(Map.of());
  }

  /** The options, with {@code environment} for env: references of a real cluster's credentials. */
  TargetOptions options(Map<String, String> environment) {
    Duration simulated = TargetOptions.labLatency(System.getenv());
    List<ConnectTo.Rule> rules = new ArrayList<>();
    for (String rule : connectTo) {
      try {
        rules.add(ConnectTo.parse(rule));
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
    }
    return new TargetOptions(stateDir, phones, simulated, new ConnectTo(rules), environment);
  }
}
