package io.uctrust.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.uctrust.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The JSON form of plans follows schemas/plan.schema.json and reads back to the same plan. */
class PlanJsonTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC);

  @TempDir Path temp;

  private String plan(String example) {
    StringWriter out = new StringWriter();
    Main.run(CLOCK, Map.of(), new PrintWriter(out), new PrintWriter(new StringWriter()), "reconcile", "--dry-run",
        "examples/" + example, "--state-dir", temp.resolve("lab").toString(), "-o", "json");
    return out.toString();
  }

  @ParameterizedTest
  @ValueSource(strings = {"lab", "offline-ca", "sip-oauth-mra"})
  void everyExamplePlanFollowsThePlanSchemaAndReadsBackUnchanged(String example) throws IOException {
    JsonMapper mapper = JsonMapper.builder().build();
    JsonNode json = mapper.readTree(plan(example)).get("clusters").get(0);
    Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
        .getSchema(Files.newInputStream(Path.of("schemas/plan.schema.json")));

    assertThat(schema.validate(json)).isEmpty();
    Plan plan = PlanJson.read(mapper.writeValueAsString(json));
    assertThat(mapper.readTree(PlanJson.write(plan))).isEqualTo(json);
    assertThat(plan.changes()).isNotEmpty();
  }

  @Test
  void aDryRunDocumentHoldsEveryPlanAndReadsAsAPlanOnlyWhenItHoldsOne() {
    String one = plan("offline-ca");
    JsonNode document = JsonMapper.builder().build().readTree(one);
    Plan plan = PlanJson.read(one);
    String two = PlanJson.writeDryRun(List.of(plan, plan), Map.of("hq", "cannot log in"), 1);

    assertThat(document.get("format").asString()).isEqualTo(PlanJson.DRY_RUN_FORMAT);
    assertThat(document.get("clusters")).hasSize(1);
    assertThat(JsonMapper.builder().build().readTree(two).get("errors").get(0).get("message").asString())
        .isEqualTo("cannot log in");
    assertThatThrownBy(() -> PlanJson.read(two)).isInstanceOf(PlanJson.UnreadablePlanException.class)
        .hasMessageContaining("a dry run's document of 2 plans, not one");
  }

  @Test
  void somethingThatIsNotAPlanIsRefusedWithAReason() {
    assertThatThrownBy(() -> PlanJson.read("{\"format\": \"uctrust.validation/v1\"}"))
        .isInstanceOf(PlanJson.UnreadablePlanException.class).hasMessageContaining("not a uctrust plan");
    assertThatThrownBy(() -> PlanJson.read("{ not json")).isInstanceOf(PlanJson.UnreadablePlanException.class);
  }
}
