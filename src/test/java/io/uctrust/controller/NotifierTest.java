package io.uctrust.controller;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.uctrust.cluster.SecretReader;
import io.uctrust.controller.EmailChannel.Security;
import io.uctrust.desired.MonitoringSpec.CertificateMonitor;
import io.uctrust.desired.SecretRef;
import io.uctrust.desired.TimeAmount;
import io.uctrust.target.cucm.FakeTime;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link Notifier} de-duplicating and batching, delivering through real channels: {@link EmailChannel} to
 * GreenMail's SMTP server and {@link WebhookChannel} to a JDK HTTP server, on a clock the test moves.
 */
class NotifierTest {
  @RegisterExtension
  static final GreenMailExtension MAIL = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  private final FakeTime time = new FakeTime();
  private final NotificationLedger ledger = new InMemoryNotificationLedger();
  private WebhookReceiver receiver;

  @BeforeEach
  void start() throws Exception {
    receiver = new WebhookReceiver();
  }

  @AfterEach
  void stop() {
    receiver.close();
  }

  @Test
  void theSameEventTwiceWithinItsIntervalIsSentOnce() throws Exception {
    Notifier notifier = new Notifier(List.of(email()), ledger, time);

    Notifier.Dispatch first = notifier.send(List.of(expiring("tomcat", Duration.ofDays(1))));
    time.sleep(Duration.ofHours(23));
    Notifier.Dispatch second = notifier.send(List.of(expiring("tomcat", Duration.ofDays(1))));

    assertThat(first.sent()).hasSize(1);
    assertThat(second.sent()).isEmpty();
    assertThat(second.suppressed()).extracting(Notification::key).containsExactly("lab/cucm-pub/tomcat");
    assertThat(MAIL.getReceivedMessages()).hasSize(1);
  }

  @Test
  void theSameEventAfterItsIntervalIsSentAgain() throws Exception {
    Notifier notifier = new Notifier(List.of(email()), ledger, time);

    notifier.send(List.of(expiring("tomcat", Duration.ofDays(1))));
    time.sleep(Duration.ofDays(1));
    Notifier.Dispatch again = notifier.send(List.of(expiring("tomcat", Duration.ofDays(1))));

    assertThat(again.sent()).hasSize(1);
    assertThat(MAIL.getReceivedMessages()).hasSize(2);
    assertThat(ledger.lastSent(NotificationType.CERTIFICATE_EXPIRING, "lab/cucm-pub/tomcat")).contains(time.instant());
  }

  @Test
  void manyEventsBecomeOneDigestPerTypeOnEachChannel() throws Exception {
    Notifier notifier = new Notifier(List.of(email(), webhook(0)), ledger, time);
    List<Notification> events = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      String phone = "SEP%012X".formatted(0x001122330000L + i);
      events.add(Notification.of(NotificationType.STALE_LSC, "lab/" + phone, phone + " has a stale LSC",
          "its CSR waits for the offline CA", Map.of("phone", phone), Duration.ofDays(1), time));
    }
    events.add(Notification.of(NotificationType.CERTIFICATE_EXPIRED, "lab/cucm-pub/ipsec", "ipsec of cucm-pub expired",
        "", Map.of(), Duration.ofHours(1), time));

    Notifier.Dispatch dispatch = notifier.send(events);

