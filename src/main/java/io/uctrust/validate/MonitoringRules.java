package io.uctrust.validate;

import io.uctrust.desired.ClusterSpec;
import io.uctrust.desired.DesiredState;
import io.uctrust.desired.Document;
import io.uctrust.desired.MonitoringSpec;
import io.uctrust.desired.MonitoringSpec.Ocsp;
import io.uctrust.desired.MonitoringSpec.Responder;
import java.time.Duration;
import java.util.Optional;

/**
 * Certificate monitor and OCSP rules: e-mail needs recipients; notification frequency at least an hour;
 * a configured responder needs a URI; the revocation interval overrides the Validity Check Frequency.
 */
final class MonitoringRules implements Rule {

  @Override
  public void check(DesiredState state, RuleContext context) {
    for (Document<MonitoringSpec> doc : state.monitoring()) {
      MonitoringSpec.CertificateMonitor monitor = doc.spec().certificateMonitor();
      if (monitor != null) {
        if (monitor.email() != null && Boolean.TRUE.equals(monitor.email().enabled()) && monitor.email().to().isEmpty()) {
          context.error(doc, "spec.certificateMonitor.email", "email", "e-mail notification is enabled but has no recipients",
              "list addresses in spec.certificateMonitor.email.to");
        }
        if (monitor.frequency() != null && monitor.frequency().duration().compareTo(Duration.ofHours(1)) < 0) {
          context.error(doc, "spec.certificateMonitor.frequency", "range", "spec.certificateMonitor.frequency: must be at least "
              + "1h (got " + monitor.frequency() + ")", "the monitor notifies at most hourly");
        }
      }
      Ocsp ocsp = doc.spec().revocation() == null ? null : doc.spec().revocation().ocsp();
      if (ocsp == null) {
        continue;
      }
      if (Boolean.TRUE.equals(ocsp.enabled()) && ocsp.responder() == null) {
        context.error(doc, "spec.revocation.ocsp", "ocsp", "OCSP is enabled without a responder",
            "set responder: from-certificate, or responder: configured with uri");
      }
      if (ocsp.responder() == Responder.CONFIGURED && ocsp.uri() == null) {
        context.error(doc, "spec.revocation.ocsp.responder", "ocsp", "responder configured needs spec.revocation.ocsp.uri", null);
      }
      if (ocsp.responder() == Responder.FROM_CERTIFICATE && ocsp.uri() != null) {
        context.warning(doc, "spec.revocation.ocsp.uri", "ignored", "uri is used only with responder configured", null);
      }
      if (ocsp.checkEvery() != null && ocsp.checkEvery().duration().compareTo(Duration.ofMinutes(5)) < 0) {
        context.error(doc, "spec.revocation.ocsp.checkEvery", "range", "spec.revocation.ocsp.checkEvery: must be at least 5m (got "
            + ocsp.checkEvery() + ")", null);
      }
      Optional<Integer> validityDays = context.clusterOf(doc)
          .map(c -> c.spec().enterpriseParameters())
          .map(ClusterSpec.EnterpriseParameters::certificateValidityCheck)
          .filter(v -> Boolean.TRUE.equals(v.enabled()) && v.frequencyDays() != null)
          .map(ClusterSpec.CertificateValidityCheck::frequencyDays);
      if (ocsp.checkEvery() != null && validityDays.isPresent()
          && !ocsp.checkEvery().duration().equals(Duration.ofDays(validityDays.get()))) {
        context.warning(doc, "spec.revocation.ocsp.checkEvery", "precedence", "checkEvery (" + ocsp.checkEvery() + ") overrides "
            + "the Validity Check Frequency of " + validityDays.get() + " days set in the Cluster", null);
      }
    }
  }
}
