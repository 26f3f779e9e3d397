package io.uctrust.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uctrust.cluster.SecretReader;
import io.uctrust.desired.SecretRef;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@link WebhookChannel} posting to a real HTTP server (the JDK's) that checks the signature as a receiver would. */
class WebhookChannelTest {
  private static final Instant NOW = Instant.parse("2026-03-01T08:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final String SECRET = "hook-signing-secret";

  @TempDir Path dir;
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
  void aDigestIsPostedAsJsonSignedWithTheSecretFromAFile() throws Exception {
    Path secretFile = Files.writeString(dir.resolve("hook-secret"), SECRET + "\n");
    WebhookChannel channel = channel(SecretRef.parse("file:" + secretFile), Map.of(), 0);
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("cluster", "lab");
    facts.put("notAfter", "2026-03-20T00:00:00Z");

    channel.send(new Digest(NotificationType.CERTIFICATE_EXPIRING, List.of(
        Notification.of(NotificationType.CERTIFICATE_EXPIRING, "lab/cucm-pub/tomcat/4f1e", "tomcat expires in 19 days",
            "Renewal is planned.", facts, Duration.ofDays(1), CLOCK)), NOW));

    WebhookReceiver.Received request = receiver.received().get(0);
    assertThat(request.header("Content-Type")).isEqualTo("application/json");
    assertThat(request.header("X-Uctrust-Event")).isEqualTo("CERTIFICATE_EXPIRING");
    assertThat(request.header("X-Uctrust-Timestamp")).isEqualTo(Long.toString(NOW.getEpochSecond()));
    assertThat(request.header("X-Uctrust-Signature"))
        .isEqualTo("sha256=" + hmac(SECRET, request.header("X-Uctrust-Timestamp") + "." + body(request)));
    JsonNode json = JsonMapper.builder().build().readTree(request.body());
    assertThat(json.get("format").asString()).isEqualTo("uctrust.notification/v1");
    assertThat(json.get("type").asString()).isEqualTo("CERTIFICATE_EXPIRING");
    assertThat(json.get("severity").asString()).isEqualTo("warning");
    assertThat(json.get("count").asInt()).isEqualTo(1);
    JsonNode item = json.get("notifications").get(0);
    assertThat(item.get("key").asString()).isEqualTo("lab/cucm-pub/tomcat/4f1e");
    assertThat(item.get("title").asString()).isEqualTo("tomcat expires in 19 days");
    assertThat(item.get("time").asString()).isEqualTo("2026-03-01T08:00:00Z");
    assertThat(item.get("facts").propertyNames()).containsExactly("cluster", "notAfter");
  }

  @Test
  void aReceiverFailingTwiceIsRetriedUntilItAccepts() throws Exception {
    receiver.answer(503, 500);

    channel(SecretRef.parse("env:HOOK_SECRET"), Map.of("HOOK_SECRET", SECRET), 2).send(digest());

    assertThat(receiver.received()).hasSize(3);
  }

  @Test
  void aRejectedPostIsNotRetriedAndTheErrorLeavesOutTheUrlPath() {
    receiver.answer(401);
    WebhookChannel channel = channel(SecretRef.parse("env:HOOK_SECRET"), Map.of("HOOK_SECRET", SECRET), 2);

    assertThatThrownBy(() -> channel.send(digest()))
        .isInstanceOf(NotificationException.class)
        .hasMessage("webhook http://127.0.0.1:" + receiver.url().getPort() + ": answered HTTP 401")
        .hasMessageNotContaining("t0ken");
    assertThat(receiver.received()).hasSize(1);
  }

  @Test
  void aReceiverThatKeepsFailingIsReportedAfterEveryAttempt() {
    receiver.answer(500, 500, 500);
    WebhookChannel channel = channel(SecretRef.parse("env:HOOK_SECRET"), Map.of("HOOK_SECRET", SECRET), 2);

    assertThatThrownBy(() -> channel.send(digest()))
        .isInstanceOf(NotificationException.class)
        .hasMessageEndingWith(": answered HTTP 500 (3 attempts)");
    assertThat(receiver.received()).hasSize(3);
  }

  @Test
  void aSecretThatIsNotSetIsAnErrorNamingOnlyTheReference() {
    WebhookChannel channel = channel(SecretRef.parse("env:HOOK_SECRET"), Map.of(), 0);

    assertThatThrownBy(() -> channel.send(digest()))
        .isInstanceOf(NotificationException.class)
        .hasMessage("webhook http://127.0.0.1:" + receiver.url().getPort() + ": cannot read the signing secret: "
            + "secret env:HOOK_SECRET is not set in the environment");
    assertThat(receiver.received()).isEmpty();
  }

  @Test
  void aLiteralSecretIsRefused() {
    assertThatThrownBy(() -> new WebhookChannel.Settings(receiver.url(), SecretRef.parse(SECRET),
        Duration.ofSeconds(5), 0, Duration.ofMillis(10)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the webhook needs its signing secret as env:NAME or file:PATH")
        .hasMessageNotContaining(SECRET);
  }

  private WebhookChannel channel(SecretRef secret, Map<String, String> environment, int retries) {
    return new WebhookChannel(new WebhookChannel.Settings(receiver.url(), secret, Duration.ofSeconds(5), retries,
        Duration.ofMillis(10)), new SecretReader(environment), CLOCK);
  }

  private static Digest digest() {
    return new Digest(NotificationType.RECONCILE_FAILED, List.of(Notification.of(NotificationType.RECONCILE_FAILED,
        "lab", "reconcile of lab failed", "3 changes failed", Map.of(), Duration.ofHours(1), CLOCK)), NOW);
  }

  private static String body(WebhookReceiver.Received request) {
    return new String(request.body(), StandardCharsets.UTF_8);
  }

  private static String hmac(String secret, String text) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
  }
}
