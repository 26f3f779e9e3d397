package io.uctrust.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uctrust.cluster.SecretReader;
import io.uctrust.controller.EmailChannel.Security;
import io.uctrust.desired.SecretRef;
import io.uctrust.pki.CertificateAuthority;
import io.uctrust.pki.Csr;
import io.uctrust.pki.KeyPairs;
import io.uctrust.pki.Pem;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link EmailChannel} against Debian's aiosmtpd server as a process: STARTTLS required (aiosmtpd's own command
 * line), SMTPS, and STARTTLS with a login ({@code smtp_auth_server.py}), the relay's certificate issued by a test CA
 * that the channel trusts through a PEM file. Skipped when /usr/bin/python3 lacks aiosmtpd.
 */
class EmailChannelIT {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T08:00:00Z"), ZoneOffset.UTC);
  private static final String PASSWORD = "relay-pw-9f3k";

  @TempDir Path dir;

  private final List<Aiosmtpd> servers = new ArrayList<>();
  private Path trust;
  private Path maildir;
  private int port;

  @BeforeEach
  void certificates() throws Exception {
    Aiosmtpd.assumeInstalled();
    Instant now = Instant.now();
    CertificateAuthority ca = CertificateAuthority.create("CN=Example Relay CA,O=Example", KeyPairs.ec(256),
        now.minus(1, ChronoUnit.HOURS), now.plus(1, ChronoUnit.DAYS), 0);
    trust = Files.writeString(dir.resolve("relay-ca.pem"), Pem.encode(ca.certificate()));
    serverCertificate(ca, "localhost", "relay");
    serverCertificate(ca, "relay.example.com", "elsewhere");
    maildir = dir.resolve("maildir");
    port = Aiosmtpd.freePort();
  }

  @AfterEach
  void stop() throws Exception {
    for (Aiosmtpd server : servers) {
      server.close();
    }
  }

  @Test
  void requiredStarttlsDeliversToARelayTrustedThroughAPemFile() throws Exception {
    Aiosmtpd server = aiosmtpdCommandLine("--tlscert", "relay.pem", "--tlskey", "relay.key");

    channel(Security.STARTTLS_REQUIRED, null, trust).send(digest());

    // aiosmtpd's command line refuses MAIL before STARTTLS: a delivered message went over TLS
    assertThat(server.messages()).singleElement().satisfies(message -> {
      assertThat(message.getSubject()).isEqualTo("[uctrust] critical: tomcat of cucm-pub is revoked");
      assertThat(message.getHeader("X-MailFrom")).containsExactly("uctrust@example.com");
      assertThat(message.getHeader("X-RcptTo")).containsExactly("uc-admins@example.com");
    });
  }

  @Test
  void smtpsDeliversToARelayTrustedThroughAPemFile() throws Exception {
    Aiosmtpd server = aiosmtpdCommandLine("--smtpscert", "relay.pem", "--smtpskey", "relay.key");

    channel(Security.SMTPS, null, trust).send(digest());

    assertThat(server.messages()).extracting(MimeMessage::getSubject)
        .containsExactly("[uctrust] critical: tomcat of cucm-pub is revoked");
  }

  @Test
  void aLoginOverStarttlsDeliversAndAWrongPasswordIsAClearErrorThatDoesNotShowIt() throws Exception {
    Files.writeString(dir.resolve("password"), PASSWORD);
    Aiosmtpd server = Aiosmtpd.start(dir, port, maildir, List.of(script().toString(), "--port",
        Integer.toString(port), "--cert", "relay.pem", "--key", "relay.key", "--user", "uctrust", "--password-file",
        "password", "--maildir", maildir.toString()));
    servers.add(server);
    Path wrong = Files.writeString(dir.resolve("wrong"), "not-the-pw-77");

    channel(Security.STARTTLS_REQUIRED, "file:" + dir.resolve("password"), trust).send(digest());

    assertThat(server.messages()).hasSize(1);
    assertThatThrownBy(() -> channel(Security.STARTTLS_REQUIRED, "file:" + wrong, trust).send(digest()))
        .isInstanceOf(NotificationException.class)
        .hasMessageStartingWith("e-mail localhost:" + port + ": the relay refused the login of uctrust (535")
        .hasMessageNotContaining("not-the-pw-77");
    assertThat(server.messages()).hasSize(1);
  }

