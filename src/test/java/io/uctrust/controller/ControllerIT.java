package io.uctrust.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.uctrust.controller.ControllerStatus.Mode;
import io.uctrust.controller.ControllerStatus.RunOutcome;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The controller in process on the embedded lab: its desired state is the lab example in a real git repository
 * (file://), its database an H2 file in the state folder. It converges the lab, applies a new commit within the
 * interval, and in report mode only reports; the webhook's trigger queues a run at once.
 */
class ControllerIT {

  private static final Map<String, String> ENV = Map.of("UCTRUST_ONLINE_CA_PASSWORD", "online-ca-secret-value-42",
      "NOTIFY_SECRET", "webhook-signing-secret");
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @TempDir Path temp;

  private LabRepository repository;
  private Controller controller;

  @BeforeEach
  void labRepository() throws Exception {
    repository = LabRepository.create(temp.resolve("git"));
  }

  @AfterEach
  void stopController() {
    if (controller != null) {
      controller.stop();
    }
  }

  private ControllerConfig config(String mode, String interval) throws IOException {
    return config(mode, interval, "");
  }

  private ControllerConfig config(String mode, String interval, String more) throws IOException {
    Path file = temp.resolve("controller.yaml");
    Files.writeString(file, """
        apiVersion: uctrust/v1
        kind: Controller
        metadata: {name: lab}
        spec:
          listen: 127.0.0.1:0
          stateDir: state
          repositories:
            - {name: desired, url: "%s"%s}
          clusters:
            - {name: lab, repository: desired, mode: %s, interval: %s}
        """.formatted(repository.url(), more, mode, interval));
    ControllerConfigLoader.Result loaded = new ControllerConfigLoader(ENV).load(file, ControllerConfig.Overrides.NONE);
    assertThat(loaded.report().diagnostics()).isEmpty();
    return loaded.config();
  }

  private Controller start(ControllerConfig config, TriggerPlanner monitors) throws ControllerStartException {
    Controller.Options options = Controller.Options.defaults();
    return Controller.start(config, new Controller.Options(options.scheduler(), Duration.ofMillis(200),
        monitors, options.ledger(), options.httpGrace()), ENV, Clock.systemUTC());
  }

  private Duration interval(String job) throws org.quartz.SchedulerException {
    var trigger = (org.quartz.SimpleTrigger) controller.scheduler().quartz()
        .getTrigger(org.quartz.TriggerKey.triggerKey(job, ControllerScheduler.MONITORS));
    return Duration.ofMillis(trigger.getRepeatInterval());
  }

  /** A periodic job standing in for the monitors: counts its runs and the controller it found. */
  public static final class ProbeJob implements org.quartz.Job {
    static final java.util.concurrent.atomic.AtomicInteger RUNS = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public void execute(org.quartz.JobExecutionContext context) throws org.quartz.JobExecutionException {
      try {
        if (context.getScheduler().getContext().get(Controller.CONTEXT) instanceof Controller
            && "lab".equals(context.getMergedJobDataMap().getString(ControllerScheduler.CLUSTER))) {
          RUNS.incrementAndGet();
        }
      } catch (org.quartz.SchedulerException e) {
        throw new org.quartz.JobExecutionException(e);
      }
    }
  }

  /** Waits for the first run after {@code after} (by id) that {@code wanted} accepts. */
  private RunRecord awaitRun(long after, Predicate<RunRecord> wanted) throws SQLException, InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (System.nanoTime() < deadline) {
      for (RunRecord run : controller.runs().recent("lab", 20)) {
        if (run.id() > after && run.outcome() != null && wanted.test(run)) {
          return controller.runs().run(run.id()).orElseThrow();
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no such run within " + PATIENCE + "; runs: " + controller.runs().recent("lab", 20));
  }

  private JsonNode status() throws IOException, InterruptedException {
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + controller.address().getPort() + "/api/status")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return JsonMapper.builder().build().readTree(response.body());
  }

  @Test
  void itConvergesTheLabAndAppliesANewCommitWithinTheInterval() throws Exception {
    controller = start(config("apply", "2s"), null);

    RunRecord converged = awaitRun(0, r -> r.outcome() == RunOutcome.SUCCEEDED);
    RunRecord inSync = awaitRun(converged.id(), r -> r.outcome() == RunOutcome.IN_SYNC);

    assertThat(converged.applied()).isGreaterThan(50);
    assertThat(converged.changes()).extracting(RunRecord.ChangeRecord::status).isSubsetOf("succeeded", "manual");
    assertThat(converged.mode()).isEqualTo(Mode.APPLY);
    assertThat(inSync.commit()).isEqualTo(converged.commit());
    Thread.sleep(500); // one status refresh
    JsonNode lab = status().get("clusters").get(0);
    assertThat(lab.get("drift").asInt()).isZero();
    assertThat(lab.get("lastRun").get("outcome").asString()).isEqualTo("in-sync");
    assertThat(lab.get("certificates").size()).isGreaterThan(10);
    // the periodic checks follow the lab's Monitoring document: frequency 1d, checkEvery 24h; expiry hourly
    assertThat(interval("lab.expiry")).isEqualTo(Duration.ofHours(1));
    assertThat(interval("lab.stale-lsc")).isEqualTo(Duration.ofDays(1));
    assertThat(interval("lab.revocation")).isEqualTo(Duration.ofHours(24));
    assertThat(controller.monitor().check("lab", ClusterMonitor.Check.EXPIRY)).extracting(Notification::type)
        .isSubsetOf(NotificationType.CERTIFICATE_EXPIRING, NotificationType.CERTIFICATE_EXPIRED);
    assertThat(controller.monitor().check("branch", ClusterMonitor.Check.EXPIRY)).as("not a configured cluster").isEmpty();

    String commit = repository.change("capf.yaml", "keepAliveMinutes: 15", "keepAliveMinutes: 20", "Longer keepalive");
    RunRecord applied = awaitRun(inSync.id(), r -> commit.equals(r.commit()) && r.outcome() == RunOutcome.SUCCEEDED);

    assertThat(applied.changes()).anySatisfy(c -> {
      assertThat(c.address()).contains("capf");
      assertThat(c.status()).isEqualTo("succeeded");
    });
    assertThat(applied.finishedAt()).isBefore(applied.startedAt().plusSeconds(30));
    assertThat(controller.locker().holder("lab")).as("released after the apply").isEmpty();
  }

  @Test
  void theChecksOfAClusterThisInstanceHasNotReconciledObserveItThemselves() throws Exception {
    // suspended: no reconcile runs here, as on an instance whose peers do the cluster's runs
    controller = start(config("apply, suspended: true", "1h"), null);

    Optional<ClusterMonitor.Observation> observation = controller.monitor().observation("lab");

    assertThat(controller.runs().recent("lab", 5)).as("no run").isEmpty();
    assertThat(observation).hasValueSatisfying(o -> {
      assertThat(o.observed().nodes()).hasSize(5);
      assertThat(o.monitoring()).as("the Monitoring document of the fetched commit").isNotNull();
    });
    assertThat(controller.monitor().observation("lab")).as("kept for the next checks").get()
        .extracting(ClusterMonitor.Observation::at).isEqualTo(observation.get().at());
  }

  @Test
  void anUnsignedCommitFailsTheRunAppliesNothingAndIsNotified() throws Exception {
    Path keys = trustedKeys();
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      Path file = config("apply", "1h", ", requireSignedCommits: true, trustedKeys: " + keys).file();
      Files.writeString(file, Files.readString(file) + """
            notifications:
              webhooks:
                - {url: "%s", secret: env:NOTIFY_SECRET}
          """.formatted(receiver.url()));
      controller = start(new ControllerConfigLoader(ENV).load(file, ControllerConfig.Overrides.NONE).config(),
          TriggerPlanner.NONE);

      RunRecord run = awaitRun(0, r -> true);

      assertThat(run.outcome()).isEqualTo(RunOutcome.FAILED);
      assertThat(run.error()).contains("not signed");
      assertThat(run.commit()).matches("[0-9a-f]{40}");
      assertThat(run.changes()).isEmpty();
      assertThat(temp.resolve("state/lab/lab")).as("the lab was never touched").doesNotExist();
      assertThat(receiver.received()).singleElement()
          .satisfies(r -> assertThat(r.header("X-Uctrust-Event")).isEqualTo("UNVERIFIED_COMMIT"));
    }
  }

  /** A keyring with one public key made by the real gpg, in a GnuPG home of the test's own. */
  private Path trustedKeys() throws IOException, InterruptedException {
    Path home = Files.createDirectories(temp.resolve("gnupg"));
    Files.setPosixFilePermissions(home, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    Path keys = temp.resolve("trusted.gpg");
    gpg(home, null, "--quick-gen-key", "Release Signer <signer@example.com>", "ed25519", "sign", "never");
    gpg(home, keys, "--export");
    Process agent = new ProcessBuilder("gpgconf", "--homedir", home.toString(), "--kill", "all").start();
    assertThat(agent.waitFor()).isZero();
    return keys;
  }

  private static void gpg(Path home, Path output, String... arguments) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of("gpg", "--homedir", home.toString(), "--batch",
        "--pinentry-mode", "loopback", "--passphrase", ""));
    command.addAll(List.of(arguments));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(output == null);
    builder.environment().put("HOME", home.getParent().toString());
    if (output != null) {
      builder.redirectOutput(output.toFile());
    }
    Process process = builder.start();
    process.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
    assertThat(process.waitFor()).as("gpg %s", List.of(arguments)).isZero();
  }

  @Test
  void inReportModeItOnlyReportsAWebhookQueuesARunAndSuspendingStopsIt() throws Exception {
    TriggerPlanner probe = (cluster, state) -> new TriggerPlan(cluster, List.of(new TriggerPlan.Periodic("probe",
        ProbeJob.class, Duration.ofMillis(300), Map.of())));
    controller = start(config("report", "1h"), probe);
    RunRecord first = awaitRun(0, r -> true);

    assertThat(first.outcome()).isEqualTo(RunOutcome.DRIFT_ONLY);
    assertThat(first.planned()).isGreaterThan(50);
    assertThat(first.applied()).isZero();
    assertThat(first.changes()).extracting(RunRecord.ChangeRecord::status).containsOnly("planned");

    List<String> queued = controller.requestSync(List.of("https://example.com/other.git", repository.url() + "/"));
    RunRecord second = awaitRun(first.id(), r -> true);

    assertThat(queued).containsExactly("lab");
    assertThat(second.outcome()).as("nothing was applied in between").isEqualTo(RunOutcome.DRIFT_ONLY);
    assertThat(second.planned()).isEqualTo(first.planned());
    Optional<java.time.Instant> next = Optional.ofNullable(controller.scheduler().nextRun("lab"));
    assertThat(next).hasValueSatisfying(t -> assertThat(t).isAfter(second.finishedAt().plus(Duration.ofMinutes(50))));
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (ProbeJob.RUNS.get() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(ProbeJob.RUNS.get()).as("the periodic job of the new commit's trigger plan ran").isPositive();

    controller.scheduler().suspend("lab");
    Thread.sleep(500); // one status refresh

    assertThat(controller.requestSync(List.of(repository.url()))).isEmpty();
    assertThat(status().get("clusters").get(0).get("suspended").asBoolean()).isTrue();
  }
}
