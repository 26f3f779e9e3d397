package io.uctrust.target.cucm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The readers of admin CLI text, the output buffer and redaction, without a server. */
class CliTextTest {

  @Test
  void normalizingRemovesTerminalCodesAndTurnsCarriageReturnsIntoNewlines() {
    String raw = "\u001B[?1034h\u001B]0;cucm-pub\u0007admin:\u001B[1mutils\u001B[0m x\r\r\nline one\rline two\r\n"
        + "typo\b\bpo\u0007\r\nadmin:";

    assertThat(CliText.normalize(raw)).isEqualTo("admin:utils x\nline one\nline two\ntypo\nadmin:");
  }

  @Test
  void thePromptCountsOnlyAtTheStartOfTheLastLine() {
    assertThat(CliText.endsWithPrompt("admin:")).isTrue();
    assertThat(CliText.endsWithPrompt("output\nadmin: ")).isTrue();
    assertThat(CliText.endsWithPrompt("the user is admin:")).isFalse();
    assertThat(CliText.endsWithPrompt("admin:\nmore")).isFalse();
  }

  @Test
  void aCommandsOutputLeavesOutTheEchoAndThePrompt() {
    assertThat(CliText.commandOutput("utils capf csr list\nNo pending CSR files found\n\nadmin:", "utils capf csr list"))
        .isEqualTo("No pending CSR files found");
    assertThat(CliText.commandOutput("\nadmin:", "show x")).isEmpty();
  }

  @Test
  void refusalsAreWholeWords() {
    assertThat(CliText.refusal(List.of("Service Manager is running", "Executed command unsuccessfully")))
        .contains("Executed command unsuccessfully");
    assertThat(CliText.refusal(List.of("SEPERROR0001  ok", "Do not press Ctrl+C while the service is restarting.")))
        .isEmpty();
  }

  @Test
  void aDeviceTableNeedsAHeaderWithADeviceColumnAndRowsThatFitIt() throws Exception {
    List<Map<String, String>> rows = CliText.deviceTable(List.of("Stale LSC certificates:",
        "Device Name    Serial    Issued On", "-----------    ------    ---------",
        "SEP001122334455    0a1b    2024-03-11 09:14:02", "Total: 1"));

    assertThat(rows).containsExactly(Map.of("Device Name", "SEP001122334455", "Serial", "0a1b",
        "Issued On", "2024-03-11 09:14:02"));
    assertThat(CliText.deviceTable(List.of("No stale LSC certificates found"))).isEmpty();
    assertThatThrownBy(() -> CliText.deviceTable(List.of("Name    Serial", "SEP1    0a1b")))
        .isInstanceOf(CliText.Unrecognised.class).hasMessageContaining("device column");
    assertThatThrownBy(() -> CliText.deviceTable(List.of("Device    Serial", "SEP1    0a1b", "Total: 2")))
        .isInstanceOf(CliText.Unrecognised.class).hasMessageContaining("total says 2");
    assertThatThrownBy(() -> CliText.deviceTable(List.of("something went sideways")))
        .isInstanceOf(CliText.Unrecognised.class);
    assertThatThrownBy(() -> CliText.deviceTable(List.of()))
        .isInstanceOf(CliText.Unrecognised.class);
  }

  @Test
  void shellOutputCompletesACharacterSplitAcrossWrites() {
    ShellOutput output = new ShellOutput(4096);
    byte[] bytes = "Zürich".getBytes(StandardCharsets.UTF_8);

    output.write(bytes, 0, 2);
    output.write(bytes, 2, bytes.length - 2);

    assertThat(output.since(0)).isEqualTo("Zürich");
    assertThat(output.position()).isEqualTo(6);
  }

  @Test
  void redactionRemovesTheLongestSecretFirst() {
    Redaction redaction = new Redaction();
    redaction.add("abc");
    redaction.add("abcdef");

    assertThat(redaction.apply("x abcdef y abc")).isEqualTo("x <redacted> y <redacted>");
  }
}
