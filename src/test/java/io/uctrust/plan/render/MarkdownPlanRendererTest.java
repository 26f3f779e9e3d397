package io.uctrust.plan.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.uctrust.cluster.SecretRedactor;
import io.uctrust.plan.Action;
import io.uctrust.plan.Change;
import io.uctrust.plan.Impact;
import io.uctrust.plan.Phase;
import io.uctrust.plan.Plan;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The Markdown pull-request comment: summary, grouping, impact, escaping, collapsing, the size limit and redaction. */
class MarkdownPlanRendererTest {

  private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
  private static final String FINGERPRINT = "sha256:" + "ab".repeat(32);

  private static Change change(int id, Phase phase, Action action, String resource, String address, String reason,
      Impact impact) {
    return new Change(id, phase, action, resource, address, "", action == Action.DELETE ? "" : "after " + id, reason,
        "truststores.yaml:" + id, impact, List.of(), List.of());
  }

  private static Plan plan(String cluster, List<Change> changes, List<String> notes) {
    return new Plan(Plan.FORMAT, cluster, "lab", NOW, FINGERPRINT, FINGERPRINT, changes, notes);
  }

  private static Plan mixed() {
    List<Change> changes = List.of(
        change(1, Phase.TRUST, Action.CREATE, "trust-certificate", "a/tomcat-trust/Root", "listed", Impact.restarting(
            List.of("Cisco Tomcat@a"))),
        change(2, Phase.TRUST, Action.CREATE, "trust-certificate", "b/tomcat-trust/Root", "listed", Impact.restarting(
            List.of("Cisco Tomcat@b"))),
        change(3, Phase.IDENTITY, Action.REPLACE, "identity-certificate", "a/CallManager", "expires",
            new Impact(List.of(), true, 0)),
        change(4, Phase.TRUST_CLEANUP, Action.DELETE, "trust-certificate", "a/tomcat-trust/Old", "not listed", Impact.NONE),
        change(5, Phase.RESTART, Action.RESTART, "service", "Cisco Tomcat@a", "needed", Impact.NONE),
        change(6, Phase.RESTART, Action.RESTART, "service", "Cisco Tomcat@b", "needed", Impact.NONE),
        new Change(7, Phase.PHONES, Action.UPDATE, "phone-capf", "policy lsc (12 phones)", "", "install", "no LSC", "",
            new Impact(List.of(), false, 12), List.of("SEP000000000001", "SEP000000000002"), List.of()),
        change(8, Phase.MANUAL, Action.CHECK, "monitoring-setting", "Certificate Monitor", "unreadable", Impact.NONE));
    return plan("lab", changes, List.of("first note", "second note"));
  }

  @Test
  void changesAreGroupedByKindOfResourceCountedInTheHeadingsUnderTheClustersImpact() {
    String markdown = new MarkdownPlanRenderer().render(List.of(mixed()));

    assertThat(markdown).startsWith("## uctrust plan\n\n**Changes pending: 2 to add, 2 to change, 1 to remove, 2 restarts, "
        + "12 phones affected, 1 manual step.** Exit code 2: changes pending; nothing has been applied.\n\n");
    assertThat(markdown).contains("### Cluster <code>lab</code>: 2 to add, 2 to change")
        .contains("<sub>target: lab · planned 2026-12-01T00:00:00Z · observed sha256:abababababab…</sub>")
        .contains("**Impact:** 2 restarts (Cisco Tomcat on 2 nodes); 12 phones affected; phones download a new trust "
            + "list (ITL); 1 step for a person (manual or check).");
    List<String> headings = markdown.lines().filter(l -> l.startsWith("#### ")).toList();
    assertThat(headings).containsExactly(
        "#### Trust certificates (3: 2 create, 1 delete)",
        "#### Identity certificates (1: 1 replace)",
        "#### Cluster settings (1: 1 check)",
        "#### Phones (1: 1 update)",
        "#### Services (restarts and activations) (2: 2 restart)");
    assertThat(markdown).contains("| 8 | **check** | monitoring-setting | <code>Certificate Monitor</code> |")
        .contains("12 phones: SEP000000000001, SEP000000000002");
    assertThat(markdown.lines().filter(l -> l.matches("\\| \\d+ \\|.*"))).hasSize(8);
  }

  @Test
  void theSummaryLineCoversEveryClusterAndSaysWhatTheExitCodeMeans() {
    Plan inSync = plan("branch", List.of(), List.of());
    MarkdownPlanRenderer renderer = new MarkdownPlanRenderer();

    String pending = renderer.render(List.of(mixed(), inSync));
    String allInSync = renderer.render(List.of(inSync, plan("hq", List.of(), List.of())));
    String failed = renderer.render(List.of(inSync), Map.of("hq", "cannot log in to AXL as axladmin"), 1);

    assertThat(pending).contains("**1 of 2 clusters with changes: 2 to add,").contains("Exit code 2: changes pending")
        .contains("### Cluster <code>branch</code>: in sync");
    assertThat(allInSync).contains("**All 2 clusters in sync.** Exit code 0: in sync, nothing to apply.")
        .doesNotContain("**Impact:**");
    assertThat(failed).contains("**0 of 2 clusters with changes: 0 to add, 0 to change, 0 to remove, 0 restarts, 0 phones "
        + "affected; 1 not planned.** Exit code 1: invalid input or an error; the plan is incomplete.")
        .contains("### Cluster <code>hq</code>: not planned\n\n> cannot log in to AXL as axladmin");
  }

