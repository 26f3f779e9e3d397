package io.uctrust.target.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.uctrust.cluster.ClusterException;
import io.uctrust.cluster.Operation;
import io.uctrust.desired.PhoneCertificatePolicySpec;
import io.uctrust.desired.SecretRef;
import io.uctrust.target.cucm.axl.AxlClient;
import io.uctrust.target.cucm.axl.AxlFault;
import io.uctrust.target.cucm.axl.AxlPhone;
import io.uctrust.target.cucm.axl.AxlQueries;
import io.uctrust.target.cucm.axl.AxlTls;
import io.uctrust.target.cucm.axl.AxlVersion;
import io.uctrust.target.cucm.axl.CapfUpdate;
import io.uctrust.target.cucm.axl.XmlElement;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class LabAxlServiceTest extends LabAxlServiceTestBase {
  private static final String AUTH_STRING = "80415926";

  // ------------------------------------------------------------ SQL

  @Test
  void thePagedPhoneQueryReturnsEveryPhoneOnceWithTheLabsValuesAsAxlTexts() throws Exception {
    Instant lscUntil = Instant.parse("2027-03-01T12:00:00Z");
    String name = lab.read(state -> state.phones.get(3).name);
    lab.change(state -> {
      LabState.Phone phone = state.phones.get(3);
      phone.completeBy = "2026-12-31T18:00";
      phone.certificateOperation = "INSTALL_UPGRADE";
      phone.keyOrder = "EC_PREFERRED";
      phone.lscIssuer = "CN=CAPF-lab";
      phone.lscSerial = "1a2b";
      phone.lscNotBefore = lscUntil.minus(Duration.ofDays(1825));
      phone.lscNotAfter = lscUntil;
      phone.allowActivationCodeViaMra = true;
      phone.mraServiceDomain = "mra.example.com";
      state.phones.get(4).lscIssuer = null;
      state.phones.get(4).lscSerial = null;
      state.phones.get(4).lscNotBefore = null;
      state.phones.get(4).lscNotAfter = null;
      return null;
    });
    String noLsc = lab.read(state -> state.phones.get(4).name);

    List<Map<String, String>> rows = client().queryPaged(AxlQueries.PHONES, AxlQueries.PHONES_ORDER, 7);

    List<String> expectedNames = lab.read(state -> state.phones.stream().map(p -> p.name).sorted().toList());
    assertThat(rows).extracting(r -> r.get("name")).containsExactlyElementsOf(expectedNames);
    assertThat(rows).allSatisfy(r -> assertThat(new ArrayList<>(r.keySet())).isEqualTo(AxlQueries.PHONE_COLUMNS));
    Map<String, String> changed = rows.stream().filter(r -> r.get("name").equals(name)).findFirst().orElseThrow();
    assertThat(changed).containsEntry("certificateoperation", "Install/Upgrade")
        .containsEntry("keyorder", "EC Preferred, RSA Backup")
        .containsEntry("keysize", "2048").containsEntry("eckeysize", "384")
        .containsEntry("upgradefinishtime", "2026:12:31:18:00")
        .containsEntry("lscissuer", "CN=CAPF-lab").containsEntry("lscserial", "1a2b")
        .containsEntry("lscvaliduntil", Long.toString(lscUntil.getEpochSecond()))
        .containsEntry("allowmra", "t").containsEntry("mraservicedomain", "mra.example.com");
    Map<String, String> withoutLsc = rows.stream().filter(r -> r.get("name").equals(noLsc)).findFirst().orElseThrow();
    assertThat(withoutLsc).containsEntry("lscvaliduntil", "0").containsEntry("lscissuer", "")
        .containsEntry("upgradefinishtime", "").containsEntry("allowmra", "f").containsEntry("mraservicedomain", "");
    lab.read(state -> {
      for (LabState.Phone p : state.phones) {
        Map<String, String> row = rows.stream().filter(r -> r.get("name").equals(p.name)).findFirst().orElseThrow();
        assertThat(row).containsEntry("model", p.model).containsEntry("devicepool", p.devicePool)
            .containsEntry("securityprofile", p.securityProfile).containsEntry("certificatestatus", p.certificateStatus)
            .containsEntry("micissuer", p.micIssuer)
            .containsEntry("micvaliduntil", Long.toString(p.micNotAfter.getEpochSecond()));
      }
      return null;
    });
  }

  @Test
  void theSecurityModeQueryAnswersOneRowWithZeroOrOne() throws Exception {
    AxlClient client = client();

    assertThat(client.executeSqlQuery(AxlQueries.CLUSTER_SECURITY_MODE)).containsExactly(Map.of("paramvalue", "0"));
    lab.change(state -> state.mixedMode = true);
    assertThat(client.executeSqlQuery("  " + AxlQueries.CLUSTER_SECURITY_MODE.replace(" ", "\n  ")))
        .containsExactly(Map.of("paramvalue", "1"));
  }

  @Test
  void anyOtherSqlIsRefusedWithAnInformixStyleFault() {
    Throwable error = catchThrowable(() -> client().executeSqlQuery("SELECT name FROM device"));

    assertThat(error).isInstanceOf(AxlFault.class).hasMessageContaining("the lab answers only the queries uctrust sends");
    assertThat(((AxlFault) error).axlCode()).isEqualTo("-201");
  }

  // ------------------------------------------------------------ phones

  @Test
  void capfUpdateThenApplyLeavesThePhoneExactlyAsTheInProcessLabsSetPhoneCapf() throws Exception {
    String name = firstPhone(servedState());
    AxlClient client = client();
    String before = client.getPhone(name).certificateStatus();

    String uuid = client.updatePhoneCapf(name, new CapfUpdate(CapfUpdate.INSTALL_UPGRADE,
        CapfUpdate.BY_AUTHENTICATION_STRING, AUTH_STRING, 3072, "EC Preferred, RSA Backup", 521, "2026:12:31:18:00", null));
    assertThat(client.getPhone(name).certificateStatus()).as("pending only once applied").isEqualTo(before);
    assertThat(client.applyPhone(name)).isEqualTo(uuid).matches("\\{[0-9A-F-]{36}\\}");

    LabCluster inProcess = LabCluster.open(copy(dir.resolve("in-process")), "lab", clusterSpec(), 0, CLOCK, Duration.ZERO);
    inProcess.perform(new Operation.SetPhoneCapf(List.of(name), PhoneCertificatePolicySpec.Operation.INSTALL_UPGRADE,
        PhoneCertificatePolicySpec.AuthenticationMode.AUTH_STRING, SecretRef.parse("env:CAPF_STRING"),
        PhoneCertificatePolicySpec.KeyOrder.EC_PREFERRED, 3072, 521, "2026-12-31T18:00"), (ref, subject) -> AUTH_STRING);
    JsonNode expected = withoutLscIdentity(phone(JSON.readTree(Files.readAllBytes(dir.resolve("in-process/state.json"))), name));
    // both phones ran the same CAPF session; only the new LSC's serial and bytes differ
    assertThat(withoutLscIdentity(phone(servedState(), name))).isEqualTo(expected);
    assertThat(expected.get("lscIssuer").asString()).startsWith("C=US");
    assertThat(client.getPhone(name)).isEqualTo(new AxlPhone(name, expected.get("securityProfile").asString(),
        "No Pending Operation", "By Authentication String", 3072, "EC Preferred, RSA Backup", 521, "2026:12:31:18:00",
        "Upgrade Success"));
  }

  private static JsonNode withoutLscIdentity(JsonNode phone) {
    tools.jackson.databind.node.ObjectNode copy = (tools.jackson.databind.node.ObjectNode) phone.deepCopy();
    copy.remove(List.of("lscSerial", "lscPem"));
    return copy;
  }

  @Test
  void mraOnboardingLeavesThePhoneExactlyAsTheInProcessLabsSetPhoneMra() throws Exception {
    JsonNode state = servedState();
    String name = firstPhone(state);
    String profile = state.get("profiles").get(0).get("name").asString();

    client().updatePhoneMra(name, true, "mra.example.com", profile);

    LabCluster inProcess = LabCluster.open(copy(dir.resolve("in-process")), "lab", clusterSpec(), 0, CLOCK, Duration.ZERO);
    inProcess.perform(new Operation.SetPhoneMra(List.of(name), "mra.example.com", profile), (ref, subject) -> "");
    JsonNode expected = phone(JSON.readTree(Files.readAllBytes(dir.resolve("in-process/state.json"))), name);
    assertThat(phone(servedState(), name)).isEqualTo(expected);
    assertThat(expected.get("allowActivationCodeViaMra").asBoolean()).isTrue();

    client().updatePhoneMra(name, false, null, null);
    assertThat(phone(servedState(), name).get("allowActivationCodeViaMra").asBoolean()).isFalse();
    assertThat(phone(servedState(), name).get("mraServiceDomain").asString()).isEqualTo("mra.example.com");
  }

  @Test
  void anUnknownPhoneOrProfileGetsAxlsItemNotValidFaultWithoutTheAuthenticationString() {
    AxlClient client = client();
    CapfUpdate update = new CapfUpdate(CapfUpdate.INSTALL_UPGRADE, CapfUpdate.BY_AUTHENTICATION_STRING, AUTH_STRING, null,
        null, null, null, null);

    for (Throwable error : List.of(catchThrowable(() -> client.getPhone("SEP000000000000")),
        catchThrowable(() -> client.updatePhoneCapf("SEP000000000000", update)),
        catchThrowable(() -> client.applyPhone("SEP000000000000")))) {
      assertThat(error).isInstanceOf(AxlFault.class).hasMessageContaining("Item not valid: The specified Device was not found")
          .hasMessageNotContaining(AUTH_STRING);
      assertThat(((AxlFault) error).axlCode()).isEqualTo("5007");
    }
    Throwable profile = catchThrowable(() -> client.updatePhoneMra(lab.read(s -> s.phones.get(0).name), true,
        "mra.example.com", "No Such Profile"));
    assertThat(profile).isInstanceOf(AxlFault.class).hasMessageContaining("Phone Security Profile was not found");
  }

  @Test
  void aCapfUpdateThatFailsChangesNothing() throws Exception {
    String name = firstPhone(servedState());
    JsonNode before = phone(servedState(), name);

    Throwable error = catchThrowable(() -> client().updatePhoneCapf(name, new CapfUpdate(CapfUpdate.DELETE,
        CapfUpdate.BY_NULL_STRING, null, null, null, null, "2026:02:30:10:00", "No Such Profile")));

    assertThat(error).isInstanceOf(AxlFault.class).hasMessageContaining("upgradeFinishTime");
    assertThat(phone(servedState(), name)).isEqualTo(before);
  }

  // ------------------------------------------------------------ the protocol

  @Test
  void aWrongPasswordIsHttp401WithTheBasicChallenge() throws Exception {
    Throwable error = catchThrowable(() -> client(AxlVersion.V15_0, "not-the-password").getPhone("SEP000000000000"));

    assertThat(error).isInstanceOf(ClusterException.class).hasMessageContaining("HTTP 401")
        .hasMessageNotContaining("not-the-password");
    HttpResponse<String> response = post("\"CUCM:DB ver=15.0 getPhone\"", basic("", PASSWORD),
        envelope(AxlVersion.V15_0, XmlElement.of("getPhone", XmlElement.leaf("name", "SEP000000000000"))));
    assertThat(response.statusCode()).as("an empty user name").isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate")).contains("Basic realm=\"Cisco AXL\"");
  }

  @Test
  void aBodyThatBreaksTheSchemaGetsAClientFaultNamingTheElementButNotTheSecret() throws Exception {
    XmlElement body = XmlElement.of("updatePhone", XmlElement.leaf("name", "SEP000000000000"),
        XmlElement.leaf("certificateOperation", "Install/Upgrade"), XmlElement.leaf("authenticationMode", "By Null String"),
        XmlElement.leaf("keySize", "1000"), XmlElement.leaf("authenticationString", "s3cr3t".repeat(30)));

    HttpResponse<String> response = post("\"CUCM:DB ver=15.0 updatePhone\"", basic(USER, PASSWORD),
        envelope(AxlVersion.V15_0, body));

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.body()).contains("<faultcode>soapenv:Client</faultcode>", "<axlError>", "updatePhone/keySize",
        "updatePhone/authenticationString").doesNotContain("s3cr3t");
  }

  @Test
  void theSoapActionAndTheNamespaceMustNameTheSameSupportedVersionAndOperation() throws Exception {
    byte[] getPhone15 = envelope(AxlVersion.V15_0, XmlElement.of("getPhone", XmlElement.leaf("name", "SEP000000000000")));
    String auth = basic(USER, PASSWORD);

    assertThat(post("\"CUCM:DB ver=14.0 getPhone\"", auth, getPhone15).body()).contains("SOAPAction");
    assertThat(post("\"CUCM:DB ver=15.0 applyPhone\"", auth, getPhone15).body()).contains("SOAPAction");
    assertThat(post(null, auth, getPhone15).body()).contains("SOAPAction");
    HttpResponse<String> old = post("\"CUCM:DB ver=12.5 getPhone\"", auth,
        envelope(AxlVersion.of("12.5"), XmlElement.of("getPhone", XmlElement.leaf("name", "SEP000000000000"))));
    assertThat(old.statusCode()).isEqualTo(500);
    assertThat(old.body()).contains("AXL version 12.5 is not supported");
    HttpResponse<String> notSoap = post("\"CUCM:DB ver=15.0 getPhone\"", auth, "<getPhone/>".getBytes());
    assertThat(notSoap.statusCode()).isEqualTo(500);
    assertThat(notSoap.body()).contains("not a well-formed SOAP 1.1 envelope");
    String name = lab.read(s -> s.phones.get(0).name);
    assertThat(client(AxlVersion.V14_0, PASSWORD).getPhone(name).name()).isEqualTo(name);
  }

  @Test
  void onlyPostIsAnsweredAndChildrenOfTheRequestMustBeUnqualified() throws Exception {
    HttpClient http = HttpClient.newBuilder()
        .sslContext(AxlTls.context(List.of(IDENTITY.certificate()))).build();
    HttpResponse<String> get = http.send(HttpRequest.newBuilder(endpoint())
        .header("Authorization", basic(USER, PASSWORD)).GET().build(), HttpResponse.BodyHandlers.ofString());
    String qualified = "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" "
        + "xmlns:ns=\"http://www.cisco.com/AXL/API/15.0\"><soapenv:Body><ns:getPhone><ns:name>SEP000000000000</ns:name>"
        + "</ns:getPhone></soapenv:Body></soapenv:Envelope>";

    HttpResponse<String> response = post("\"CUCM:DB ver=15.0 getPhone\"", basic(USER, PASSWORD), qualified.getBytes());

    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.body()).contains("must be unqualified");
  }

  @Test
  void concurrentUpdatesFromSeveralClientsAllLand() throws Exception {
    List<String> names = lab.read(s -> s.phones.stream().limit(12).map(p -> p.name).toList());
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<String>> done = new ArrayList<>();
      for (String name : names) {
        done.add(pool.submit(() -> {
          AxlClient client = client();
          client.updatePhoneCapf(name, new CapfUpdate(CapfUpdate.DELETE, CapfUpdate.BY_NULL_STRING, null, null, null, null,
              null, null));
          return client.applyPhone(name);
        }));
      }
      for (Future<String> future : done) {
        future.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    JsonNode state = servedState();
    for (String name : names) {
      // each phone ran its CAPF session at once: the delete is done
      assertThat(phone(state, name).get("certificateOperation").asString()).isEqualTo("NONE");
      assertThat(phone(state, name).get("certificateStatus").asString()).isEqualTo("Delete Success");
      assertThat(phone(state, name).get("lscNotAfter").isNull()).isTrue();
    }
  }

  // ------------------------------------------------------------ injected faults

  @Test
  void throttlingIsRetriedByTheClientUntilItGivesUp() throws Exception {
    String name = lab.read(s -> s.phones.get(0).name);
    faults.add(LabFaults.parse("axl:getPhone=throttle*2"));

    assertThat(client().getPhone(name).name()).isEqualTo(name);
    assertThat(faults.hits()).containsExactly("axl:getPhone THROTTLE", "axl:getPhone THROTTLE");

    faults.add(LabFaults.parse("axl:applyPhone=throttle*3"));
    assertThat(catchThrowable(() -> client().applyPhone(name))).isInstanceOf(ClusterException.class)
        .hasMessageContaining("throttling").hasMessageContaining("after 3 attempts");
  }

  @Test
  void serverErrorsSoapFaultsAndDelaysReachTheClientAsTheirOwnErrors() throws Exception {
    String name = lab.read(s -> s.phones.get(0).name);
    lab.change(s -> s.phones.get(0).certificateOperation = "INSTALL_UPGRADE");
    String before = lab.read(s -> s.phones.get(0).certificateStatus);
    AxlClient client = client();
    faults.add(LabFaults.parse("axl:getPhone=server-error"));
    faults.add(LabFaults.parse("axl:applyPhone=soap-fault"));
    faults.add(LabFaults.parse("axl:list*=delay@300ms"));

    assertThat(catchThrowable(() -> client.getPhone(name))).isInstanceOf(ClusterException.class)
        .hasMessageContaining("HTTP 500").hasMessageContaining("not a SOAP envelope");
    Throwable fault = catchThrowable(() -> client.applyPhone(name));
    assertThat(fault).isInstanceOf(AxlFault.class).hasMessageContaining("lab fault");
    assertThat(((AxlFault) fault).axlCode()).isEqualTo("5007");
    long started = System.nanoTime();
    assertThat(client.listCallManagers()).isNotEmpty();
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    assertThat(client.getPhone(name).name()).as("each fault hit once").isEqualTo(name);
    String status = lab.read(s -> s.phones.get(0).certificateStatus);
    assertThat(status).as("a faulted applyPhone changed nothing").isEqualTo(before);
  }

  @Test
  void phonesAreServedInNameOrderAcrossPagesOfAnySize() throws Exception {
    List<Map<String, String>> all = client().queryPaged(AxlQueries.PHONES, AxlQueries.PHONES_ORDER, 1000);
    List<Map<String, String>> small = client().queryPaged(AxlQueries.PHONES, AxlQueries.PHONES_ORDER, 3);

    assertThat(small).isEqualTo(all).hasSize(PHONES);
    assertThat(all).extracting(r -> r.get("name")).isSortedAccordingTo(Comparator.naturalOrder());
  }
}
