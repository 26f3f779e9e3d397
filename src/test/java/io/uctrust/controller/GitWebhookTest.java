package io.uctrust.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uctrust.cluster.SecretReader;
import io.uctrust.controller.ControllerHttpServer.Settings;
import io.uctrust.desired.SecretRef;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /hooks/git} on the real server, with GitHub's and GitLab's payload shapes; GitHub signatures are made
 * by the {@code openssl} CLI, independently of the code under test.
 */
class GitWebhookTest {
  private static final String SECRET = "correct horse battery staple";
  private static final String GITHUB_PUSH = """
      {"ref":"refs/heads/main","after":"3f2a9c1d4e5b6a7980112233445566778899aabb",
       "repository":{"id":1,"name":"desired","full_name":"uc/desired",
         "html_url":"https://github.com/uc/desired","clone_url":"https://github.com/uc/desired.git",
         "ssh_url":"git@github.com:uc/desired.git"},
       "pusher":{"name":"alice"},"head_commit":{"message":"Renew tomcat"}}
      """;
  private static final String GITLAB_PUSH = """
      {"object_kind":"push","ref":"refs/heads/main",
       "project":{"name":"desired","web_url":"https://gitlab.example.com/uc/desired",
         "git_ssh_url":"git@gitlab.example.com:uc/desired.git",
         "git_http_url":"https://gitlab.example.com/uc/desired.git"},
       "repository":{"name":"desired","git_http_url":"https://gitlab.example.com/uc/desired.git"}}
      """;
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir Path dir;

