package io.uctrust.reconcile;

import io.uctrust.capf.OnlineCaClient;
import io.uctrust.desired.CapfSpec;
import io.uctrust.desired.ClusterSpec;
import io.uctrust.desired.Document;
import io.uctrust.desired.ResolvedDesired;
import io.uctrust.target.TargetOptions;
import io.uctrust.target.lab.LabOnlineCa;
import io.uctrust.target.lab.LabStore;
import io.uctrust.target.snapshot.Snapshot;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Probes the online CA a cluster's Capf document names, for the plan's preflight: from this machine for a real
 * cluster (through a {@code --connect-to} rule naming its host), through the lab's network (the online CAs {@code uctrust lab
 * online-ca} registers) for the lab; recorded with a snapshot, and taken from it when a plan is made against it.
 *
 * <p>Not for: enrolling anything; the probe trusts nothing and sends no request.
 */
final class OnlineCaProber {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private OnlineCaProber() {}

  /** The probe, or null when the cluster's desired CAPF does not use an online CA. */
  static OnlineCaClient.Probe probe(ResolvedDesired desired, Document<ClusterSpec> cluster, TargetOptions targets,
      LabStore store) {
    Optional<CapfSpec.OnlineCa> online = onlineCa(desired, cluster);
    if (online.isEmpty()) {
      return null;
    }
    String host = online.get().hostname();
    int port = port(online.get());
    if (cluster.spec().target().type() == ClusterSpec.TargetType.LAB) {
      Optional<LabOnlineCa.Endpoint> endpoint = LabOnlineCa.registered(store.dir().resolve("online-ca"), host);
      if (endpoint.isEmpty()) {
        return new OnlineCaClient.Probe(false, List.of(), List.of(), host + " is not on the lab's network; start it with "
            + "'uctrust lab online-ca --hostname " + host + "'");
      }
      return OnlineCaClient.probe(host, port, new InetSocketAddress(endpoint.get().address(), endpoint.get().port()), TIMEOUT);
    }
    // only a rule naming the CA's host applies: a catch-all rule is there for the cluster's nodes
    InetSocketAddress address = targets.connectTo().rules().stream()
        .filter(r -> host.equalsIgnoreCase(r.host()) && (r.port() == null || r.port() == port)).findFirst()
        .map(r -> new InetSocketAddress(r.toHost(), r.toPort())).orElse(null);
    return OnlineCaClient.probe(host, port, address, TIMEOUT);
  }

  /** The probe as recorded in a snapshot, or null when the recording is of another host or port, or there is none. */
  static OnlineCaClient.Probe recorded(ResolvedDesired desired, Document<ClusterSpec> cluster,
      Snapshot.RecordedProbe recorded) {
    Optional<CapfSpec.OnlineCa> online = onlineCa(desired, cluster);
    if (recorded == null || online.isEmpty() || !online.get().hostname().equalsIgnoreCase(recorded.host())
        || port(online.get()) != recorded.port()) {
      return null;
    }
    return recorded.probe();
  }

  /** The probe, recorded for a snapshot with its host and port; null when the cluster's desired CAPF uses no online CA. */
  static Snapshot.RecordedProbe record(ResolvedDesired desired, Document<ClusterSpec> cluster, TargetOptions targets,
      LabStore store) {
    OnlineCaClient.Probe probe = probe(desired, cluster, targets, store);
    if (probe == null) {
      return null;
    }
    CapfSpec.OnlineCa online = onlineCa(desired, cluster).orElseThrow();
    return Snapshot.RecordedProbe.of(online.hostname(), port(online), probe);
  }

  private static Optional<CapfSpec.OnlineCa> onlineCa(ResolvedDesired desired, Document<ClusterSpec> cluster) {
    return desired.forCluster(desired.state().capf(), cluster.name()).stream()
        .map(Document::spec).filter(s -> s.issuer() == CapfSpec.CapfIssuer.ONLINE_CA && s.onlineCa() != null
            && s.onlineCa().hostname() != null)
        .map(CapfSpec::onlineCa).findFirst();
  }

  private static int port(CapfSpec.OnlineCa online) {
    return online.port() == null ? 443 : online.port();
  }
}
