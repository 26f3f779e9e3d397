package io.uctrust.controller;

import static io.uctrust.controller.MonitoredClusters.CLUSTER;
import static io.uctrust.controller.MonitoredClusters.IMP;
import static io.uctrust.controller.MonitoredClusters.PUB;
import static io.uctrust.controller.MonitoredClusters.certificate;
import static io.uctrust.controller.MonitoredClusters.cluster;
import static io.uctrust.controller.MonitoredClusters.identity;
import static io.uctrust.controller.MonitoredClusters.node;
import static io.uctrust.controller.MonitoredClusters.phone;
import static io.uctrust.controller.MonitoredClusters.trust;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.uctrust.cluster.SecretReader;
import io.uctrust.controller.EmailChannel.Security;
import io.uctrust.desired.CertificateSpec.Service;
import io.uctrust.desired.MonitoringSpec;
import io.uctrust.desired.TimeAmount;
import io.uctrust.desired.TrustStoreSpec.Store;
import io.uctrust.observed.ObservedCluster;
import io.uctrust.target.cucm.FakeTime;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link ExpiryMonitor} on a clock the test moves, driven through a {@link Notifier} with the in-memory ledger and
 * an {@link EmailChannel} to GreenMail's SMTP server, so that what is asserted is mail that arrived: nothing before
 * the notification window, then once per frequency, hourly from one day before expiry and after it.
 */
class ExpiryMonitorTest {
  @RegisterExtension
  static final GreenMailExtension MAIL = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  /** Ten days of notifications, daily: the Monitoring document of these tests. */
  private static final MonitoringSpec SPEC = new MonitoringSpec(
      new MonitoringSpec.CertificateMonitor(10, TimeAmount.parse("1d"), false, null), null);
  private static final Instant NOT_AFTER = Instant.parse("2026-02-15T12:00:00Z");

  private final FakeTime time = new FakeTime();
  private final NotificationLedger ledger = new InMemoryNotificationLedger();
  private final ExpiryMonitor monitor = new ExpiryMonitor(time);
  private Notifier notifier;

  @BeforeEach
  void mail() throws NotificationException {
    notifier = new Notifier(List.of(new EmailChannel(new EmailChannel.Settings("127.0.0.1", MAIL.getSmtp().getPort(),
        Security.NONE, null, null, "uctrust@example.com", List.of("uc-admins@example.com"), Duration.ofSeconds(5),
        Duration.ofSeconds(5), null), new SecretReader(Map.of()), time)), ledger, time);
  }

  /** A sent digest: when (hours from expiry, negative before it) and its type. */
  private record Sent(long hoursFromExpiry, NotificationType type) {}

  @Test
  void anHourlyCheckMailsOnCiscosScheduleFromTheWindowToExpiryAndAfter() throws Exception {
    ObservedCluster lab = tomcatExpiring();
    MonitoringSettings settings = MonitoringSettings.of(SPEC, lab);
    time.sleep(Duration.between(time.instant(), NOT_AFTER.minus(Duration.ofDays(12))));

    List<Sent> sent = new ArrayList<>();
    while (!time.instant().isAfter(NOT_AFTER.plus(Duration.ofHours(3)))) {
      run(lab, settings, sent);
      time.sleep(Duration.ofHours(1));
    }

    assertThat(sent).containsExactlyElementsOf(ciscosSchedule());
    MimeMessage[] mails = MAIL.getReceivedMessages();
    assertThat(mails).hasSize(sent.size());
    assertThat(mails[0].getSubject()).isEqualTo("[uctrust] warning: tomcat of " + PUB
        + " expires in 10 days (2026-02-15T12:00:00Z)");
    assertThat(mails[9].getSubject()).isEqualTo("[uctrust] warning: tomcat of " + PUB
        + " expires in 1 day (2026-02-15T12:00:00Z)");
    assertThat(mails[10].getSubject()).isEqualTo("[uctrust] warning: tomcat of " + PUB
        + " expires in 23 hours (2026-02-15T12:00:00Z)");
    assertThat(mails[33].getSubject()).isEqualTo("[uctrust] critical: tomcat of " + PUB
        + " expired less than a minute ago (2026-02-15T12:00:00Z)");
    assertThat(mails[36].getSubject()).isEqualTo("[uctrust] critical: tomcat of " + PUB
        + " expired 3 hours ago (2026-02-15T12:00:00Z)");
  }

