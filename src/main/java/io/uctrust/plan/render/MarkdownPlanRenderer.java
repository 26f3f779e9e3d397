package io.uctrust.plan.render;

import io.uctrust.cluster.SecretRedactor;
import io.uctrust.plan.Action;
import io.uctrust.plan.Change;
import io.uctrust.plan.Plan;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Plans as one Markdown pull-request comment: a summary line for every cluster with what the exit code means, then per
 * cluster its impact (restarts, phones) and its changes grouped by kind of resource (trust certificates, identities,
 * CAPF, SIP OAuth, settings, phones, services, verification), counted in the headings, large tables and the notes
 * collapsed. Fits a GitHub comment ({@value #MAX_CHARACTERS} characters of GitHub's 65,536): rows beyond that are left
 * out, and counted. Every text from a plan is escaped for Markdown and HTML, and passes a last redaction of secrets.
 *
 * <p>Not for: a terminal ({@link TextPlanRenderer}) or machines ({@code PlanJson}); nor a full record of a large plan.
 */
public final class MarkdownPlanRenderer {

  /** The longest comment this renders: GitHub takes 65,536 characters; the rest is room for a CI job's own lines. */
  public static final int MAX_CHARACTERS = 65_000;

  /** Tables longer than this are collapsed under their heading. */
  static final int COLLAPSED_ROWS = 15;

  /** Cells longer than this are shortened: a certificate subject need not take a screen. */
  static final int CELL_CHARACTERS = 400;

  /** Notes are prose, with GUI paths: they get more room than a cell. */
  static final int NOTE_CHARACTERS = 1_000;

  /** Kinds of resource, in the order a reviewer reads them; a resource no kind names falls under {@link #OTHER}. */
  private enum Kind {
    TRUST("Trust certificates", "trust-certificate"),
    IDENTITY("Identity certificates", "identity-certificate"),
    CAPF("CAPF", "capf-parameter", "capf-keepalive", "online-ca-preflight"),
    SIP_OAUTH("SIP OAuth", "sip-oauth-mode", "sip-oauth-ports", "expressway-c", "phone-security-profile"),
    SETTINGS("Cluster settings", "enterprise-parameter", "cluster-security", "im-and-presence-setting",
        "monitoring-setting"),
    PHONES("Phones", "phone-capf", "phone-lsc", "stale-lsc", "phone-mra-activation"),
    SERVICES("Services (restarts and activations)", "service"),
    VERIFICATION("Verification: each node serves its new certificates over TLS", "served-identity"),
    OTHER("Other");

    private final String heading;
    private final List<String> resources;

    Kind(String heading, String... resources) {
      this.heading = heading;
      this.resources = Arrays.asList(resources);
    }

    static Kind of(String resource) {
      return Arrays.stream(values()).filter(k -> k.resources.contains(resource)).findFirst().orElse(OTHER);
    }
  }

  private final int maxCharacters;
  private final SecretRedactor redactor;

  /** A renderer for GitHub comments that redacts private keys. */
  public MarkdownPlanRenderer() {
    this(MAX_CHARACTERS, SecretRedactor.KEYS_ONLY);
  }

  /** A renderer of comments up to {@code maxCharacters} that redacts what {@code redactor} finds. */
  public MarkdownPlanRenderer(int maxCharacters, SecretRedactor redactor) {
    this.maxCharacters = maxCharacters;
    this.redactor = redactor;
  }

  /** The comment for {@code plans}, all of them planned: exit code 0 when all are in sync, 2 otherwise. */
  public String render(List<Plan> plans) {
    return render(plans, Map.of(), plans.stream().allMatch(Plan::inSync) ? 0 : 2);
  }

  /**
   * The comment for {@code plans}, {@code errors} (message by cluster) for the clusters that could not be planned, and the
   * dry run's {@code exitCode}, explained at the top.
   */
  public String render(List<Plan> plans, Map<String, String> errors, int exitCode) {
    int rows = plans.stream().mapToInt(p -> Math.max(p.changes().size(), p.notes().size())).max().orElse(0);
    String full = render(plans, errors, exitCode, rows);
    if (full.length() <= maxCharacters) {
      return full;
    }
    // the most rows per table that fit; fewer rows never make a longer comment
    int low = 0;
    int high = rows - 1;
    while (low < high) {
      int middle = (low + high + 1) / 2;
      if (render(plans, errors, exitCode, middle).length() <= maxCharacters) {
        low = middle;
      } else {
        high = middle - 1;
      }
    }
    String fitted = render(plans, errors, exitCode, low);
    if (fitted.length() <= maxCharacters) {
      return fitted;
    }
    // not even the headings fit: cut at a line, where no table or details block is open with no rows at all
    String cut = fitted.substring(0, fitted.lastIndexOf('\n', maxCharacters - 80) + 1);
    return cut + "\n_The rest is left out: it would exceed the comment size limit._\n";
  }

  /** The comment when the desired state is invalid: nothing was planned; {@code report} is validation's text report. */
  public String renderInvalid(String report) {
    String escaped = redactor.redact(report).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    if (escaped.length() > maxCharacters - 300) {
      escaped = escaped.substring(0, escaped.lastIndexOf('\n', maxCharacters - 300) + 1) + "…\n";
    }
    return "## uctrust plan\n\n**The desired state is invalid; nothing was planned.** Exit code 1: invalid input.\n\n<pre>\n"
        + escaped + "</pre>\n";
  }

  private String render(List<Plan> plans, Map<String, String> errors, int exitCode, int rowsPerTable) {
    StringBuilder out = new StringBuilder("## uctrust plan\n\n");
    int omitted = plans.stream().mapToInt(p -> omitted(p, rowsPerTable)).sum();
    out.append(summary(plans, errors, exitCode));
    if (omitted > 0) {
      out.append(" ").append(omitted).append(" row").append(omitted == 1 ? " is" : "s are")
          .append(" left out to fit a comment: run `uctrust reconcile --dry-run` for the whole plan.");
    }
    out.append("\n\n");
    for (Plan plan : plans) {
      cluster(out, plan, rowsPerTable);
    }
    errors.forEach((cluster, message) -> out.append("### Cluster ").append(code(cluster)).append(": not planned\n\n> ")
        .append(text(message)).append("\n\n"));
    return out.toString();
  }

  /** One line over every cluster, and what the exit code means. */
  private String summary(List<Plan> plans, Map<String, String> errors, int exitCode) {
    long pending = plans.stream().filter(p -> !p.inSync()).count();
    int clusters = plans.size() + errors.size();
    StringBuilder line = new StringBuilder("**");
    if (pending == 0 && errors.isEmpty()) {
      line.append(clusters == 1 ? "In sync" : "All " + clusters + " clusters in sync");
    } else {
      line.append(clusters == 1 ? "Changes pending" : pending + " of " + clusters + " clusters with changes")
          .append(": ").append(total(plans).line());
      if (!errors.isEmpty()) {
        line.append("; ").append(errors.size()).append(" not planned");
      }
    }
    line.append(".** ");
    line.append(switch (exitCode) {
      case 0 -> "Exit code 0: in sync, nothing to apply.";
      case 2 -> "Exit code 2: changes pending; nothing has been applied.";
      default -> "Exit code " + exitCode + ": invalid input or an error; the plan is incomplete.";
    });
    return line.toString();
  }

  private static Plan.Summary total(List<Plan> plans) {
    return plans.stream().map(Plan::summary).reduce(Plan.Summary.NONE, Plan.Summary::plus);
  }

  private void cluster(StringBuilder out, Plan plan, int rowsPerTable) {
    out.append("### Cluster ").append(code(plan.cluster())).append(": ")
        .append(plan.inSync() ? "in sync" : text(plan.summary().line())).append("\n\n");
    out.append("<sub>target: ").append(text(plan.target())).append(" · planned ").append(plan.createdAt())
        .append(" · observed ").append(text(shortFingerprint(plan.observedFingerprint()))).append("</sub>\n\n");
    if (plan.source() != null) {
      out.append("Source: ").append(text(plan.source().describe())).append("\n\n");
    }
    if (!plan.inSync()) {
      out.append("**Impact:** ").append(impact(plan)).append("\n\n");
    }
    Map<Kind, List<Change>> byKind = plan.changes().stream().collect(Collectors.groupingBy(c -> Kind.of(c.resource()),
        () -> new EnumMap<>(Kind.class), Collectors.toList()));
    byKind.forEach((kind, changes) -> {
      out.append("#### ").append(kind.heading).append(" (").append(changes.size()).append(": ").append(counts(changes))
          .append(")\n\n");
      int shown = Math.min(rowsPerTable, changes.size());
      boolean collapsed = shown > COLLAPSED_ROWS;
      if (collapsed) {
        out.append("<details><summary>Show ").append(shown).append(" changes</summary>\n\n");
      }
      if (shown > 0) {
        out.append("| # | action | resource | address | change | why | impact |\n|---|---|---|---|---|---|---|\n");
        changes.subList(0, shown).forEach(c -> row(out, c));
        out.append('\n');
      }
      if (collapsed) {
        out.append("</details>\n\n");
      }
      leftOut(out, changes.size() - shown, "change");
    });
    if (!plan.notes().isEmpty()) {
      int shown = Math.min(rowsPerTable, plan.notes().size());
      out.append("<details><summary>Notes (").append(plan.notes().size()).append(")</summary>\n\n");
      plan.notes().subList(0, shown).forEach(n -> out.append("- ").append(text(n, NOTE_CHARACTERS)).append('\n'));
      out.append('\n');
      leftOut(out, plan.notes().size() - shown, "note");
      out.append("</details>\n\n");
    }
  }

  private static int omitted(Plan plan, int rowsPerTable) {
    int omitted = Math.max(0, plan.notes().size() - rowsPerTable);
    Map<Kind, Long> sizes = plan.changes().stream().collect(Collectors.groupingBy(c -> Kind.of(c.resource()),
        Collectors.counting()));
    for (long size : sizes.values()) {
      omitted += (int) Math.max(0, size - rowsPerTable);
    }
    return omitted;
  }

  private static void leftOut(StringBuilder out, int count, String what) {
    if (count > 0) {
      out.append("_… and ").append(count).append(" more ").append(what).append(count == 1 ? "" : "s")
          .append(", left out to fit a comment._\n\n");
    }
  }

  /** "3 create, 1 delete" for a heading, in the actions' order. */
  private static String counts(List<Change> changes) {
    Map<Action, Long> byAction = changes.stream().collect(Collectors.groupingBy(Change::action, TreeMap::new,
        Collectors.counting()));
    return byAction.entrySet().stream().map(e -> e.getValue() + " " + e.getKey().word()).collect(Collectors.joining(", "));
  }

  /** Restarts by service, phones affected, trust list downloads and manual steps. */
  private String impact(Plan plan) {
    List<String> parts = new ArrayList<>();
    Map<String, Integer> nodesByService = new LinkedHashMap<>();
    plan.changes().stream().filter(c -> c.action() == Action.RESTART).forEach(c -> {
      int at = c.address().lastIndexOf('@');
      nodesByService.merge(at < 0 ? c.address() : c.address().substring(0, at), 1, Integer::sum);
    });
    if (!nodesByService.isEmpty()) {
      int restarts = nodesByService.values().stream().mapToInt(Integer::intValue).sum();
      parts.add(restarts + " restart" + (restarts == 1 ? "" : "s") + " (" + nodesByService.entrySet().stream()
          .map(e -> text(e.getKey()) + " on " + e.getValue() + " node" + (e.getValue() == 1 ? "" : "s"))
          .collect(Collectors.joining(", ")) + ")");
    }
    int phones = plan.summary().phones();
    if (phones > 0) {
      parts.add(phones + " phone" + (phones == 1 ? "" : "s") + " affected");
    }
    if (plan.changes().stream().anyMatch(c -> c.impact().trustListRefresh())) {
      parts.add("phones download a new trust list (ITL)");
    }
    int manual = plan.summary().manual();
    if (manual > 0) {
      parts.add(manual + " step" + (manual == 1 ? "" : "s") + " for a person (manual or check)");
    }
    return parts.isEmpty() ? "no restarts, no phones." : String.join("; ", parts) + ".";
  }

  private void row(StringBuilder out, Change c) {
    String change = (c.before().isEmpty() ? "" : "~~" + text(c.before()) + "~~<br>") + text(c.after());
    String action = c.action() == Action.MANUAL || c.action() == Action.CHECK ? "**" + c.action().word() + "**"
        : c.action().word();
    out.append("| ").append(c.id()).append(" | ").append(action).append(" | ").append(text(c.resource()))
        .append(" | ").append(code(c.address())).append(" | ").append(change).append(" | ").append(text(c.reason()))
        .append(c.source().isEmpty() ? "" : " " + code(c.source())).append(" | ").append(text(TextPlanRenderer.impact(c)))
        .append(" |\n");
  }

  private static String shortFingerprint(String fingerprint) {
    return fingerprint.length() > 19 ? fingerprint.substring(0, 19) + "…" : fingerprint;
  }

  /** {@code value} as inline code; escaped as text, since Markdown is read inside HTML elements. */
  private String code(String value) {
    return "<code>" + text(value) + "</code>";
  }

  /** Plan text for a Markdown table cell or line: secrets redacted, shortened, on one line, nothing read as markup. */
  private String text(String value) {
    return text(value, CELL_CHARACTERS);
  }

  private String text(String value, int maxCharacters) {
    String clean = redactor.redact(value);
    if (clean.length() > maxCharacters) {
      clean = clean.substring(0, maxCharacters) + "…";
    }
    StringBuilder out = new StringBuilder(clean.length() + 16);
    for (char ch : clean.toCharArray()) {
      switch (ch) {
        case '\n', '\r', '\t' -> out.append(' ');
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '|', '\\', '`', '*', '_', '[', ']', '~', '#', '!' -> out.append('\\').append(ch);
        default -> out.append(ch);
      }
    }
    return out.toString();
  }
}
