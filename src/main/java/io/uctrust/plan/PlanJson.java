package io.uctrust.plan;

import io.uctrust.apply.Outcome;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON form of plans ({@code format: uctrust.plan/v1}, schema {@code schemas/plan.schema.json}) and of
 * apply outcomes: for machines, for {@code reconcile --dry-run --out FILE}, and for the journal. Reading
 * gives back exactly the plan that was written.
 */
public final class PlanJson {
  private PlanJson() {}

  private static final JsonMapper JSON = JsonMapper.builder()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();
  private static final JsonMapper LINE = JsonMapper.builder().build();

  /** A plan that cannot be read back; the message says why. */
  public static final class UnreadablePlanException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UnreadablePlanException(String message) {
      super(message);
    }
  }

  public static String write(Plan plan) {
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
    return JSON.writeValueAsString(node) + "\n";
  }

  public static Plan read(String json) {
    try {
      JsonNode node = JSON.readTree(json);
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
