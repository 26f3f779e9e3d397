package io.uctrust.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uctrust.cluster.SecretReader;
import io.uctrust.controller.ControllerHttpServer.Settings;
import io.uctrust.controller.ControllerStatus.RunOutcome;
import io.uctrust.desired.SecretRef;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The read-only endpoints of the real server on 127.0.0.1, port 0, through the JDK's HTTP client. */
class ControllerHttpServerTest {
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final AtomicReference<ControllerStatus> status = new AtomicReference<>(SampleStatus.ready());
  private final ControllerMetrics metrics = new ControllerMetrics();
  private ControllerHttpServer server;

  @BeforeEach
  void start() throws ControllerHttpException {
    server = ControllerHttpServer.start(new Settings(new InetSocketAddress("127.0.0.1", 0), null),
        new SecretReader(Map.of()), this::current, repository -> List.of("lab"), metrics, SampleStatus.CLOCK);
  }

  @AfterEach
  void stop() {
    server.stop(Duration.ofSeconds(1));
  }

  @Test
  void healthzSaysOkToGetAndHead() throws Exception {
    HttpResponse<String> get = send("GET", "/healthz");
    HttpResponse<String> head = send("HEAD", "/healthz");

    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(get.body()).isEqualTo("ok\n");
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
  }

  @Test
  void readinessIs503WithTheReasonsUntilTheStatusIsReady() throws Exception {
    status.set(SampleStatus.notReady("database unreachable: jdbc:h2:/var/lib/uctrust/db"));

    HttpResponse<String> before = send("GET", "/readyz");
    status.set(SampleStatus.ready());
    HttpResponse<String> after = send("GET", "/readyz");

    assertThat(before.statusCode()).isEqualTo(503);
    assertThat(before.body()).isEqualTo("not ready\n- database unreachable: jdbc:h2:/var/lib/uctrust/db\n");
    assertThat(after.statusCode()).isEqualTo(200);
    assertThat(after.body()).isEqualTo("ready\n");
  }

  @Test
  void metricsAreThePrometheusTextFormat() throws Exception {
    metrics.runFinished("lab", RunOutcome.IN_SYNC, Duration.ofSeconds(2));
    metrics.certificates("lab", List.of(SampleStatus.SOON));

    HttpResponse<String> response = send("GET", "/metrics");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
    PrometheusSamples samples = PrometheusSamples.parse(response.body());
    assertThat(samples.value("uctrust_up", Map.of())).isEqualTo(1);
    assertThat(samples.value("uctrust_reconcile_runs_total", Map.of("cluster", "lab", "outcome", "in-sync"))).isEqualTo(1);
    assertThat(samples.value("uctrust_certificate_expiry_timestamp_seconds", Map.of("sha256", "bb02")))
        .isEqualTo(SampleStatus.SOON.notAfter().getEpochSecond());
  }

  @Test
  void apiStatusIsVersionedJsonWithIsoTimesAndLabels() throws Exception {
    HttpResponse<String> response = send("GET", "/api/status");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
    JsonNode json = JsonMapper.builder().build().readTree(response.body());
    assertThat(names(json)).containsExactly("format", "instance", "startedAt", "ready", "notReadyReasons", "clusters");
    assertThat(json.get("format").asString()).isEqualTo("uctrust.controller-status/v1");
    assertThat(json.get("startedAt").asString()).isEqualTo("2026-05-01T09:00:00Z");
    JsonNode lab = json.get("clusters").get(0);
    assertThat(names(lab)).containsExactly("name", "mode", "suspended", "repository", "lastRun", "lastSuccessfulSync",
        "drift", "nextRun", "notificationStartDays", "certificates");
    assertThat(lab.get("mode").asString()).isEqualTo("apply");
    assertThat(lab.at("/repository/lastSeen/sha").asString()).isEqualTo(SampleStatus.COMMIT.sha());
    assertThat(lab.at("/lastRun/outcome").asString()).isEqualTo("succeeded");
    assertThat(lab.at("/lastRun/duration").asString()).isEqualTo("PT45S");
    assertThat(lab.at("/lastRun/changes/applied").asInt()).isEqualTo(3);
    assertThat(lab.at("/nextRun").asString()).isEqualTo("2026-05-01T12:10:00Z");
    JsonNode certificate = lab.get("certificates").get(1);
    assertThat(names(certificate)).containsExactly("node", "store", "kind", "subject", "sha256", "notAfter", "revoked");
    assertThat(certificate.get("kind").asString()).isEqualTo("trust");
    assertThat(certificate.get("notAfter").asString()).isEqualTo("2026-04-21T12:00:00Z");
    JsonNode branch = json.get("clusters").get(1);
    assertThat(branch.get("repository").isNull()).isTrue();
    assertThat(branch.get("lastRun").isNull()).isTrue();
    assertThat(branch.get("mode").asString()).isEqualTo("report");
  }

