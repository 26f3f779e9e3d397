package io.uctrust.cli;

import io.uctrust.cluster.ClusterException;
import io.uctrust.desired.ClusterSpec;
import io.uctrust.desired.Document;
import io.uctrust.observed.ObservedCluster;
import io.uctrust.target.Targets;
import io.uctrust.target.lab.LabCluster;
import io.uctrust.target.lab.LabStore;
import io.uctrust.validate.ValidationOptions;
import io.uctrust.validate.ValidationReport;
import io.uctrust.validate.ValidationTextRenderer;
import io.uctrust.validate.Validator;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code uctrust lab show|init|reset}: inspect and manage the embedded lab cluster. */
@Command(name = "lab", mixinStandardHelpOptions = true, subcommandsRepeatable = false,
    description = "Inspect and manage the embedded lab cluster of a Cluster document with target type lab.")
final class LabCommand {

  @Spec CommandSpec spec;

  private final Clock clock;

  LabCommand(Clock clock) {
    this.clock = clock;
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Summarize the lab: nodes, trust stores, phones, recent events.")
  int show(@Mixin TargetMixin target,
      @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "Desired-state folder (default: .)") Path dir) {
    PrintWriter out = spec.commandLine().getOut();
    try {
      LabStore store = store(target, dir);
      LabCluster lab = LabCluster.existing(store, clock);
      ObservedCluster o = lab.observe();
      Instant now = clock.instant();
      out.println("Lab cluster " + o.name() + " in " + store.dir());
      for (ObservedCluster.Node node : o.nodes()) {
        out.printf("  %-28s %-16s %2d identities, %3d trust entries, %d services%n", node.name(),
            node.role().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'), node.identities().size(), node.trust().size(),
            node.services().size());
      }
      long lsc = o.phones().stream().filter(p -> p.lsc() != null).count();
      long expired = o.phones().stream().filter(p -> p.lsc() != null && p.lsc().notAfter().isBefore(now)).count();
      long soon = o.phones().stream().filter(p -> p.lsc() != null && !p.lsc().notAfter().isBefore(now)
          && p.lsc().notAfter().isBefore(now.plus(Duration.ofDays(30)))).count();
      long pending = o.phones().stream().filter(p -> "Operation Pending".equals(p.capf().status())).count();
      out.printf("  phones: %d (%d with an LSC: %d expired, %d expiring within 30 days; %d without; %d operations pending)%n",
          o.phones().size(), lsc, expired, soon, o.phones().size() - lsc, pending);
      out.println("  CAPF: issuer " + o.capf().issuer().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')
          + ", keepalive " + o.capf().keepAliveMinutes() + " min; SIP OAuth " + (o.sipOAuth().enabled() ? "on" : "off"));
      List<String> events = lab.events();
      out.println("  events: " + events.size() + (events.isEmpty() ? "" : ", latest:"));
      events.subList(Math.max(0, events.size() - 10), events.size()).forEach(e -> out.println("    " + e));
      return ExitCode.OK;
    } catch (ClusterException | IllegalArgumentException e) {
      spec.commandLine().getErr().println("uctrust: " + e.getMessage());
      return ExitCode.INVALID;
    }
  }

  @Command(name = "init", mixinStandardHelpOptions = true,
      description = "Create the lab of the Cluster document in DIR (use --phones N for a larger population).")
  int init(@Mixin TargetMixin target,
      @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "Desired-state folder (default: .)") Path dir) {
    return create(target, dir, false);
  }

  @Command(name = "reset", mixinStandardHelpOptions = true,
      description = "Delete the lab and create it again as a fresh cluster (everything applied to it is lost).")
  int reset(@Mixin TargetMixin target,
      @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "Desired-state folder (default: .)") Path dir) {
    return create(target, dir, true);
  }

  private int create(TargetMixin target, Path dir, boolean replace) {
    PrintWriter err = spec.commandLine().getErr();
    Optional<Document<ClusterSpec>> cluster = cluster(target, dir == null ? Path.of(".") : dir);
    if (cluster.isEmpty()) {
      return ExitCode.INVALID;
    }
    LabStore store = Targets.labStore(cluster.get().name(), target.options());
    try (LabStore.Lock lock = store.lock()) {
      if (store.exists() && !replace) {
        err.println("uctrust: a lab already exists in " + store.dir() + "; 'uctrust lab reset' replaces it");
        return ExitCode.INVALID;
      }
      store.delete();
      LabCluster.create(store, cluster.get().name(), cluster.get().spec(), target.phones, clock);
      spec.commandLine().getOut().println((replace ? "reset" : "created") + " lab cluster " + cluster.get().name() + " with "
          + target.phones + " phones in " + store.dir());
      return ExitCode.OK;
    } catch (ClusterException | java.io.IOException e) {
      err.println("uctrust: " + e.getMessage());
      return ExitCode.INVALID;
    }
  }

  private LabStore store(TargetMixin target, Path dir) {
    if (target.stateDir != null) {
      return new LabStore(target.stateDir);
    }
    Optional<Document<ClusterSpec>> cluster = cluster(target, dir == null ? Path.of(".") : dir);
    if (cluster.isEmpty()) {
      throw new IllegalArgumentException("give --state-dir, or a folder with a valid Cluster document");
    }
    return Targets.labStore(cluster.get().name(), target.options());
  }

  private Optional<Document<ClusterSpec>> cluster(TargetMixin target, Path dir) {
    ValidationReport report = new Validator(clock, ValidationOptions.DEFAULTS).validate(dir);
    if (!report.valid()) {
      spec.commandLine().getOut().print(new ValidationTextRenderer(Terminal.colour(), Path.of("").toAbsolutePath()).render(report));
      return Optional.empty();
    }
    List<Document<ClusterSpec>> labs = report.state().clusters().stream()
        .filter(c -> c.spec().target().type() == ClusterSpec.TargetType.LAB)
        .filter(c -> target.cluster == null || c.name().equals(target.cluster)).toList();
    if (labs.size() != 1) {
      spec.commandLine().getErr().println("uctrust: " + (labs.isEmpty() ? "no Cluster document with target type lab"
          : "several lab clusters; choose one with --cluster") + " in " + dir);
      return Optional.empty();
    }
    return Optional.of(labs.get(0));
  }
}
