package io.uctrust.plan;

import io.uctrust.cluster.Operation;
import io.uctrust.desired.ClusterSpec;
import io.uctrust.desired.Document;
import io.uctrust.desired.ResolvedDesired;
import io.uctrust.observed.ObservedCluster;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What the sub-planners share: inputs, the clock, and the drafts and notes they produce. */
final class PlanContext {
  final ResolvedDesired desired;
  final Document<ClusterSpec> cluster;
  final ObservedCluster observed;
  final Clock clock;
  final List<Change> drafts = new ArrayList<>();
  final List<String> notes = new ArrayList<>();
  /** Set the operation again on phones whose last attempt with the same settings failed. */
  boolean retryFailedPhones;
  /** What this machine saw of the online CA the desired state names; null when not probed. */
  io.uctrust.capf.OnlineCaClient.Probe onlineCaProbe;

  PlanContext(ResolvedDesired desired, Document<ClusterSpec> cluster, ObservedCluster observed, Clock clock) {
    this.desired = desired;
    this.cluster = cluster;
    this.observed = observed;
    this.clock = clock;
  }

  /** Documents of the cluster being planned (one cluster, or those naming it in metadata.cluster). */
  <S> List<Document<S>> documents(List<Document<S>> all) {
    boolean single = desired.state().clusters().size() == 1;
    return all.stream().filter(d -> single ? d.metadata().cluster() == null || d.metadata().cluster().equals(cluster.name())
        : cluster.name().equals(d.metadata().cluster())).toList();
  }

  Optional<ObservedCluster.Node> node(String name) {
    return observed.nodes().stream().filter(n -> n.name().equals(name)).findFirst();
  }

  Optional<ObservedCluster.Node> publisher() {
    return observed.nodes().stream().filter(n -> n.role() == ClusterSpec.NodeRole.CUCM_PUBLISHER).findFirst();
  }

  void add(Phase phase, Action action, String resource, String address, String before, String after, String reason,
      String source, Impact impact, List<String> phones, List<Operation> operations) {
    drafts.add(new Change(0, phase, action, resource, address, before == null ? "" : before, after == null ? "" : after,
        reason, source == null ? "" : source, impact, phones, operations));
  }

  void add(Phase phase, Action action, String resource, String address, String before, String after, String reason,
      String source, Impact impact, Operation operation) {
    add(phase, action, resource, address, before, after, reason, source, impact, List.of(), List.of(operation));
  }
}
