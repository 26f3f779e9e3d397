package io.uctrust.plan;

import io.uctrust.apply.Outcome;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON form of plans ({@code format: uctrust.plan/v1}, schema {@code schemas/plan.schema.json}), of a whole dry run
 * ({@code uctrust.dry-run/v1}: every cluster's plan in one document) and of apply outcomes: for machines, for
 * {@code reconcile --dry-run --out FILE}, and for the journal. Reading gives back exactly the plan that was written.
 */
public final class PlanJson {
  private PlanJson() {}

  private static final JsonMapper JSON = JsonMapper.builder()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();
  /** The format of {@link #writeDryRun}'s document. */
  public static final String DRY_RUN_FORMAT = "uctrust.dry-run/v1";

  private static final JsonMapper LINE = JsonMapper.builder().build();

  /** A plan that cannot be read back; the message says why. */
  public static final class UnreadablePlanException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UnreadablePlanException(String message) {
      super(message);
    }
  }

  public static String write(Plan plan) {
    return JSON.writeValueAsString(tree(plan)) + "\n";
  }

  /**
   * One JSON document for a whole dry run ({@code format: uctrust.dry-run/v1}): the exit code, whether every cluster is
   * in sync, each cluster's plan as {@link #write} writes it, and the clusters that could not be planned with why
   * ({@code errors[]}: {@code cluster}, {@code message}).
   */
  public static String writeDryRun(List<Plan> plans, Map<String, String> errors, int exitCode) {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", DRY_RUN_FORMAT);
    root.put("exitCode", exitCode);
    root.put("inSync", exitCode == 0);
    ArrayNode clusters = root.putArray("clusters");
    plans.forEach(p -> clusters.add(tree(p)));
    ArrayNode failed = root.putArray("errors");
    errors.forEach((cluster, message) -> failed.addObject().put("cluster", cluster).put("message", message));
    return JSON.writeValueAsString(root) + "\n";
  }

  private static ObjectNode tree(Plan plan) {
    ObjectNode node = JSON.valueToTree(plan);
    Map<String, Object> summary = new LinkedHashMap<>();
    Plan.Summary s = plan.summary();
    summary.put("add", s.add());
    summary.put("change", s.change());
    summary.put("remove", s.remove());
    summary.put("restarts", s.restarts());
    summary.put("phones", s.phones());
    summary.put("manual", s.manual());
    summary.put("inSync", plan.inSync());
    node.set("summary", JSON.valueToTree(summary));
    return node;
  }

  public static Plan read(String json) {
    try {
      JsonNode node = JSON.readTree(json);
      // a dry run's document of one cluster holds just that plan
      if (node != null && DRY_RUN_FORMAT.equals(node.path("format").asString(""))) {
        if (node.path("clusters").size() != 1) {
          throw new UnreadablePlanException("a dry run's document of " + node.path("clusters").size() + " plans, not one; "
              + "save one with 'reconcile --dry-run --cluster NAME --out FILE'");
        }
        node = node.path("clusters").get(0);
      }
      if (node == null || !Plan.FORMAT.equals(node.path("format").asString(""))) {
        throw new UnreadablePlanException("not a uctrust plan of format " + Plan.FORMAT);
      }
      ((ObjectNode) node).remove("summary");
      return JSON.treeToValue(node, Plan.class);
    } catch (JacksonException e) {
      throw new UnreadablePlanException("not a readable uctrust plan: " + e.getOriginalMessage());
    }
  }

  public static String writeOutcome(Outcome outcome) {
    return LINE.writeValueAsString(outcome);
  }

  public static Outcome readOutcome(String line) {
    return LINE.readValue(line, Outcome.class);
  }
}
