package io.uctrust.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.uctrust.desired.MonitoringSpec;
import io.uctrust.desired.TimeAmount;
import io.uctrust.observed.ObservedCluster;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link MonitoringSettings}: the Monitoring document's field, else the cluster's own setting, else Cisco's default. */
class MonitoringSettingsTest {

  @Test
  void withoutADocumentOrAnObservedClusterUnifiedCmsDefaultsApply() {
    MonitoringSettings settings = MonitoringSettings.of(null, null);

    assertThat(settings).isEqualTo(new MonitoringSettings(30, Duration.ofDays(1), false, false, null,
        Duration.ofDays(1)));
  }

  @Test
  void withoutADocumentTheClustersOwnSettingsStand() {
    ObservedCluster observed = observed(new ObservedCluster.Monitoring(45, "12h", true, false, List.of(), true,
        "Use configured OCSP URI", "http://ocsp.example.com/", "6h"), 3);

    MonitoringSettings settings = MonitoringSettings.of(null, observed);

    assertThat(settings).isEqualTo(new MonitoringSettings(45, Duration.ofHours(12), true, true,
        URI.create("http://ocsp.example.com/"), Duration.ofHours(6)));
  }

  @Test
  void theDocumentsFieldsWinAndFieldsItLeavesOutComeFromTheCluster() {
    ObservedCluster observed = observed(new ObservedCluster.Monitoring(45, "12h", true, false, List.of(), false,
        "Use configured OCSP URI", "http://old.example.com/", null), 3);
    MonitoringSpec spec = new MonitoringSpec(new MonitoringSpec.CertificateMonitor(20, null, null, null),
        new MonitoringSpec.Revocation(new MonitoringSpec.Ocsp(true, MonitoringSpec.Responder.FROM_CERTIFICATE, null,
            null)));

    MonitoringSettings settings = MonitoringSettings.of(spec, observed);

    // no Check Every anywhere: the Validity Check Frequency enterprise parameter (3 days) applies
    assertThat(settings).isEqualTo(new MonitoringSettings(20, Duration.ofHours(12), true, true, null,
        Duration.ofDays(3)));
  }

  @Test
  void aConfiguredResponderIsTheDocumentsUriAndCheckEveryOverridesTheValidityCheckFrequency() {
    MonitoringSpec spec = new MonitoringSpec(null, new MonitoringSpec.Revocation(new MonitoringSpec.Ocsp(true,
        MonitoringSpec.Responder.CONFIGURED, "http://ocsp.example.com:8080/", TimeAmount.parse("4h"))));

    MonitoringSettings settings = MonitoringSettings.of(spec, observed(null, 2));

    assertThat(settings.ocspResponder()).isEqualTo(URI.create("http://ocsp.example.com:8080/"));
    assertThat(settings.checkEvery()).isEqualTo(Duration.ofHours(4));
    assertThat(settings.certificateMonitor().frequency().duration()).isEqualTo(Duration.ofDays(1));
  }

  private static ObservedCluster observed(ObservedCluster.Monitoring monitoring, int validityCheckDays) {
    return new ObservedCluster("lab", List.of(), null, new ObservedCluster.Enterprise(false, false, true,
        validityCheckDays), null, null, null, monitoring, List.of(), List.of(), List.of(), "");
  }
}
