package io.uctrust.validate;

import io.uctrust.desired.DesiredState;
import io.uctrust.desired.Document;
import io.uctrust.desired.Kind;
import io.uctrust.desired.MonitoringSpec;
import io.uctrust.desired.TrustStoreSpec;
import io.uctrust.desired.TrustStoreSpec.Store;
import io.uctrust.pki.CertificateFacts;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Trust store rules: the store exists on the selected nodes; every certificate file reads, is a CA (or
 * self-signed), is not expired (warning when it expires soon); CAPF-trust CAs can sign certificates.
 */
final class TrustStoreRules implements Rule {

  @Override
  public void check(DesiredState state, RuleContext context) {
    for (Document<TrustStoreSpec> doc : state.trustStores()) {
      TrustStoreSpec spec = doc.spec();
      Store store = spec.store();
      if (store == null) {
        continue;
      }
      context.checkNodes(doc, "spec.nodes", spec.nodes(),
          node -> node.role() == null || (node.role().isImAndPresence() ? store.onImAndPresence() : store.onUnifiedCm()),
          "has no " + store.yaml() + " store");
      if (Boolean.TRUE.equals(spec.removeManufacturingRoots()) && store != Store.CALLMANAGER_TRUST) {
        context.warning(doc, "spec.removeManufacturingRoots", "ignored", "the manufacturing roots live in CallManager-trust; "
            + "removeManufacturingRoots has no effect on " + store.yaml(), null);
      }
      if (spec.certificates().isEmpty() && !Boolean.TRUE.equals(spec.removeManufacturingRoots())
          && !Boolean.TRUE.equals(spec.prune())) {
        context.warning(doc, "spec", "manages-nothing", "this TrustStore lists no certificates and removes nothing", null);
      }
      int warnDays = warningDays(doc, context);
      Map<String, String> seen = new HashMap<>();
      for (int i = 0; i < spec.certificates().size(); i++) {
        String path = "spec.certificates[" + i + "].file";
        TrustStoreSpec.TrustCertificate entry = spec.certificates().get(i);
        if (entry.file() == null) {
          continue;
        }
        int index = i;
        context.certificates(doc, path, entry.file()).ifPresent(list -> {
          for (CertificateFacts c : list) {
            String first = seen.putIfAbsent(c.sha256(), path);
            if (first != null) {
              context.warning(doc, path, "duplicate-certificate", "'" + c.subject() + "' is already listed at " + first, null);
            }
            certificate(doc, path, entry.file(), c, store, warnDays, context);
          }
          if (list.size() > 1) {
            chain(doc, "spec.certificates[" + index + "].file", list, context);
          }
        });
      }
    }
  }

  private static void certificate(Document<TrustStoreSpec> doc, String path, String file, CertificateFacts c,
      Store store, int warnDays, RuleContext context) {
    String name = "'" + file + "' (" + c.subject() + ")";
    if (!c.ca() && !c.selfIssued()) {
      context.error(doc, path, "not-a-ca", name + " is neither a CA certificate nor self-signed",
          "trust stores take the CA certificates that sign identities; upload the issuing CA chain instead");
    } else if (store == Store.CAPF_TRUST && c.ca() && !c.keyCertSign()) {
      context.error(doc, path, "not-a-ca", name + " is a CA without keyUsage keyCertSign; it cannot sign LSCs", null);
    }
    Instant now = context.clock().instant();
    if (!c.notAfter().isAfter(now)) {
      context.error(doc, path, "expired", name + " expired on " + c.notAfter(), "replace it with a current certificate");
    } else if (Duration.between(now, c.notAfter()).toDays() < warnDays) {
      context.warning(doc, path, "expiring", name + " expires on " + c.notAfter() + ", in "
          + Duration.between(now, c.notAfter()).toDays() + " days", "plan its replacement");
    } else if (c.notBefore().isAfter(now)) {
      context.warning(doc, path, "not-yet-valid", name + " is not valid before " + c.notBefore(), null);
    }
  }

  /** A file with several certificates should be a chain: each one issued by the next. */
  private static void chain(Document<TrustStoreSpec> doc, String path, List<CertificateFacts> list, RuleContext context) {
    for (int i = 0; i + 1 < list.size(); i++) {
      CertificateFacts child = list.get(i);
      boolean issuedByAny = list.stream().anyMatch(p -> p != child && p.subject().equals(child.issuer()));
      if (!issuedByAny && !child.selfIssued()) {
        context.warning(doc, path, "incomplete-chain", "'" + child.subject() + "' is not issued by another certificate "
            + "in the same file", "put the whole chain (intermediates and root) in the file, or one certificate per file");
      }
    }
  }

  private static int warningDays(Document<?> doc, RuleContext context) {
    return context.sameCluster(doc, Kind.MONITORING, MonitoringSpec.class).stream()
        .map(m -> m.spec().certificateMonitor())
        .filter(m -> m != null && m.notificationStartDays() != null)
        .map(MonitoringSpec.CertificateMonitor::notificationStartDays)
        .findFirst()
        .orElse(context.options().expiryWarningDays());
  }
}
