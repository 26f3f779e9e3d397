package io.uctrust.controller;

import io.uctrust.observed.ObservedCluster;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The stale-LSC report: one {@link NotificationType#STALE_LSC} notification per phone that has a stale LSC (one
 * CAPF issued for a CSR the phone replaced with a newer one before installing it: {@code utils capf stale-lsc
 * list}) or a CSR waiting for an offline CA, keyed {@code cluster/phone}, so a run's phones become one digest and
 * each phone is repeated at the notification frequency, not every run.
 *
 * <p>Pure: it reads nothing but its arguments and the clock. Not for: removing stale LSCs (a Capf document with
 * {@code deleteStaleLscs: true} makes the planner do that) or signing waiting CSRs (the offline CA does).
 */
public final class StaleLscReporter {
  private final Clock clock;

  public StaleLscReporter(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** One thing found about a phone: a short label for titles and the detail for the text. */
  private record Finding(String label, String detail) {}

  /** The notifications for {@code cluster}'s stale LSCs and waiting CSRs, in phone order of first mention. */
  public List<Notification> report(ObservedCluster cluster, MonitoringSettings settings) {
    Map<String, List<Finding>> byPhone = new LinkedHashMap<>();
    for (ObservedCluster.StaleLsc stale : cluster.staleLscs()) {
      byPhone.computeIfAbsent(stale.phone(), p -> new ArrayList<>()).add(new Finding("stale LSC",
          "stale LSC serial " + (stale.serial() == null ? "?" : stale.serial()) + " issued "
              + (stale.issued() == null ? "?" : stale.issued()) + ", never installed: the phone sent a newer CSR "
              + "first"));
    }
    for (ObservedCluster.PendingCsr csr : cluster.pendingCsrs()) {
      byPhone.computeIfAbsent(csr.phone(), p -> new ArrayList<>()).add(new Finding("CSR waiting for the offline CA",
          "CSR waiting for the offline CA since " + (csr.created() == null ? "?" : csr.created())));
    }
    List<Notification> notifications = new ArrayList<>();
    byPhone.forEach((phone, findings) -> {
      Map<String, String> facts = new LinkedHashMap<>();
      facts.put("cluster", cluster.name());
      facts.put("phone", phone);
      facts.put("findings", Integer.toString(findings.size()));
      String what = findings.size() == 1 ? findings.get(0).label() : findings.size() + " stale LSCs or waiting CSRs";
      notifications.add(Notification.of(NotificationType.STALE_LSC, cluster.name() + "/" + phone,
          phone + " of " + cluster.name() + ": " + what,
          String.join("\n", findings.stream().map(Finding::detail).toList()), facts, settings.frequency(), clock));
    });
    return notifications;
  }
}
