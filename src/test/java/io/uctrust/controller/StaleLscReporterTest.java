package io.uctrust.controller;

import static io.uctrust.controller.MonitoredClusters.CLUSTER;
import static io.uctrust.controller.MonitoredClusters.cluster;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.uctrust.cluster.SecretReader;
import io.uctrust.controller.EmailChannel.Security;
import io.uctrust.observed.ObservedCluster;
import io.uctrust.target.cucm.FakeTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link StaleLscReporter}: one notification per phone, one mail per run through GreenMail, repeated daily. */
class StaleLscReporterTest {
  @RegisterExtension
  static final GreenMailExtension MAIL = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  private final FakeTime time = new FakeTime();
  private final StaleLscReporter reporter = new StaleLscReporter(time);
  private final MonitoringSettings settings = MonitoringSettings.defaults();

  @Test
  void stalePhonesAndWaitingCsrsBecomeOneNotificationPerPhoneAndOneMailADay() throws Exception {
    Instant issued = Instant.parse("2025-12-20T09:00:00Z");
    ObservedCluster lab = cluster(List.of(), List.of(), List.of(
        new ObservedCluster.StaleLsc("SEP001122334455", "1a2b", issued),
        new ObservedCluster.StaleLsc("SEP001122334455", "1a2c", issued.plusSeconds(3600)),
        new ObservedCluster.StaleLsc("SEP001122334466", "1a2d", issued)),
        List.of(new ObservedCluster.PendingCsr("SEP001122334477", null, issued)));
    Notifier notifier = new Notifier(List.of(new EmailChannel(new EmailChannel.Settings("127.0.0.1",
        MAIL.getSmtp().getPort(), Security.NONE, null, null, "uctrust@example.com", List.of("uc-admins@example.com"),
        Duration.ofSeconds(5), Duration.ofSeconds(5), null), new SecretReader(Map.of()), time)),
        new InMemoryNotificationLedger(), time);

    List<Notification> report = reporter.report(lab, settings);
    Notifier.Dispatch first = notifier.send(report);
    time.sleep(Duration.ofHours(12));
    Notifier.Dispatch halfADay = notifier.send(reporter.report(lab, settings));
    time.sleep(Duration.ofHours(12));
    Notifier.Dispatch nextDay = notifier.send(reporter.report(lab, settings));

    assertThat(report).extracting(Notification::key).containsExactly(CLUSTER + "/SEP001122334455",
        CLUSTER + "/SEP001122334466", CLUSTER + "/SEP001122334477");
    assertThat(report).extracting(Notification::title).containsExactly(
        "SEP001122334455 of lab: 2 stale LSCs or waiting CSRs", "SEP001122334466 of lab: stale LSC",
        "SEP001122334477 of lab: CSR waiting for the offline CA");
    assertThat(report.get(0).text()).isEqualTo(
        "stale LSC serial 1a2b issued 2025-12-20T09:00:00Z, never installed: the phone sent a newer CSR first\n"
            + "stale LSC serial 1a2c issued 2025-12-20T10:00:00Z, never installed: the phone sent a newer CSR first");
    assertThat(first.sent()).singleElement().satisfies(d -> assertThat(d.title()).isEqualTo("3 stale LSCs"));
    assertThat(halfADay.sent()).isEmpty();
    assertThat(nextDay.sent()).hasSize(1);
    assertThat(MAIL.getReceivedMessages()).hasSize(2);
    assertThat(GreenMailUtil.getBody(MAIL.getReceivedMessages()[0])).contains("SEP001122334477 of lab: CSR waiting "
        + "for the offline CA");
  }

  @Test
  void aClusterWithoutStaleLscsReportsNothing() {
    assertThat(reporter.report(cluster(), settings)).isEmpty();
  }
}
