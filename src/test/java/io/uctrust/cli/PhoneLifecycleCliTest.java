package io.uctrust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.uctrust.target.lab.LabOnlineCa;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Phone LSCs end to end through the CLI on the lab example: online CA mode against the lab's online CA, and the
 * failure paths a user tries with {@code lab phone} and {@code lab advance}.
 */
class PhoneLifecycleCliTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC);
  private static final String PASSWORD = "online-ca-secret-value-42";
  private static final Map<String, String> ENV = Map.of("UCTRUST_ONLINE_CA_PASSWORD", PASSWORD);

  @TempDir Path temp;

  private record Run(int code, String out, String err) {}

  private Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(CLOCK, ENV, new PrintWriter(out), new PrintWriter(err), args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void withTheLabsOnlineCaRunningPhonesGetLscsFromItAndTheNextDryRunIsInSync() throws Exception {
    Path desired = ReconcileCommandTest.copyExample("lab", temp);
    Path state = temp.resolve("state");
    assertThat(run("lab", "init", desired.toString(), "--state-dir", state.toString(), "--phones", "40").code()).isZero();
    try (LabOnlineCa online = LabOnlineCa.start(state.resolve("online-ca"), "ca.example.com", InetAddress.getLoopbackAddress(),
        0, "CiscoLSC", "svc-capf", PASSWORD.toCharArray(), LabOnlineCa.Layout.ISSUED_BY_ROOT, Duration.ofDays(730), CLOCK)) {
      // the example's online CA is the lab's here (the corporate CA's key was discarded): its root goes to CAPF-trust
      // and CallManager-trust like the example's root does
      Files.copy(online.rootPem(), desired.resolve("certs/online-root.pem"), StandardCopyOption.REPLACE_EXISTING);
      Files.copy(online.httpsPem(), desired.resolve("certs/online-https.pem"), StandardCopyOption.REPLACE_EXISTING);
      Path capf = desired.resolve("capf.yaml");
      Files.writeString(capf, Files.readString(capf).replace("certs/corp-root.pem", "certs/online-root.pem")
          .replace("certs/ca-https.pem", "certs/online-https.pem"));
      Files.writeString(desired.resolve("online-trust.yaml"), """
          apiVersion: uctrust/v1
          kind: TrustStore
          metadata: {name: online-ca-capf-trust}
          spec:
            store: CAPF-trust
            nodes: [cucm-pub.example.com]
            certificates: [{file: certs/online-root.pem, description: Lab online CA}]
          ---
          apiVersion: uctrust/v1
          kind: TrustStore
          metadata: {name: online-ca-callmanager-trust}
          spec:
            store: CallManager-trust
            certificates: [{file: certs/online-root.pem, description: Lab online CA}]
          """);

      Run dry = run("reconcile", "--dry-run", desired.toString(), "--state-dir", state.toString());
      assertThat(dry.out()).doesNotContain("online-ca-preflight");
      Run apply = run("reconcile", desired.toString(), "--state-dir", state.toString());
      assertThat(apply.code()).as(apply.out() + apply.err()).isZero();
      assertThat(apply.out()).contains("generated authentication strings:");

      Run status = run("status", desired.toString(), "--state-dir", state.toString(), "-o", "json");
      assertThat(status.out()).contains("UCTRUST Lab Online Root CA");
      Run again = run("reconcile", "--dry-run", desired.toString(), "--state-dir", state.toString());
      assertThat(again.code()).as(again.out()).isZero();
      assertThat(online.requests()).isPositive();
      assertThat(apply.out() + apply.err() + again.out()).doesNotContain(PASSWORD);
    }
  }

  @Test
  void withoutItTheCheckSaysWhatToStartAndFailedPhonesAreHeldUntilRetried() throws Exception {
    Path desired = ReconcileCommandTest.copyExample("lab", temp);
    Path state = temp.resolve("state");

    Run apply = run("reconcile", desired.toString(), "--state-dir", state.toString(), "--phones", "40");
    assertThat(apply.code()).as(apply.out() + apply.err()).isZero();
    Run dry = run("reconcile", "--dry-run", desired.toString(), "--state-dir", state.toString());

    assertThat(dry.code()).as("checks are not drift").isZero();
    assertThat(dry.out()).contains("ca.example.com is not on the lab's network; start it with 'uctrust lab online-ca")
        .contains("Upgrade Failed: CA Communication Failure").contains("--retry-failed");
    Run retry = run("reconcile", "--dry-run", "--retry-failed", desired.toString(), "--state-dir", state.toString());
    assertThat(retry.code()).isEqualTo(2);
  }

  @Test
  void aPhoneWithCommunicationFailuresRetriesAsTheLabsTimeAdvancesAndLeavesStaleLscs() throws Exception {
    Path desired = ReconcileCommandTest.copyExample("sip-oauth-mra", temp);
    Path state = temp.resolve("state");
    assertThat(run("lab", "init", desired.toString(), "--state-dir", state.toString(), "--phones", "30").code()).isZero();
    Files.writeString(desired.resolve("phones.yaml"), """
        apiVersion: uctrust/v1
        kind: PhoneCertificatePolicy
        metadata: {name: all-lscs}
        spec:
          selector: {lsc: {missing: true}}
          operation: install-upgrade
          authentication: {mode: null-string}
        """);
    Run before = run("reconcile", "--dry-run", desired.toString(), "--state-dir", state.toString());
    Matcher first = Pattern.compile("not yet in that state: (SEP[0-9A-F]{12})").matcher(before.out());
    assertThat(first.find()).as(before.out()).isTrue();
    String phone = first.group(1);
    assertThat(run("lab", "phone", desired.toString(), "--state-dir", state.toString(), "--phone", phone,
        "--communication-failures", "9").code()).isZero();

    assertThat(run("reconcile", desired.toString(), "--state-dir", state.toString()).code()).isZero();
    assertThat(run("lab", "phone", desired.toString(), "--state-dir", state.toString(), "--phone", phone).out())
        .contains("status Operation Pending").contains("retry 1 of 3 in 30 s");
    assertThat(run("lab", "advance", "90s", desired.toString(), "--state-dir", state.toString()).code()).isZero();

    assertThat(run("lab", "phone", desired.toString(), "--state-dir", state.toString(), "--phone", phone).out())
        .contains("status Upgrade Failed: Phone Communication Failure").contains("gave up after 3 retries");
    Run stale = run("status", desired.toString(), "--state-dir", state.toString(), "--stale-lsc");
    assertThat(stale.out()).contains("Stale LSCs").contains(phone);
    Run dry = run("reconcile", "--dry-run", desired.toString(), "--state-dir", state.toString());
    assertThat(dry.out()).contains(phone + " (Upgrade Failed: Phone Communication Failure)");
  }
}
