package io.uctrust.cli;

import io.uctrust.target.TargetOptions;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Options that say which cluster and where its lab lives, shared by reconcile, status and lab. */
final class TargetMixin {

  @Option(names = "--cluster", paramLabel = "NAME", description = "Only this cluster (default: every Cluster document).")
  String cluster;

  @Option(names = "--state-dir", paramLabel = "DIR",
      description = "Lab state folder (default: $XDG_STATE_HOME/uctrust/lab/<cluster> or ~/.local/state/uctrust/lab/<cluster>).")
  Path stateDir;

  @Option(names = "--phones", paramLabel = "N", description = "Phones of a lab created by this run (default: 200).")
  int phones = TargetOptions.DEFAULT_LAB_PHONES;

  TargetOptions options() {
    String latency = System.getenv("UCTRUST_LAB_LATENCY_MS");
    Duration simulated = Duration.ZERO;
    if (latency != null && latency.matches("[0-9]{1,6}")) {
      simulated = Duration.ofMillis(Long.parseLong(latency));
    }
    return new TargetOptions(stateDir, phones, simulated);
  }
}
