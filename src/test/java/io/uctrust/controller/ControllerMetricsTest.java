package io.uctrust.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.uctrust.controller.ControllerStatus.RunOutcome;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link ControllerMetrics} as Prometheus reads it: the text format parsed back into samples. */
class ControllerMetricsTest {
  private static final String EXPIRY = "uctrust_certificate_expiry_timestamp_seconds";

  private final ControllerMetrics metrics = new ControllerMetrics();

  @Test
  void eachCertificateIsOneExpirySeriesEvenWhenTwoShareASubject() throws IOException {
    metrics.certificates("lab", List.of(SampleStatus.FAR, SampleStatus.FAR_TWIN, SampleStatus.EXPIRED));

    PrometheusSamples samples = scrape();

    assertThat(samples.find(EXPIRY, Map.of("cluster", "lab"))).hasSize(3);
    assertThat(samples.value(EXPIRY, Map.of("subject", "CN=Example Corp Root CA", "sha256", "dd04")))
        .isEqualTo(SampleStatus.FAR.notAfter().getEpochSecond());
    assertThat(samples.value(EXPIRY, Map.of("subject", "CN=Example Corp Root CA", "sha256", "ee05")))
        .isEqualTo(SampleStatus.FAR_TWIN.notAfter().getEpochSecond());
    assertThat(samples.find(EXPIRY, Map.of("sha256", "aa01")).get(0).labels()).containsExactlyInAnyOrderEntriesOf(
        Map.of("cluster", "lab", "node", "cucm-pub.example.com", "store", "tomcat-trust", "kind", "trust",
            "subject", "CN=Old Root CA,O=Example Corp", "sha256", "aa01"));
  }

  @Test
  void aCertificateNoLongerListedLosesItsSeriesAndOtherClustersKeepTheirs() throws IOException {
    metrics.certificates("lab", List.of(SampleStatus.FAR, SampleStatus.SOON));
    metrics.certificates("branch", List.of(SampleStatus.NOTIFYING));

    metrics.certificates("lab", List.of(SampleStatus.SOON));
    PrometheusSamples samples = scrape();

    assertThat(samples.find(EXPIRY, Map.of("cluster", "lab"))).extracting(s -> s.labels().get("sha256"))
        .containsExactly("bb02");
    assertThat(samples.find(EXPIRY, Map.of("cluster", "branch"))).hasSize(1);
  }

  @Test
  void subjectsWithQuotesAndNewlinesSurviveTheLabelEscaping() throws IOException {
    metrics.certificates("lab", List.of(SampleStatus.cert("n", "tomcat-trust",
        ControllerStatus.CertificateKind.TRUST, "CN=\"quoted\"\\back\nslash", "ab", SampleStatus.NOW, false)));

    assertThat(scrape().find(EXPIRY, Map.of("cluster", "lab")).get(0).labels().get("subject"))
        .isEqualTo("CN=\"quoted\"\\back\nslash");
  }

  @Test
  void runsAreCountedAndTimedByOutcome() throws IOException {
    metrics.runFinished("lab", RunOutcome.SUCCEEDED, Duration.ofSeconds(45));
    metrics.runFinished("lab", RunOutcome.SUCCEEDED, Duration.ofSeconds(3));
    metrics.runFinished("lab", RunOutcome.FAILED, Duration.ofMinutes(20));

    PrometheusSamples samples = scrape();

    assertThat(samples.value("uctrust_reconcile_runs_total", Map.of("cluster", "lab", "outcome", "succeeded")))
        .isEqualTo(2);
    assertThat(samples.value("uctrust_reconcile_runs_total", Map.of("cluster", "lab", "outcome", "failed")))
        .isEqualTo(1);
    assertThat(samples.value("uctrust_reconcile_runs_total", Map.of("cluster", "lab", "outcome", "drift-only")))
        .as("every outcome of a known cluster starts at 0").isZero();
    String bucket = "uctrust_reconcile_duration_seconds_bucket";
    Map<String, String> succeeded = Map.of("cluster", "lab", "outcome", "succeeded");
    assertThat(samples.value(bucket, with(succeeded, "le", "2.5"))).isZero();
    assertThat(samples.value(bucket, with(succeeded, "le", "5.0"))).isEqualTo(1);
    assertThat(samples.value(bucket, with(succeeded, "le", "60.0"))).isEqualTo(2);
    assertThat(samples.value(bucket, with(succeeded, "le", "+Inf"))).isEqualTo(2);
    Map<String, String> failed = Map.of("cluster", "lab", "outcome", "failed");
    assertThat(samples.value(bucket, with(failed, "le", "600.0"))).isZero();
    assertThat(samples.value(bucket, with(failed, "le", "1800.0"))).isEqualTo(1);
    assertThat(samples.value("uctrust_reconcile_duration_seconds_sum", succeeded)).isEqualTo(48);
    assertThat(samples.value("uctrust_reconcile_duration_seconds_count", failed)).isEqualTo(1);
  }

  @Test
  void driftAndLastSuccessfulSyncArePerCluster() throws IOException {
    metrics.drift("lab", 7);
    metrics.drift("branch", 0);
    metrics.synced("lab", SampleStatus.NOW);

    PrometheusSamples samples = scrape();

    assertThat(samples.value("uctrust_drift_changes", Map.of("cluster", "lab"))).isEqualTo(7);
    assertThat(samples.value("uctrust_drift_changes", Map.of("cluster", "branch"))).isZero();
    assertThat(samples.value("uctrust_last_successful_sync_timestamp_seconds", Map.of("cluster", "lab")))
        .isEqualTo(SampleStatus.NOW.getEpochSecond());
    assertThat(samples.value("uctrust_up", Map.of())).isEqualTo(1);
  }

  @Test
  void aForgottenClusterLeavesNoSeries() throws IOException {
    metrics.certificates("lab", List.of(SampleStatus.FAR));
    metrics.runFinished("lab", RunOutcome.IN_SYNC, Duration.ofSeconds(2));
    metrics.drift("lab", 1);
    metrics.synced("lab", SampleStatus.NOW);
    metrics.drift("branch", 2);

    metrics.forget("lab");

    assertThat(scrape().samples()).noneMatch(s -> "lab".equals(s.labels().get("cluster")))
        .anyMatch(s -> "branch".equals(s.labels().get("cluster")));
  }

  private PrometheusSamples scrape() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    metrics.writeText(out);
    return PrometheusSamples.parse(out.toString(StandardCharsets.UTF_8));
  }

  private static Map<String, String> with(Map<String, String> labels, String name, String value) {
    Map<String, String> more = new java.util.HashMap<>(labels);
    more.put(name, value);
    return more;
  }
}
