package io.uctrust.target.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.uctrust.cluster.ClusterException;
import io.uctrust.cluster.Operation;
import io.uctrust.target.cucm.cli.AdminCli;
import io.uctrust.target.cucm.cli.AdminCliCredentials;
import io.uctrust.target.cucm.cli.AdminCliException;
import io.uctrust.target.cucm.cli.AdminCliException.Kind;
import io.uctrust.target.cucm.cli.AdminCliSettings;
import io.uctrust.target.cucm.cli.StaleLsc;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LabSshServer} driven by the real {@link AdminCli}: each node's admin CLI on its own loopback port,
 * verified under the node's name, changing the served lab exactly as the in-process lab's operations do.
 */
class LabSshServerTest {
  private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final String PASSWORD = "password";
  private static final String PUB = "cucm-pub.example.com";
  private static final String SUB = "cucm-sub1.example.com";
  private static final String IMP = "imp-pub.example.com";
  @TempDir
  Path dir;

  private LabStore store;
  private ServedLab lab;
  private LabFaults faults;
  private LabSshServer server;
  private final List<AdminCli> clients = new ArrayList<>();

  @BeforeEach
  void serve() throws Exception {
    store = ServedLabFixture.copyOfSeeded(dir.resolve("lab"));
    lab = ServedLab.open(store, CLOCK);
    // The seeded 20 phones make no stale LSC (one per 40 phones): give the publisher a few to list.
    lab.change(state -> {
      for (int i = 0; i < 3; i++) {
        LabState.StaleLsc stale = new LabState.StaleLsc();
        stale.phone = state.phones.get(i).name;
        stale.serial = Integer.toHexString(0x5a1e + i);
        stale.issued = CLOCK.instant().minusSeconds(3600L * i);
        state.staleLscs.add(stale);
      }
      return null;
    });
    faults = LabFaults.none();
    server = LabSshServer.start(lab, InetAddress.getLoopbackAddress(), faults, PASSWORD);
  }

  @AfterEach
  void stop() {
    clients.forEach(AdminCli::close);
    server.close();
    lab.close();
  }