  @Test
  void textFromAPlanIsEscapedSoNothingInItReadsAsMarkupOrBreaksATable() {
    Change hostile = new Change(1, Phase.SETTINGS, Action.UPDATE, "expressway-c", "exp|c`1`", "*old* _value_",
        "<script>alert(1)</script>", "see [link](https://example.com) & ~~this~~\nnext line", "", Impact.NONE, List.of(),
        List.of());

    String markdown = new MarkdownPlanRenderer().render(List.of(plan("lab", List.of(hostile), List.of("a <b>note</b>"))));

    String row = markdown.lines().filter(l -> l.startsWith("| 1 |")).findFirst().orElseThrow();
    assertThat(row).contains("<code>exp\\|c\\`1\\`</code>").contains("~~\\*old\\* \\_value\\_~~<br>")
        .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
        .contains("see \\[link\\](https://example.com) &amp; \\~\\~this\\~\\~ next line");
    assertThat(row.replace("\\|", "").chars().filter(c -> c == '|')).as("7 columns").hasSize(8);
    assertThat(markdown).doesNotContain("<script>").doesNotContain("<b>").contains("- a &lt;b&gt;note&lt;/b&gt;");
  }

  @Test
  void largeTablesAreCollapsedUnderTheirHeadingAndNotesSitInDetails() {
    List<Change> changes = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      changes.add(change(i, Phase.TRUST, Action.CREATE, "trust-certificate", "node/CallManager-trust/CA " + i, "listed",
          Impact.NONE));
    }
    changes.add(change(21, Phase.SETTINGS, Action.UPDATE, "capf-parameter", "Key Size", "differs", Impact.NONE));

    String markdown = new MarkdownPlanRenderer().render(List.of(plan("lab", changes, List.of("one", "two"))));

    assertThat(markdown).contains("#### Trust certificates (20: 20 create)\n\n<details><summary>Show 20 changes</summary>"
        + "\n\n| # | action |")
        .contains("#### CAPF (1: 1 update)\n\n| # | action |")
        .contains("<details><summary>Notes (2)</summary>\n\n- one\n- two\n\n</details>");
    assertThat(count(markdown, "<details>")).isEqualTo(count(markdown, "</details>")).isEqualTo(2);
  }

  @Test
  void aPlanTooLargeForAGithubCommentIsCutToFitAndSaysHowManyRowsAreLeftOut() {
    List<Change> changes = new ArrayList<>();
    for (int i = 1; i <= 3000; i++) {
      Phase phase = i % 2 == 0 ? Phase.TRUST : Phase.PHONES;
      String resource = i % 2 == 0 ? "trust-certificate" : "phone-capf";
      changes.add(change(i, phase, Action.CREATE, resource, "node-" + i + "/CallManager-trust/Example Corp Issuing CA " + i,
          "listed in TrustStore/callmanager-trust, missing on the node, ".repeat(3), Impact.NONE));
    }
    List<String> notes = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      notes.add("note " + i + " ".repeat(10));
    }

    String markdown = new MarkdownPlanRenderer().render(List.of(plan("lab", changes, notes)));

    assertThat(markdown.length()).isLessThanOrEqualTo(MarkdownPlanRenderer.MAX_CHARACTERS).isGreaterThan(50_000);
    assertThat(count(markdown, "<details>")).isEqualTo(count(markdown, "</details>"));
    long rows = markdown.lines().filter(l -> l.matches("\\| \\d+ \\|.*")).count();
    long noteLines = markdown.lines().filter(l -> l.startsWith("- note ")).count();
    int leftOut = 0;
    Matcher more = Pattern.compile("_… and (\\d+) more (changes|notes), left out to fit a comment\\._").matcher(markdown);
    while (more.find()) {
      leftOut += Integer.parseInt(more.group(1));
    }
    assertThat(rows + noteLines + leftOut).isEqualTo(3300);
    assertThat(markdown).contains(" " + leftOut + " rows are left out to fit a comment: run `uctrust reconcile --dry-run` "
        + "for the whole plan.");
  }

  @Test
  void secretValuesAndPrivateKeysAreRedactedShouldAPlanEverCarryThem() {
    String key = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n";
    Change leaky = new Change(1, Phase.SETTINGS, Action.UPDATE, "capf-parameter", "Online CA Password", "",
        "hunter2-but-longer", "was hunter2-but-longer", "", Impact.NONE, List.of(), List.of());

    String markdown = new MarkdownPlanRenderer(MarkdownPlanRenderer.MAX_CHARACTERS,
        new SecretRedactor(Set.of("hunter2-but-longer"))).render(List.of(plan("lab", List.of(leaky), List.of(key))));

    assertThat(markdown).doesNotContain("hunter2").doesNotContain("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC")
        .contains("| \\[redacted\\] | was \\[redacted\\] |").contains("- \\[redacted\\]");
  }

  @Test
  void anInvalidDesiredStateIsACommentWithTheReportAsPreformattedText() {
    String report = "cluster.yaml\n  9:21  error  spec.x: must be <b>between</b> 5 & 60 [range]\n\ninvalid: 1 error\n";

    String markdown = new MarkdownPlanRenderer().renderInvalid(report);

    assertThat(markdown).isEqualTo("## uctrust plan\n\n**The desired state is invalid; nothing was planned.** Exit code 1: "
        + "invalid input.\n\n<pre>\ncluster.yaml\n  9:21  error  spec.x: must be &lt;b&gt;between&lt;/b&gt; 5 &amp; 60 "
        + "[range]\n\ninvalid: 1 error\n</pre>\n");
  }

  private static int count(String text, String what) {
    return text.split(Pattern.quote(what), -1).length - 1;
  }
}
