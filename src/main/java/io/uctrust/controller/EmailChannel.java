package io.uctrust.controller;

import io.uctrust.cluster.ClusterException;
import io.uctrust.cluster.SecretReader;
import io.uctrust.desired.SecretRef;
import io.uctrust.pki.Pem;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import javax.net.ssl.SSLSocketFactory;

/**
 * Sends digests as plain-text e-mail through an SMTP relay with Angus Mail: one message per digest to every
 * recipient, the subject {@code [uctrust] <severity>: <title>}, and the event type in an {@code X-Uctrust-Event}
 * header. TLS is STARTTLS (required or opportunistic) or SMTPS, the server's certificate verified against the JDK's
 * trust store or, for an internal relay, against the CA certificates of a PEM file, and its host name always
 * checked. The password is a secret reference, read for each message and never logged or put in an error.
 *
 * <p>Not for: HTML mail, attachments, or relays whose certificate cannot be verified (there is no switch to turn
 * verification off).
 */
public final class EmailChannel implements NotificationChannel {

  /** How the connection to the relay is protected. */
  public enum Security {
    /** Plain SMTP; only for a relay on the same host or a trusted network. */
    NONE,
    /** STARTTLS when the relay offers it, plain otherwise. */
    STARTTLS_OPTIONAL,
    /** STARTTLS or nothing is sent (port 587). */
    STARTTLS_REQUIRED,
    /** TLS from the first byte (port 465). */
    SMTPS
  }

  /**
   * Where and how to send: relay {@code host} and {@code port}, {@code security}, the login ({@code username}, null
   * for none, and {@code password} as {@code env:NAME} or {@code file:PATH}), the sender {@code from}, the
   * recipients {@code to}, timeouts, and {@code trust}: a PEM file of the CAs that issued the relay's certificate
   * (null: the JDK's trust store).
   */
  public record Settings(String host, int port, Security security, String username, SecretRef password,
      String from, List<String> to, Duration connectTimeout, Duration readTimeout, Path trust) {
    public Settings {
      Objects.requireNonNull(security, "security");
      Objects.requireNonNull(connectTimeout, "connectTimeout");
      Objects.requireNonNull(readTimeout, "readTimeout");
      if (host == null || host.isBlank()) {
        throw new IllegalArgumentException("the SMTP relay needs a host name");
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("the SMTP port must be 1-65535, not " + port);
      }
      if (from == null || from.isBlank()) {
        throw new IllegalArgumentException("e-mail notifications need a sender (from)");
      }
      to = to == null ? List.of() : List.copyOf(to);
      if (to.isEmpty()) {
        throw new IllegalArgumentException("e-mail notifications need at least one recipient (to)");
      }
      if (username != null && password == null) {
        throw new IllegalArgumentException("the SMTP login " + username + " needs a password (env:NAME or file:PATH)");
      }
      if (password != null && password.isLiteral()) {
        throw new IllegalArgumentException("the SMTP password must be env:NAME or file:PATH, not a literal value");
      }
    }
  }

  private final Settings settings;
  private final SecretReader secrets;
  private final Clock clock;
  private final SSLSocketFactory tls;
  private final InternetAddress from;
  private final InternetAddress[] to;

  /**
   * A channel for {@code settings}, reading the password with {@code secrets} when it sends.
   *
   * @throws NotificationException when the trust file cannot be read or an address is not an e-mail address
   */
  public EmailChannel(Settings settings, SecretReader secrets, Clock clock) throws NotificationException {
    this.settings = settings;
    this.secrets = secrets;
    this.clock = clock;
    this.tls = settings.trust() == null ? null : trusting(settings.trust());
    try {
      this.from = new InternetAddress(settings.from(), true);
      this.to = new InternetAddress[settings.to().size()];
      for (int i = 0; i < to.length; i++) {
        to[i] = new InternetAddress(settings.to().get(i), true);
      }
    } catch (AddressException e) {
      throw new NotificationException(name() + ": " + e.getRef() + " is not an e-mail address");
    }
  }

  @Override
  public String name() {
    return "e-mail " + settings.host() + ":" + settings.port();
  }