  private AdminCliSettings settings(String node) {
    return AdminCliSettings.forHost(node, server.knownHosts()).withConnectAddress("127.0.0.1", server.ports().get(node))
        .withConnectTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5))
        .withPromptTimeout(Duration.ofSeconds(5))
        .withCommandTimeout(Duration.ofSeconds(3))
        .withRestartTimeout(Duration.ofSeconds(3))
        .withQuietPeriod(Duration.ofMillis(20));
  }

  private AdminCli connect(String node) throws AdminCliException {
    return connect(settings(node), PASSWORD);
  }

  private AdminCli connect(AdminCliSettings settings, String password) throws AdminCliException {
    AdminCli cli = AdminCli.connect(settings, AdminCliCredentials.password("admin", password.toCharArray()));
    clients.add(cli);
    return cli;
  }

  private static AdminCliException failure(ThrowingCallable call) {
    Throwable thrown = catchThrowable(call);
    assertThat(thrown).isInstanceOf(AdminCliException.class);
    return (AdminCliException) thrown;
  }

  /** The state as saved on disk (what the next uctrust process would load). */
  private LabState saved() throws ClusterException {
    return store.load();
  }

  // ---------------------------------------------------------------- server

  @Test
  void listensOnOnePortPerNodeAndListsOneHostKeyUnderEveryNodeName() throws Exception {
    Path key = store.dir().resolve("serve").resolve("ssh_host_key");

    assertThat(server.ports()).containsOnlyKeys(PUB, SUB, IMP);
    assertThat(server.ports().values()).doesNotHaveDuplicates().allSatisfy(port -> assertThat(port).isPositive());
    assertThat(Files.getPosixFilePermissions(key)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    List<String> lines = Files.readAllLines(server.knownHosts()).stream().filter(l -> !l.startsWith("#")).toList();
    assertThat(lines).hasSize(3).allSatisfy(line -> assertThat(line).contains(" ecdsa-sha2-nistp256 "));
    assertThat(lines).extracting(line -> line.substring(0, line.indexOf(' '))).containsExactly(PUB, SUB, IMP);
  }

  @Test
  void keepsItsHostKeyAcrossRestartsSoKnownHostsStaysValid() throws Exception {
    String before = Files.readString(server.knownHosts());
    server.close();

    server = LabSshServer.start(lab, InetAddress.getLoopbackAddress(), faults, PASSWORD);

    assertThat(Files.readString(server.knownHosts())).isEqualTo(before);
    assertThat(connect(SUB).isUsable()).isTrue();
  }

  @Test
  void aWrongPasswordIsRefused() {
    AdminCliException error = failure(() -> connect(settings(PUB), "not-the-password"));

    assertThat(error.kind()).isEqualTo(Kind.AUTHENTICATION);
  }

  @Test
  void aKnownHostsWithAnotherKeyForTheNodeIsAWrongHostKeyNamingBothFingerprints() throws Exception {
    KeyPair other = KeyUtils.generateKeyPair("ecdsa-sha2-nistp256", 256);
    Path wrong = dir.resolve("known_hosts");
    Files.writeString(wrong, PUB + " " + PublicKeyEntry.toString(other.getPublic()) + "\n");
    KeyPair served = LabSshServer.hostKey(store.dir().resolve("serve").resolve("ssh_host_key"));

    AdminCliException error = failure(() -> connect(new AdminCliSettings(PUB, 22, wrong, Duration.ofSeconds(5),
        Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(3), Duration.ofSeconds(3),
        Duration.ofMillis(20)).withConnectAddress("127.0.0.1", server.ports().get(PUB)), PASSWORD));

    assertThat(error.kind()).isEqualTo(Kind.HOST_KEY_CHANGED);
    assertThat(error).hasMessageContaining(PUB + ":22")
        .hasMessageContaining(KeyUtils.getFingerPrint(served.getPublic()))
        .hasMessageContaining(KeyUtils.getFingerPrint(other.getPublic()));
  }

  // ---------------------------------------------------------------- commands

  @Test
  void setsAndReadsTheCapfKeepAliveOnThePublisher() throws Exception {
    AdminCli cli = connect(PUB);

    assertThat(cli.capfKeepAlive()).isEqualTo(15);
    cli.setCapfKeepAlive(30);

    assertThat(cli.capfKeepAlive()).isEqualTo(30);
    assertThat(saved().keepAliveMinutes).isEqualTo(30);
  }

  @Test
  void capfCommandsAreRefusedOffThePublisher() throws Exception {
    AdminCli cli = connect(SUB);

    AdminCliException error = failure(() -> cli.setCapfKeepAlive(30));

    assertThat(error.kind()).isEqualTo(Kind.REFUSED);
    assertThat(error.transcript()).contains("only on the Unified CM publisher");
    assertThat(saved().keepAliveMinutes).isEqualTo(15);
  }

  @Test
  void enablesAndDisablesSipOAuthMode() throws Exception {
    AdminCli cli = connect(PUB);

    assertThat(cli.sipOAuthMode()).isFalse();
    cli.setSipOAuthMode(true);
    assertThat(cli.sipOAuthMode()).isTrue();
    assertThat(saved().sipOAuthMode).isTrue();
    cli.setSipOAuthMode(false);

    assertThat(saved().sipOAuthMode).isFalse();
  }

  @Test
  void listsAndDeletesTheStaleLscsTheLabCounts() throws Exception {
    AdminCli cli = connect(PUB);

    assertThat(cli.staleLscs()).hasSize(3).extracting(StaleLsc::deviceName).doesNotHaveDuplicates()
        .allSatisfy(device -> assertThat(device).startsWith("SEP"));
    assertThat(cli.deleteStaleLscs()).isEqualTo(3);

    assertThat(cli.staleLscs()).isEmpty();
    assertThat(saved().staleLscs).isEmpty();
  }

  @Test
  void listsNoPendingCsrs() throws Exception {
    assertThat(connect(PUB).pendingCsrs()).isEmpty();
  }

  @Test
  void restartsAServiceOfTheNodeAndRecordsItAsAnEvent() throws Exception {
    AdminCli cli = connect(SUB);

    cli.restartService("Cisco Tomcat");

    LabState.Event event = saved().events.get(saved().events.size() - 1);
    assertThat(List.of(event.node, event.service, event.action, event.reason, event.time.toString()))
        .containsExactly(SUB, "Cisco Tomcat", "restart", "admin CLI restart", NOW.toString());
  }

  @Test
  void aServiceTheNodeDoesNotRunIsRefusedAndNothingIsRecorded() throws Exception {
    AdminCli cli = connect(IMP);
    int events = saved().events.size();

    AdminCliException error = failure(() -> cli.restartService("Cisco CallManager"));

    assertThat(error.kind()).isEqualTo(Kind.REFUSED);
    assertThat(saved().events).hasSize(events);
  }

  @Test
  void reportsTheFipsModeOfTheLab() throws Exception {
    AdminCli cli = connect(IMP);

    assertThat(cli.fipsMode()).isFalse();
    lab.change(state -> state.fipsMode = true);

    assertThat(cli.fipsMode()).isTrue();
  }

  @Test
  void anUnknownCommandIsAnErrorText() throws Exception {
    String output = connect(PUB).run("utils frobnicate");

    assertThat(output).contains("Executed command unsuccessfully").contains("Invalid command");
  }

  // ---------------------------------------------------------------- faults

  @Test
  void aDisconnectMidCommandIsAClearErrorAndChangesNothing() throws Exception {
    AdminCli cli = connect(PUB);
    faults.add(LabFaults.parse("cli:utils capf set keep_alive=disconnect"));

    AdminCliException error = failure(() -> cli.setCapfKeepAlive(30));

    assertThat(error.kind()).isEqualTo(Kind.DISCONNECTED);
    assertThat(error).hasMessageContaining("utils capf set keep_alive")
        .hasMessageContaining("whether it took effect is unknown");
    assertThat(cli.isUsable()).isFalse();
    assertThat(saved().keepAliveMinutes).isEqualTo(15);
    assertThat(faults.hits()).containsExactly("cli:utils capf set keep_alive DISCONNECT");
  }

  @Test
  void anErrorFaultIsARefusalAndADelayOverTheTimeoutIsATimeout() throws Exception {
    AdminCli cli = connect(PUB);
    faults.add(LabFaults.parse("cli:utils sipOAuth-mode enable=server-error"));
    faults.add(LabFaults.parse("cli:utils fips status=delay@4000ms"));

    AdminCliException refused = failure(() -> cli.setSipOAuthMode(true));
    AdminCliException slow = failure(cli::fipsMode);

    assertThat(refused.kind()).isEqualTo(Kind.REFUSED);
    assertThat(saved().sipOAuthMode).isFalse();
    assertThat(slow.kind()).isEqualTo(Kind.TIMEOUT);
  }

  // ---------------------------------------------------------------- same end state as the in-process lab

  @Test
  void changesOverSshLeaveTheSameStateAsTheInProcessLabsOperations() throws Exception {
    Path twinDir = dir.resolve("twin");
    Files.createDirectories(twinDir);
    Files.copy(store.stateFile(), twinDir.resolve("state.json"));

    AdminCli pub = connect(PUB);
    pub.setCapfKeepAlive(25);
    pub.setSipOAuthMode(true);
    pub.deleteStaleLscs();
    connect(IMP).restartService("Cisco Intercluster Sync Agent");

    LabCluster twin = LabCluster.existing(new LabStore(twinDir), CLOCK);
    twin.perform(new Operation.SetCapfKeepAlive(25), null);
    twin.perform(new Operation.SetSipOAuthMode(true), null);
    twin.perform(new Operation.DeleteStaleLscs(), null);
    twin.perform(new Operation.RestartService(IMP, "Cisco Intercluster Sync Agent", "admin CLI restart"), null);

    assertThat(Files.readString(store.stateFile())).isEqualTo(Files.readString(twinDir.resolve("state.json")));
  }
}
