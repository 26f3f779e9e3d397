package io.uctrust.validate;

import static org.assertj.core.api.Assertions.assertThat;

import io.uctrust.desired.DesiredStateLoader;
import io.uctrust.diagnostic.Diagnostic;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClusterRulesTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC);

  private static List<Diagnostic> withIpv6(String address) {
    String yaml = """
        apiVersion: uctrust/v1
        kind: Cluster
        metadata: {name: lab}
        spec:
          target: {type: lab}
          nodes: [{name: cucm-pub.example.com, role: cucm-publisher, ipv6: "%s"}]
        """.formatted(address);
    return new Validator(CLOCK, ValidationOptions.DEFAULTS)
        .validate(new DesiredStateLoader().loadText(Path.of("cluster.yaml"), yaml)).diagnostics();
  }

  @ParameterizedTest
  @CsvSource({"2001:db8::10", "::ffff:192.0.2.10", "::1", "fe80::1", "2001:0db8:0000:0000:0000:0000:0000:0010"})
  void everyTextualFormOfIpv6IsAccepted(String address) {
    assertThat(withIpv6(address)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({"1:2:3:4:5:6:7:8:9, format", "2001:db8::zz, format", "cafe, format", "2001:db8:::1, format"})
  void textThatIsNotIpv6IsRejectedWithoutAnyNameLookup(String address, String code) {
    assertThat(withIpv6(address)).extracting(Diagnostic::code).containsExactly(code);
  }

  private static List<Diagnostic> cucm(java.nio.file.Path dir, String target) throws java.io.IOException {
    java.nio.file.Files.copy(java.nio.file.Path.of("examples/lab/certs/corp-root.pem"), dir.resolve("ca.pem"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    java.nio.file.Files.writeString(dir.resolve("known_hosts"), "");
    java.nio.file.Files.writeString(dir.resolve("cluster.yaml"), """
        apiVersion: uctrust/v1
        kind: Cluster
        metadata: {name: hq}
        spec:
          target: {type: cucm, %s}
          nodes:
            - {name: cucm-pub.example.com, role: cucm-publisher}
            - {name: imp-pub.example.com, role: imp-publisher}
        """.formatted(target));
    return new Validator(CLOCK, ValidationOptions.DEFAULTS).validate(dir).diagnostics();
  }

  private static final String COMPLETE = "publisher: cucm-pub.example.com, imPublisher: imp-pub.example.com, "
      + "axl: {username: axl, password: env:AXL}, platform: {username: os, password: env:OS}, "
      + "cli: {username: admin, password: env:CLI, knownHosts: 'file:known_hosts'}, trust: 'file:ca.pem', axlVersion: '15.0'";

  @org.junit.jupiter.api.Test
  void aCompleteCucmTargetIsValid(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws java.io.IOException {
    assertThat(cucm(dir, COMPLETE)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "knownHosts: 'file:known_hosts'|                              |error  |spec.target.cli needs knownHosts",
      "knownHosts: 'file:known_hosts'|knownHosts: 'file:elsewhere'  |warning|the known_hosts file elsewhere does not exist",
      "trust: 'file:ca.pem'          |trust: 'file:missing.pem'     |error  |'missing.pem' does not exist",
      "axlVersion: '15.0'            |axlVersion: '11.5'            |warning|written and tested for 14.0 and 15.0, not 11.5",
      "publisher: cucm-pub.example.com|publisher: 192.0.2.10        |warning|'192.0.2.10' is not the cucm-publisher node cucm-pub.example.com",
      "imPublisher: imp-pub.example.com|imPublisher: imp2.example.com|warning|is not the imp-publisher node imp-pub.example.com"})
  void eachCucmTargetSettingIsChecked(String from, String to, String severity, String message,
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws java.io.IOException {
    String target = COMPLETE.replace(from, to == null ? "" : to).replace(", ,", ",").replace(", }", "}");

    assertThat(cucm(dir, target)).singleElement().satisfies(d -> {
      assertThat(d.severity().word()).isEqualTo(severity);
      assertThat(d.message()).contains(message);
    });
  }
}