  private final List<List<String>> requested = new CopyOnWriteArrayList<>();
  private ControllerHttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(Duration.ofSeconds(1));
    }
  }

  @Test
  void aValidGitHubSignatureQueuesTheClustersOfTheRepository() throws Exception {
    start(SecretRef.parse("env:UCTRUST_WEBHOOK_SECRET"), 1 << 20);

    HttpResponse<String> response = post("/hooks/git", GITHUB_PUSH, Map.of("X-GitHub-Event", "push",
        "X-Hub-Signature-256", "sha256=" + openssl(SECRET, GITHUB_PUSH), "Content-Type", "application/json"));

    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
    assertThat(response.body()).isEqualTo("{\"repository\":[\"https://github.com/uc/desired.git\","
        + "\"https://github.com/uc/desired\",\"git@github.com:uc/desired.git\"],\"queued\":[\"lab\"]}\n");
    assertThat(requested).containsExactly(List.of("https://github.com/uc/desired.git", "https://github.com/uc/desired",
        "git@github.com:uc/desired.git"));
  }

  @Test
  void aSignatureThatDoesNotMatchTheBodyIs401WithoutDetailAndQueuesNothing() throws Exception {
    start(SecretRef.parse("env:UCTRUST_WEBHOOK_SECRET"), 1 << 20);
    String tampered = GITHUB_PUSH.replace("uc/desired.git", "mallory/other.git");

    List<HttpResponse<String>> responses = new ArrayList<>();
    responses.add(post("/hooks/git", tampered, Map.of("X-Hub-Signature-256", "sha256=" + openssl(SECRET, GITHUB_PUSH))));
    responses.add(post("/hooks/git", GITHUB_PUSH, Map.of("X-Hub-Signature-256", "sha256=" + openssl("guess", GITHUB_PUSH))));
    responses.add(post("/hooks/git", GITHUB_PUSH, Map.of("X-Hub-Signature-256", "sha256=not-hex")));
    responses.add(post("/hooks/git", GITHUB_PUSH, Map.of("X-Hub-Signature-256", openssl(SECRET, GITHUB_PUSH))));
    responses.add(post("/hooks/git", GITHUB_PUSH, Map.of("X-GitHub-Event", "push")));

    assertThat(responses).allSatisfy(r -> {
      assertThat(r.statusCode()).isEqualTo(401);
      assertThat(r.body()).isEqualTo("unauthorized\n");
    });
    assertThat(requested).isEmpty();
  }

  @Test
  void aGitLabTokenQueuesTheProjectsRepository() throws Exception {
    start(SecretRef.parse("env:UCTRUST_WEBHOOK_SECRET"), 1 << 20);

    HttpResponse<String> ok = post("/hooks/git", GITLAB_PUSH, Map.of("X-Gitlab-Event", "Push Hook",
        "X-Gitlab-Token", SECRET));
    HttpResponse<String> wrong = post("/hooks/git", GITLAB_PUSH, Map.of("X-Gitlab-Token", SECRET.toUpperCase(java.util.Locale.ROOT)));

    assertThat(ok.statusCode()).isEqualTo(202);
    assertThat(requested).containsExactly(List.of("https://gitlab.example.com/uc/desired.git",
        "git@gitlab.example.com:uc/desired.git", "https://gitlab.example.com/uc/desired"));
    assertThat(wrong.statusCode()).isEqualTo(401);
  }

  @Test
  void aBearerTokenWithARepositoryParameterNeedsNoPayload() throws Exception {
    start(SecretRef.parse("env:UCTRUST_WEBHOOK_SECRET"), 1 << 20);

    HttpResponse<String> ok = post("/hooks/git?repository=desired%20main", "", Map.of("Authorization", "Bearer " + SECRET));
    HttpResponse<String> wrong = post("/hooks/git?repository=desired", "", Map.of("Authorization", "Bearer nope"));
    HttpResponse<String> basic = post("/hooks/git?repository=desired", "", Map.of("Authorization", "Basic " + SECRET));

    assertThat(ok.statusCode()).isEqualTo(202);
    assertThat(requested).containsExactly(List.of("desired main"));
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(basic.statusCode()).isEqualTo(401);
  }

  @Test
  void aGitHubPingIsAnsweredWithoutASync() throws Exception {
    start(SecretRef.parse("env:UCTRUST_WEBHOOK_SECRET"), 1 << 20);
    String ping = "{\"zen\":\"Keep it logically awesome.\",\"hook_id\":1,\"repository\":{\"clone_url\":\"https://github.com/uc/desired.git\"}}";

    HttpResponse<String> response = post("/hooks/git", ping, Map.of("X-GitHub-Event", "ping",
        "X-Hub-Signature-256", "sha256=" + openssl(SECRET, ping)));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(requested).isEmpty();
  }

  @Test
  void githubsFormEncodedDeliveryIsReadToo() throws Exception {
    start(SecretRef.parse("env:UCTRUST_WEBHOOK_SECRET"), 1 << 20);
    String form = "payload=" + URLEncoder.encode(GITHUB_PUSH, StandardCharsets.UTF_8);

    HttpResponse<String> response = post("/hooks/git", form, Map.of("Content-Type", "application/x-www-form-urlencoded",
        "X-Hub-Signature-256", "sha256=" + openssl(SECRET, form)));

    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(requested.get(0)).startsWith("https://github.com/uc/desired.git");
  }

  @Test
  void noClusterFollowingTheRepositoryIs200WithNothingQueued() throws Exception {
    start(SecretRef.parse("env:UCTRUST_WEBHOOK_SECRET"), 1 << 20);

    HttpResponse<String> response = post("/hooks/git?repository=elsewhere", "", Map.of("Authorization", "Bearer " + SECRET));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"repository\":[\"elsewhere\"],\"queued\":[]}\n");
  }

  @Test
  void aPayloadWithoutARepositoryIs400() throws Exception {
    start(SecretRef.parse("env:UCTRUST_WEBHOOK_SECRET"), 1 << 20);

    HttpResponse<String> noRepository = post("/hooks/git", "{\"zen\":\"x\"}", Map.of("X-Gitlab-Token", SECRET));
    HttpResponse<String> notJson = post("/hooks/git", "ref=main", Map.of("X-Gitlab-Token", SECRET));

    assertThat(noRepository.statusCode()).isEqualTo(400);
    assertThat(noRepository.body()).startsWith("no repository in the payload");
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(notJson.body()).startsWith("the payload is not JSON");
    assertThat(requested).isEmpty();
  }

  @Test
  void aBodyOverTheLimitIs413WithOrWithoutALength() throws Exception {
    start(SecretRef.parse("env:UCTRUST_WEBHOOK_SECRET"), 1024);
    byte[] big = new byte[4096];

    HttpResponse<String> declared = post("/hooks/git", new String(big, StandardCharsets.UTF_8), Map.of("X-Gitlab-Token", SECRET));
    HttpRequest chunked = HttpRequest.newBuilder(uri("/hooks/git")).header("X-Gitlab-Token", SECRET)
        .POST(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build();
    HttpResponse<String> streamed = CLIENT.send(chunked, BodyHandlers.ofString());

    assertThat(declared.statusCode()).isEqualTo(413);
    assertThat(streamed.statusCode()).isEqualTo(413);
    assertThat(requested).isEmpty();
  }

  @Test
  void withoutASecretTheEndpointDoesNotExist() throws Exception {
    start(null, 1 << 20);

    HttpResponse<String> response = post("/hooks/git?repository=desired", "", Map.of("Authorization", "Bearer " + SECRET));

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(requested).isEmpty();
  }

  @Test
  void theSecretComesFromAFileAndGetIsNotAllowed() throws Exception {
    Path file = Files.writeString(dir.resolve("webhook-secret"), SECRET + "\n");
    start(SecretRef.parse("file:" + file), 1 << 20);

    HttpResponse<String> ok = post("/hooks/git?repository=desired", "", Map.of("Authorization", "Bearer " + SECRET));
    HttpResponse<String> get = CLIENT.send(HttpRequest.newBuilder(uri("/hooks/git")).build(), BodyHandlers.ofString());

    assertThat(ok.statusCode()).isEqualTo(202);
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.headers().firstValue("Allow")).hasValue("POST");
  }

  @Test
  void anUnreadableOrEmptySecretStopsTheStartWithoutShowingIt() throws IOException {
    Path empty = Files.writeString(dir.resolve("empty"), "\n");

    assertThatThrownBy(() -> start(SecretRef.parse("env:UCTRUST_UNSET"), 1024))
        .isInstanceOf(ControllerHttpException.class)
        .hasMessage("webhook secret env:UCTRUST_UNSET is not set in the environment");
    assertThatThrownBy(() -> start(SecretRef.parse("file:" + dir.resolve("missing")), 1024))
        .isInstanceOf(ControllerHttpException.class)
        .hasMessage("webhook secret file:" + dir.resolve("missing") + " cannot be read (NoSuchFileException)");
    assertThatThrownBy(() -> start(SecretRef.parse("file:" + empty), 1024))
        .isInstanceOf(ControllerHttpException.class)
        .hasMessage("webhook secret file:" + empty + " is empty");
  }

  private void start(SecretRef secret, int limit) throws ControllerHttpException {
    Settings settings = new Settings(new InetSocketAddress("127.0.0.1", 0), secret, 400, limit);
    server = ControllerHttpServer.start(settings, new SecretReader(Map.of("UCTRUST_WEBHOOK_SECRET", SECRET)),
        SampleStatus::ready, repository -> {
          requested.add(repository);
          return repository.contains("elsewhere") ? List.of() : List.of("lab");
        }, new ControllerMetrics(), SampleStatus.CLOCK);
  }

  private HttpResponse<String> post(String path, String body, Map<String, String> headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).POST(BodyPublishers.ofString(body));
    headers.forEach(request::header);
    return CLIENT.send(request.build(), BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.address().getPort() + path);
  }

  /** HMAC-SHA256 of {@code body} under {@code key} in hex, as {@code openssl dgst -sha256 -hmac} computes it. */
  private String openssl(String key, String body) throws Exception {
    Path file = Files.writeString(Files.createTempFile(dir, "body", ".json"), body);
    Process p = new ProcessBuilder("openssl", "dgst", "-sha256", "-hmac", key, "-r", file.toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
    return out.substring(0, out.indexOf(' '));
  }
}