    assertThat(dispatch.failures()).isEmpty();
    assertThat(dispatch.sent()).extracting(Digest::title)
        .containsExactly("ipsec of cucm-pub expired", "200 stale LSCs");
    MimeMessage[] mails = MAIL.getReceivedMessages();
    assertThat(mails).extracting(MimeMessage::getSubject).containsExactlyInAnyOrder(
        "[uctrust] critical: ipsec of cucm-pub expired", "[uctrust] warning: 200 stale LSCs");
    assertThat(receiver.received()).hasSize(2);
    assertThat(receiver.received()).extracting(r -> JsonMapper.builder().build().readTree(r.body()).get("count").asInt())
        .containsExactlyInAnyOrder(1, 200);
  }

  @Test
  void aDigestNoChannelDeliveredIsSentOnTheNextRun() throws Exception {
    receiver.answer(500);
    Notifier notifier = new Notifier(List.of(webhook(0)), ledger, time);

    Notifier.Dispatch failed = notifier.send(List.of(expiring("tomcat", Duration.ofDays(1))));
    time.sleep(Duration.ofMinutes(5));
    Notifier.Dispatch retried = notifier.send(List.of(expiring("tomcat", Duration.ofDays(1))));

    assertThat(failed.sent()).isEmpty();
    assertThat(failed.failures()).singleElement().satisfies(f -> {
      assertThat(f.channel()).isEqualTo("webhook http://127.0.0.1:" + receiver.url().getPort());
      assertThat(f.type()).isEqualTo(NotificationType.CERTIFICATE_EXPIRING);
      assertThat(f.message()).endsWith(": answered HTTP 500");
    });
    assertThat(retried.sent()).hasSize(1);
    assertThat(retried.failures()).isEmpty();
    assertThat(receiver.received()).hasSize(2);
  }

  @Test
  void aDigestOneChannelDeliveredIsNotRepeatedBecauseAnotherFailed() throws Exception {
    receiver.answer(500);
    Notifier notifier = new Notifier(List.of(email(), webhook(0)), ledger, time);

    Notifier.Dispatch partly = notifier.send(List.of(expiring("tomcat", Duration.ofDays(1))));
    time.sleep(Duration.ofMinutes(5));
    Notifier.Dispatch next = notifier.send(List.of(expiring("tomcat", Duration.ofDays(1))));

    assertThat(partly.sent()).hasSize(1);
    assertThat(partly.failures()).hasSize(1);
    assertThat(next.suppressed()).hasSize(1);
    assertThat(MAIL.getReceivedMessages()).hasSize(1);
  }

  @Test
  void twoControllerInstancesSharingALedgerSendOnce() throws Exception {
    Notifier one = new Notifier(List.of(email()), ledger, time);
    Notifier other = new Notifier(List.of(email()), ledger, time);

    one.send(List.of(expiring("tomcat", Duration.ofDays(1))));
    Notifier.Dispatch second = other.send(List.of(expiring("tomcat", Duration.ofDays(1))));

    assertThat(second.suppressed()).hasSize(1);
    assertThat(MAIL.getReceivedMessages()).hasSize(1);
  }

  @Test
  void expiryNotificationsRepeatAtTheMonitoringFrequencyAndHourlyFromTheLastDay() {
    CertificateMonitor every12h = new CertificateMonitor(30, TimeAmount.parse("12h"), true, null);
    Instant notAfter = Instant.parse("2026-06-30T00:00:00Z");

    assertThat(Notifier.expiryRepeat(every12h, notAfter, notAfter.minus(Duration.ofDays(20))))
        .isEqualTo(Duration.ofHours(12));
    assertThat(Notifier.expiryRepeat(null, notAfter, notAfter.minus(Duration.ofDays(20))))
        .isEqualTo(Duration.ofDays(1));
    assertThat(Notifier.expiryRepeat(every12h, notAfter, notAfter.minus(Duration.ofHours(23))))
        .isEqualTo(Duration.ofHours(1));
    assertThat(Notifier.expiryRepeat(every12h, notAfter, notAfter.plus(Duration.ofDays(3))))
        .isEqualTo(Duration.ofHours(1));
  }

  private Notification expiring(String service, Duration repeatAfter) {
    return Notification.of(NotificationType.CERTIFICATE_EXPIRING, "lab/cucm-pub/" + service,
        service + " of cucm-pub expires in 20 days", "", Map.of(), repeatAfter, time);
  }

  private EmailChannel email() throws NotificationException {
    return new EmailChannel(new EmailChannel.Settings("127.0.0.1", MAIL.getSmtp().getPort(), Security.NONE, null,
        null, "uctrust@example.com", List.of("uc-admins@example.com"), Duration.ofSeconds(5), Duration.ofSeconds(5),
        null), new SecretReader(Map.of()), time);
  }

  private WebhookChannel webhook(int retries) {
    return new WebhookChannel(new WebhookChannel.Settings(receiver.url(), SecretRef.parse("env:HOOK_SECRET"),
        Duration.ofSeconds(5), retries, Duration.ofMillis(10)), new SecretReader(Map.of("HOOK_SECRET", "k")), time);
  }
}
