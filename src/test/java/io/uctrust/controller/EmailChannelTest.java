package io.uctrust.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.uctrust.cluster.SecretReader;
import io.uctrust.controller.EmailChannel.Security;
import io.uctrust.desired.SecretRef;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@link EmailChannel} against GreenMail's SMTP server (in this JVM) with a login. */
class EmailChannelTest {
  private static final Instant NOW = Instant.parse("2026-03-01T08:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final String PASSWORD = "s3cret-smtp-pw";

  @RegisterExtension
  static final GreenMailExtension MAIL = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
      .withConfiguration(GreenMailConfiguration.aConfig().withUser("uctrust@example.com", "uctrust", PASSWORD));

  @Test
  void aDigestIsMailedToEveryRecipientWithTheLoginFromTheEnvironment() throws Exception {
    EmailChannel channel = channel("uctrust", "env:SMTP_PASSWORD", Map.of("SMTP_PASSWORD", PASSWORD), Security.NONE);

    channel.send(new Digest(NotificationType.CERTIFICATE_REVOKED, List.of(Notification.of(
        NotificationType.CERTIFICATE_REVOKED, "lab/cucm-pub/tomcat/4f1e", "tomcat of cucm-pub is revoked",
        "revoked at 2026-02-28T10:00:00Z (keyCompromise); the next reconcile re-issues it",
        Map.of("node", "cucm-pub.example.com"), Duration.ofHours(1), CLOCK)), NOW));

    MimeMessage[] received = MAIL.getReceivedMessages();
    assertThat(received).hasSize(2); // one copy per recipient mailbox, one SMTP transaction
    MimeMessage message = received[0];
    assertThat(message.getSubject()).isEqualTo("[uctrust] critical: tomcat of cucm-pub is revoked");
    assertThat(message.getFrom()[0].toString()).isEqualTo("uctrust@example.com");
    assertThat(message.getRecipients(Message.RecipientType.TO)).extracting(Object::toString)
        .containsExactly("uc-admins@example.com", "pki-team@example.com");
    assertThat(message.getHeader("X-Uctrust-Event")).containsExactly("CERTIFICATE_REVOKED");
    assertThat(message.getSentDate()).isEqualTo(Date.from(NOW));
    assertThat(GreenMailUtil.getBody(message).replace("\r\n", "\n").strip()).isEqualTo("""
        revoked at 2026-02-28T10:00:00Z (keyCompromise); the next reconcile re-issues it
        node: cucm-pub.example.com""");
  }

  @Test
  void aWrongPasswordIsAClearErrorThatDoesNotShowIt() {
    EmailChannel channel = channel("uctrust", "env:SMTP_PASSWORD", Map.of("SMTP_PASSWORD", "wrong-pw-123"),
        Security.NONE);

    assertThatThrownBy(() -> channel.send(digest()))
        .isInstanceOf(NotificationException.class)
        .hasMessageStartingWith("e-mail 127.0.0.1:" + MAIL.getSmtp().getPort()
            + ": the relay refused the login of uctrust (535")
        .hasMessageNotContaining("wrong-pw-123");
    assertThat(MAIL.getReceivedMessages()).isEmpty();
  }

  @Test
  void aPasswordThatIsNotSetIsAnErrorNamingTheReference() {
    EmailChannel channel = channel("uctrust", "env:SMTP_PASSWORD", Map.of(), Security.NONE);

    assertThatThrownBy(() -> channel.send(digest()))
        .isInstanceOf(NotificationException.class)
        .hasMessage("e-mail 127.0.0.1:" + MAIL.getSmtp().getPort() + ": cannot read the SMTP password: secret "
            + "env:SMTP_PASSWORD is not set in the environment");
  }

  @Test
  void requiredStarttlsIsNeverDowngradedToPlainText() {
    // GreenMail offers no STARTTLS: a relay (or a man in the middle) that drops it gets nothing
    EmailChannel channel = channel("uctrust", "env:SMTP_PASSWORD", Map.of("SMTP_PASSWORD", PASSWORD),
        Security.STARTTLS_REQUIRED);

    assertThatThrownBy(() -> channel.send(digest()))
        .isInstanceOf(NotificationException.class)
        .hasMessageContaining("STARTTLS is required but host does not support STARTTLS");
    assertThat(MAIL.getReceivedMessages()).isEmpty();
  }

  @Test
  void aLiteralPasswordIsRefusedWithoutShowingIt() {
    assertThatThrownBy(() -> new EmailChannel.Settings("127.0.0.1", 25, Security.NONE, "uctrust",
        SecretRef.parse(PASSWORD), "uctrust@example.com", List.of("uc-admins@example.com"), Duration.ofSeconds(5),
        Duration.ofSeconds(5), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the SMTP password must be env:NAME or file:PATH, not a literal value");
  }

  @Test
  void aTrustFileWithoutCertificatesIsRefused(@TempDir Path dir) throws Exception {
    Path notPem = Files.writeString(dir.resolve("relay-ca.pem"), "not a certificate\n");

    assertThatThrownBy(() -> new EmailChannel(new EmailChannel.Settings("127.0.0.1", MAIL.getSmtp().getPort(),
        Security.STARTTLS_REQUIRED, null, null, "uctrust@example.com", List.of("uc-admins@example.com"),
        Duration.ofSeconds(5), Duration.ofSeconds(5), notPem), new SecretReader(Map.of()), CLOCK))
        .isInstanceOf(NotificationException.class)
        .hasMessage("e-mail 127.0.0.1:" + MAIL.getSmtp().getPort() + ": the SMTP trust file " + notPem
            + " holds no PEM certificate");
  }

  private static EmailChannel channel(String user, String password, Map<String, String> environment,
      Security security) {
    try {
      return new EmailChannel(new EmailChannel.Settings("127.0.0.1", MAIL.getSmtp().getPort(), security, user,
          SecretRef.parse(password), "uctrust@example.com", List.of("uc-admins@example.com", "pki-team@example.com"),
          Duration.ofSeconds(5), Duration.ofSeconds(5), null), new SecretReader(environment), CLOCK);
    } catch (NotificationException e) {
      throw new AssertionError(e);
    }
  }

  private static Digest digest() {
    return new Digest(NotificationType.DRIFT_DETECTED, List.of(Notification.of(NotificationType.DRIFT_DETECTED,
        "lab", "lab drifts from the desired state", "2 changes pending", Map.of(), Duration.ofHours(1), CLOCK)),
        NOW);
  }
}
