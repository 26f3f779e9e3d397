package io.uctrust.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.uctrust.controller.ControllerStatus.RunOutcome;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code java -jar target/uctrust.jar controller} as a real process on the lab: SIGTERM in the middle of an apply makes
 * it finish the current change, release its lock and exit 0; the next start resumes the apply and converges.
 */
class ControllerProcessIT {

  private static final Duration PATIENCE = ControllerProcesses.PATIENCE;
  private static final Pattern ADDRESS = Pattern.compile("http://127\\.0\\.0\\.1:([0-9]+)/");

  @TempDir Path temp;

  private ControllerProcesses processes;

  @BeforeEach
  void processes() {
    processes = new ControllerProcesses(temp);
  }

  @AfterEach
  void killLeftovers() throws InterruptedException {
    processes.close();
  }

  private Process controller(Path config, String name, Map<String, String> env) throws IOException {
    return processes.start(name, config, env);
  }

  private String await(String name, Predicate<String> wanted) throws IOException, InterruptedException {
    return processes.await(name, wanted);
  }

  private static String lastOutcome(int port) throws IOException, InterruptedException {
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/api/status")).build(), HttpResponse.BodyHandlers.ofString());
    var lastRun = JsonMapper.builder().build().readTree(response.body()).get("clusters").get(0).get("lastRun");
    return lastRun == null || lastRun.isNull() ? "" : lastRun.get("outcome").asString();
  }

  @Test
  void sigtermDuringAnApplyStopsAfterTheCurrentChangeExitsZeroAndTheNextStartResumes() throws Exception {
    LabRepository repository = LabRepository.create(temp.resolve("git"));
    Path config = Files.writeString(temp.resolve("controller.yaml"), """
        apiVersion: uctrust/v1
        kind: Controller
        metadata: {name: lab}
        spec:
          listen: 127.0.0.1:0
          stateDir: state
          repositories:
            - {name: desired, url: "%s"}
          clusters:
            - {name: lab, repository: desired, interval: 2s}
        """.formatted(repository.url()));

    Process first = controller(config, "first", Map.of("UCTRUST_LAB_LATENCY_MS", "40"));
    await("first.err", log -> log.contains("cluster lab: [5/"));
    first.destroy(); // SIGTERM
    boolean exited = first.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    String log = Files.readString(temp.resolve("first.err"));

    assertThat(exited).as(log).isTrue();
    assertThat(first.exitValue()).as(log).isZero();
    assertThat(log).contains("stopping: HTTP requests are refused").contains("stopping: no more runs start")
        .contains("stopped before change #").contains("stopping: cluster locks released")
        .contains("stopped: database closed");
    Path journal = temp.resolve("state/lab/lab/journal");
    assertThat(journal.resolve("current")).as("the interrupted apply's record").isDirectory();
    try (ControllerDatabase database = ControllerDatabase.open(
        "jdbc:h2:file:" + temp.resolve("state/controller/uctrust"), null, null)) {
      assertThat(new ClusterLocker(database.dataSource(), Clock.systemUTC()).holder("lab")).isEmpty();
    }

    Process second = controller(config, "second", Map.of());
    Matcher address = ADDRESS.matcher(await("second.out", out -> ADDRESS.matcher(out).find()));
    assertThat(address.find()).isTrue();
    int port = Integer.parseInt(address.group(1));
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!lastOutcome(port).equals("in-sync") && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    second.destroy();
    assertThat(second.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(second.exitValue()).isZero();

    assertThat(journal.resolve("current")).doesNotExist();
    try (var history = Files.list(journal.resolve("history"))) {
      assertThat(history.map(p -> p.getFileName().toString()).sorted(Comparator.naturalOrder()).toList())
          .anyMatch(name -> name.endsWith("-interrupted")).anyMatch(name -> name.endsWith("-done"));
    }
    try (ControllerDatabase database = ControllerDatabase.open(
        "jdbc:h2:file:" + temp.resolve("state/controller/uctrust"), null, null)) {
      RunRecorder runs = new RunRecorder(database.dataSource());
      List<RunRecord> recent = new ArrayList<>(runs.recent("lab", 50));
      java.util.Collections.reverse(recent);
      assertThat(recent.get(0).outcome()).isEqualTo(RunOutcome.FAILED);
      assertThat(recent.get(0).error()).isEqualTo(ReconcileRunner.STOPPED);
      assertThat(recent.get(0).applied()).isBetween(5, 8);
      assertThat(recent.get(1).outcome()).isEqualTo(RunOutcome.SUCCEEDED);
      assertThat(recent).extracting(RunRecord::outcome).last().isEqualTo(RunOutcome.IN_SYNC);
      assertThat(new ClusterLocker(database.dataSource(), Clock.systemUTC()).holder("lab")).isEmpty();
    }
  }
}