  @Test
  void aRelayWhoseCertificateIsNotTrustedGetsNothing() throws Exception {
    Aiosmtpd server = aiosmtpdCommandLine("--tlscert", "relay.pem", "--tlskey", "relay.key");

    assertThatThrownBy(() -> channel(Security.STARTTLS_REQUIRED, null, null).send(digest()))
        .isInstanceOf(NotificationException.class)
        .hasMessageStartingWith("e-mail localhost:" + port + ": cannot send (")
        .hasMessageContaining("SSLHandshakeException")
        .hasMessageContaining("PKIX path building failed");
    assertThat(server.messages()).isEmpty();
  }

  @Test
  void aRelayWhoseCertificateNamesAnotherHostGetsNothing() throws Exception {
    Aiosmtpd server = aiosmtpdCommandLine("--tlscert", "elsewhere.pem", "--tlskey", "elsewhere.key");

    assertThatThrownBy(() -> channel(Security.STARTTLS_REQUIRED, null, trust).send(digest()))
        .isInstanceOf(NotificationException.class)
        .hasMessage("e-mail localhost:" + port + ": cannot send (Could not convert socket to TLS; "
            + "SSLHandshakeException: No subject alternative DNS name matching localhost found.)");
    assertThat(server.messages()).isEmpty();
  }

  private Aiosmtpd aiosmtpdCommandLine(String... tls) throws Exception {
    List<String> arguments = new ArrayList<>(List.of("-m", "aiosmtpd", "-n", "-l", "127.0.0.1:" + port, "-c",
        "aiosmtpd.handlers.Mailbox"));
    arguments.addAll(List.of(tls));
    arguments.add(maildir.toString());
    Aiosmtpd server = Aiosmtpd.start(dir, port, maildir, arguments);
    servers.add(server);
    return server;
  }

  private EmailChannel channel(Security security, String password, Path trustFile) throws NotificationException {
    return new EmailChannel(new EmailChannel.Settings("localhost", port, security, password == null ? null : "uctrust",
        password == null ? null : SecretRef.parse(password), "uctrust@example.com", List.of("uc-admins@example.com"),
        Duration.ofSeconds(10), Duration.ofSeconds(10), trustFile), new SecretReader(Map.of()), CLOCK);
  }

  private Path script() throws IOException {
    Path script = dir.resolve("smtp_auth_server.py");
    try (var in = EmailChannelIT.class.getResourceAsStream("smtp_auth_server.py")) {
      Files.write(script, in.readAllBytes());
    }
    return script;
  }

  private void serverCertificate(CertificateAuthority ca, String host, String name) throws IOException {
    KeyPair keys = KeyPairs.ec(256);
    Instant now = Instant.now();
    Files.writeString(dir.resolve(name + ".pem"), Pem.encode(ca.issue(Csr.create(keys, "CN=" + host, List.of(host)),
        now.minus(1, ChronoUnit.HOURS), now.plus(1, ChronoUnit.DAYS), CertificateAuthority.Profile.SERVER)));
    Files.writeString(dir.resolve(name + ".key"), Pem.encode(new JcaPKCS8Generator(keys.getPrivate(), null).generate()));
  }

  private static Digest digest() {
    return new Digest(NotificationType.CERTIFICATE_REVOKED, List.of(Notification.of(
        NotificationType.CERTIFICATE_REVOKED, "lab/cucm-pub/tomcat/4f1e", "tomcat of cucm-pub is revoked",
        "the next reconcile re-issues it", Map.of("node", "cucm-pub.example.com"), Duration.ofHours(1), CLOCK)),
        CLOCK.instant());
  }
}
