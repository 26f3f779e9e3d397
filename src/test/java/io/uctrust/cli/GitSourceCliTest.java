package io.uctrust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.uctrust.gitops.GitRunner;
import io.uctrust.plan.Plan;
import io.uctrust.plan.PlanJson;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** validate, reconcile and status reading the desired state from a real git repository (file://), in process. */
class GitSourceCliTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC);

  @TempDir Path temp;

  private Map<String, String> env;
  private GitRunner git;
  private Path work;
  private String url;
  private String sha;

  private record Run(int code, String out, String err) {}

  private Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(CLOCK, env, new PrintWriter(out), new PrintWriter(err), args);
    return new Run(code, out.toString(), err.toString());
  }

  private String state() {
    return temp.resolve("state").toString();
  }

  @BeforeEach
  void repositoryWithTheLabUnderClusters() throws Exception {
    env = Map.of("UCTRUST_ONLINE_CA_PASSWORD", "online-ca-secret-value-42", "XDG_STATE_HOME", temp.resolve("xdg").toString());
    git = new GitRunner(temp.resolve("home"));
    Path bare = git.bare(temp.resolve("desired.git"));
    work = git.cloneOf(bare, temp.resolve("work"));
    ReconcileCommandTest.copyExample("lab", work.resolve("clusters"));
    sha = git.commit(work, "Lab cluster: trust, identities and phones", Map.of());
    git.git(work, "push", "-q", "origin", "HEAD");
    url = "file://" + bare;
  }

  private String push(String message, Map<String, String> files) throws Exception {
    String commit = git.commit(work, message, files);
    git.git(work, "push", "-q", "origin", "HEAD");
    return commit;
  }

  @Test
  void validateNamesFilesRelativeToTheRepositoryAndShowsTheCommit() throws Exception {
    Path capf = work.resolve("clusters/lab/capf.yaml");
    String mistake = push("Keepalive of 90 minutes",
        Map.of("clusters/lab/capf.yaml", Files.readString(capf).replace("keepAliveMinutes: 15", "keepAliveMinutes: 90")));

    Run text = run("validate", "--repo", url, "--path", "clusters/lab", "--state-dir", state());
    Run json = run("validate", "--repo", url, "--path", "clusters/lab", "--state-dir", state(), "-o", "json");

    assertThat(text.code()).isEqualTo(1);
    assertThat(text.out()).startsWith("Source: " + url + " @ " + mistake.substring(0, 12)
            + " \"Keepalive of 90 minutes\" (Ada Tester <ada@example.com>)\n")
        .contains("clusters/lab/capf.yaml\n  9:21     error    spec.keepAliveMinutes: must be between 5 and 60 (got 90)")
        .doesNotContain(state());
    assertThat(json.out()).contains("\"file\" : \"clusters/lab/capf.yaml\"").doesNotContain(state());
  }

  @Test
  void aDryRunFromARepositoryCarriesTheCommitInEveryFormat() throws Exception {
    Run text = run("reconcile", "--dry-run", "--repo", url, "--path", "clusters/lab", "--state-dir", state());
    Run json = run("reconcile", "--dry-run", "--repo", url, "--path", "clusters/lab", "--state-dir", state(), "-o", "json");
    Run markdown = run("reconcile", "--dry-run", "--repo", url, "--path", "clusters/lab", "--state-dir", state(),
        "-o", "markdown");

    String line = "Source: " + url + " @ " + sha.substring(0, 12)
        + " \"Lab cluster: trust, identities and phones\" (Ada Tester <ada@example.com>)";
    assertThat(text.code()).as(text.err()).isEqualTo(2);
    assertThat(text.out()).startsWith("Cluster lab (lab)\n" + line + "\n").contains("[truststores.yaml:10]");
    assertThat(markdown.out()).contains(line.replace("<", "&lt;").replace(">", "&gt;"));
    JsonNode plan = JsonMapper.builder().build().readTree(json.out()).get("clusters").get(0);
    JsonNode source = plan.get("source");
    assertThat(source.get("url").asString()).isEqualTo(url);
    assertThat(source.get("commit").asString()).isEqualTo(sha);
    assertThat(source.get("author").asString()).isEqualTo("Ada Tester <ada@example.com>");
    assertThat(source.get("subject").asString()).isEqualTo("Lab cluster: trust, identities and phones");
    assertThat(Path.of(state(), "git")).isDirectory();
    Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
        .getSchema(Files.newInputStream(Path.of("schemas/plan.schema.json")));
    assertThat(schema.validate(plan)).isEmpty();
    Plan read = PlanJson.read(json.out());
    assertThat(read.source().commit()).isEqualTo(sha);
    assertThat(JsonMapper.builder().build().readTree(PlanJson.write(read))).isEqualTo(plan);
  }

  @Test
  void aSavedPlanFromAnotherCommitIsRefusedNamingBothCommits() throws Exception {
    Path plan = temp.resolve("plan.json");
    run("reconcile", "--dry-run", "--repo", url, "--path", "clusters/lab", "--state-dir", state(), "--out", plan.toString());
    String readme = push("Document the lab", Map.of("README.md", "The lab cluster.\n"));

    Run apply = run("reconcile", "--repo", url, "--path", "clusters/lab", "--state-dir", state(), "--plan", plan.toString());

    assertThat(apply.code()).isEqualTo(1);
    assertThat(apply.err()).contains("the saved plan is stale: it was made from commit " + sha + ", and " + url
        + " is now at commit " + readme).doesNotContain("[1/");
    assertThat(run("reconcile", "--dry-run", "--repo", url, "--path", "clusters/lab", "--state-dir", state()).code())
        .as("nothing was applied").isEqualTo(2);
  }

  @Test
  void aSavedPlanFromTheSameCommitIsApplied() {
    Path plan = temp.resolve("plan.json");
    run("reconcile", "--dry-run", "--repo", url, "--path", "clusters/lab", "--state-dir", state(), "--out", plan.toString());

    Run apply = run("reconcile", "--repo", url, "--path", "clusters/lab", "--state-dir", state(), "--plan", plan.toString());

    assertThat(apply.code()).as(apply.out() + apply.err()).isZero();
    assertThat(apply.out()).contains(" succeeded, 0 failed, 0 skipped");
  }

  @Test
  void statusShowsTheSourceItComparedWith() {
    Run status = run("status", "--repo", url, "--path", "clusters/lab", "--state-dir", state(), "--limit", "1");
    Run json = run("status", "--repo", url, "--path", "clusters/lab", "--state-dir", state(), "-o", "json");

    assertThat(status.code()).as(status.err()).isEqualTo(2);
    assertThat(status.out()).startsWith("Source: " + url + " @ " + sha.substring(0, 12));
    assertThat(JsonMapper.builder().build().readTree(json.out()).get("source").get("commit").asString()).isEqualTo(sha);
  }

  @Test
  void bundleReadsTheCertificatesFromTheRepository() {
    Run bundle = run("bundle", "--for", "browser", "--repo", url, "--path", "clusters/lab", "--state-dir", state(),
        "--phones", "5");

    assertThat(bundle.code()).as(bundle.err()).isZero();
    assertThat(bundle.out()).contains("-----BEGIN CERTIFICATE-----");
  }

  @ParameterizedTest
  @ValueSource(strings = {"reconcile", "status", "validate", "bundle"})
  void anUnreachableRemoteExitsOneWithOneLineAndNoStackTrace(String command) throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String closed = "git://127.0.0.1:" + port + "/desired.git";

    Run result = command.equals("bundle") ? run(command, "--for", "jabber", "--repo", closed, "--state-dir", state())
        : run(command, "--repo", closed, "--state-dir", state());

    assertThat(result.code()).isEqualTo(1);
    assertThat(result.err()).isEqualTo("uctrust: cannot reach " + closed + ": Connection refused\n");
    assertThat(result.out()).isEmpty();
  }

  @Test
  void aMissingRefOrPathExitsOneNamingWhatExists() {
    Run ref = run("validate", "--repo", url, "--ref", "prod", "--state-dir", state());
    Run path = run("validate", "--repo", url, "--path", "clusters/prod", "--state-dir", state());

    assertThat(ref.code()).isEqualTo(1);
    assertThat(ref.err()).isEqualTo("uctrust: ref 'prod' not found in " + url + "; branches: main; tags: none\n");
    assertThat(path.code()).isEqualTo(1);
    assertThat(path.err()).isEqualTo("uctrust: path 'clusters/prod' not found in " + url + " at " + sha + "\n");
  }

  @Test
  void withoutStateDirTheCacheIsBelowXdgStateHome() {
    Run result = run("validate", "--repo", url, "--path", "clusters/lab");

    assertThat(result.code()).as(result.out()).isZero();
    assertThat(temp.resolve("xdg/uctrust/git")).isDirectory();
  }

  @Test
  void dirAndRepoAreExclusiveAndRepoOptionsNeedRepo() {
    Run both = run("validate", work.toString(), "--repo", url);
    Run ref = run("reconcile", "--dry-run", "--ref", "main", work.toString());
    Run literal = run("validate", "--repo", "https://example.com/r.git", "--repo-token", "ghp_literalsecret");

    assertThat(both.code()).isEqualTo(1);
    assertThat(both.err()).startsWith("uctrust: give either DIR or --repo URL, not both");
    assertThat(ref.code()).isEqualTo(1);
    assertThat(ref.err()).startsWith("uctrust: --ref reads from a repository; add --repo URL");
    assertThat(literal.code()).isEqualTo(1);
    assertThat(literal.err()).startsWith("uctrust: --repo-token takes env:NAME or file:PATH, never the token itself")
        .doesNotContain("ghp_literalsecret");
  }
}
