package io.uctrust.reconcile;

import io.uctrust.observed.ObservedCluster;
import io.uctrust.plan.Plan;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a cluster has now, for {@code uctrust status}: its nodes and services, every certificate (service
 * identities, trust store entries, phone LSCs) with days to expiry, soonest first, and its drift from the
 * desired state (the plan a dry run would show).
 */
public record ClusterStatus(ObservedCluster observed, Instant at, List<Row> certificates, Plan drift) {

  /** One certificate: kind (identity, trust, LSC), where it is, whose it is, when it expires. */
  public record Row(String kind, String where, String subject, String issuer, Instant notAfter, long daysLeft) {}

  /** Builds the status of {@code observed}; trust entries present on several nodes become one row. */
  public static ClusterStatus of(ObservedCluster observed, Plan drift, Clock clock) {
    Instant now = clock.instant();
    List<Row> rows = new ArrayList<>();
    Map<String, List<String>> trustNodes = new LinkedHashMap<>();
    Map<String, ObservedCluster.TrustEntry> trustEntries = new LinkedHashMap<>();
    for (ObservedCluster.Node node : observed.nodes()) {
      for (ObservedCluster.Identity identity : node.identities()) {
        ObservedCluster.Certificate c = identity.certificate();
        rows.add(new Row("identity", node.name() + " " + identity.service().yaml(), c.subject(),
            identity.selfSigned() ? "self-signed" : c.issuer(), c.notAfter(), days(now, c.notAfter())));
      }
      for (ObservedCluster.TrustEntry entry : node.trust()) {
        String key = entry.store().yaml() + "|" + entry.certificate().sha256();
        trustNodes.computeIfAbsent(key, k -> new ArrayList<>()).add(node.name());
        trustEntries.putIfAbsent(key, entry);
      }
    }
    trustEntries.forEach((key, entry) -> {
      List<String> nodes = trustNodes.get(key);
      ObservedCluster.Certificate c = entry.certificate();
      String where = entry.store().yaml() + " on " + (nodes.size() == 1 ? nodes.get(0) : nodes.size() + " nodes");
      rows.add(new Row("trust", where, c.subject(), c.issuer(), c.notAfter(), days(now, c.notAfter())));
    });
    for (ObservedCluster.Phone phone : observed.phones()) {
      if (phone.lsc() != null) {
        rows.add(new Row("lsc", phone.name() + " " + phone.model(), "LSC issued by " + phone.lsc().issuer(), phone.lsc().issuer(),
            phone.lsc().notAfter(),
            days(now, phone.lsc().notAfter())));
      }
    }
    rows.sort(Comparator.comparing(Row::notAfter).thenComparing(Row::where));
    return new ClusterStatus(observed, now, rows, drift);
  }

  private static long days(Instant now, Instant notAfter) {
    return Math.floorDiv(Duration.between(now, notAfter).toHours(), 24);
  }
}
