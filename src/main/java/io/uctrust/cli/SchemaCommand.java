package io.uctrust.cli;

import io.uctrust.controller.ControllerConfig;
import io.uctrust.desired.ConfigKind;
import io.uctrust.desired.Kind;
import io.uctrust.desired.ReferenceGenerator;
import io.uctrust.desired.SchemaGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** {@code uctrust schema}: prints or writes the JSON Schemas of the desired-state kinds. */
@Command(name = "schema", mixinStandardHelpOptions = true,
    description = {"Print the JSON Schema of desired-state documents (any kind), or write one file per kind (and one of "
        + "the controller's configuration).",
        "Editors use them with '# yaml-language-server: $schema=<path>/schemas/<kind>.schema.json'."})
final class SchemaCommand implements Callable<Integer> {

  /** The configuration kinds (not desired state) that get a schema and a reference section too. */
  static final List<ConfigKind> CONFIGURATIONS = List.of(ControllerConfig.KIND);

  private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  @Spec CommandSpec spec;

  @Option(names = "--out", paramLabel = "DIR", description = "Write <kind>.schema.json per kind and document.schema.json here.")
  Path out;

  @Option(names = "--reference", paramLabel = "FILE", description = "Also write the Markdown field reference here.")
  Path reference;

  @Override
  public Integer call() {
    try {
      write();
      return ExitCode.OK;
    } catch (IOException e) {
      spec.commandLine().getErr().println("uctrust: cannot write: " + e.getMessage());
      return ExitCode.INVALID;
    }
  }

  private void write() throws IOException {
    SchemaGenerator generator = new SchemaGenerator();
    if (out == null) {
      spec.commandLine().getOut().print(json(generator.any()));
    } else {
      Files.createDirectories(out);
      for (Kind kind : Kind.values()) {
        Files.writeString(out.resolve(kind.schemaFile()), json(generator.document(kind)), StandardCharsets.UTF_8);
      }
      Files.writeString(out.resolve("document.schema.json"), json(generator.any()), StandardCharsets.UTF_8);
      for (ConfigKind config : CONFIGURATIONS) {
        Files.writeString(out.resolve(config.schemaFile()), json(generator.document(config)), StandardCharsets.UTF_8);
      }
      spec.commandLine().getOut().println("wrote " + (Kind.values().length + 1 + CONFIGURATIONS.size()) + " schemas to "
          + out);
    }
    if (reference != null) {
      if (reference.toAbsolutePath().getParent() != null) {
        Files.createDirectories(reference.toAbsolutePath().getParent());
      }
      Files.writeString(reference, new ReferenceGenerator().markdown(CONFIGURATIONS), StandardCharsets.UTF_8);
      spec.commandLine().getOut().println("wrote " + reference);
    }
  }

  /** The exact text committed in {@code schemas/}. */
  static String json(Map<String, Object> schema) {
    return JSON.writeValueAsString(schema) + "\n";
  }
}