  @Override
  public void send(Digest digest) throws NotificationException {
    String password = null;
    if (settings.password() != null) {
      try {
        password = secrets.read(settings.password(), null);
      } catch (ClusterException e) {
        throw new NotificationException(name() + ": cannot read the SMTP password: " + e.getMessage());
      }
    }
    String protocol = settings.security() == Security.SMTPS ? "smtps" : "smtp";
    Session session = Session.getInstance(properties(protocol));
    try {
      MimeMessage message = new MimeMessage(session);
      message.setFrom(from);
      message.setRecipients(Message.RecipientType.TO, to);
      message.setSubject("[uctrust] " + digest.severity().word() + ": " + digest.title(), "UTF-8");
      message.setText(digest.text(), StandardCharsets.UTF_8.name());
      message.setSentDate(Date.from(clock.instant()));
      message.setHeader("X-Uctrust-Event", digest.type().name());
      try (Transport transport = session.getTransport(protocol)) {
        transport.connect(settings.host(), settings.port(), settings.username(), password);
        transport.sendMessage(message, to);
      }
    } catch (AuthenticationFailedException e) {
      throw new NotificationException(name() + ": the relay refused the login of " + settings.username() + " ("
          + redact(e.getMessage(), password) + ")");
    } catch (MessagingException e) {
      throw new NotificationException(name() + ": cannot send (" + redact(describe(e), password) + ")");
    }
  }

  private Properties properties(String protocol) {
    String p = "mail." + protocol + ".";
    Properties properties = new Properties();
    properties.put(p + "host", settings.host());
    properties.put(p + "port", Integer.toString(settings.port()));
    properties.put(p + "connectiontimeout", Long.toString(settings.connectTimeout().toMillis()));
    properties.put(p + "timeout", Long.toString(settings.readTimeout().toMillis()));
    properties.put(p + "writetimeout", Long.toString(settings.readTimeout().toMillis()));
    properties.put(p + "auth", Boolean.toString(settings.username() != null));
    properties.put(p + "from", settings.from());
    Security security = settings.security();
    properties.put(p + "starttls.enable",
        Boolean.toString(security == Security.STARTTLS_OPTIONAL || security == Security.STARTTLS_REQUIRED));
    properties.put(p + "starttls.required", Boolean.toString(security == Security.STARTTLS_REQUIRED));
    properties.put(p + "ssl.checkserveridentity", "true");
    if (tls != null) {
      // used for SMTPS and for the STARTTLS upgrade alike
      properties.put(p + "ssl.socketFactory", tls);
    }
    return properties;
  }

  /** The exception's message and its causes', which say what actually went wrong (refused, PKIX, timeout). */
  private static String describe(Throwable e) {
    StringBuilder out = new StringBuilder(Objects.toString(e.getMessage(), e.getClass().getSimpleName()));
    for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
      if (cause.getMessage() != null && out.indexOf(cause.getMessage()) >= 0) {
        continue; // wrappers often repeat their cause's message
      }
      out.append("; ").append(cause.getClass().getSimpleName());
      if (cause.getMessage() != null) {
        out.append(": ").append(cause.getMessage());
      }
    }
    return out.toString().replaceAll("\\s+", " ").strip();
  }

  /** Servers do not echo passwords, but a message that did must not carry it further. */
  private static String redact(String message, String password) {
    String text = Objects.toString(message, "no reason given").strip();
    return password == null || password.isEmpty() ? text : text.replace(password, "<redacted>");
  }

  private SSLSocketFactory trusting(Path file) throws NotificationException {
    List<X509Certificate> anchors;
    try {
      anchors = Pem.certificates(Files.readString(file));
    } catch (IOException | IllegalArgumentException e) {
      throw new NotificationException(name() + ": the SMTP trust file " + file + " cannot be read ("
          + e.getClass().getSimpleName() + ")");
    }
    if (anchors.isEmpty()) {
      throw new NotificationException(name() + ": the SMTP trust file " + file + " holds no PEM certificate");
    }
    return io.uctrust.pki.TlsTrust.trusting(anchors).getSocketFactory();
  }
}
