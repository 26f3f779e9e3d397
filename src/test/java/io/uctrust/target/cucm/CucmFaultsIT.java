package io.uctrust.target.cucm;

import static io.uctrust.target.cucm.CucmAgainstLabServeIT.connectTo;
import static org.assertj.core.api.Assertions.assertThat;

import io.uctrust.cli.Main;
import io.uctrust.target.lab.LabFaults;
import io.uctrust.target.lab.LabServer;
import io.uctrust.target.lab.LabStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Failures of a real cluster's interfaces, injected by {@code lab serve}, end as clear per-change failures
 * (exit 1, the change named with the cause), nothing is lost: the next run against a healthy cluster
 * converges, and a second run after that is in sync.
 */
class CucmFaultsIT {

  @TempDir Path temp;
  Path served;
  Path desired;

  @BeforeEach
  void seed() {
    desired = Path.of("examples", "lab").toAbsolutePath();
    served = temp.resolve("served");
    assertThat(run(Map.of(), "lab", "init", desired.toString(), "--state-dir", served.toString(), "--phones", "20").code)
        .isZero();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "platform:POST trust/certificates=server-error | 500",
      "axl:updatePhone=soap-fault                    | lab fault",
      "ccs:soapDoControlServices=delay@4000ms        | did not answer within",
      "cli:utils sipOAuth-mode enable=disconnect     | closed",
      "cli:utils service restart Cisco Tomcat=disconnect | closed"})
  void aFailingInterfaceFailsItsChangeClearlyAndTheNextRunConverges(String fault, String cause) throws Exception {
    Map<String, String> environment = new java.util.HashMap<>(CucmAgainstLabServeIT.ENVIRONMENT);
    environment.put("UCTRUST_REQUEST_TIMEOUT_MS", "1500");
    try (LabServer server = serve(LabFaults.none().add(LabFaults.parse(fault)))) {
      Result result = reconcile(server, environment);
      assertThat(result.code).as(result.all()).isEqualTo(1);
      assertThat(result.all()).containsPattern("failed \\(.*(?i:" + java.util.regex.Pattern.quote(cause) + ")");
      assertThat(result.all()).doesNotContain(Files.readString(server.passwordFile()).strip());
    }
    converges(environment);
  }

  @Test
  void throttlingIsRetriedWithBackoffAndTheRunSucceeds() throws Exception {
    try (LabServer server = serve(LabFaults.none().add(LabFaults.parse("axl:updateServiceParameter=throttle*2")))) {
      Result result = reconcile(server, CucmAgainstLabServeIT.ENVIRONMENT);
      assertThat(result.code).as(result.all()).isZero();
    }
  }

  @Test
  void aChangedHostKeyStopsTheRunBeforeAnythingIsChanged() throws Exception {
    byte[] before;
    try (LabServer server = serve(LabFaults.none())) {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      String other = PublicKeyEntry.toString(generator.generateKeyPair().getPublic());
      List<String> lines = new ArrayList<>();
      for (String line : Files.readAllLines(server.knownHosts())) {
        lines.add(line.substring(0, line.indexOf(' ')) + " " + other);
      }
      Files.write(server.knownHosts(), lines);
      before = Files.readAllBytes(served.resolve("state.json"));
      Result result = reconcile(server, CucmAgainstLabServeIT.ENVIRONMENT);
      assertThat(result.code).as(result.all()).isEqualTo(1);
      assertThat(result.all()).containsIgnoringCase("host key");
      assertThat(Files.readAllBytes(served.resolve("state.json"))).isEqualTo(before);
    }
    converges(CucmAgainstLabServeIT.ENVIRONMENT);
  }

  private void converges(Map<String, String> environment) throws Exception {
    try (LabServer server = serve(LabFaults.none())) {
      Result retry = reconcile(server, environment);
      assertThat(retry.code).as(retry.all()).isZero();
      Result check = run(environment, args(server, "reconcile", cucmDesired(server).toString(), "--dry-run", "--state-dir",
          temp.resolve("journal").toString()));
      assertThat(check.code).as(check.all()).isZero();
    }
  }

  private LabServer serve(LabFaults faults) throws Exception {
    return LabServer.start(new LabStore(served), InetAddress.getLoopbackAddress(), 0, faults, CucmAgainstLabServeIT.CLOCK);
  }

  private Result reconcile(LabServer server, Map<String, String> environment) throws IOException {
    return run(environment, args(server, "reconcile", cucmDesired(server).toString(), "--state-dir",
        temp.resolve("journal").toString()));
  }

  private Path cucmDesired(LabServer server) throws IOException {
    Path dir = temp.resolve("cucm-desired");
    if (Files.exists(dir)) {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    CucmAgainstLabServeIT helper = new CucmAgainstLabServeIT();
    helper.temp = temp;
    return helper.cucmCopy(desired, server);
  }

  private static String[] args(LabServer server, String... args) {
    return CucmAgainstLabServeIT.with(connectTo(server), args);
  }

  record Result(int code, String out, String err) {
    String all() {
      return out + err;
    }
  }

  static Result run(Map<String, String> environment, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(CucmAgainstLabServeIT.CLOCK, environment, new PrintWriter(out, true), new PrintWriter(err, true),
        args);
    return new Result(code, out.toString(), err.toString());
  }
}
