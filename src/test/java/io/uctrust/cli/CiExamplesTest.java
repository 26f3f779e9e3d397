package io.uctrust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * The CI examples in examples/ci: YAML that parses (SnakeYAML Engine), uctrust commands that uctrust's own command line
 * accepts with those options (picocli's parser), and scripts that real bash runs as the contract says: exit 2 is a plan
 * with changes and posts it, exit 1 fails the job. uctrust, gh and curl are stubs that record their arguments.
 */
class CiExamplesTest {

  private static final Path GITHUB = Path.of("examples/ci/github-actions.yml");
  private static final Path GITLAB = Path.of("examples/ci/gitlab-ci.yml");
  private static final Set<String> OPERATORS = Set.of(">", ">>", "<", "|", "||", "&&", ";", "&", "2>", "2>&1");

  @TempDir Path temp;

  @SuppressWarnings("unchecked")
  private static Map<String, Object> yaml(Path file) throws IOException {
    return (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return value == null ? Map.of() : (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object value) {
    return value == null ? List.of() : (List<Object>) value;
  }

  private static Map<String, String> strings(Object value) {
    Map<String, String> out = new LinkedHashMap<>();
    map(value).forEach((k, v) -> out.put(k, String.valueOf(v)));
    return out;
  }

  /** GitHub: each job's run scripts with the variables of the workflow, the job and the step. */
  private static Map<String, String> githubScripts(Map<String, Object> workflow) {
    Map<String, String> scripts = new LinkedHashMap<>();
    map(workflow.get("jobs")).forEach((name, job) -> {
      int n = 0;
      for (Object step : list(map(job).get("steps"))) {
        Object run = map(step).get("run");
        if (run != null) {
          Object id = map(step).get("id");
          scripts.put(name + "/" + (id == null ? String.valueOf(n) : id), run.toString());
        }
        n++;
      }
    });
    return scripts;
  }

  /** GitLab: each job's script lines, run in one shell, as the runner does. */
  private static Map<String, String> gitlabScripts(Map<String, Object> pipeline) {
    Map<String, String> scripts = new LinkedHashMap<>();
    pipeline.forEach((name, job) -> {
      if (job instanceof Map<?, ?> && map(job).containsKey("script")) {
        List<String> lines = new ArrayList<>();
        list(map(job).get("before_script")).forEach(l -> lines.add(l.toString()));
        list(map(job).get("script")).forEach(l -> lines.add(l.toString()));
        scripts.put(name, String.join("\n", lines));
      }
    });
    return scripts;
  }

  @Test
  void everyUctrustCommandTheExamplesRunIsOneUctrustAcceptsWithThoseOptions() throws IOException {
    Map<String, Object> github = yaml(GITHUB);
    Map<String, Object> gitlab = yaml(GITLAB);
    Map<String, String> githubVariables = strings(github.get("env"));
    Map<String, String> gitlabVariables = strings(gitlab.get("variables"));

    List<ParseResult> commands = new ArrayList<>();
    githubScripts(github).values().forEach(s -> commands.addAll(uctrust(s, githubVariables)));
    List<ParseResult> fromGitlab = new ArrayList<>();
    gitlabScripts(gitlab).values().forEach(s -> fromGitlab.addAll(uctrust(s, gitlabVariables)));

    for (List<ParseResult> parsed : List.of(commands, fromGitlab)) {
      assertThat(parsed.stream().map(CiExamplesTest::path)).containsExactlyInAnyOrder("validate", "reconcile",
          "snapshot save");
      ParseResult reconcile = parsed.stream().filter(p -> path(p).equals("reconcile")).findFirst().orElseThrow()
          .subcommand();
      assertThat(reconcile.hasMatchedOption("--dry-run")).isTrue();
      assertThat(reconcile.<Path>matchedOptionValue("--against", null)).isEqualTo(Path.of("snapshots/lab.json"));
      assertThat(reconcile.matchedOptionValue("--output", null).toString()).isEqualTo("markdown");
      assertThat(reconcile.<String>matchedOptionValue("--cluster", null)).isEqualTo("lab");
      assertThat(reconcile.matchedPositionals().get(0).<Path>getValue()).isEqualTo(Path.of("examples/lab"));
      ParseResult save = parsed.stream().filter(p -> path(p).equals("snapshot save")).findFirst().orElseThrow()
          .subcommand().subcommand();
      assertThat(save.<Path>matchedOptionValue("--out", null)).isEqualTo(Path.of("snapshots/lab.json"));
    }
    assertThat(Path.of(githubVariables.get("DESIRED"))).isDirectory();
    assertThat(gitlabVariables.get("DESIRED")).isEqualTo(githubVariables.get("DESIRED"));
  }

  @Test
  void theWorkflowPlansPullRequestsWithAWriteTokenForCommentsAndRefreshesTheSnapshotOnASchedule() throws IOException {
    Map<String, Object> github = yaml(GITHUB);
    Map<String, Object> gitlab = yaml(GITLAB);

    assertThat(map(github.get("on"))).containsKeys("pull_request", "schedule");
    Map<String, Object> plan = map(map(github.get("jobs")).get("plan"));
    assertThat(plan.get("if")).isEqualTo("github.event_name == 'pull_request'");
    assertThat(map(plan.get("permissions"))).containsEntry("pull-requests", "write");
    assertThat(list(plan.get("steps")).stream().map(s -> map(s).get("uses")))
        .contains("actions/checkout@v4", "actions/setup-java@v4");
    assertThat(map(map(github.get("jobs")).get("snapshot")).get("if").toString()).contains("schedule");
    assertThat(list(map(gitlab.get("uctrust-plan")).get("rules")).stream().map(r -> map(r).get("if")))
        .containsExactly("$CI_PIPELINE_SOURCE == \"merge_request_event\"");
    assertThat(list(map(gitlab.get("uctrust-snapshot")).get("rules")).stream().map(r -> map(r).get("if")))
        .containsExactly("$CI_PIPELINE_SOURCE == \"schedule\"");
  }

  @Test
  void theGithubPlanStepTakesExitTwoAsAPlanAndFailsOnOneAndTheCommentUpdatesTheLastOne() throws Exception {
    Map<String, Object> workflow = yaml(GITHUB);
    Map<String, String> scripts = githubScripts(workflow);
    Map<String, String> variables = strings(workflow.get("env"));
    String plan = scripts.get("plan/plan");
    String comment = scripts.entrySet().stream().filter(e -> e.getValue().contains("gh pr comment")).findFirst()
        .orElseThrow().getValue();

    // the steps of one job share its workspace; the comment runs unless the job was cancelled
    Map<String, String> pullRequest = with(variables, "PR", "42");
    Shell changes = shell(with(pullRequest, "UCTRUST_EXIT", "2"), plan, comment);
    Shell inSync = shell(with(with(pullRequest, "UCTRUST_EXIT", "0"), "HAS_LAST", "yes"), plan, comment);
    Shell error = shell(with(with(pullRequest, "UCTRUST_EXIT", "1"), "HAS_LAST", "yes"), plan, comment);

    assertThat(changes.codes()).as(changes.output()).containsExactly(0, 0);
    assertThat(changes.githubOutput()).isEqualTo("status=2\n");
    assertThat(changes.calls()).containsExactly("uctrust reconcile --dry-run examples/lab --cluster lab --against "
        + "snapshots/lab.json --output markdown", "gh pr comment 42 --body-file plan.md --edit-last",
        "gh pr comment 42 --body-file plan.md");
    assertThat(inSync.codes()).containsExactly(0, 0);
    assertThat(inSync.calls()).endsWith("gh pr comment 42 --body-file plan.md --edit-last");
    assertThat(error.codes()).containsExactly(1, 0);
    assertThat(error.output()).contains("::error::uctrust reconcile --dry-run exited 1");
    assertThat(error.githubOutput()).isEqualTo("status=1\n");
  }

  @Test
  void theGitlabJobPostsThePlanAsAMergeRequestNoteAndFailsOnlyOnErrors() throws Exception {
    Map<String, Object> pipeline = yaml(GITLAB);
    String job = gitlabScripts(pipeline).get("uctrust-plan");
    Map<String, String> ci = new HashMap<>(strings(pipeline.get("variables")));
    ci.putAll(Map.of("CI_API_V4_URL", "https://gitlab.example.com/api/v4", "CI_PROJECT_ID", "7",
        "CI_MERGE_REQUEST_IID", "3", "UCTRUST_BOT_TOKEN", "project-token", "CI_PROJECT_DIR", "/builds/uc"));

    Shell changes = shell(with(ci, "UCTRUST_EXIT", "2"), job);
    Shell error = shell(with(ci, "UCTRUST_EXIT", "1"), job);

    assertThat(changes.codes()).as(changes.output()).containsExactly(0);
    assertThat(changes.calls()).containsExactly("uctrust validate examples/lab",
        "uctrust reconcile --dry-run examples/lab --cluster lab --against snapshots/lab.json --output markdown",
        "curl --silent --show-error --fail --request POST --header PRIVATE-TOKEN: project-token --data-urlencode "
            + "body@plan.md https://gitlab.example.com/api/v4/projects/7/merge_requests/3/notes");
    assertThat(changes.output()).contains("uctrust reconcile --dry-run exited 2");
    assertThat(error.codes()).containsExactly(1);
    assertThat(error.calls()).as("the plan is posted all the same").anyMatch(c -> c.startsWith("curl "));
  }

  private static Map<String, String> with(Map<String, String> map, String key, String value) {
    Map<String, String> out = new HashMap<>(map);
    out.put(key, value);
    return out;
  }

  private static String path(ParseResult parsed) {
    List<String> names = new ArrayList<>();
    for (ParseResult p = parsed.subcommand(); p != null; p = p.subcommand()) {
      names.add(p.commandSpec().name());
    }
    return String.join(" ", names);
  }

  /** Every {@code bin/uctrust} command in {@code script}, parsed by uctrust's command line. */
  private static List<ParseResult> uctrust(String script, Map<String, String> variables) {
    List<ParseResult> parsed = new ArrayList<>();
    for (String line : script.replace("\\\n", " ").split("\n")) {
      int at = line.indexOf("bin/uctrust ");
      if (at < 0) {
        continue;
      }
      List<String> words = words(line.substring(at + "bin/uctrust ".length()), variables);
      CommandLine commandLine = Main.commandLine(Clock.fixed(Instant.EPOCH, ZoneOffset.UTC), Map.of());
      parsed.add(commandLine.parseArgs(words.toArray(String[]::new)));
    }
    return parsed;
  }

  /** The words of a shell command up to its first operator, quotes removed and variables expanded, as sh does. */
  static List<String> words(String command, Map<String, String> variables) {
    List<String> words = new ArrayList<>();
    StringBuilder word = null;
    char quote = 0;
    for (int i = 0; i < command.length(); i++) {
      char c = command.charAt(i);
      if (quote == '\'') {
        if (c == '\'') {
          quote = 0;
        } else {
          word.append(c);
        }
      } else if (c == '$') {
        int end;
        String name;
        if (i + 1 < command.length() && command.charAt(i + 1) == '{') {
          end = command.indexOf('}', i);
          name = command.substring(i + 2, end);
        } else {
          end = i + 1;
          while (end < command.length() && (Character.isLetterOrDigit(command.charAt(end)) || command.charAt(end) == '_')) {
            end++;
          }
          name = command.substring(i + 1, end);
          end--;
        }
        assertThat(variables).as("variable " + name + " in: " + command).containsKey(name);
        word = word == null ? new StringBuilder() : word;
        word.append(variables.get(name));
        i = end;
      } else if (quote == '"') {
        if (c == '"') {
          quote = 0;
        } else {
          word.append(c);
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
        word = word == null ? new StringBuilder() : word;
      } else if (Character.isWhitespace(c)) {
        if (word != null) {
          if (OPERATORS.contains(word.toString())) {
            return words;
          }
          words.add(word.toString());
          word = null;
        }
      } else {
        word = word == null ? new StringBuilder() : word;
        word.append(c);
      }
    }
    if (word != null && !OPERATORS.contains(word.toString())) {
      words.add(word.toString());
    }
    return words;
  }

  private record Shell(List<Integer> codes, String output, List<String> calls, String githubOutput) {}

  /**
   * Runs each of {@code scripts} as the CI runners do ({@code bash -eo pipefail}), one after the other in one folder with a
   * stub {@code bin/uctrust} (it exits {@code UCTRUST_EXIT} for reconcile) and stub {@code gh} and {@code curl} on the
   * PATH; each stub records its call.
   */
  private Shell shell(Map<String, String> environment, String... scripts) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory(temp, "job");
    Path calls = dir.resolve("calls");
    Files.createFile(calls);
    stub(dir.resolve("bin/uctrust"), """
        echo "uctrust $*" >> "$CALLS"
        [ "$1" = reconcile ] || exit 0
        echo '## uctrust plan'
        exit "${UCTRUST_EXIT:-0}"
        """);
    stub(dir.resolve("stubs/gh"), """
        echo "gh $*" >> "$CALLS"
        case "$*" in *--edit-last*) [ -n "$HAS_LAST" ] || exit 1 ;; esac
        """);
    stub(dir.resolve("stubs/curl"), """
        echo "curl $*" >> "$CALLS"
        """);
    List<Integer> codes = new ArrayList<>();
    StringBuilder output = new StringBuilder();
    for (String script : scripts) {
      ProcessBuilder builder = new ProcessBuilder("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script)
          .directory(dir.toFile()).redirectErrorStream(true);
      Map<String, String> env = builder.environment();
      env.clear();
      env.put("PATH", dir.resolve("stubs") + ":/usr/bin:/bin");
      env.put("HOME", dir.toString());
      env.put("CALLS", calls.toString());
      env.put("GITHUB_OUTPUT", dir.resolve("github-output").toString());
      env.putAll(environment);
      Process process = builder.start();
      output.append(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
      codes.add(process.waitFor());
    }
    Path githubOutput = dir.resolve("github-output");
    return new Shell(codes, output.toString(), Files.readAllLines(calls),
        Files.exists(githubOutput) ? Files.readString(githubOutput) : "");
  }

  private static void stub(Path file, String body) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, "#!/bin/sh\n" + body);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
