package io.uctrust.target.lab;

import static io.uctrust.target.lab.ServedLabFixture.CLOCK;
import static io.uctrust.target.lab.ServedLabFixture.IMP;
import static io.uctrust.target.lab.ServedLabFixture.PASSWORD;
import static io.uctrust.target.lab.ServedLabFixture.PUB;
import static io.uctrust.target.lab.ServedLabFixture.SUB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uctrust.cluster.ClusterException;
import io.uctrust.cluster.Operation;
import io.uctrust.target.cucm.VerifiedHttp;
import io.uctrust.target.cucm.services.ServiceState;
import io.uctrust.target.cucm.services.ServiceStatus;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

class LabControlCenterServiceTest {

  private static final String ENROLLMENT = "Cisco Certificate Enrollment Service";

  @TempDir Path dir;

  @Test
  void anEmptyStatusRequestListsEveryServiceOfTheNodeNamedBySni() throws Exception {
    try (ServedLabFixture served = ServedLabFixture.serve(dir)) {
      List<ServiceStatus> pub = served.controlCenter(PUB).status(List.of());
      assertThat(pub).extracting(ServiceStatus::name).contains("Cisco CallManager", ENROLLMENT, "Cisco Tomcat");
      assertThat(pub).filteredOn(s -> s.name().equals(ENROLLMENT)).singleElement()
          .isEqualTo(new ServiceStatus(ENROLLMENT, ServiceState.STOPPED, "Service Not Activated"));
      assertThat(served.controlCenter(IMP).status(List.of())).extracting(ServiceStatus::name)
          .contains("Cisco XCP Router").doesNotContain("Cisco CallManager");
      assertThat(served.controlCenter(SUB).status(List.of("cisco tftp")))
          .containsExactly(new ServiceStatus("Cisco TFTP", ServiceState.STARTED, null));
    }
  }

  @Test
  void aRestartIsRecordedAsTheInProcessRestartOperation() throws Exception {
    try (ServedLabFixture served = ServedLabFixture.serve(dir)) {
      assertThat(served.controlCenter(SUB).restart(SUB, List.of("Cisco CallManager")))
          .containsExactly(new ServiceStatus("Cisco CallManager", ServiceState.STARTED, null));
    }
    LabStore inProcess = ServedLabFixture.copyOfSeeded(dir.resolve("in-process"));
    try (LabCluster lab = LabCluster.existing(inProcess, CLOCK)) {
      lab.perform(new Operation.RestartService(SUB, "Cisco CallManager", "ControlCenterServices restart"), null);
    }
    JsonMapper json = JsonMapper.builder().build();
    assertThat(json.readTree(Files.readAllBytes(dir.resolve("lab").resolve("state.json"))))
        .isEqualTo(json.readTree(Files.readAllBytes(inProcess.stateFile())));
  }

  @Test
  void stopAndStartChangeTheServiceState() throws Exception {
    try (ServedLabFixture served = ServedLabFixture.serve(dir)) {
      assertThat(served.controlCenter(IMP).stop(IMP, List.of("Cisco SIP Proxy")))
          .containsExactly(new ServiceStatus("Cisco SIP Proxy", ServiceState.STOPPED, null));
      assertThat(served.controlCenter(IMP).start(IMP, List.of("Cisco SIP Proxy")))
          .containsExactly(new ServiceStatus("Cisco SIP Proxy", ServiceState.STARTED, null));
    }
  }

  @Test
  void activationPerformsTheLabsActivateOperation() throws Exception {
    try (ServedLabFixture served = ServedLabFixture.serve(dir)) {
      assertThat(served.controlCenter(PUB).activate(PUB, List.of(ENROLLMENT), true))
          .containsExactly(new ServiceStatus(ENROLLMENT, ServiceState.STARTED, null));
      assertThat(served.lab.observe().capf().enrollmentServiceActive()).isTrue();
      assertThat(served.controlCenter(PUB).activate(PUB, List.of(ENROLLMENT), false))
          .containsExactly(new ServiceStatus(ENROLLMENT, ServiceState.STOPPED, "Service Not Activated"));
      List<String> events = served.lab.read(state -> state.events.stream().map(e -> e.node + " " + e.action + " "
          + e.service + " (" + e.reason + ")").toList());
      assertThat(events).containsExactly(PUB + " activate " + ENROLLMENT + " (service activation)",
          PUB + " deactivate " + ENROLLMENT + " (service activation)");
    }
  }