  @Test
  void aCheckScheduledByNextCheckMailsOnTheSameScheduleWithoutIdleRunsInTheWindow() throws Exception {
    ObservedCluster lab = tomcatExpiring();
    MonitoringSettings settings = MonitoringSettings.of(SPEC, lab);
    time.sleep(Duration.between(time.instant(), NOT_AFTER.minus(Duration.ofDays(12))));

    List<Sent> sent = new ArrayList<>();
    List<Instant> runs = new ArrayList<>();
    while (!time.instant().isAfter(NOT_AFTER.plus(Duration.ofHours(3)))) {
      runs.add(time.instant());
      run(lab, settings, sent);
      Instant next = monitor.nextCheck(lab, settings, ledger);
      assertThat(next).as("next check after %s", time.instant()).isAfter(time.instant());
      time.sleep(Duration.between(time.instant(), next));
    }

    assertThat(sent).containsExactlyElementsOf(ciscosSchedule());
    assertThat(MAIL.getReceivedMessages()).hasSize(sent.size());
    // two daily runs before the window opens, then one run per mail
    assertThat(runs).hasSize(2 + sent.size());
    assertThat(runs.subList(0, 3)).containsExactly(NOT_AFTER.minus(Duration.ofDays(12)),
        NOT_AFTER.minus(Duration.ofDays(11)), NOT_AFTER.minus(Duration.ofDays(10)));
  }

  @Test
  void beforeTheWindowNothingIsDueAndTheNextCheckIsItsStartOrAFrequencyAway() {
    ObservedCluster lab = tomcatExpiring();
    MonitoringSettings settings = MonitoringSettings.of(SPEC, lab);
    time.sleep(Duration.between(time.instant(), NOT_AFTER.minus(Duration.ofDays(10)).minusSeconds(1)));

    assertThat(monitor.due(lab, settings)).isEmpty();
    assertThat(monitor.nextCheck(lab, settings, ledger)).isEqualTo(NOT_AFTER.minus(Duration.ofDays(10)));
    time.sleep(Duration.ofSeconds(1));
    assertThat(monitor.due(lab, settings)).singleElement().satisfies(n -> {
      assertThat(n.type()).isEqualTo(NotificationType.CERTIFICATE_EXPIRING);
      assertThat(n.repeatAfter()).isEqualTo(Duration.ofDays(1));
    });
    assertThat(monitor.nextCheck(cluster(), settings, ledger)).isEqualTo(time.instant().plus(Duration.ofDays(1)));
  }

  @Test
  void withinTheFrequencyANotificationTheLedgerRecordedIsNotMailedAgain() throws Exception {
    ObservedCluster lab = tomcatExpiring();
    MonitoringSettings settings = MonitoringSettings.of(SPEC, lab);
    time.sleep(Duration.between(time.instant(), NOT_AFTER.minus(Duration.ofDays(5))));
    notifier.send(monitor.due(lab, settings));

    time.sleep(Duration.ofHours(23));
    Notifier.Dispatch again = notifier.send(monitor.due(lab, settings));

    assertThat(again.sent()).isEmpty();
    assertThat(again.suppressed()).hasSize(1);
    assertThat(MAIL.getReceivedMessages()).hasSize(1);
    assertThat(monitor.nextCheck(lab, settings, ledger)).isEqualTo(time.instant().plus(Duration.ofHours(1)));
  }

