package io.uctrust.target.cucm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.uctrust.target.cucm.cli.AdminCliException.Kind;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyEncryptionContext;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link AdminCli} against a real MINA SSHD server on 127.0.0.1 with a simulated admin CLI
 * ({@link FakeAdminCliServer}).
 *
 * <p>Assumptions about the real CLI that the simulation encodes (its text is not published): the prompt is
 * {@code admin:} at the start of a line with nothing after it; typed lines are echoed; lines end in CRLF;
 * questions wait on the same line as their text ("Enter the keepalive time in minutes (5-60): ", "Do you
 * want to continue? (yes/no): "); {@code utils sipOAuth-mode status} says "... is Enabled|Disabled" on a
 * line naming OAuth; the CAPF lists are tables with a header naming the device column, columns separated
 * by two or more spaces, or one "No ... found" line; service restarts print {@code <service>[STATE]} lines
 * ending in {@code [STARTED]}, or "Service Restarted"; failures print a line such as "Executed command
 * unsuccessfully". {@code utils fips status} says "The system is operating in FIPS|NON-FIPS mode."; {@code
 * utils capf show keep_alive} is not a documented command at all ("CAPF keep alive timer: 15 minutes" is
 * what the lab's server prints).
 */
class AdminCliTest {
  private static final String USER = "platformadmin";
  private static final String PASSWORD = "Adm1n-Pa55!w0rd-sekrit";
  private static final String PASSPHRASE = "key-Passphrase-Zq9x";
  private static final String ANSWER_SECRET = "answer-S3cret-71";
  private static final List<String> SECRETS = List.of(PASSWORD, PASSPHRASE, ANSWER_SECRET, "wrong-" + PASSWORD);
  private static final KeyPair HOST_KEY = FakeAdminCliServer.ecKey(256);
  /** Every error the tests provoked; none may show a secret. */
  private static final List<Throwable> ERRORS = new ArrayList<>();

  @TempDir
  Path dir;

  private FakeAdminCliServer server;
  private Path knownHosts;
  private final List<AdminCli> clients = new ArrayList<>();

  @BeforeEach
  void startServer() throws IOException {
    server = new FakeAdminCliServer(USER, PASSWORD, HOST_KEY);
    knownHosts = dir.resolve("known_hosts");
    Files.writeString(knownHosts, "# uctrust test\n" + server.knownHostsLine() + "\n");
  }

  @AfterEach
  void stopServer() {
    clients.forEach(AdminCli::close);
    server.close();
    assertThat(server.problems).isEmpty();
  }

  @AfterAll
  static void noErrorShowedASecret() {
    assertThat(ERRORS).isNotEmpty();
    for (Throwable error : ERRORS) {
      assertNoSecrets(error);
    }
  }

  private static void assertNoSecrets(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      for (String secret : SECRETS) {
        assertThat(String.valueOf(t.getMessage())).doesNotContain(secret);
        assertThat(t.toString()).doesNotContain(secret);
      }
      for (Throwable suppressed : t.getSuppressed()) {
        assertNoSecrets(suppressed);
      }
    }
  }

  private AdminCliSettings settings() {
    return AdminCliSettings.forHost("127.0.0.1", knownHosts).withPort(server.port())
        .withConnectTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5))
        .withPromptTimeout(Duration.ofSeconds(5))
        .withCommandTimeout(Duration.ofSeconds(3))
        .withRestartTimeout(Duration.ofSeconds(3))
        .withQuietPeriod(Duration.ofMillis(20));
  }

  /** Settings for {@code name} (port 22 in known_hosts) whose connection goes to this test's server. */
  private AdminCliSettings settings(String name) {
    AdminCliSettings local = settings();
    return new AdminCliSettings(name, AdminCliSettings.DEFAULT_PORT, knownHosts, local.connectTimeout(),
        local.authTimeout(), local.promptTimeout(), local.commandTimeout(), local.restartTimeout(), local.quietPeriod())
        .withConnectAddress("127.0.0.1", server.port());
  }

  private AdminCli connect() throws AdminCliException {
    return connect(settings());
  }

  private AdminCli connect(AdminCliSettings settings) throws AdminCliException {
    AdminCli cli = AdminCli.connect(settings, AdminCliCredentials.password(USER, PASSWORD.toCharArray()));
    clients.add(cli);
    return cli;
  }

  private static AdminCliException failure(ThrowingCallable call) {
    Throwable thrown = catchThrowable(call);
    assertThat(thrown).isInstanceOf(AdminCliException.class);
    ERRORS.add(thrown);
    return (AdminCliException) thrown;
  }

  // ---------------------------------------------------------------- session

  @Test
  void connectsWhenTheHostKeyIsInKnownHostsAndOpensATerminalAtTheAdminPrompt() throws Exception {
    AdminCli cli = connect();

    assertThat(cli.isUsable()).isTrue();
    assertThat(server.terminalType).isEqualTo("vt100");
    assertThat(server.commands).containsExactly("set cli pagination off");
    assertThat(cli.transcript()).contains("Welcome to the Platform Command Line Interface")
        .contains("Automatic Pagination is Off").doesNotContain("\r");
    assertThat(cli.toString()).contains(USER).doesNotContain(PASSWORD);
    assertThat(Files.readString(knownHosts)).isEqualTo("# uctrust test\n" + server.knownHostsLine() + "\n");
  }

  @Test
  void prefersTheHostKeyTypeThatKnownHostsListsWhenTheServerHasSeveral() throws Exception {
    server.close();
    KeyPair p384 = FakeAdminCliServer.ecKey(384);
    server = new FakeAdminCliServer(USER, PASSWORD, HOST_KEY, p384);
    Files.writeString(knownHosts, server.knownHostsLine(p384.getPublic()) + "\n");

    AdminCli cli = connect();

    assertThat(cli.run("utils sipOAuth-mode status")).isEqualTo("SIP OAuth Mode is Disabled");
  }

  @Test
  void logsInWithAnEncryptedOpenSshPrivateKey() throws Exception {
    KeyPair userKey = FakeAdminCliServer.ecKey(256);
    server.authorizedKey = userKey.getPublic();
    Path keyFile = dir.resolve("id_ecdsa");
    OpenSSHKeyEncryptionContext encryption = new OpenSSHKeyEncryptionContext();
    encryption.setPassword(PASSPHRASE);
    encryption.setCipherName("AES");
    encryption.setCipherType("256");
    encryption.setCipherMode("CTR");
    encryption.setKdfRounds(2);
    try (OutputStream out = Files.newOutputStream(keyFile)) {
      OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(userKey, "uctrust-test", encryption, out);
    }

    try (AdminCli cli = AdminCli.connect(settings(),
        AdminCliCredentials.privateKey(USER, keyFile, PASSPHRASE.toCharArray()))) {
      assertThat(cli.sipOAuthMode()).isFalse();
    }

    AdminCliException wrongPassphrase = failure(() -> AdminCli.connect(settings(),
        AdminCliCredentials.privateKey(USER, keyFile, ("not-" + PASSPHRASE).toCharArray())));
    assertThat(wrongPassphrase.kind()).isEqualTo(Kind.PRIVATE_KEY);
    assertThat(wrongPassphrase).hasMessageContaining(keyFile.toString()).hasMessageNotContaining(PASSPHRASE);
    assertThat(AdminCliCredentials.privateKey(USER, keyFile, PASSPHRASE.toCharArray()).toString())
        .contains(keyFile.toString()).doesNotContain(PASSPHRASE);
  }

  @Test
  void refusesAnUnknownHostKeyNamingTheHostAndTheFingerprintSeenWithoutTrustingIt() throws Exception {
    String otherHost = "[127.0.0.1]:" + (server.port() == 65535 ? 1 : server.port() + 1) + " "
        + server.knownHostsLine().substring(server.knownHostsLine().indexOf(' ') + 1);
    Files.writeString(knownHosts, otherHost + "\n");

    AdminCliException error = failure(this::connect);

    assertThat(error.kind()).isEqualTo(Kind.HOST_KEY_UNKNOWN);
    assertThat(error).hasMessageContaining("127.0.0.1:" + server.port())
        .hasMessageContaining(KeyUtils.getFingerPrint(HOST_KEY.getPublic()))
        .hasMessageContaining(knownHosts.toString());
    assertThat(Files.readString(knownHosts)).isEqualTo(otherHost + "\n");
    assertThat(server.commands).isEmpty();
  }

  @Test
  void refusesAChangedHostKeyShowingTheExpectedAndThePresentedFingerprint() throws Exception {
    KeyPair other = FakeAdminCliServer.ecKey(256);
    Files.writeString(knownHosts, server.knownHostsLine(other.getPublic()) + "\n");

    AdminCliException error = failure(this::connect);

    assertThat(error.kind()).isEqualTo(Kind.HOST_KEY_CHANGED);
    assertThat(error).hasMessageContaining("127.0.0.1:" + server.port())
        .hasMessageContaining(KeyUtils.getFingerPrint(HOST_KEY.getPublic()))
        .hasMessageContaining(KeyUtils.getFingerPrint(other.getPublic()));
    assertThat(server.commands).isEmpty();
  }

  @Test
  void aConnectAddressVerifiesTheHostKeyUnderTheConfiguredNameAsForPort22() throws Exception {
    Files.writeString(knownHosts, FakeAdminCliServer.knownHostsLine("cucm-pub.example.com", HOST_KEY.getPublic()) + "\n");

    AdminCli cli = connect(settings("cucm-pub.example.com"));

    assertThat(cli.isUsable()).isTrue();
    assertThat(cli.toString()).contains("cucm-pub.example.com:22 (connecting to 127.0.0.1:" + server.port() + ")");
  }

  @Test
  void aConnectAddressRefusesAnotherKeyListedForTheNameAndIgnoresLinesForTheAddress() throws Exception {
    KeyPair other = FakeAdminCliServer.ecKey(256);
    // The line for the address connected to must not vouch for the key: only the configured name may.
    Files.writeString(knownHosts, FakeAdminCliServer.knownHostsLine("cucm-pub.example.com", other.getPublic()) + "\n"
        + server.knownHostsLine() + "\n");

    AdminCliException changed = failure(() -> connect(settings("cucm-pub.example.com")));
    AdminCliException unknown = failure(() -> connect(settings("cucm-sub1.example.com")));

    assertThat(changed.kind()).isEqualTo(Kind.HOST_KEY_CHANGED);
    assertThat(changed).hasMessageContaining("cucm-pub.example.com:22")
        .hasMessageContaining(KeyUtils.getFingerPrint(HOST_KEY.getPublic()))
        .hasMessageContaining(KeyUtils.getFingerPrint(other.getPublic()));
    assertThat(unknown.kind()).isEqualTo(Kind.HOST_KEY_UNKNOWN);
    assertThat(unknown).hasMessageContaining(KeyUtils.getFingerPrint(HOST_KEY.getPublic()))
        .hasMessageContaining("under the name cucm-sub1.example.com")
        .hasMessageContaining("ssh-keyscan -p " + server.port() + " 127.0.0.1");
    assertThat(server.commands).isEmpty();
  }

  @Test
  void refusesAHostKeyMarkedRevoked() throws Exception {
    Files.writeString(knownHosts, "@revoked " + server.knownHostsLine() + "\n" + server.knownHostsLine() + "\n");

    AdminCliException error = failure(this::connect);

    assertThat(error.kind()).isEqualTo(Kind.HOST_KEY_REVOKED);
    assertThat(error).hasMessageContaining(KeyUtils.getFingerPrint(HOST_KEY.getPublic()));
  }

  @Test
  void refusesToConnectWithoutAKnownHostsFile() throws Exception {
    Files.delete(knownHosts);

    AdminCliException error = failure(this::connect);

    assertThat(error.kind()).isEqualTo(Kind.KNOWN_HOSTS);
    assertThat(error).hasMessageContaining(knownHosts.toString());
  }

  @Test
  void aWrongPasswordIsAnAuthenticationErrorThatDoesNotShowThePassword() {
    String wrong = "wrong-" + PASSWORD;

    AdminCliException error = failure(() -> AdminCli.connect(settings(),
        AdminCliCredentials.password(USER, wrong.toCharArray())));

    assertThat(error.kind()).isEqualTo(Kind.AUTHENTICATION);
    assertThat(error).hasMessageContaining(USER).hasMessageContaining("127.0.0.1:" + server.port())
        .hasMessageNotContaining(wrong);
    assertThat(AdminCliCredentials.password(USER, wrong.toCharArray()).toString()).doesNotContain(wrong);
  }

  // ---------------------------------------------------------------- typed commands

  @Test
  void setsTheCapfKeepAliveByAnsweringTheQuestionForTheValue() throws Exception {
    AdminCli cli = connect();

    cli.setCapfKeepAlive(20);

    assertThat(server.keepAlive).isEqualTo(20);
    assertThat(server.commands).endsWith("utils capf set keep_alive");
    assertThat(server.answers).containsExactly("20");
  }

  @Test
  void readsTheCapfKeepAliveWithTheAssumedShowCommand() throws Exception {
    AdminCli cli = connect();
    server.keepAlive = 42;

    assertThat(cli.capfKeepAlive()).isEqualTo(42);
    assertThat(server.commands).endsWith("utils capf show keep_alive");
  }

  @Test
  void aKeepAliveReadingWithoutExactlyOneValueInRangeOrOnACliWithoutTheCommandIsAnError() throws Exception {
    AdminCli cli = connect();
    server.on("utils capf show keep_alive", t -> t.println("CAPF keep alive timer: 90 minutes"));
    AdminCliException outOfRange = failure(cli::capfKeepAlive);
    server.on("utils capf show keep_alive", t -> t.println("CAPF is running"));
    AdminCliException noValue = failure(cli::capfKeepAlive);
    server.overrides.remove("utils capf show keep_alive");
    server.on("utils capf show keep_alive", t -> {
      t.println("Executed command unsuccessfully");
      t.println("Invalid command: utils capf show keep_alive");
    });
    AdminCliException unknownCommand = failure(cli::capfKeepAlive);

    assertThat(outOfRange.kind()).isEqualTo(Kind.UNRECOGNISED_OUTPUT);
    assertThat(outOfRange).hasMessageContaining("90 minutes is outside 5..60");
    assertThat(noValue.kind()).isEqualTo(Kind.UNRECOGNISED_OUTPUT);
    assertThat(noValue.transcript()).contains("CAPF is running");
    assertThat(unknownCommand.kind()).isEqualTo(Kind.REFUSED);
  }

  @Test
  void readsTheFipsModeInBothForms() throws Exception {
    AdminCli cli = connect();

    assertThat(cli.fipsMode()).isFalse();
    server.fips = true;
    assertThat(cli.fipsMode()).isTrue();
    assertThat(server.commands).endsWith("utils fips status", "utils fips status");
  }

  @Test
  void fipsOutputThatSaysNeitherOrBothIsUnrecognisedWithTheRedactedTranscript() throws Exception {
    AdminCli cli = connect();
    cli.redact(ANSWER_SECRET);
    server.on("utils fips status", t -> t.println("Status: " + ANSWER_SECRET));
    AdminCliException neither = failure(cli::fipsMode);
    server.on("utils fips status", t -> {
      t.println("The system is operating in FIPS mode.");
      t.println("The system is operating in NON-FIPS mode.");
    });
    AdminCliException both = failure(cli::fipsMode);

    assertThat(neither.kind()).isEqualTo(Kind.UNRECOGNISED_OUTPUT);
    assertThat(neither).hasMessageContaining("utils fips status").hasMessageContaining("<redacted>");
    assertThat(neither.transcript()).contains("Status: <redacted>");
    assertThat(both.kind()).isEqualTo(Kind.UNRECOGNISED_OUTPUT);
    assertThat(both).hasMessageContaining("both FIPS and non-FIPS");
  }

  @Test
  void checksTheKeepAliveRangeBeforeSendingAnything() throws Exception {
    AdminCli cli = connect();

    assertThatThrownBy(() -> cli.setCapfKeepAlive(4)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("5..60");
    assertThatThrownBy(() -> cli.setCapfKeepAlive(61)).isInstanceOf(IllegalArgumentException.class);
    cli.setCapfKeepAlive(5);
    cli.setCapfKeepAlive(60);

    assertThat(server.commands).containsExactly("set cli pagination off", "utils capf set keep_alive",
        "utils capf set keep_alive");
    assertThat(server.keepAlive).isEqualTo(60);
  }

  @Test
  void aKeepAliveTheCliRefusesOrReportsDifferentlyIsAnError() throws Exception {
    AdminCli cli = connect();
    server.on("utils capf set keep_alive", terminal -> {
      terminal.print("Enter the keepalive time in minutes (5-60): ");
      terminal.readLine(true);
      terminal.println("Executed command unsuccessfully");
    });

    AdminCliException refused = failure(() -> cli.setCapfKeepAlive(30));

    assertThat(refused.kind()).isEqualTo(Kind.REFUSED);
    assertThat(refused).hasMessageContaining("Executed command unsuccessfully");

    server.on("utils capf set keep_alive", terminal -> {
      terminal.print("Enter the keepalive time in minutes (5-60): ");
      terminal.readLine(true);
      terminal.println("CAPF keep alive timer successfully set to 15 minutes");
    });

    AdminCliException different = failure(() -> cli.setCapfKeepAlive(30));

    assertThat(different.kind()).isEqualTo(Kind.NOT_APPLIED);
    assertThat(different).hasMessageContaining("[15]");
  }

  @Test
  void readsAndSetsSipOAuthModeConfirmingWhenAsked() throws Exception {
    AdminCli cli = connect();
    assertThat(cli.sipOAuthMode()).isFalse();

    cli.setSipOAuthMode(true);

    assertThat(server.sipOAuth).isTrue();
    assertThat(cli.sipOAuthMode()).isTrue();
    assertThat(server.answers).containsExactly("yes");

    cli.setSipOAuthMode(true);
    assertThat(server.answers).containsExactly("yes");

    cli.setSipOAuthMode(false);

    assertThat(server.sipOAuth).isFalse();
    assertThat(server.answers).containsExactly("yes", "y");
  }

  @Test
  void aSipOAuthChangeTheStatusDoesNotShowIsNotApplied() throws Exception {
    AdminCli cli = connect();
    server.on("utils sipOAuth-mode enable", terminal -> terminal.println("SIP OAuth mode enabled successfully."));

    AdminCliException error = failure(() -> cli.setSipOAuthMode(true));

    assertThat(error.kind()).isEqualTo(Kind.NOT_APPLIED);
    assertThat(error).hasMessageContaining("still says SIP OAuth mode is disabled");
  }

  @Test
  void listsStaleLscsWithTheirColumns() throws Exception {
    AdminCli cli = connect();

    List<StaleLsc> stale = cli.staleLscs();

    assertThat(stale).extracting(StaleLsc::deviceName)
        .containsExactly("SEP001122334455", "SEPAABBCCDDEEFF", "CSFJSMITH");
    assertThat(stale.get(0).columns()).containsExactly(Map.entry("Device Name", "SEP001122334455"),
        Map.entry("Serial Number", "6f1a2b3c4d5e6f708192a3b4c5d6e7f8"), Map.entry("Issued On", "2024-03-11 09:14:02"));
  }

  @Test
  void deletesStaleLscsAfterConfirmingAndChecksNoneIsLeft() throws Exception {
    AdminCli cli = connect();

    assertThat(cli.deleteStaleLscs()).isEqualTo(3);

    assertThat(server.staleLscs).isEmpty();
    assertThat(server.answers).containsExactly("yes");
    assertThat(cli.staleLscs()).isEmpty();

    int commandsBefore = server.commands.size();
    assertThat(cli.deleteStaleLscs()).isZero();
    assertThat(server.commands.subList(commandsBefore, server.commands.size()))
        .containsExactly("utils capf stale-lsc list");
  }

  @Test
  void listsPendingCsrsAndAnEmptyList() throws Exception {
    AdminCli cli = connect();

    assertThat(cli.pendingCsrs()).singleElement().satisfies(csr -> {
      assertThat(csr.deviceName()).isEqualTo("SEP0CD0F8A1B2C3");
      assertThat(csr.columns()).containsEntry("CSR File", "SEP0CD0F8A1B2C3.csr");
    });

    server.csrs.clear();
    assertThat(cli.pendingCsrs()).isEmpty();
  }

  @Test
  void restartsAServiceAndWaitsUntilItIsStarted() throws Exception {
    AdminCli cli = connect();

    cli.restartService("Cisco Tomcat");
    cli.restartService("Cisco XCP Router");

    assertThat(server.commands).endsWith("utils service restart Cisco Tomcat", "utils service restart Cisco XCP Router");
    assertThat(cli.transcript()).contains("Cisco Tomcat[STARTED]").contains("Service Restarted");
  }

  @Test
  void aServiceThatDoesNotStartOrDoesNotExistIsARefusal() throws Exception {
    AdminCli cli = connect();

    AdminCliException notRunning = failure(() -> cli.restartService("Cisco DirSync"));
    AdminCliException unknown = failure(() -> cli.restartService("Cisco Nonexistent"));

    assertThat(notRunning.kind()).isEqualTo(Kind.REFUSED);
    assertThat(notRunning).hasMessageContaining("[NOTRUNNING]");
    assertThat(unknown.kind()).isEqualTo(Kind.REFUSED);
    assertThat(unknown).hasMessageContaining("Invalid service name");
    assertThatThrownBy(() -> cli.restartService("Cisco Tomcat\nutils system restart"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(cli.isUsable()).isTrue();
  }

  @Test
  void runAnswersAnInteractiveQuestionAndReturnsTheOutputWithoutEchoOrPrompt() throws Exception {
    AdminCli cli = connect();

    String output = cli.run("utils create report security", Map.of("continue (y/n)", "y"));

    assertThat(server.answers).containsExactly("y");
    assertThat(output).startsWith("This command collects the security diagnostic reports")
        .contains("Continue (y/n)? y")
        .endsWith("Output is in file: platform/log/security_report_20240502.tar")
        .doesNotContain("admin:");
    assertThatThrownBy(() -> cli.run("utils create report security\nutils system restart"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ---------------------------------------------------------------- unrecognised output, disconnects, timeouts

  @Test
  void outputTheParserDoesNotRecogniseIsAnErrorWithTheCommandAndARedactedTranscript() throws Exception {
    AdminCli cli = connect();
    cli.redact(ANSWER_SECRET);
    server.on("utils sipOAuth-mode status", terminal -> {
      terminal.println("SIP OAuth: pending restart (requested with " + PASSWORD + ")");
      terminal.println("token " + ANSWER_SECRET);
    });

    AdminCliException error = failure(cli::sipOAuthMode);

    assertThat(error.kind()).isEqualTo(Kind.UNRECOGNISED_OUTPUT);
    assertThat(error.command()).isEqualTo("utils sipOAuth-mode status");
    assertThat(error).hasMessageContaining("utils sipOAuth-mode status")
        .hasMessageContaining("SIP OAuth: pending restart (requested with <redacted>)")
        .hasMessageContaining("token <redacted>");
    assertThat(error.transcript()).startsWith("admin:utils sipOAuth-mode status");
    assertThat(cli.transcript()).doesNotContain(PASSWORD).doesNotContain(ANSWER_SECRET);

    server.overrides.clear();
    assertThat(cli.sipOAuthMode()).isFalse();
  }

  @Test
  void aDeviceTableWithAnUnexpectedLineIsUnrecognised() throws Exception {
    AdminCli cli = connect();
    server.on("utils capf stale-lsc list", terminal -> {
      terminal.println("Device Name          Serial Number");
      terminal.println("SEP001122334455      6f1a2b3c   extra-column");
    });

    AdminCliException error = failure(cli::staleLscs);

    assertThat(error.kind()).isEqualTo(Kind.UNRECOGNISED_OUTPUT);
    assertThat(error).hasMessageContaining("utils capf stale-lsc list").hasMessageContaining("extra-column");
  }

  @Test
  void registeredSecretsTypedAsAnswersAreRedactedFromTheTranscript() throws Exception {
    AdminCli cli = connect();
    cli.redact(ANSWER_SECRET);

    String output = cli.run("utils create report security", Map.of("(y/n)", ANSWER_SECRET));

    assertThat(server.answers).containsExactly(ANSWER_SECRET);
    assertThat(output).contains("Continue (y/n)? <redacted>").contains("Cancelled");
    assertThat(cli.transcript()).contains("<redacted>").doesNotContain(ANSWER_SECRET);
  }

  @Test
  void aConnectionDroppedInTheMiddleOfACommandIsAClearErrorAndEndsTheSession() throws Exception {
    AdminCli cli = connect();
    server.on("utils service restart Cisco Tomcat", terminal -> {
      terminal.println("Service Manager is running");
      terminal.println("Cisco Tomcat[STOPPING]");
      terminal.drop();
    });

    AdminCliException error = failure(() -> cli.restartService("Cisco Tomcat"));

    assertThat(error.kind()).isEqualTo(Kind.DISCONNECTED);
    assertThat(error).hasMessageContaining("closed while 'utils service restart Cisco Tomcat' was running")
        .hasMessageContaining("Cisco Tomcat[STOPPING]");
    assertThat(cli.isUsable()).isFalse();
    AdminCliException after = failure(cli::sipOAuthMode);
    assertThat(after.kind()).isEqualTo(Kind.DISCONNECTED);
    assertThat(after).hasMessageContaining("no longer usable");
  }

  @Test
  void aCommandThatNeverReturnsToThePromptTimesOutAndEndsTheSession() throws Exception {
    AdminCli cli = connect(settings().withRestartTimeout(Duration.ofMillis(500)));
    server.on("utils service restart Cisco Tomcat", terminal -> {
      terminal.println("Cisco Tomcat[STOPPING]");
      terminal.hang();
    });

    long started = System.nanoTime();
    AdminCliException error = failure(() -> cli.restartService("Cisco Tomcat"));

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    assertThat(error.kind()).isEqualTo(Kind.TIMEOUT);
    assertThat(error).hasMessageContaining("did not return to the admin: prompt")
        .hasMessageContaining("500 ms").hasMessageContaining("Cisco Tomcat[STOPPING]");
    assertThat(cli.isUsable()).isFalse();
  }

  @Test
  void aQuestionWithoutAnAnswerTimesOutNamingTheQuestion() throws Exception {
    AdminCli cli = connect(settings().withCommandTimeout(Duration.ofMillis(400)));

    AdminCliException error = failure(() -> cli.run("utils create report security", new LinkedHashMap<>()));

    assertThat(error.kind()).isEqualTo(Kind.TIMEOUT);
    assertThat(error).hasMessageContaining("The CLI waits after 'Continue (y/n)?'");
  }

  @Test
  void aLoginThatNeverReachesAUsablePromptIsATimeout() throws Exception {
    server.on("set cli pagination off", FakeAdminCliServer.Terminal::hang);

    AdminCliException error = failure(() -> connect(settings().withCommandTimeout(Duration.ofMillis(300))));

    assertThat(error.kind()).isEqualTo(Kind.TIMEOUT);
    assertThat(error).hasMessageContaining("set cli pagination off");
  }
}