  @Test
  void refusesWhatANodeRefuses() throws Exception {
    try (ServedLabFixture served = ServedLabFixture.serve(dir)) {
      assertThatThrownBy(() -> served.controlCenter(SUB).restart(PUB, List.of("Cisco CallManager")))
          .isInstanceOf(ClusterException.class).hasMessageContaining("is not this node");
      assertThatThrownBy(() -> served.controlCenter(PUB).restart(PUB, List.of(ENROLLMENT)))
          .isInstanceOf(ClusterException.class).hasMessageContaining("Service Not Activated");
      assertThatThrownBy(() -> served.controlCenter(PUB).restart(PUB, List.of("Cisco No Such Service")))
          .isInstanceOf(ClusterException.class).hasMessageContaining("does not exist");
      // the client refuses Cisco Tomcat itself; a request sent anyway gets the node's fault
      String tomcat = "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" "
          + "xmlns:soap=\"http://schemas.cisco.com/ast/soap\"><soapenv:Body><soap:soapDoControlServices>"
          + "<soap:ControlServiceRequest><soap:NodeName>" + PUB + "</soap:NodeName><soap:ControlType>Restart"
          + "</soap:ControlType><soap:ServiceList><soap:item>Cisco Tomcat</soap:item></soap:ServiceList>"
          + "</soap:ControlServiceRequest></soap:soapDoControlServices></soapenv:Body></soapenv:Envelope>";
      HttpResponse<String> response = VerifiedHttp.client(served.tls(), Duration.ofSeconds(5), "CCS", PUB).send(
          HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + served.server.port()
                  + "/controlcenterservice2/services/ControlCenterServices"))
              .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("admin:" + PASSWORD)
                  .getBytes(StandardCharsets.UTF_8)))
              .header("Content-Type", "text/xml; charset=utf-8")
              .POST(HttpRequest.BodyPublishers.ofString(tomcat)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(500);
      assertThat(response.body()).contains("<faultstring>Cisco Tomcat cannot be controlled through ControlCenterServices");
    }
  }

  @Test
  void injectedFaultsSurfaceAsTheClientsErrors() throws Exception {
    try (ServedLabFixture served = ServedLabFixture.serve(dir)) {
      served.faults.add(LabFaults.parse("ccs:soapGetServiceStatus=soap-fault"));
      assertThatThrownBy(() -> served.controlCenter(PUB).status(List.of())).hasMessageContaining("lab fault");

      served.faults.add(LabFaults.parse("ccs:soapDoControlServices=throttle*1"));
      assertThat(served.controlCenter(SUB).restart(SUB, List.of("Cisco TFTP"))).hasSize(1);

      served.faults.add(LabFaults.parse("ccs:*=throttle*2"));
      assertThatThrownBy(() -> served.controlCenter(SUB).status(List.of())).hasMessageContaining("throttling");

      served.faults.add(LabFaults.parse("ccs:soapGetServiceStatus=server-error"));
      assertThatThrownBy(() -> served.controlCenter(SUB).status(List.of())).hasMessageContaining("HTTP 500");
      assertThat(served.faults.hits()).hasSize(5);
    }
  }

  @Test
  void aWrongPasswordIsRefusedWith401() throws Exception {
    try (ServedLabFixture served = ServedLabFixture.serve(dir)) {
      var settings = served.controlCenter(PUB).settings();
      var client = new io.uctrust.target.cucm.services.ControlCenterClient(settings,
          io.uctrust.target.cucm.BasicCredentials.of("admin", "nope"), served.tls());
      assertThatThrownBy(() -> client.status(List.of())).hasMessageContaining("HTTP 401");
    }
  }
}
