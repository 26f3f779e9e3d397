package io.uctrust.desired;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.uctrust.controller.ControllerConfig;
import io.uctrust.validate.ValidationOptions;
import io.uctrust.validate.ValidationReport;
import io.uctrust.validate.Validator;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.schema.CoreSchema;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON Schemas in {@code schemas/} and the Java model agree: the committed files are exactly what the
 * model generates; every example is accepted by both the schema (checked with an independent validator,
 * networknt) and uctrust; every corpus fixture marked "schema: rejects" is rejected by the schema too,
 * and every fixture marked "schema: accepts" breaks only rules a schema cannot express.
 */
class SchemaAgreementTest {

  private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
  private static final Path SCHEMAS = Path.of("schemas");
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC);
  private static final String REGENERATE = "regenerate with: bin/uctrust schema --out schemas --reference docs/reference.md";

  /** The configuration kinds, as {@code uctrust schema} writes them. */
  private static final List<ConfigKind> CONFIGURATIONS = List.of(ControllerConfig.KIND);

  private final SchemaGenerator generator = new SchemaGenerator();
  private final Schema documentSchema = schema(SCHEMAS.resolve("document.schema.json"));

  @ParameterizedTest
  @EnumSource(Kind.class)
  void committedKindSchemaIsWhatTheModelGenerates(Kind kind) throws IOException {
    assertThat(Files.readString(SCHEMAS.resolve(kind.schemaFile())))
        .as(REGENERATE).isEqualTo(JSON.writeValueAsString(generator.document(kind)) + "\n");
  }

  @Test
  void committedDocumentSchemaAndReferenceAreWhatTheModelGenerates() throws IOException {
    assertThat(Files.readString(SCHEMAS.resolve("document.schema.json")))
        .as(REGENERATE).isEqualTo(JSON.writeValueAsString(generator.any()) + "\n");
    assertThat(Files.readString(Path.of("docs/reference.md"))).as(REGENERATE)
        .isEqualTo(new ReferenceGenerator().markdown(CONFIGURATIONS));
  }

  @Test
  void committedConfigurationSchemasAreWhatTheModelGenerates() throws IOException {
    for (ConfigKind config : CONFIGURATIONS) {
      assertThat(Files.readString(SCHEMAS.resolve(config.schemaFile())))
          .as(REGENERATE).isEqualTo(JSON.writeValueAsString(generator.document(config)) + "\n");
    }
  }

  @Test
  void everyRecordFieldIsDocumented() {
    List<String> undocumented = new ArrayList<>();
    for (Kind kind : Kind.values()) {
      collectUndocumented(kind.specType(), kind.yaml(), undocumented);
    }
    collectUndocumented(Metadata.class, "metadata", undocumented);
    for (ConfigKind config : CONFIGURATIONS) {
      collectUndocumented(config.metadataType(), config.kind() + ".metadata", undocumented);
      collectUndocumented(config.specType(), config.kind(), undocumented);
    }
    assertThat(undocumented).isEmpty();
  }

  private static void collectUndocumented(Class<?> record, String path, List<String> out) {
    for (var component : record.getRecordComponents()) {
      if (component.getAnnotation(Doc.class) == null) {
        out.add(path + "." + component.getName());
      }
      Class<?> type = component.getType();
      if (List.class.isAssignableFrom(type)) {
        var argument = ((java.lang.reflect.ParameterizedType) component.getGenericType()).getActualTypeArguments()[0];
        type = argument instanceof Class<?> c ? c : Object.class;
      }
      if (type.isRecord() && type.getPackageName().startsWith("io.uctrust.") && !type.equals(NodeSelection.class)
          && !type.equals(SecretRef.class) && !type.equals(TimeAmount.class)) {
        collectUndocumented(type, path + "." + component.getName(), out);
      }
    }
  }

  static Stream<Path> exampleFiles() throws IOException {
    try (Stream<Path> files = Files.walk(Path.of("examples"))) {
      return files.filter(p -> p.toString().matches(".*\\.ya?ml")).filter(p -> !p.toString().contains("/ci/"))
          .sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("exampleFiles")
  void everyExampleDocumentValidatesUnderTheSchemaOfItsKind(Path file) throws IOException {
    for (JsonNode document : documents(file)) {
      ConfigKind config = CONFIGURATIONS.stream().filter(c -> c.kind().equals(document.get("kind").asString()))
          .findFirst().orElse(null);
      if (config != null) {
        // a configuration, not desired state: only its own schema accepts it
        assertThat(schema(SCHEMAS.resolve(config.schemaFile())).validate(document)).as("%s under %s", file,
            config.schemaFile()).isEmpty();
        assertThat(documentSchema.validate(document)).as("%s is not desired state", file).isNotEmpty();
        continue;
      }
      assertThat(documentSchema.validate(document)).as("%s under document.schema.json", file).isEmpty();
      Kind kind = Kind.valueOf(kindConstant(document.get("kind").asString()));
      assertThat(schema(SCHEMAS.resolve(kind.schemaFile())).validate(document)).as("%s under %s", file, kind.schemaFile())
          .isEmpty();
    }
  }

  @ParameterizedTest
  @MethodSource("exampleDirs")
  void everyExampleIsValidForUctrust(Path dir) {
    ValidationReport report = new Validator(CLOCK, ValidationOptions.DEFAULTS).validate(dir);
    assertThat(report.diagnostics()).as("%s", dir).filteredOn(d -> d.isError()).isEmpty();
  }

  static Stream<Path> exampleDirs() {
    return Stream.of("lab", "offline-ca", "sip-oauth-mra").map(d -> Path.of("examples", d));
  }

  static Stream<Path> corpus() throws IOException {
    try (Stream<Path> dirs = Files.list(Path.of("src/test/resources/invalid"))) {
      return dirs.filter(Files::isDirectory).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void schemaAgreesWithTheCorpusMarking(Path dir) throws IOException {
    String marking = Files.readAllLines(dir.resolve("expected.txt")).get(0).trim();
    assertThat(marking).isIn("# schema: rejects", "# schema: accepts");
    List<String> schemaErrors = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.filter(p -> p.toString().matches(".*\\.ya?ml")).sorted().toList()) {
        try {
          for (JsonNode document : documents(file)) {
            documentSchema.validate(document).stream().map(Error::getMessage).forEach(schemaErrors::add);
          }
        } catch (RuntimeException unreadable) {
          // YAML a JSON Schema validator cannot even read (syntax, duplicate keys, alias bombs) counts as rejected.
          schemaErrors.add("unreadable: " + unreadable.getClass().getSimpleName());
        }
      }
    }
    if (marking.endsWith("rejects")) {
      assertThat(schemaErrors).as("the schema must reject %s", dir.getFileName()).isNotEmpty();
    } else {
      assertThat(schemaErrors).as("%s breaks only rules a schema cannot express", dir.getFileName()).isEmpty();
    }
  }

  private static String kindConstant(String spelling) {
    return spelling.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(java.util.Locale.ROOT)
        .replace("SIP_O_AUTH", "SIP_OAUTH");
  }

  private static List<JsonNode> documents(Path file) throws IOException {
    LoadSettings settings = LoadSettings.builder().setSchema(new CoreSchema()).build();
    List<JsonNode> out = new ArrayList<>();
    for (Object document : new Load(settings).loadAllFromString(Files.readString(file))) {
      if (document != null) {
        out.add(JSON.valueToTree(document instanceof Map<?, ?> m ? m : document));
      }
    }
    return out;
  }

  private static Schema schema(Path file) {
    try {
      return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
          .getSchema(new ByteArrayInputStream(Files.readString(file).getBytes(StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
