package io.uctrust.target.cucm.services;

import io.uctrust.target.cucm.TlsIdentity;
import io.uctrust.target.cucm.FakeTime;
import io.uctrust.target.cucm.BasicCredentials;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.uctrust.cluster.ClusterException;
import io.uctrust.target.cucm.axl.AxlTls;
import io.uctrust.target.cucm.axl.XmlElement;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SOAPAction: Cisco publishes no value for ControlCenterServices; these tests pin the assumption that the
 * node accepts the quoted operation name ({@code "soapGetServiceStatus"}, {@code "soapDoControlServices"}),
 * as Axis-generated WSDLs declare and public clients send.
 */
class ControlCenterClientTest {
  private static final String USER = "ccmadmin";
  private static final String PASSWORD = "Pl4tform-Sekrit!";
  private static final List<String> SECRETS = List.of(PASSWORD,
      Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
  private static final String CALLMANAGER = "Cisco CallManager";
  private static final String CAPF = "Cisco Certificate Authority Proxy Function";

  /** The node's tomcat identity: a self-signed certificate for localhost and 127.0.0.1, generated per run. */
  private static final TlsIdentity NODE = TlsIdentity.selfSigned("localhost", List.of("localhost"),
      List.of("127.0.0.1"));

  private final List<FakeControlCenter> servers = new ArrayList<>();
  private final FakeTime time = new FakeTime();

  @AfterEach
  void serversSawOnlyWhatARealNodeAccepts() {
    servers.forEach(FakeControlCenter::close);
    servers.forEach(s -> assertThat(s.problems()).isEmpty());
  }

  private FakeControlCenter server(FakeControlCenter.Responder responder) throws IOException {
    return server(NODE, responder);
  }

  private FakeControlCenter server(TlsIdentity identity, FakeControlCenter.Responder responder) throws IOException {
    FakeControlCenter server = new FakeControlCenter(identity, USER, PASSWORD, responder);
    servers.add(server);
    return server;
  }

  private static ControlCenterSettings settings(FakeControlCenter server) {
    return ControlCenterSettings.forEndpoint(server.endpoint())
        .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5))
        .withPolling(Duration.ofSeconds(5), Duration.ofSeconds(60));
  }

  private ControlCenterClient client(ControlCenterSettings settings, String password) {
    return new ControlCenterClient(settings, BasicCredentials.of(USER, password),
        AxlTls.context(List.of(NODE.certificate())), time, time);
  }

  private ControlCenterClient client(ControlCenterSettings settings) {
    return client(settings, PASSWORD);
  }

  private ControlCenterClient client(FakeControlCenter server) {
    return client(settings(server));
  }

  private static FakeControlCenter.Reply ok(String operation, String... items) {
    return FakeControlCenter.Reply.ok(FakeControlCenter.response(operation, String.join("", items)));
  }

  /** No secret in the message or string form of the error, its causes or suppressed errors. */
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

  /**
   * A node whose services walk through scripted states: every status poll moves each asked service one
   * state on, and the last state stays. Services it has no script for are not reported.
   */
  private static final class SimulatedNode implements FakeControlCenter.Responder {
    private final Map<String, Deque<String>> states = new LinkedHashMap<>();

    SimulatedNode service(String name, String... statesPerPoll) {
      states.put(name, new ArrayDeque<>(List.of(statesPerPoll)));
      return this;
    }

    @Override
    public synchronized FakeControlCenter.Reply answer(FakeControlCenter.Exchange exchange) {
      StringBuilder items = new StringBuilder();
      if (exchange.operation().equals("soapDoControlServices")) {
        for (XmlElement item : exchange.body().find("ControlServiceRequest", "ServiceList").orElseThrow().children()) {
          Deque<String> script = states.get(item.text());
          if (script != null) {
            items.append(FakeControlCenter.item(item.text(), script.peekFirst(), "-1", ""));
          }
        }
        return ok("soapDoControlServices", items.toString());
      }
      for (XmlElement asked : exchange.body().children("ServiceStatus")) {
        Deque<String> script = states.get(asked.text());
        if (script != null) {
          String state = script.size() > 1 ? script.removeFirst() : script.peekFirst();
          String reason = state.equals("Stopped") ? "Service Not Running" : "";
          items.append(FakeControlCenter.item(asked.text(), state, state.equals("Stopped") ? "-1019" : "-1", reason));
        }
      }
      return ok("soapGetServiceStatus", items.toString());
    }
  }

  // ------------------------------------------------------------------ status

  @Test
  void statusAsksWithOneServiceStatusElementPerServiceAndAnswersInTheOrderAsked() throws Exception {
    FakeControlCenter server = server(x -> ok("soapGetServiceStatus",
        FakeControlCenter.item(CAPF, "Stopped", "-1068", "Service Not Activated"),
        FakeControlCenter.item("Cisco Tftp", "Started", "-1", ""),
        FakeControlCenter.item(CALLMANAGER, "Starting", "-1", " ")));

    List<ServiceStatus> statuses = client(server).status(List.of(CALLMANAGER, "Cisco Tftp", CAPF));

    assertThat(statuses).containsExactly(
        new ServiceStatus(CALLMANAGER, ServiceState.STARTING, null),
        new ServiceStatus("Cisco Tftp", ServiceState.STARTED, null),
        new ServiceStatus(CAPF, ServiceState.STOPPED, "Service Not Activated"));
    FakeControlCenter.Exchange exchange = server.exchanges().get(0);
    assertThat(exchange.soapAction()).isEqualTo("\"soapGetServiceStatus\"");
    assertThat(exchange.authorization()).startsWith("Basic ");
    assertThat(exchange.body()).isEqualTo(XmlElement.of("soapGetServiceStatus",
        XmlElement.leaf("ServiceStatus", CALLMANAGER), XmlElement.leaf("ServiceStatus", "Cisco Tftp"),
        XmlElement.leaf("ServiceStatus", CAPF)));
    assertThat(exchange.rawBody())
        .contains("xmlns:soap=\"http://schemas.cisco.com/ast/soap\"")
        .contains("<soap:soapGetServiceStatus><soap:ServiceStatus>Cisco CallManager</soap:ServiceStatus>");
  }

  @Test
  void statusReadsEveryStateAndTreatsAnUnrecognisedOneAsUnknown() throws Exception {
    FakeControlCenter server = server(x -> ok("soapGetServiceStatus",
        FakeControlCenter.item("A", "Started", "-1", ""), FakeControlCenter.item("B", "Stopped", "-1", ""),
        FakeControlCenter.item("C", "Starting", "-1", ""), FakeControlCenter.item("D", "Stopping", "-1", ""),
        FakeControlCenter.item("E", "Unknown", "-1", ""), FakeControlCenter.item("F", "Hibernating", "-1", "")));

    assertThat(client(server).status(List.of("A", "B", "C", "D", "E", "F"))).extracting(ServiceStatus::state)
        .containsExactly(ServiceState.STARTED, ServiceState.STOPPED, ServiceState.STARTING, ServiceState.STOPPING,
            ServiceState.UNKNOWN, ServiceState.UNKNOWN);
  }

  @Test
  void statusOfNoNamedServiceAsksForEveryServiceOfTheNode() throws Exception {
    FakeControlCenter server = server(x -> ok("soapGetServiceStatus",
        FakeControlCenter.item("Cisco Tomcat", "Started", "-1", ""),
        FakeControlCenter.item(CALLMANAGER, "Started", "-1", "")));

    List<ServiceStatus> statuses = client(server).status(List.of());

    assertThat(statuses).extracting(ServiceStatus::name).containsExactly("Cisco Tomcat", CALLMANAGER);
    assertThat(server.exchanges().get(0).body()).isEqualTo(XmlElement.of("soapGetServiceStatus",
        XmlElement.leaf("ServiceStatus", "")));
  }

  @Test
  void aServiceTheNodeDoesNotReportIsAnErrorNamingIt() throws Exception {
    FakeControlCenter server = server(x -> ok("soapGetServiceStatus", FakeControlCenter.item(CALLMANAGER, "Started",
        "-1", "")));

    Throwable error = catchThrowable(() -> client(server).status(List.of(CALLMANAGER, "Cisco CallManger")));

    assertThat(error).isInstanceOf(ClusterException.class)
        .hasMessageContaining("did not report service 'Cisco CallManger'")
        .hasMessageContaining("check the exact service name");
  }

  // ------------------------------------------------------------------ control and polling

  @Test
  void restartSendsOneControlRequestThenPollsUntilEveryServiceIsStartedAgain() throws Exception {
    SimulatedNode node = new SimulatedNode()
        .service(CALLMANAGER, "Stopping", "Starting", "Started")
        .service(CAPF, "Started");
    FakeControlCenter server = server(node);

    List<ServiceStatus> result = client(server).restart("cucm-pub", List.of(CALLMANAGER, CAPF));

    assertThat(result).containsExactly(new ServiceStatus(CALLMANAGER, ServiceState.STARTED, null),
        new ServiceStatus(CAPF, ServiceState.STARTED, null));
    assertThat(server.exchanges()).extracting(FakeControlCenter.Exchange::operation).containsExactly(
        "soapDoControlServices", "soapGetServiceStatus", "soapGetServiceStatus", "soapGetServiceStatus");
    FakeControlCenter.Exchange control = server.exchanges().get(0);
    assertThat(control.soapAction()).isEqualTo("\"soapDoControlServices\"");
    assertThat(control.body()).isEqualTo(XmlElement.of("soapDoControlServices",
        XmlElement.of("ControlServiceRequest",
            XmlElement.leaf("NodeName", "cucm-pub"),
            XmlElement.leaf("ControlType", "Restart"),
            XmlElement.of("ServiceList", XmlElement.leaf("item", CALLMANAGER), XmlElement.leaf("item", CAPF)))));
    assertThat(control.rawBody()).contains("<soap:soapDoControlServices><soap:ControlServiceRequest>"
        + "<soap:NodeName>cucm-pub</soap:NodeName><soap:ControlType>Restart</soap:ControlType><soap:ServiceList>"
        + "<soap:item>Cisco CallManager</soap:item>");
    assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(5));
  }

  @Test
  void startAndStopSendTheirControlTypeAndWaitForTheirOwnEndState() throws Exception {
    SimulatedNode node = new SimulatedNode().service(CAPF, "Stopped", "Starting", "Started");
    FakeControlCenter server = server(node);
    ControlCenterClient client = client(server);

    assertThat(client.start("cucm-pub", List.of(CAPF))).extracting(ServiceStatus::state)
        .containsExactly(ServiceState.STARTED);
    node.service(CAPF, "Started", "Stopping", "Stopped");
    assertThat(client.stop("cucm-pub", List.of(CAPF))).containsExactly(
        new ServiceStatus(CAPF, ServiceState.STOPPED, "Service Not Running"));

    List<FakeControlCenter.Exchange> controls = server.exchanges().stream()
        .filter(e -> e.operation().equals("soapDoControlServices")).toList();
    assertThat(controls).extracting(e -> e.body().find("ControlServiceRequest", "ControlType").orElseThrow().text())
        .containsExactly("Start", "Stop");
  }

  @Test
  void aServiceThatNeverStartsFailsAtTheTimeoutNamingTheServiceAndItsLastState() throws Exception {
    SimulatedNode node = new SimulatedNode().service(CALLMANAGER, "Stopping", "Starting");
    FakeControlCenter server = server(node);
    ControlCenterSettings settings = settings(server).withPolling(Duration.ofSeconds(20), Duration.ofSeconds(50));

    Throwable error = catchThrowable(() -> client(settings).restart("cucm-sub1", List.of(CALLMANAGER)));

    assertThat(error).isInstanceOf(ClusterException.class)
        .hasMessageStartingWith("Restart of Cisco CallManager on cucm-sub1 did not finish within 50 s: "
            + "Cisco CallManager is Starting, not Started.")
        .hasMessageContaining("Control Center");
    // polls at 0, 20, 40 and 50 s: the last wait is cut to the deadline
    assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(20), Duration.ofSeconds(20), Duration.ofSeconds(10));
    assertThat(server.exchanges()).hasSize(5);
    assertNoSecrets(error);
  }

  @Test
  void theTimeoutMessageNamesEveryServiceStillPendingWithTheNodesReason() throws Exception {
    SimulatedNode node = new SimulatedNode()
        .service(CALLMANAGER, "Started")
        .service(CAPF, "Stopped")
        .service("Cisco Tftp", "Unknown");
    FakeControlCenter server = server(node);
    ControlCenterSettings settings = settings(server).withPolling(Duration.ofSeconds(5), Duration.ofSeconds(5));

    Throwable error = catchThrowable(() -> client(settings).start("cucm-pub", List.of(CALLMANAGER, CAPF, "Cisco Tftp")));

    assertThat(error).isInstanceOf(ClusterException.class)
        .hasMessageStartingWith("Start of 2 services on cucm-pub did not finish within 5 s: "
            + CAPF + " is Stopped (Service Not Running), not Started; Cisco Tftp is Unknown, not Started.");
    assertThat(error.getMessage()).doesNotContain(CALLMANAGER);
  }

  @Test
  void ciscoTomcatIsRefusedBeforeAnythingIsSentPointingToTheAdminCli() throws Exception {
    FakeControlCenter server = server(new SimulatedNode().service(CALLMANAGER, "Started"));
    ControlCenterClient client = client(server);

    Throwable restart = catchThrowable(() -> client.restart("cucm-pub", List.of(CALLMANAGER, " cisco tomcat ")));
    Throwable stop = catchThrowable(() -> client.stop("cucm-pub", List.of("Cisco Tomcat")));

    assertThat(restart).isInstanceOf(ClusterException.class)
        .hasMessageStartingWith("Cisco Tomcat cannot be restarted through ControlCenterServices on cucm-pub: the API "
            + "runs inside Cisco Tomcat")
        .hasMessageContaining("Use the admin CLI of cucm-pub: utils service restart Cisco Tomcat")
        .hasMessageContaining("nothing was sent");
    assertThat(stop).hasMessageContaining("utils service stop Cisco Tomcat");
    assertThat(server.exchanges()).isEmpty();
    assertThat(ControlCenterClient.controllable("Cisco Tomcat")).isFalse();
    assertThat(ControlCenterClient.controllable(CALLMANAGER)).isTrue();
  }

  @Test
  void controlNeedsANodeAndAtLeastOneServiceAndSendsEachServiceOnce() throws Exception {
    FakeControlCenter server = server(new SimulatedNode().service(CALLMANAGER, "Started"));
    ControlCenterClient client = client(server);

    assertThatThrownBy(() -> client.restart(" ", List.of(CALLMANAGER))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("node name");
    assertThatThrownBy(() -> client.restart("cucm-pub", List.of())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one service");
    assertThatThrownBy(() -> client.restart("cucm-pub", List.of(""))).isInstanceOf(IllegalArgumentException.class);
    assertThat(server.exchanges()).isEmpty();

    client.restart("cucm-pub", List.of(CALLMANAGER, "cisco callmanager ", CALLMANAGER));

    assertThat(server.exchanges().get(0).body().find("ControlServiceRequest", "ServiceList").orElseThrow().children())
        .containsExactly(XmlElement.leaf("item", CALLMANAGER));
  }

  // ------------------------------------------------------------------ failures

  @Test
  void aSoapFaultBecomesAClusterExceptionWithTheFaultTextAndIsNotRetried() throws Exception {
    FakeControlCenter server = server(x -> FakeControlCenter.Reply.fault(FakeControlCenter.fault(
        "Node name cucm-sub9 is not the local node")));

    Throwable error = catchThrowable(() -> client(server).restart("cucm-sub9", List.of(CALLMANAGER)));

    assertThat(error).isInstanceOf(ClusterException.class)
        .hasMessage("ControlCenterServices soapDoControlServices at 127.0.0.1:" + server.endpoint().getPort()
            + " failed: Node name cucm-sub9 is not the local node (fault code soapenv:Server.userException)");
    assertThat(server.exchanges()).hasSize(1);
    assertThat(time.sleeps()).isEmpty();
    assertNoSecrets(error);
  }

  @Test
  void aWrongPasswordIsAnAuthenticationFailureNamingTheUserButNoPassword() throws Exception {
    FakeControlCenter server = server(new SimulatedNode().service(CALLMANAGER, "Started"));

    Throwable error = catchThrowable(() -> client(settings(server), "wrong-" + PASSWORD).status(List.of(CALLMANAGER)));

    assertThat(error).isInstanceOf(ClusterException.class)
        .hasMessageStartingWith("ControlCenterServices authentication failed for user ccmadmin at 127.0.0.1:")
        .hasMessageContaining("HTTP 401");
    assertThat(error.getMessage()).doesNotContain("wrong-");
    assertNoSecrets(error);
    assertThat(time.sleeps()).isEmpty(); // 401 is not retried: retrying could lock the account
  }

  @Test
  void http503IsRetriedWithExponentialBackoffThenSucceeds() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    SimulatedNode node = new SimulatedNode().service(CALLMANAGER, "Started");
    FakeControlCenter server = server(x -> calls.incrementAndGet() <= 2 ? FakeControlCenter.Reply.status(503)
        : node.answer(x));

    List<ServiceStatus> statuses = client(server).status(List.of(CALLMANAGER));

    assertThat(statuses).extracting(ServiceStatus::state).containsExactly(ServiceState.STARTED);
    assertThat(calls).hasValue(3);
    assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
  }

  @Test
  void throttlingThatDoesNotEndGivesUpAfterTheLastAttemptWithAClearMessage() throws Exception {
    FakeControlCenter server = server(x -> FakeControlCenter.Reply.fault(FakeControlCenter.fault(
        "Exceeded allowed rate for Control Center Services. Please retry later")));
    ControlCenterSettings settings = settings(server).withRetry(4, Duration.ofSeconds(10), Duration.ofSeconds(15));

    Throwable error = catchThrowable(() -> client(settings).restart("cucm-pub", List.of(CALLMANAGER)));

    assertThat(error).isInstanceOf(ClusterException.class)
        .hasMessageContaining("is throttling requests (\"Exceeded allowed rate\")")
        .hasMessageContaining("gave up soapDoControlServices after 4 attempts");
    assertThat(server.exchanges()).hasSize(4);
    assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(15), Duration.ofSeconds(15));
  }

  @Test
  void anyOtherHttpStatusIsReportedWithStatusAndOperation() throws Exception {
    FakeControlCenter server = server(x -> FakeControlCenter.Reply.status(404));

    Throwable error = catchThrowable(() -> client(server).status(List.of(CALLMANAGER)));

    assertThat(error).isInstanceOf(ClusterException.class)
        .hasMessageContaining("soapGetServiceStatus at 127.0.0.1:" + server.endpoint().getPort() + " answered HTTP 404");
    assertThat(time.sleeps()).isEmpty();
  }

  @Test
  void aServerCertificateThatIsNotTrustedFailsTlsWithoutSendingAnything() throws Exception {
    TlsIdentity stranger = TlsIdentity.selfSigned("cucm-rogue", List.of("localhost"), List.of("127.0.0.1"));
    FakeControlCenter server = server(stranger, new SimulatedNode().service(CALLMANAGER, "Started"));

    Throwable error = catchThrowable(() -> client(server).restart("cucm-pub", List.of(CALLMANAGER)));

    assertThat(error).isInstanceOf(ClusterException.class)
        .hasMessageStartingWith("TLS verification of ControlCenterServices at 127.0.0.1:" + server.endpoint().getPort()
            + " failed for soapDoControlServices: the server's certificate is not issued by a certificate in the trust bundle")
        .hasMessageContaining("never skips verification");
    assertThat(server.exchanges()).isEmpty();
    assertNoSecrets(error);
  }

  @Test
  void aTrustedCertificateForAnotherHostFailsHostNameVerification() throws Exception {
    TlsIdentity elsewhere = TlsIdentity.selfSigned("cucm-pub.example.com", List.of("cucm-pub.example.com"), List.of());
    FakeControlCenter server = server(elsewhere, new SimulatedNode().service(CALLMANAGER, "Started"));
    ControlCenterClient client = new ControlCenterClient(settings(server), BasicCredentials.of(USER, PASSWORD),
        AxlTls.context(List.of(elsewhere.certificate())), time, time);

    Throwable error = catchThrowable(() -> client.status(List.of(CALLMANAGER)));

    assertThat(error).isInstanceOf(ClusterException.class)
        .hasMessageContaining("the server's certificate does not name 127.0.0.1");
    assertThat(server.exchanges()).isEmpty();
  }

  // ------------------------------------------------------------------ what never leaves uctrust

  @Test
  void thePasswordNeverShowsInStringFormsOrMessages() throws Exception {
    BasicCredentials credentials = BasicCredentials.of(USER, PASSWORD);
    FakeControlCenter server = server(x -> FakeControlCenter.Reply.status(503));
    ControlCenterClient client = client(settings(server).withRetry(2, Duration.ofSeconds(1), Duration.ofSeconds(1)));

    List<Throwable> errors = new ArrayList<>();
    errors.add(catchThrowable(() -> client.status(List.of(CALLMANAGER))));
    errors.add(catchThrowable(() -> client.restart("cucm-pub", List.of(CALLMANAGER))));
    errors.add(catchThrowable(() -> client.restart("cucm-pub", List.of("Cisco Tomcat"))));

    assertThat(errors).allSatisfy(e -> assertThat(e).isInstanceOf(ClusterException.class));
    errors.forEach(ControlCenterClientTest::assertNoSecrets);
    for (String secret : SECRETS) {
      assertThat(credentials.toString()).doesNotContain(secret).contains(USER).contains("<redacted>");
      assertThat(client.toString()).doesNotContain(secret);
      assertThat(client.settings().toString()).doesNotContain(secret);
    }
    assertThat(server.exchanges()).allSatisfy(e -> assertThat(e.rawBody()).doesNotContain(PASSWORD));
  }

  @Test
  void onlyHttpsEndpointsAreAcceptedAndTheDefaultEndpointIsPort8443() {
    assertThat(ControlCenterSettings.forNode("cucm-sub1.example.com").endpoint()).isEqualTo(URI.create(
        "https://cucm-sub1.example.com:8443/controlcenterservice2/services/ControlCenterServices"));
    assertThat(ControlCenterSettings.forNode("2001:db8::11").endpoint().getHost()).isEqualTo("[2001:db8::11]");
    assertThatThrownBy(() -> ControlCenterSettings.forEndpoint(
        URI.create("http://cucm-sub1.example.com:8080/controlcenterservice2/services/ControlCenterServices")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("https");
    assertThatThrownBy(() -> ControlCenterSettings.forEndpoint(
        URI.create("https://admin:pw@cucm-sub1.example.com:8443/controlcenterservice2/services/ControlCenterServices")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("user information");
    assertThatThrownBy(() -> ControlCenterSettings.forNode("cucm-sub1").withPolling(Duration.ZERO, Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("poll interval");
  }

  @Test
  void aJvmWithHostNameVerificationDisabledIsRefused() {
    String property = "jdk.internal.httpclient.disableHostnameVerification";
    System.setProperty(property, "true");
    try {
      assertThatThrownBy(() -> new ControlCenterClient(ControlCenterSettings.forNode("cucm-sub1.example.com"),
          BasicCredentials.of(USER, PASSWORD), AxlTls.context(List.of(NODE.certificate()))))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("host name verification");
    } finally {
      System.clearProperty(property);
    }
  }
}
