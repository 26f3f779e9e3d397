package io.uctrust.desired;

import static org.assertj.core.api.Assertions.assertThat;

import io.uctrust.diagnostic.Diagnostic;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DesiredStateLoaderTest {

  private final DesiredStateLoader loader = new DesiredStateLoader();

  @TempDir Path dir;

  private static final String CLUSTER = """
      apiVersion: uctrust/v1
      kind: Cluster
      metadata: {name: lab}
      spec:
        target: {type: lab}
        nodes:
          - {name: cucm-pub.example.com, role: cucm-publisher}
      """;

  private LoadResult load(String yaml) throws IOException {
    Files.writeString(dir.resolve("input.yaml"), yaml);
    return loader.load(dir);
  }

  private static List<String> rendered(LoadResult result) {
    return result.diagnostics().stream()
        .sorted(java.util.Comparator.comparingInt((Diagnostic d) -> d.location().line())
            .thenComparingInt(d -> d.location().column()))
        .map(d -> d.location().line() + ":" + d.location().column() + " " + d.code() + " " + d.message())
        .toList();
  }

  @Test
  void loadsEveryDocumentOfTheLabExampleIntoTypedRecords() {
    LoadResult result = loader.load(Path.of("examples/lab"));

    assertThat(result.diagnostics()).isEmpty();
    assertThat(result.files()).isEqualTo(7);
    DesiredState state = result.state();
    assertThat(state.documents()).hasSize(15);
    CapfSpec capf = state.capf().get(0).spec();
    assertThat(capf.issuer()).isEqualTo(CapfSpec.CapfIssuer.ONLINE_CA);
    assertThat(capf.keepAliveMinutes()).isEqualTo(15);
    assertThat(capf.onlineCa().password()).isEqualTo(new SecretRef(SecretRef.Source.ENV, "UCTRUST_ONLINE_CA_PASSWORD"));
    assertThat(state.trustStores().get(0).spec().store()).isEqualTo(TrustStoreSpec.Store.CALLMANAGER_TRUST);
    assertThat(state.trustStores().get(0).spec().nodes()).isEqualTo(NodeSelection.ALL);
    assertThat(state.certificates()).extracting(d -> d.spec().service())
        .containsExactly(CertificateSpec.Service.TOMCAT, CertificateSpec.Service.CUP_XMPP,
            CertificateSpec.Service.CUP_XMPP_S2S, CertificateSpec.Service.CALLMANAGER_ECDSA);
    assertThat(state.certificates().get(0).spec().renewBefore().duration()).hasDays(30);
    assertThat(state.phonePolicies().get(1).spec().authentication().string().source())
        .isEqualTo(SecretRef.Source.GENERATE_UNIQUE);
  }

  @Test
  void remembersTheLineAndColumnOfEveryField() {
    Document<CapfSpec> capf = loader.load(Path.of("examples/lab")).state().capf().get(0);

    assertThat(capf.locate("spec.keepAliveMinutes").line()).isEqualTo(9);
    assertThat(capf.locate("spec.keepAliveMinutes").column()).isEqualTo(21);
    assertThat(capf.locate("spec.onlineCa.port").line()).isEqualTo(13);
    // a field that was not written points at the nearest enclosing one
    assertThat(capf.locate("spec.offlineCa.caCertificates").line()).isEqualTo(7);
  }

  @Test
  void unknownKeyIsReportedAtTheKeyWithASuggestionAndTheAllowedKeys() throws IOException {
    LoadResult result = load(CLUSTER + """
        ---
        apiVersion: uctrust/v1
        kind: Capf
        metadata: {name: capf}
        spec:
          keepAliveMinute: 15
        """);

    Diagnostic d = result.diagnostics().get(0);
    assertThat(rendered(result)).containsExactly("13:3 unknown-field unknown field 'keepAliveMinute'; did you mean 'keepAliveMinutes'?");
    assertThat(d.hint()).contains("certificateValidityDays", "keepAliveMinutes", "onlineCa");
    assertThat(result.incomplete()).hasSize(1);
    assertThat(result.state().documents()).hasSize(1);
  }

  @Test
  void duplicateKeysNameTheLineOfTheFirst() throws IOException {
    LoadResult result = load(CLUSTER + """
          target: {type: cucm}
        """);

    assertThat(rendered(result)).containsExactly("8:3 duplicate-key duplicate key 'target' (first defined at line 5)");
  }

  @Test
  void wrongTypesSayWhatWasExpectedAndWhatWasFound() throws IOException {
    LoadResult result = load(CLUSTER.replace("target: {type: lab}", "target: {type: lab}\n  release: 15.0") + """
        ---
        apiVersion: uctrust/v1
        kind: Capf
        metadata: {name: capf}
        spec: {keepAliveMinutes: "15", certificateValidityDays: yes, onlineCa: [a]}
        """);

    assertThat(rendered(result)).containsExactly(
        "6:12 type spec.release: expected text, got the number 15.0",
        "13:26 type spec.keepAliveMinutes: expected a whole number, got the text '15'",
        "13:57 type spec.certificateValidityDays: expected a whole number, got the text 'yes'",
        "13:72 type spec.onlineCa: expected a mapping, got a list");
    assertThat(result.diagnostics().get(0).hint()).isEqualTo("put it in quotes: \"15.0\"");
  }

  @Test
  void enumSpellingsAreExactWithASuggestionAndTheAllowedValues() throws IOException {
    LoadResult result = load(CLUSTER + """
        ---
        apiVersion: uctrust/v1
        kind: Capf
        metadata: {name: capf}
        spec: {issuer: online_ca}
        """);

    assertThat(rendered(result)).containsExactly("12:16 enum spec.issuer: 'online_ca' is not allowed; did you mean 'online-ca'?");
    assertThat(result.diagnostics().get(0).hint()).isEqualTo("allowed: cisco-capf, online-ca, offline-ca");
  }

  @Test
  void missingRequiredFieldsAreReportedAtTheirMapping() throws IOException {
    LoadResult result = load("""
        apiVersion: uctrust/v1
        kind: Cluster
        metadata: {}
        spec:
          nodes:
            - {role: cucm-publisher}
        """);

    assertThat(rendered(result)).containsExactly(
        "3:11 required metadata: missing required field 'name'",
        "5:3 required spec: missing required field 'target'",
        "6:7 required spec.nodes[0]: missing required field 'name'");
  }

  @Test
  void explicitNullsAndEmptyListEntriesAreErrors() throws IOException {
    LoadResult result = load(CLUSTER + """
        ---
        apiVersion: uctrust/v1
        kind: Capf
        metadata: {name: capf}
        spec:
          keepAliveMinutes:
        ---
        apiVersion: uctrust/v1
        kind: TrustStore
        metadata: {name: t}
        spec:
          store: tomcat-trust
          certificates:
            -
        """);

    assertThat(rendered(result)).containsExactly(
        "13:3 null spec.keepAliveMinutes has no value",
        "21:6 null spec.certificates[0]: empty list entry");
  }

  @Test
  void envelopeProblemsAreReportedWithSuggestions() throws IOException {
    LoadResult result = load("""
        apiVersion: uctrust/v2
        kind: TrustStores
        metadata: {name: a}
        specs: {}
        """);

    assertThat(rendered(result)).containsExactly(
        "1:1 required missing required field 'spec'",
        "1:13 api-version apiVersion must be uctrust/v1, got the text 'uctrust/v2'",
        "2:7 enum kind: 'TrustStores' is not allowed; did you mean 'TrustStore'?",
        "4:1 unknown-field unknown field 'specs'; did you mean 'spec'?");
  }

  @Test
  void documentLevelProblemsNameTheFieldTheyAreAbout() throws IOException {
    LoadResult result = load("""
        apiVersion: uctrust/v2
        kind: Capf
        metadata:
        spec:
        extra: 1
        """);

    assertThat(result.diagnostics()).extracting(d -> d.location().field())
        .containsExactlyInAnyOrder("apiVersion", "extra", "metadata", "spec");
  }

  @Test
  void syntaxErrorsBecomeDiagnosticsWithTheirPosition() throws IOException {
    LoadResult result = load("apiVersion: uctrust/v1\nkind: Cluster\n  metadata: {name: lab}\n");

    assertThat(result.diagnostics()).singleElement().satisfies(d -> {
      assertThat(d.code()).isEqualTo("yaml-syntax");
      assertThat(d.location().line()).isEqualTo(3);
      assertThat(d.message()).startsWith("YAML syntax error: ");
    });
  }

  @Test
  void aliasBombIsStoppedWithADiagnostic() throws IOException {
    StringBuilder yaml = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i < 12; i++) {
      yaml.append("a").append(i).append(": &a").append(i).append(" [");
      for (int j = 0; j < 10; j++) {
        yaml.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
      }
      yaml.append("]\n");
    }

    LoadResult result = load(yaml.toString());

    assertThat(result.diagnostics()).isNotEmpty().allSatisfy(d -> assertThat(d.isError()).isTrue());
    assertThat(result.state().documents()).isEmpty();
  }

  @Test
  void nestingDeeperThanTheLimitIsStoppedBeforeTheComposerRecurses() throws IOException {
    // the root mapping is level 1, so level MAX_DEPTH + 1 is bracket number MAX_DEPTH, at column 3 + MAX_DEPTH
    LoadResult result = load("a: " + "[".repeat(5000) + "]".repeat(5000) + "\n");

    assertThat(rendered(result)).containsExactly(
        "1:" + (3 + DesiredStateLoader.MAX_DEPTH) + " too-deep mappings and lists are nested more than "
            + DesiredStateLoader.MAX_DEPTH + " levels deep");
  }

  @Test
  void filesOverTheSizeLimitAreNotRead() throws IOException {
    Path big = dir.resolve("big.yaml");
    try (var out = Files.newBufferedWriter(big)) {
      String line = "# " + "x".repeat(1022) + "\n";
      for (long written = 0; written <= DesiredStateLoader.MAX_FILE_BYTES; written += line.length()) {
        out.write(line);
      }
    }

    LoadResult result = loader.load(dir);

    assertThat(result.diagnostics()).singleElement().satisfies(d -> {
      assertThat(d.code()).isEqualTo("too-large");
      assertThat(d.message()).contains("the limit is " + DesiredStateLoader.MAX_FILE_BYTES);
    });
  }

  @Test
  void invalidUtf8IsReportedNotDecodedAsGarbage() throws IOException {
    Files.write(dir.resolve("bad.yaml"), new byte[] {'a', ':', ' ', (byte) 0xC3, (byte) 0x28, '\n'});

    assertThat(loader.load(dir).diagnostics()).extracting(Diagnostic::code).containsExactly("encoding");
  }

  @Test
  void readsYamlAndYmlRecursivelyAndSkipsHiddenFolders() throws IOException {
    Files.createDirectories(dir.resolve("nested/deeper"));
    Files.createDirectories(dir.resolve(".git"));
    Files.writeString(dir.resolve("nested/deeper/cluster.yml"), CLUSTER);
    Files.writeString(dir.resolve(".git/ignored.yaml"), "not: [valid");
    Files.writeString(dir.resolve("notes.txt"), "not yaml");

    LoadResult result = loader.load(dir);

    assertThat(result.diagnostics()).isEmpty();
    assertThat(result.files()).isEqualTo(1);
    assertThat(result.state().clusters()).hasSize(1);
  }

  @Test
  void aFolderWithoutYamlAndAMissingFolderAreErrors() {
    assertThat(loader.load(dir).diagnostics()).extracting(Diagnostic::code).containsExactly("empty");
    assertThat(loader.load(dir.resolve("missing")).diagnostics()).extracting(Diagnostic::code).containsExactly("unreadable");
  }

  @Test
  void emptyDocumentsAreSkipped() throws IOException {
    LoadResult result = load("---\n---\n" + CLUSTER + "---\n");

    assertThat(result.diagnostics()).isEmpty();
    assertThat(result.state().documents()).hasSize(1);
  }

  @Test
  void literalSecretsAreNeverShownByTheirReference() {
    SecretRef literal = SecretRef.parse("hunter2");

    assertThat(literal.isLiteral()).isTrue();
    assertThat(literal.toString()).isEqualTo("<redacted>").doesNotContain("hunter2");
    assertThat(SecretRef.parse("env:CA_PASSWORD").toString()).isEqualTo("env:CA_PASSWORD");
    assertThat(SecretRef.parse("file:/run/secrets/ca").reference()).isEqualTo("/run/secrets/ca");
  }

  @Test
  void durationsAcceptWholeNumbersWithAUnitOnly() {
    assertThat(TimeAmount.parse("30d").duration()).hasDays(30);
    assertThat(TimeAmount.parse("24h").duration()).hasHours(24);
    assertThat(TimeAmount.parse("2w").duration()).hasDays(14);
    assertThat(TimeAmount.parse("15m").duration()).hasMinutes(15);
    assertThat(TimeAmount.parse("30 days")).isNull();
    assertThat(TimeAmount.parse("0d")).isNull();
    assertThat(TimeAmount.parse("1.5h")).isNull();
  }
}
