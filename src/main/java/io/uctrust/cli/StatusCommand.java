package io.uctrust.cli;

import io.uctrust.gitops.GitSourceException;
import io.uctrust.gitops.SourceRevision;
import io.uctrust.observed.ObservedCluster;
import io.uctrust.plan.PlanJson;
import io.uctrust.reconcile.ClusterStatus;
import io.uctrust.reconcile.Reconciler;
import io.uctrust.validate.ValidationOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** {@code uctrust status}: what the cluster has now, every certificate by expiry, and the drift from git. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Show each cluster's nodes and services, every certificate (identity, trust, LSC) with days to expiry "
        + "(soonest first), and what drifts from the desired state in DIR.",
    footer = {"", "Exit codes: 0 in sync, 2 drifting, 1 invalid input or error."})
final class StatusCommand implements Callable<Integer> {

  enum Output { text, json }

  private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  @Spec CommandSpec spec;

  @Mixin TargetMixin target;

  @Mixin SourceMixin source;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "text (default) or json")
  Output output = Output.text;

  @Option(names = "--limit", paramLabel = "N", description = "Show only the N certificates that expire first (default: all).")
  int limit;

  @Option(names = "--stale-lsc", description = "List the stale LSCs (issued by CAPF but never installed because the phone "
      + "sent a newer CSR first; 'utils capf stale-lsc list') and the CSRs waiting for an offline CA.")
  boolean staleLsc;

  private final Clock clock;
  private final java.util.Map<String, String> environment;

  StatusCommand(Clock clock, java.util.Map<String, String> environment) {
    this.clock = clock;
    this.environment = environment;
  }

  @Override
  public Integer call() {
    SourceMixin.DesiredFolder desired;
    try {
      desired = source.open(target.stateDir, environment);
    } catch (GitSourceException e) {
      spec.commandLine().getErr().println("uctrust: " + e.getMessage());
      return ExitCode.INVALID;
    }
    try (desired) {
      return run(desired.dir(), desired.revision());
    }
  }

  private int run(Path dir, SourceRevision revision) {
    List<String> errors = new ArrayList<>();
    Reconciler reconciler = new Reconciler(clock, target.options(environment), ValidationOptions.DEFAULTS, environment, line -> { })
        .readFrom(revision);
    List<ClusterStatus> statuses = reconciler.status(dir, target.cluster, errors);
    PrintWriter out = spec.commandLine().getOut();
    errors.forEach(e -> spec.commandLine().getErr().println("uctrust: " + e));
    if (output == Output.json) {
      List<Object> clusters = new ArrayList<>();
      statuses.forEach(s -> clusters.add(json(s)));
      Map<String, Object> root = new LinkedHashMap<>();
      root.put("format", "uctrust.status/v1");
      root.put("source", revision);
      root.put("clusters", clusters);
      out.print(JSON.writeValueAsString(root) + "\n");
    } else {
      if (revision != null) {
        out.print("Source: " + revision.describe() + "\n\n");
      }
      statuses.forEach(s -> out.print(text(s)));
    }
    if (!errors.isEmpty()) {
      return ExitCode.INVALID;
    }
    return statuses.stream().allMatch(s -> s.drift().inSync()) ? ExitCode.OK : ExitCode.CHANGES;
  }

  private List<ClusterStatus.Row> rows(ClusterStatus status) {
    return limit > 0 && status.certificates().size() > limit ? status.certificates().subList(0, limit) : status.certificates();
  }

  private String text(ClusterStatus status) {
    ObservedCluster o = status.observed();
    StringBuilder text = new StringBuilder();
    text.append("Cluster ").append(o.name()).append(" at ").append(status.at()).append(" (").append(o.fingerprint(), 0, 19)
        .append("...)\n\nNodes\n");
    for (ObservedCluster.Node node : o.nodes()) {
      long started = node.services().values().stream().filter("Started"::equals).count();
      text.append(String.format("  %-28s %-16s %d services started", node.name(),
          node.role().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'), started));
      node.services().forEach((service, state) -> {
        if (!"Started".equals(state)) {
          text.append(", ").append(service).append(" ").append(state.toLowerCase(java.util.Locale.ROOT));
        }
      });
      text.append('\n');
    }
    long lsc = o.phones().stream().filter(p -> p.lsc() != null).count();
    text.append("\nPhones: ").append(o.phones().size()).append(", ").append(lsc).append(" with an LSC, ")
        .append(o.phones().size() - lsc).append(" without; ").append(o.staleLscs().size()).append(" stale LSCs; ")
        .append(o.pendingCsrs().size()).append(" CSRs waiting for the offline CA\n");
    if (staleLsc) {
      text.append("\nStale LSCs (removed by a Capf document with deleteStaleLscs: true)\n");
      text.append(o.staleLscs().isEmpty() ? "  none\n" : String.format("  %-16s  %-32s  %s%n", "device", "serial", "issued"));
      for (ObservedCluster.StaleLsc stale : o.staleLscs()) {
        text.append(String.format("  %-16s  %-32s  %s%n", stale.phone(), stale.serial() == null ? "?" : stale.serial(),
            stale.issued() == null ? "?" : stale.issued()));
      }
      text.append("\nCSRs waiting for the offline CA\n");
      text.append(o.pendingCsrs().isEmpty() ? "  none\n" : "");
      for (ObservedCluster.PendingCsr csr : o.pendingCsrs()) {
        text.append(String.format("  %-16s  %s%n", csr.phone(), csr.created() == null ? "?" : csr.created()));
      }
    }
    text.append("\nCertificates, soonest expiry first\n");
    text.append(String.format("  %6s  %-8s  %-50s  %s%n", "days", "kind", "where", "subject"));
    for (ClusterStatus.Row row : rows(status)) {
      text.append(String.format("  %6d  %-8s  %-50s  %s%n", row.daysLeft(), row.kind(), row.where(), row.subject()));
    }
    if (rows(status).size() < status.certificates().size()) {
      text.append("  ... and ").append(status.certificates().size() - rows(status).size()).append(" more (without --limit: all)\n");
    }
    text.append("\nDrift from the desired state: ").append(status.drift().inSync() ? "none, in sync"
        : status.drift().summary().line() + "; 'uctrust reconcile --dry-run' shows the plan").append("\n\n");
    return text.toString();
  }

  private Map<String, Object> json(ClusterStatus status) {
    Map<String, Object> cluster = new LinkedHashMap<>();
    cluster.put("cluster", status.observed().name());
    cluster.put("at", status.at().toString());
    cluster.put("fingerprint", status.observed().fingerprint());
    List<Object> nodes = new ArrayList<>();
    status.observed().nodes().forEach(n -> {
      Map<String, Object> node = new LinkedHashMap<>();
      node.put("name", n.name());
      node.put("role", n.role().name());
      node.put("services", n.services());
      nodes.add(node);
    });
    cluster.put("nodes", nodes);
    cluster.put("certificates", rows(status));
    if (staleLsc) {
      cluster.put("staleLscs", status.observed().staleLscs());
      cluster.put("pendingCsrs", status.observed().pendingCsrs().stream().map(c -> {
        Map<String, Object> csr = new LinkedHashMap<>();
        csr.put("phone", c.phone());
        csr.put("created", c.created() == null ? null : c.created().toString());
        return csr;
      }).toList());
    }
    cluster.put("inSync", status.drift().inSync());
    cluster.put("drift", JSON.readTree(PlanJson.write(status.drift())).get("summary"));
    return cluster;
  }
}
