package io.uctrust.plan.render;

import io.uctrust.plan.Change;
import io.uctrust.plan.Phase;
import io.uctrust.plan.Plan;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A plan for people at a terminal: changes grouped by phase in the order they run, each with its
 * address, before and after, reason and impact, then notes and the summary line. Colour only when asked.
 */
public final class TextPlanRenderer {
  private static final String GREEN = "\u001b[32m";
  private static final String YELLOW = "\u001b[33m";
  private static final String RED = "\u001b[31m";
  private static final String CYAN = "\u001b[36m";
  private static final String BOLD = "\u001b[1m";
  private static final String DIM = "\u001b[2m";
  private static final String RESET = "\u001b[0m";
  static final int SHOWN_PHONES = 5;

  private final boolean colour;

  public TextPlanRenderer(boolean colour) {
    this.colour = colour;
  }

  public String render(Plan plan) {
    StringBuilder out = new StringBuilder();
    out.append(paint(BOLD, "Cluster " + plan.cluster())).append(" (").append(plan.target()).append(")\n");
    if (plan.source() != null) {
      out.append("Source: ").append(plan.source().describe()).append('\n');
    }
    if (plan.inSync()) {
      out.append("  in sync: nothing to change\n");
    }
    Map<Phase, List<Change>> byPhase = plan.changes().stream()
        .collect(Collectors.groupingBy(Change::phase, LinkedHashMap::new, Collectors.toList()));
    byPhase.forEach((phase, changes) -> {
      out.append('\n').append(paint(BOLD, heading(phase))).append('\n');
      for (Change c : changes) {
        out.append(String.format("  %3d  %s %s %s%n", c.id(), symbol(c), c.resource(), paint(BOLD, c.address())));
        if (!c.before().isEmpty()) {
          out.append("         - ").append(paint(RED, c.before())).append('\n');
        }
        if (!c.after().isEmpty()) {
          out.append("         + ").append(paint(GREEN, c.after())).append('\n');
        }
        out.append("         ").append(paint(DIM, "why: " + c.reason() + (c.source().isEmpty() ? "" : " [" + c.source() + "]")))
            .append('\n');
        String impact = impact(c);
        if (!impact.isEmpty()) {
          out.append("         ").append(paint(YELLOW, "impact: " + impact)).append('\n');
        }
      }
    });
    if (!plan.notes().isEmpty()) {
      out.append('\n').append(paint(BOLD, "Notes")).append('\n');
      plan.notes().forEach(n -> out.append("  - ").append(n).append('\n'));
    }
    out.append('\n').append(plan.inSync() ? "In sync." : "Plan: " + plan.summary().line() + ".").append('\n');
    return out.toString();
  }

  static String heading(Phase phase) {
    return switch (phase) {
      case TRUST -> "Trust (first: CAs before the identities and CAPF settings that rely on them)";
      case SETTINGS -> "Settings";
      case IDENTITY -> "Identity certificates";
      case TRUST_CLEANUP -> "Trust removals";
      case RESTART -> "Restarts (node by node, each service once)";
      case VERIFY -> "Verification (each node serves its new certificates over TLS)";
      case PHONES -> "Phones (after the services are back)";
      case MANUAL -> "Manual steps (uctrust cannot do these)";
    };
  }

  private String symbol(Change c) {
    return switch (c.action()) {
      case CREATE, ACTIVATE -> paint(GREEN, "+ " + c.action().word());
      case UPDATE, REPLACE -> paint(YELLOW, "~ " + c.action().word());
      case DELETE -> paint(RED, "- " + c.action().word());
      case RESTART -> paint(CYAN, "↻ " + c.action().word());
      case VERIFY -> paint(CYAN, "? " + c.action().word());
      case MANUAL, CHECK -> paint(BOLD, "! " + c.action().word());
    };
  }

  /** The impact of a change in words; phones beyond the first few are counted. */
  static String impact(Change c) {
    StringBuilder text = new StringBuilder();
    if (!c.impact().restarts().isEmpty()) {
      text.append("restarts ").append(String.join(", ", c.impact().restarts()));
    }
    if (c.impact().trustListRefresh()) {
      text.append(text.isEmpty() ? "" : "; ").append("phones download a new trust list (ITL)");
    }
    if (c.impact().phones() > 0) {
      text.append(text.isEmpty() ? "" : "; ").append(c.impact().phones()).append(" phone").append(c.impact().phones() == 1 ? "" : "s");
      if (!c.phones().isEmpty()) {
        text.append(": ").append(String.join(", ", c.phones().subList(0, Math.min(SHOWN_PHONES, c.phones().size()))));
        if (c.phones().size() > SHOWN_PHONES) {
          text.append(" and ").append(c.phones().size() - SHOWN_PHONES).append(" more");
        }
      }
    }
    return text.toString();
  }

  private String paint(String code, String text) {
    return colour ? code + text + RESET : text;
  }
}