  @Test
  void theStatusPageShowsClustersAndTheTimelineWithEverySubjectEscaped() throws Exception {
    HttpResponse<String> response = send("GET", "/");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(response.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
        csp -> assertThat(csp).startsWith("default-src 'none'"));
    assertThat(response.body())
        .startsWith("<!DOCTYPE html><html lang=\"en\">")
        .contains("<svg xmlns=\"http://www.w3.org/2000/svg\"")
        .contains("<th scope=\"row\">lab</th>", "<th scope=\"row\">branch</th>")
        .contains("report (suspended)", "2026-05-01 12:10 (in 10 min)", "took 45 s; 3 planned, 3 applied, 0 failed")
        .contains("<meta charset=\"utf-8\"/>", "Times in UTC.")
        .contains("CN=&lt;script&gt;alert(\"x\")&lt;/script&gt;&amp;amp;,O=Evil &amp; Sons")
        .doesNotContain("<script");
  }

  @Test
  void theTimelineIsServedAloneAsSvg() throws Exception {
    HttpResponse<String> response = send("GET", "/timeline.svg");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("image/svg+xml");
    assertThat(response.body()).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?><svg ");
  }

  @Test
  void unknownPathsAre404AndWrongMethods405WithAllow() throws Exception {
    HttpResponse<String> unknown = send("GET", "/healthz/");
    HttpResponse<String> hookWithoutSecret = send("POST", "/hooks/git");
    HttpResponse<String> post = send("POST", "/metrics");
    HttpResponse<String> delete = send("DELETE", "/");

    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(hookWithoutSecret.statusCode()).isEqualTo(404);
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
    assertThat(delete.statusCode()).isEqualTo(405);
  }

  @Test
  void aFailingStatusSourceIsA500WithoutDetail() throws Exception {
    status.set(null);

    HttpResponse<String> response = send("GET", "/api/status");
    HttpResponse<String> health = send("GET", "/healthz");

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.body()).isEqualTo("internal error\n").doesNotContain("jdbc");
    assertThat(health.statusCode()).as("liveness does not depend on the status").isEqualTo(200);
  }

  @Test
  void afterStopNothingListens() {
    URI uri = uri("/healthz");
    server.stop(Duration.ofSeconds(1));

    assertThatThrownBy(() -> CLIENT.send(HttpRequest.newBuilder(uri).build(), BodyHandlers.ofString()))
        .isInstanceOf(IOException.class);
  }

  @Test
  void aTakenAddressIsAOneLineError() {
    Settings same = new Settings(server.address(), null);

    assertThatThrownBy(() -> ControllerHttpServer.start(same, new SecretReader(Map.of()), status::get,
        repository -> List.of(), metrics, SampleStatus.CLOCK))
        .isInstanceOf(ControllerHttpException.class)
        .hasMessage("cannot listen on 127.0.0.1:" + server.address().getPort() + ": Address already in use");
  }

  @Test
  void listenAddressesAreHostAndPort() {
    assertThat(Settings.parseListen("127.0.0.1:9400")).isEqualTo(new InetSocketAddress("127.0.0.1", 9400));
    assertThat(Settings.parseListen("[::1]:9400").getAddress().getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
    for (String bad : new String[] {"127.0.0.1", "127.0.0.1:http", "user@host:80", "host:80/path", "host:99999", ""}) {
      assertThatThrownBy(() -> Settings.parseListen(bad)).as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("listen address '" + bad + "': expected HOST:PORT such as 127.0.0.1:9400 or [::1]:9400");
    }
  }

  @Test
  void aLiteralWebhookSecretIsRefused() {
    Settings literal = new Settings(new InetSocketAddress("127.0.0.1", 0), SecretRef.parse("hunter2"));

    assertThatThrownBy(() -> ControllerHttpServer.start(literal, new SecretReader(Map.of()), status::get,
        repository -> List.of(), metrics, SampleStatus.CLOCK))
        .isInstanceOf(ControllerHttpException.class)
        .hasMessage("webhook secret <redacted>: must be env:NAME or file:PATH");
  }

  /** The status, or the failure of a core that cannot give one (no status set). */
  private ControllerStatus current() {
    ControllerStatus now = status.get();
    if (now == null) {
      throw new IllegalStateException("status store closed: jdbc:h2:/var/lib/uctrust/db");
    }
    return now;
  }

  private HttpResponse<String> send(String method, String path) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(uri(path)).method(method, BodyPublishers.noBody()).build();
    return CLIENT.send(request, BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.address().getPort() + path);
  }

  private static List<String> names(JsonNode node) {
    return List.copyOf(node.propertyNames());
  }
}
