package io.uctrust.target;

import io.uctrust.cluster.ClusterException;
import io.uctrust.cluster.ClusterPort;
import io.uctrust.desired.ClusterSpec;
import io.uctrust.desired.Document;
import io.uctrust.target.cucm.CucmCluster;
import io.uctrust.target.lab.LabCluster;
import io.uctrust.target.lab.LabStore;
import java.time.Clock;

/** Opens the cluster port a Cluster document's {@code target} names. */
public final class Targets {
  private Targets() {}

  public static ClusterPort open(Document<ClusterSpec> cluster, TargetOptions options, Clock clock) throws ClusterException {
    return switch (cluster.spec().target().type()) {
      case LAB -> LabCluster.open(labStore(cluster.name(), options), cluster.name(), cluster.spec(), options.labPhones(), clock,
          options.labLatency());
      case CUCM -> CucmCluster.open(cluster, options);
    };
  }

  public static LabStore labStore(String cluster, TargetOptions options) {
    return new LabStore(options.stateDir() != null ? options.stateDir() : LabStore.defaultDir(cluster));
  }
}
