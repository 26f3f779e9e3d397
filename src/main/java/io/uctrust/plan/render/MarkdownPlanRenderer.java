package io.uctrust.plan.render;

import io.uctrust.plan.Change;
import io.uctrust.plan.Phase;
import io.uctrust.plan.Plan;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** A plan as Markdown for pull-request comments: summary first, a table per phase, notes last. */
public final class MarkdownPlanRenderer {

  public String render(List<Plan> plans) {
    StringBuilder out = new StringBuilder("## uctrust plan\n\n");
    for (Plan plan : plans) {
      out.append("### Cluster `").append(plan.cluster()).append("` (").append(plan.target()).append(")\n\n");
      if (plan.source() != null) {
        out.append("Source: ").append(cell(plan.source().describe())).append("\n\n");
      }
      out.append(plan.inSync() ? "**In sync.** Nothing to change.\n\n" : "**" + plan.summary().line() + "**\n\n");
      Map<Phase, List<Change>> byPhase = plan.changes().stream()
          .collect(Collectors.groupingBy(Change::phase, LinkedHashMap::new, Collectors.toList()));
      byPhase.forEach((phase, changes) -> {
        out.append("#### ").append(TextPlanRenderer.heading(phase)).append("\n\n");
        out.append("| # | action | resource | address | change | why | impact |\n|---|---|---|---|---|---|---|\n");
        for (Change c : changes) {
          String change = (c.before().isEmpty() ? "" : "~~" + cell(c.before()) + "~~<br>") + cell(c.after());
          out.append("| ").append(c.id()).append(" | ").append(c.action().word()).append(" | ").append(c.resource())
              .append(" | `").append(cell(c.address())).append("` | ").append(change).append(" | ").append(cell(c.reason()))
              .append(c.source().isEmpty() ? "" : " (`" + c.source() + "`)").append(" | ")
              .append(cell(TextPlanRenderer.impact(c))).append(" |\n");
        }
        out.append('\n');
      });
      if (!plan.notes().isEmpty()) {
        out.append("<details><summary>Notes (").append(plan.notes().size()).append(")</summary>\n\n");
        plan.notes().forEach(n -> out.append("- ").append(cell(n)).append('\n'));
        out.append("\n</details>\n\n");
      }
    }
    return out.toString();
  }

  private static String cell(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }
}