  @Test
  void identitiesAndTrustCertificatesAreWatchedWithStableKeysAndPhoneLscsOnlyWithLscMonitoring() {
    Instant soon = time.instant().plus(Duration.ofDays(3));
    ObservedCluster.Certificate tomcat = certificate(PUB, "Corp Issuing CA", soon);
    ObservedCluster.Certificate root = certificate("Corp Root", "Corp Root", soon.plusSeconds(60));
    ObservedCluster.Certificate later = certificate(IMP, IMP, soon.plus(Duration.ofDays(300)));
    ObservedCluster lab = cluster(List.of(
        node(PUB, List.of(identity(Service.TOMCAT, tomcat)), List.of(trust(Store.TOMCAT_TRUST, root))),
        node(IMP, List.of(identity(Service.CUP_XMPP, later)), List.of(trust(Store.CUP_XMPP_TRUST, root)))),
        List.of(phone("SEP001122334455", "7f3a", soon.plus(Duration.ofDays(1))),
            phone("SEP001122334466", "7f3b", soon.plus(Duration.ofDays(200)))), List.of(), List.of());
    MonitoringSpec withLscs = new MonitoringSpec(
        new MonitoringSpec.CertificateMonitor(10, TimeAmount.parse("1d"), true, null), null);

    List<Notification> without = monitor.due(lab, SPEC);
    List<Notification> with = monitor.due(lab, MonitoringSettings.of(withLscs, lab));

    assertThat(without).extracting(Notification::key).containsExactly(
        CLUSTER + "/" + PUB + "/tomcat/" + tomcat.sha256(),
        CLUSTER + "/" + PUB + "/tomcat-trust/" + root.sha256(),
        CLUSTER + "/" + IMP + "/cup-xmpp-trust/" + root.sha256());
    assertThat(with).extracting(Notification::key).containsExactly(
        CLUSTER + "/" + PUB + "/tomcat/" + tomcat.sha256(),
        CLUSTER + "/" + PUB + "/tomcat-trust/" + root.sha256(),
        CLUSTER + "/" + IMP + "/cup-xmpp-trust/" + root.sha256(),
        CLUSTER + "/SEP001122334455/LSC/7f3a");
    assertThat(with.get(1).title()).isEqualTo("Corp Root in tomcat-trust of " + PUB + " expires in 3 days ("
        + soon.plusSeconds(60) + ")");
    assertThat(with.get(1).facts()).containsEntry("kind", "trust").containsEntry("store", "tomcat-trust")
        .containsEntry("sha256", root.sha256());
    assertThat(with.get(3).title()).startsWith("LSC of SEP001122334455 expires in 4 days");
    assertThat(with.get(3).facts()).containsEntry("phone", "SEP001122334455").containsEntry("serial", "7f3a");
  }

  @Test
  void tenThousandExpiringLscsAreOneMail() throws Exception {
    Instant soon = time.instant().plus(Duration.ofDays(3));
    List<ObservedCluster.Phone> phones = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      phones.add(phone("SEP%012X".formatted(0x001122330000L + i), Integer.toHexString(0x10000 + i), soon));
    }
    ObservedCluster lab = cluster(List.of(), phones, List.of(), List.of());
    MonitoringSettings settings = new MonitoringSettings(30, Duration.ofDays(1), true, false, null, Duration.ofDays(1));

    Notifier.Dispatch dispatch = notifier.send(monitor.due(lab, settings));

    assertThat(dispatch.sent()).singleElement().satisfies(d -> assertThat(d.notifications()).hasSize(10_000));
    assertThat(MAIL.getReceivedMessages()).singleElement()
        .satisfies(m -> assertThat(m.getSubject()).isEqualTo("[uctrust] warning: 10000 certificates expiring"));
    assertThat(ledger.lastSent(NotificationType.CERTIFICATE_EXPIRING, CLUSTER + "/SEP00112233270F/LSC/1270f"))
        .contains(time.instant());
  }

  /** One run of the check: what it mails is added to {@code sent}, and must have arrived. */
  private void run(ObservedCluster cluster, MonitoringSettings settings, List<Sent> sent) {
    int before = MAIL.getReceivedMessages().length;
    Notifier.Dispatch dispatch = notifier.send(monitor.due(cluster, settings));
    assertThat(dispatch.failures()).isEmpty();
    dispatch.sent().forEach(d -> sent.add(new Sent(Duration.between(NOT_AFTER, time.instant()).toHours(), d.type())));
    assertThat(MAIL.getReceivedMessages()).as("mails at %s", time.instant()).hasSize(before + dispatch.sent().size());
  }

  /**
   * The guide's schedule for a certificate expiring at {@link #NOT_AFTER} with 10 days' notice, daily: at 10 days
   * to 2 days before expiry, hourly from 24 hours before, and hourly after expiry (3 hours here).
   */
  private static List<Sent> ciscosSchedule() {
    List<Sent> schedule = new ArrayList<>();
    for (long days = 10; days >= 2; days--) {
      schedule.add(new Sent(-24 * days, NotificationType.CERTIFICATE_EXPIRING));
    }
    for (long hours = 24; hours >= 1; hours--) {
      schedule.add(new Sent(-hours, NotificationType.CERTIFICATE_EXPIRING));
    }
    for (long hours = 0; hours <= 3; hours++) {
      schedule.add(new Sent(hours, NotificationType.CERTIFICATE_EXPIRED));
    }
    return schedule;
  }

  private static ObservedCluster tomcatExpiring() {
    ObservedCluster.Certificate tomcat = certificate(PUB, "Corp Issuing CA", NOT_AFTER);
    return cluster(node(PUB, List.of(identity(Service.TOMCAT, tomcat)), List.of()));
  }
}
