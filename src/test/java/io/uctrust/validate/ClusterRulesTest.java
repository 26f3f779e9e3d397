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
}
