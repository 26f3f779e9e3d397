package io.uctrust.target.cucm.axl;

import io.uctrust.target.cucm.TlsIdentity;
import io.uctrust.target.cucm.FakeTime;
import io.uctrust.target.cucm.BasicCredentials;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.uctrust.cluster.ClusterException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AxlClientTest {
  private static final AxlVersion V14 = AxlVersion.V14_0;
  private static final String USER = "uctrust-axl";
  private static final String PASSWORD = "Pa55-w0rd!sekrit";
  private static final String AUTH_STRING = "80415926";
  private static final String CA_PASSWORD = "online-ca-Pa55";
  private static final List<String> SECRETS = List.of(PASSWORD, AUTH_STRING, CA_PASSWORD,
      Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)));

  /** The publisher's identity: a self-signed certificate for localhost and 127.0.0.1, generated per run. */
  private static final TlsIdentity PUBLISHER = TlsIdentity.selfSigned("localhost", List.of("localhost"),
      List.of("127.0.0.1"));

  private final List<FakeAxlServer> servers = new ArrayList<>();
  private final FakeTime time = new FakeTime();

  @AfterEach
  void serversSawOnlyWhatRealAxlAccepts() {
    servers.forEach(FakeAxlServer::close);
    servers.forEach(s -> assertThat(s.problems()).isEmpty());
  }

  private FakeAxlServer server(FakeAxlServer.Responder responder) throws IOException {
    return server(PUBLISHER, responder);
  }

  private FakeAxlServer server(TlsIdentity identity, FakeAxlServer.Responder responder) throws IOException {
    FakeAxlServer server = new FakeAxlServer(V14, identity, USER, PASSWORD, responder);
    servers.add(server);
    return server;
  }

  private AxlSettings settings(FakeAxlServer server) {
    return AxlSettings.forEndpoint(server.endpoint(), V14).withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5));
  }

  private AxlClient client(AxlSettings settings) {
    return client(settings, PASSWORD);
  }

  private AxlClient client(AxlSettings settings, String password) {
    return new AxlClient(settings, BasicCredentials.of(USER, password), AxlTls.context(List.of(PUBLISHER.certificate())),
        time, time);
  }

  private AxlClient client(FakeAxlServer server) {
    return client(settings(server));
  }

  private static FakeAxlServer.Reply ok(String operation, String inner) {
    return FakeAxlServer.Reply.ok(FakeAxlServer.response(V14, operation, inner));
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

  // ------------------------------------------------------------------ SQL

  @Test
  void sqlQueryIsSentAsRealAxlExpectsAndReturnsOneMapPerRowInColumnOrder() throws Exception {
    FakeAxlServer server = server(x -> ok("executeSQLQuery", "<return>"
        + "<row><name>SEP001122334455</name><lscvaliduntil>1798761600</lscvaliduntil></row>"
        + "<row><name>SEP00AABBCCDDEE</name><lscvaliduntil>0</lscvaliduntil></row></return>"));

    List<Map<String, String>> rows = client(server)
        .executeSqlQuery("SELECT name, lscvaliduntil FROM device WHERE tkclass = 1");

    assertThat(rows).hasSize(2);
    assertThat(rows.get(0)).containsExactly(Map.entry("name", "SEP001122334455"), Map.entry("lscvaliduntil", "1798761600"));
    assertThat(rows.get(1).get("lscvaliduntil")).isEqualTo("0");
    FakeAxlServer.Exchange exchange = server.exchanges().get(0);
    assertThat(exchange.soapAction()).isEqualTo("\"CUCM:DB ver=14.0 executeSQLQuery\"");
    assertThat(exchange.contentType()).isEqualTo("text/xml; charset=utf-8");
    assertThat(exchange.authorization()).startsWith("Basic ");
    assertThat(exchange.body().childText("sql")).isEqualTo("SELECT name, lscvaliduntil FROM device WHERE tkclass = 1");
    assertThat(exchange.rawBody()).contains("xmlns:ns=\"http://www.cisco.com/AXL/API/14.0\"").contains("<ns:executeSQLQuery>");
  }

  @Test
  void anEmptyResultIsAnEmptyList() throws Exception {
    FakeAxlServer server = server(x -> ok("executeSQLQuery", "<return/>"));

    assertThat(client(server).executeSqlQuery("SELECT name FROM device WHERE 1 = 0")).isEmpty();
  }

  @Test
  void pagedQueryReadsThousandsOfRowsInPagesWithSkipAndFirst() throws Exception {
    Pattern paged = Pattern.compile("SELECT SKIP (\\d+) FIRST (\\d+) name, lscvaliduntil FROM device ORDER BY name");
    FakeAxlServer server = server(x -> {
      Matcher m = paged.matcher(x.body().childText("sql"));
      if (!m.matches()) {
        return FakeAxlServer.Reply.fault(FakeAxlServer.fault("A syntax error has occurred.", "-201",
            "A syntax error has occurred.", "executeSQLQuery"));
      }
      int skip = Integer.parseInt(m.group(1));
      int first = Integer.parseInt(m.group(2));
      StringBuilder rows = new StringBuilder("<return>");
      for (int i = skip; i < Math.min(2_500, skip + first); i++) {
        rows.append("<row><name>SEP").append(String.format("%012X", i)).append("</name><lscvaliduntil>")
            .append(1_800_000_000L + i).append("</lscvaliduntil></row>");
      }
      return ok("executeSQLQuery", rows.append("</return>").toString());
    });

    List<Map<String, String>> rows = client(server).queryPaged("select name, lscvaliduntil FROM device", "name", 1_000);

    assertThat(rows).hasSize(2_500);
    assertThat(rows).extracting(r -> r.get("name")).doesNotHaveDuplicates()
        .startsWith("SEP000000000000").endsWith("SEP0000000009C3");
    assertThat(server.exchanges()).extracting(e -> e.body().childText("sql")).containsExactly(
        "SELECT SKIP 0 FIRST 1000 name, lscvaliduntil FROM device ORDER BY name",
        "SELECT SKIP 1000 FIRST 1000 name, lscvaliduntil FROM device ORDER BY name",
        "SELECT SKIP 2000 FIRST 1000 name, lscvaliduntil FROM device ORDER BY name");
  }

  @Test
  void pagedQueryRefusesAQueryWithItsOwnOrderBy() {
    assertThatThrownBy(() -> new AxlClient(AxlSettings.forPublisher("cucm-pub.example.com", V14),
        BasicCredentials.of(USER, PASSWORD), AxlTls.context(List.of(PUBLISHER.certificate())), time, time)
        .queryPaged("SELECT name FROM device ORDER BY name", "name", 100))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ORDER BY");
  }

  // ------------------------------------------------------------------ phones

  @Test
  void getPhoneReadsTheCapfFieldsWhateverPrefixesTheResponseUses() throws Exception {
    FakeAxlServer server = server(x -> FakeAxlServer.Reply.ok("<?xml version='1.0' encoding='UTF-8'?>"
        + "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\"><SOAP-ENV:Header/>"
        + "<SOAP-ENV:Body><axlapi:getPhoneResponse xmlns:axlapi=\"http://www.cisco.com/AXL/API/14.0\"><return>"
        + "<phone uuid=\"{2B1C6A8E-1D2F-4C4B-9B4E-0A1B2C3D4E5F}\">"
        + "<name>" + x.body().childText("name") + "</name><description>Lobby phone</description>"
        + "<product>Cisco 8845</product><securityProfileName uuid=\"{0F0E0D0C-0B0A-0908-0706-050403020100}\">"
        + "Cisco 8845 - Standard SIP Secure Profile</securityProfileName>"
        + "<certificateOperation>Install/Upgrade</certificateOperation>"
        + "<authenticationMode>By Null String</authenticationMode><authenticationString/>"
        + "<keySize>2048</keySize><keyOrder>RSA Only</keyOrder><ecKeySize/>"
        + "<upgradeFinishTime>2026:06:30:12:00</upgradeFinishTime><certificateStatus>Operation Pending</certificateStatus>"
        + "</phone></return></axlapi:getPhoneResponse></SOAP-ENV:Body></SOAP-ENV:Envelope>"));

    AxlPhone phone = client(server).getPhone("SEP001122334455");

    assertThat(phone).isEqualTo(new AxlPhone("SEP001122334455", "Cisco 8845 - Standard SIP Secure Profile",
        "Install/Upgrade", "By Null String", 2048, "RSA Only", null, "2026:06:30:12:00", "Operation Pending"));
  }

  @Test
  void updatePhoneCapfSendsTheCapfFieldsInAxlOrderThenApplyPhoneSendsTheName() throws Exception {
    FakeAxlServer server = server(x -> ok(x.operation(), "<return>{2B1C6A8E-1D2F-4C4B-9B4E-0A1B2C3D4E5F}</return>"));
    AxlClient client = client(server);

    String uuid = client.updatePhoneCapf("SEP001122334455", new CapfUpdate(CapfUpdate.INSTALL_UPGRADE,
        CapfUpdate.BY_AUTHENTICATION_STRING, AUTH_STRING, 3072, "RSA Only", null,
        CapfUpdate.finishTime(java.time.LocalDateTime.of(2026, 6, 30, 12, 0)), "Cisco 8845 - Standard SIP Secure Profile"));
    client.applyPhone("SEP001122334455");

    assertThat(uuid).isEqualTo("{2B1C6A8E-1D2F-4C4B-9B4E-0A1B2C3D4E5F}");
    XmlElement update = server.exchanges().get(0).body();
    assertThat(update.children()).extracting(XmlElement::name).containsExactly("name", "securityProfileName",
        "certificateOperation", "authenticationMode", "keySize", "keyOrder", "authenticationString", "upgradeFinishTime");
    assertThat(update.childText("authenticationString")).isEqualTo(AUTH_STRING);
    assertThat(update.childText("upgradeFinishTime")).isEqualTo("2026:06:30:12:00");
    assertThat(update.childText("keySize")).isEqualTo("3072");
    assertThat(server.exchanges().get(1).body()).isEqualTo(XmlElement.of("applyPhone",
        XmlElement.leaf("name", "SEP001122334455")));
    assertThat(server.exchanges().get(1).soapAction()).isEqualTo("\"CUCM:DB ver=14.0 applyPhone\"");
  }

  @Test
  void updatePhoneMraSendsTheActivationCodeFieldsAfterTheSecurityProfile() throws Exception {
    FakeAxlServer server = server(x -> ok(x.operation(), "<return>{2B1C6A8E-1D2F-4C4B-9B4E-0A1B2C3D4E5F}</return>"));

    String uuid = client(server).updatePhoneMra("SEP001122334455", true, "mra.example.com", "Cisco 8845 - OAuth");

    assertThat(uuid).isEqualTo("{2B1C6A8E-1D2F-4C4B-9B4E-0A1B2C3D4E5F}");
    assertThat(server.exchanges().get(0).body()).isEqualTo(XmlElement.of("updatePhone",
        XmlElement.leaf("name", "SEP001122334455"), XmlElement.leaf("securityProfileName", "Cisco 8845 - OAuth"),
        XmlElement.leaf("allowActivationCodeViaMra", "true"), XmlElement.leaf("mraServiceDomain", "mra.example.com")));
  }

  @Test
  void updatePhoneMraCanTurnOnboardingOffWithoutADomainButNotOnWithoutOne() throws Exception {
    FakeAxlServer server = server(x -> ok(x.operation(), "<return>{1}</return>"));
    AxlClient client = client(server);

    client.updatePhoneMra("SEP001122334455", false, null, null);

    assertThat(server.exchanges().get(0).body()).isEqualTo(XmlElement.of("updatePhone",
        XmlElement.leaf("name", "SEP001122334455"), XmlElement.leaf("allowActivationCodeViaMra", "false")));
    assertThatThrownBy(() -> client.updatePhoneMra("SEP001122334455", true, null, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MRA service domain");
    assertThat(server.exchanges()).hasSize(1);
  }

  // ------------------------------------------------------------------ phone security profiles

  @Test
  void phoneSecurityProfilesAreListedReadAddedAndUpdated() throws Exception {
    FakeAxlServer server = server(x -> switch (x.operation()) {
      case "listPhoneSecurityProfile" -> ok(x.operation(), "<return>"
          + "<phoneSecurityProfile uuid=\"{A}\"><phoneType>Cisco 8845</phoneType><protocol>SIP</protocol>"
          + "<name>Cisco 8845 - Standard SIP Non-Secure Profile</name><description>Non secure</description>"
          + "<deviceSecurityMode>Non Secure</deviceSecurityMode><authenticationMode>By Null String</authenticationMode>"
          + "<keySize>2048</keySize><tftpEncryptedConfig>false</tftpEncryptedConfig><transportType>TCP+UDP</transportType>"
          + "<sipPhonePort>5060</sipPhonePort><enableDigestAuthentication>false</enableDigestAuthentication>"
          + "</phoneSecurityProfile>"
          + "<phoneSecurityProfile uuid=\"{B}\"><phoneType>Universal Device Template</phoneType><protocol>SIP</protocol>"
          + "<name>UDT - SIP OAuth</name><description/><deviceSecurityMode>Encrypted</deviceSecurityMode>"
          + "<authenticationMode>By Null String</authenticationMode><keySize>2048</keySize>"
          + "<tftpEncryptedConfig>false</tftpEncryptedConfig><transportType>TLS</transportType>"
          + "<sipPhonePort>5061</sipPhonePort><enableDigestAuthentication>false</enableDigestAuthentication>"
          + "</phoneSecurityProfile></return>");
      case "getPhoneSecurityProfile" -> ok(x.operation(), "<return><phoneSecurityProfile uuid=\"{B}\">"
          + "<phoneType>Universal Device Template</phoneType><protocol>SIP</protocol><name>UDT - SIP OAuth</name>"
          + "<description>OAuth</description><deviceSecurityMode>Encrypted</deviceSecurityMode>"
          + "<authenticationMode>By Null String</authenticationMode><keySize>2048</keySize><keyOrder>RSA Only</keyOrder>"
          + "<ecKeySize>384</ecKeySize><tftpEncryptedConfig>false</tftpEncryptedConfig><transportType>TLS</transportType>"
          + "<sipPhonePort>5061</sipPhonePort><enableDigestAuthentication>false</enableDigestAuthentication>"
          + "<EnableOAuthAuthentication>true</EnableOAuthAuthentication></phoneSecurityProfile></return>");
      default -> ok(x.operation(), "<return>{C}</return>");
    });
    AxlClient client = client(server);

    List<PhoneSecurityProfile> profiles = client.listPhoneSecurityProfiles();
    PhoneSecurityProfile oauth = client.getPhoneSecurityProfile("UDT - SIP OAuth");
    PhoneSecurityProfile wanted = new PhoneSecurityProfile("Cisco 8845 - Secure OAuth", "uctrust", "Cisco 8845", "SIP",
        "Encrypted", "TLS", true, false, false, "By Null String", 2048, "RSA Only", null, 5061);
    client.addPhoneSecurityProfile(wanted);
    client.updatePhoneSecurityProfile(wanted);

    assertThat(profiles).extracting(PhoneSecurityProfile::name)
        .containsExactly("Cisco 8845 - Standard SIP Non-Secure Profile", "UDT - SIP OAuth");
    assertThat(profiles.get(0)).isEqualTo(new PhoneSecurityProfile("Cisco 8845 - Standard SIP Non-Secure Profile",
        "Non secure", "Cisco 8845", "SIP", "Non Secure", "TCP+UDP", null, false, false, "By Null String", 2048, null,
        null, 5060));
    assertThat(oauth.enableOAuthAuthentication()).isTrue();
    assertThat(oauth.ecKeySize()).isEqualTo(384);
    assertThat(oauth.keyOrder()).isEqualTo("RSA Only");
    XmlElement list = server.exchanges().get(0).body();
    assertThat(list.find("searchCriteria", "name").orElseThrow().text()).isEqualTo("%");
    XmlElement add = server.exchanges().get(2).body().child("phoneSecurityProfile").orElseThrow();
    assertThat(add.children()).extracting(XmlElement::name).containsExactly("phoneType", "protocol", "name",
        "description", "deviceSecurityMode", "authenticationMode", "keySize", "keyOrder", "tftpEncryptedConfig",
        "transportType", "sipPhonePort", "enableDigestAuthentication", "EnableOAuthAuthentication");
    assertThat(add.childText("EnableOAuthAuthentication")).isEqualTo("true");
    XmlElement update = server.exchanges().get(3).body();
    assertThat(update.children()).extracting(XmlElement::name).startsWith("name", "description", "deviceSecurityMode")
        .doesNotContain("phoneType", "protocol");
  }

  // ------------------------------------------------------------------ Expressway-C

  @Test
  void expresswayCEntriesAreListedAddedAndUpdated() throws Exception {
    FakeAxlServer server = server(x -> x.operation().equals("listExpresswayCConfiguration")
        ? ok(x.operation(), "<return><expresswayCConfiguration uuid=\"{E}\"><HostNameOrIP>expc1.example.com</HostNameOrIP>"
            + "<description>Expressway-C 1</description>"
            + "<X509SubjectNameorSubjectAlternateName>expc1.example.com expc.example.com</X509SubjectNameorSubjectAlternateName>"
            + "</expresswayCConfiguration></return>")
        : ok(x.operation(), "<return>{E}</return>"));
    AxlClient client = client(server);

    List<ExpresswayC> entries = client.listExpresswayC();
    client.addExpresswayC(new ExpresswayC("expc2.example.com", "Expressway-C 2", "expc2.example.com"));
    client.updateExpresswayC(new ExpresswayC("expc1.example.com", "Expressway-C 1 (MRA)", null));

    assertThat(entries).containsExactly(
        new ExpresswayC("expc1.example.com", "Expressway-C 1", "expc1.example.com expc.example.com"));
    assertThat(server.exchanges().get(1).body()).isEqualTo(XmlElement.of("addExpresswayCConfiguration",
        XmlElement.of("expresswayCConfiguration", XmlElement.leaf("HostNameOrIP", "expc2.example.com"),
            XmlElement.leaf("description", "Expressway-C 2"),
            XmlElement.leaf("X509SubjectNameorSubjectAlternateName", "expc2.example.com"))));
    assertThat(server.exchanges().get(2).body()).isEqualTo(XmlElement.of("updateExpresswayCConfiguration",
        XmlElement.leaf("HostNameOrIP", "expc1.example.com"), XmlElement.leaf("description", "Expressway-C 1 (MRA)")));
  }

  // ------------------------------------------------------------------ CallManager

  @Test
  void callManagersAreListedWithTheirSipOAuthPortsAndThePortsUpdated() throws Exception {
    FakeAxlServer server = server(x -> switch (x.operation()) {
      case "listCallManager" -> ok(x.operation(), "<return>"
          + "<callManager uuid=\"{1}\"><name>cucm-pub.example.com</name></callManager>"
          + "<callManager uuid=\"{2}\"><name>cucm-sub1.example.com</name></callManager></return>");
      case "getCallManager" -> ok(x.operation(), "<return><callManager><name>" + x.body().childText("name")
          + "</name><ports><ethernetPhonePort>2000</ethernetPhonePort><sipPorts><sipPort>5060</sipPort>"
          + "<securedSipPort>5061</securedSipPort><sipOAuthPort>5090</sipOAuthPort>"
          + "<sipOAuthMRAPort>" + (x.body().childText("name").startsWith("cucm-pub") ? "5091" : "5095")
          + "</sipOAuthMRAPort></sipPorts></ports></callManager></return>");
      default -> ok(x.operation(), "<return>{1}</return>");
    });
    AxlClient client = client(server);

    List<CallManagerPorts> nodes = client.listCallManagers();
    client.updateCallManagerPorts("cucm-sub1.example.com", 5090, 5091);

    assertThat(nodes).containsExactly(new CallManagerPorts("cucm-pub.example.com", 5090, 5091),
        new CallManagerPorts("cucm-sub1.example.com", 5090, 5095));
    assertThat(server.exchanges()).extracting(FakeAxlServer.Exchange::operation)
        .containsExactly("listCallManager", "getCallManager", "getCallManager", "updateCallManager");
    XmlElement sipPorts = server.exchanges().get(3).body().find("ports", "sipPorts").orElseThrow();
    assertThat(sipPorts.childText("sipOAuthPort")).isEqualTo("5090");
    assertThat(sipPorts.childText("sipOAuthMRAPort")).isEqualTo("5091");
  }

  // ------------------------------------------------------------------ service parameters

  @Test
  void serviceParametersAreReadListedAndUpdatedByInternalName() throws Exception {
    ServiceParameterNames names = ServiceParameterNames.defaults();
    FakeAxlServer server = server(x -> switch (x.operation()) {
      case "getServiceParameter" -> ok(x.operation(), "<return><serviceParameter uuid=\"{P}\">"
          + "<processNodeName>cucm-pub.example.com</processNodeName><name>" + x.body().childText("name") + "</name>"
          + "<service>Cisco Certificate Authority Proxy Function</service><value>730</value>"
          + "<valueType>Integer</valueType></serviceParameter></return>");
      case "listServiceParameter" -> ok(x.operation(), "<return>"
          + "<serviceParameter><processNodeName>EnterpriseWideData</processNodeName><name>EnableIPv6</name>"
          + "<service>Enterprise Wide</service><value>F</value></serviceParameter>"
          + "<serviceParameter><processNodeName>EnterpriseWideData</processNodeName><name>CertificateValidityCheck</name>"
          + "<service>Enterprise Wide</service><value>T</value></serviceParameter></return>");
      default -> ok(x.operation(), "<return>{P}</return>");
    });
    AxlClient client = client(server);
    ServiceParameterKey validity = names.key("Duration Of Certificate Validity", "cucm-pub.example.com");

    ServiceParameter read = client.getServiceParameter(validity);
    List<ServiceParameter> enterprise = client.listServiceParameters("EnterpriseWideData", "Enterprise Wide");
    client.updateServiceParameter(names.key("Online CA Password", "cucm-pub.example.com"), CA_PASSWORD);

    assertThat(read.value()).isEqualTo("730");
    assertThat(read.key()).isEqualTo(new ServiceParameterKey("cucm-pub.example.com",
        "Cisco Certificate Authority Proxy Function", "DurationOfCertificateValidity"));
    assertThat(enterprise).extracting(p -> p.key().name()).containsExactly("EnableIPv6", "CertificateValidityCheck");
    XmlElement update = server.exchanges().get(2).body();
    assertThat(update.children()).extracting(XmlElement::name).containsExactly("processNodeName", "name", "service", "value");
    assertThat(update.childText("name")).isEqualTo("OnlineCAPassword");
    assertThat(read.toString()).doesNotContain("730");
  }

  // ------------------------------------------------------------------ faults and HTTP errors

  @Test
  void aSoapFaultBecomesAnAxlFaultWithItsCodeAndMessage() throws Exception {
    FakeAxlServer server = server(x -> FakeAxlServer.Reply.fault(FakeAxlServer.fault(
        "Item not valid: The specified SEP001122334455 was not found", "5007",
        "Item not valid: The specified SEP001122334455 was not found", "getPhone")));

    Throwable error = catchThrowable(() -> client(server).getPhone("SEP001122334455"));

    assertThat(error).isInstanceOf(AxlFault.class).isInstanceOf(ClusterException.class)
        .hasMessage("AXL getPhone at 127.0.0.1:" + server.endpoint().getPort()
            + " failed: Item not valid: The specified SEP001122334455 was not found (axlcode 5007)");
    AxlFault fault = (AxlFault) error;
    assertThat(fault.axlCode()).isEqualTo("5007");
    assertThat(fault.axlMessage()).isEqualTo("Item not valid: The specified SEP001122334455 was not found");
    assertThat(fault.faultString()).startsWith("Item not valid");
    assertThat(fault.operation()).isEqualTo("getPhone");
    assertThat(server.exchanges()).hasSize(1); // a fault is not retried
    assertNoSecrets(error);
  }

  @Test
  void aFaultThatEchoesTheAuthenticationStringIsScrubbed() throws Exception {
    FakeAxlServer server = server(x -> FakeAxlServer.Reply.fault(FakeAxlServer.fault(
        "Invalid authenticationString " + x.body().childText("authenticationString"), "5003",
        "authenticationString " + x.body().childText("authenticationString") + " is not valid for this phone",
        "updatePhone")));

    Throwable error = catchThrowable(() -> client(server).updatePhoneCapf("SEP001122334455",
        new CapfUpdate(CapfUpdate.INSTALL_UPGRADE, CapfUpdate.BY_AUTHENTICATION_STRING, AUTH_STRING, null, null, null,
            null, null)));

    assertThat(error).isInstanceOf(AxlFault.class).hasMessageContaining("<redacted>");
    assertThat(((AxlFault) error).axlMessage()).isEqualTo("authenticationString <redacted> is not valid for this phone");
    assertNoSecrets(error);
  }

  @Test
  void aWrongPasswordIsAnAuthenticationFailureNamingTheUserButNotThePassword() throws Exception {
    FakeAxlServer server = server(x -> ok("getPhone", "<return/>"));

    Throwable error = catchThrowable(() -> client(settings(server), "wrong-" + PASSWORD).getPhone("SEP001122334455"));

    assertThat(error).isInstanceOf(ClusterException.class)
        .hasMessageStartingWith("AXL authentication failed for user uctrust-axl at 127.0.0.1:")
        .hasMessageContaining("HTTP 401");
    assertThat(error.getMessage()).doesNotContain("wrong-");
    assertNoSecrets(error);
    assertThat(time.sleeps()).isEmpty(); // 401 is not retried: retrying could lock the account
  }

  @Test
  void http503TwiceIsRetriedWithExponentialBackoffThenSucceeds() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    FakeAxlServer server = server(x -> calls.incrementAndGet() <= 2 ? FakeAxlServer.Reply.status(503)
        : ok("applyPhone", "<return>{1}</return>"));

    String uuid = client(server).applyPhone("SEP001122334455");

    assertThat(uuid).isEqualTo("{1}");
    assertThat(server.exchanges()).hasSize(3);
    assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
  }

  @Test
  void theMemoryThrottleFaultIsRetriedThenGivesUpWithAClearMessage() throws Exception {
    FakeAxlServer server = server(x -> FakeAxlServer.Reply.fault(FakeAxlServer.fault(
        "Maximum AXL Memory Allocation Consumed. Please retry once requests in progress have completed", "-1",
        "Maximum AXL Memory Allocation Consumed. Please retry once requests in progress have completed",
        "executeSQLQuery")));

    Throwable error = catchThrowable(() -> client(server).executeSqlQuery("SELECT name FROM device"));

    assertThat(error).isInstanceOf(ClusterException.class).isNotInstanceOf(AxlFault.class)
        .hasMessageContaining("is throttling requests").hasMessageContaining("Maximum AXL Memory Allocation Consumed")
        .hasMessageContaining("gave up executeSQLQuery after 5 attempts");
    assertThat(server.exchanges()).hasSize(5);
    assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
        Duration.ofSeconds(8));
  }

  @Test
  void backoffDoublesUpToItsMaximum() throws Exception {
    FakeAxlServer server = server(x -> FakeAxlServer.Reply.status(503));
    AxlSettings settings = settings(server).withRetry(6, Duration.ofSeconds(10), Duration.ofSeconds(30));

    Throwable error = catchThrowable(() -> client(settings).getPhone("SEP001122334455"));

    assertThat(error).hasMessageContaining("HTTP 503").hasMessageContaining("after 6 attempts");
    assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(30),
        Duration.ofSeconds(30), Duration.ofSeconds(30));
  }

  @Test
  void anyOtherHttpStatusIsReportedWithStatusAndOperation() throws Exception {
    FakeAxlServer server = server(x -> FakeAxlServer.Reply.status(502));

    assertThatThrownBy(() -> client(server).listExpresswayC())
        .isInstanceOf(ClusterException.class).hasMessageContaining("listExpresswayCConfiguration")
        .hasMessageContaining("HTTP 502");
    assertThat(server.exchanges()).hasSize(1);
  }

  @Test
  void aServerThatNeverAnswersTimesOutNamingTheOperationAndHost() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    FakeAxlServer server = server(x -> {
      never.await(10, TimeUnit.SECONDS);
      return FakeAxlServer.Reply.status(504);
    });
    AxlSettings settings = settings(server).withTimeouts(Duration.ofSeconds(5), Duration.ofMillis(300));
    try {
      long started = System.nanoTime();
      Throwable error = catchThrowable(() -> client(settings).getPhone("SEP001122334455"));

      assertThat(error).isInstanceOf(ClusterException.class)
          .hasMessage("AXL getPhone at 127.0.0.1:" + server.endpoint().getPort() + " did not answer within 300 ms");
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
      assertNoSecrets(error);
    } finally {
      never.countDown();
    }
  }

  @Test
  void aRefusedConnectionIsReportedClearly() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    AxlSettings settings = AxlSettings.forEndpoint(URI.create("https://127.0.0.1:" + port + "/axl/"), V14);

    assertThatThrownBy(() -> client(settings).applyPhone("SEP001122334455"))
        .isInstanceOf(ClusterException.class)
        .hasMessage("cannot connect to AXL at 127.0.0.1:" + port + " for applyPhone: connection refused or host unreachable");
  }

  // ------------------------------------------------------------------ TLS

  @Test
  void aServerCertificateNotInTheTrustBundleFailsTlsWithAClearMessage() throws Exception {
    TlsIdentity stranger = TlsIdentity.selfSigned("cucm-rogue", List.of("localhost"), List.of("127.0.0.1"));
    FakeAxlServer server = server(stranger, x -> ok("getPhone", "<return/>"));

    Throwable error = catchThrowable(() -> client(server).getPhone("SEP001122334455"));

    assertThat(error).isInstanceOf(ClusterException.class)
        .hasMessageStartingWith("TLS verification of AXL at 127.0.0.1:" + server.endpoint().getPort()
            + " failed for getPhone: the server's certificate is not issued by a certificate in the AXL trust bundle")
        .hasMessageContaining("never skips verification");
    assertThat(server.exchanges()).isEmpty();
    assertNoSecrets(error);
  }

  @Test
  void aRegeneratedCertificateWithTheTrustedSubjectButAnotherKeyFailsTls() throws Exception {
    TlsIdentity regenerated = TlsIdentity.selfSigned("localhost", List.of("localhost"), List.of("127.0.0.1"));
    FakeAxlServer server = server(regenerated, x -> ok("getPhone", "<return/>"));

    Throwable error = catchThrowable(() -> client(server).getPhone("SEP001122334455"));

    assertThat(error).isInstanceOf(ClusterException.class)
        .hasMessageContaining("failed for getPhone: the server's certificate is not issued by a certificate in the "
            + "AXL trust bundle (a trusted certificate has the same subject name but another key");
    assertThat(server.exchanges()).isEmpty();
    assertNoSecrets(error);
  }

  @Test
  void aTrustedCertificateForAnotherHostFailsHostNameVerification() throws Exception {
    TlsIdentity elsewhere = TlsIdentity.selfSigned("cucm-pub.example.com", List.of("cucm-pub.example.com"), List.of());
    FakeAxlServer server = server(elsewhere, x -> ok("getPhone", "<return/>"));
    AxlClient client = new AxlClient(settings(server), BasicCredentials.of(USER, PASSWORD),
        AxlTls.context(List.of(elsewhere.certificate())), time, time);

    Throwable error = catchThrowable(() -> client.getPhone("SEP001122334455"));

    assertThat(error).isInstanceOf(ClusterException.class)
        .hasMessageContaining("the server's certificate does not name 127.0.0.1");
    assertThat(server.exchanges()).isEmpty();
    assertNoSecrets(error);
  }

  // ------------------------------------------------------------------ what never leaves uctrust

  @Test
  void aBodyThatBreaksTheSchemaIsRefusedBeforeAnythingIsSent() throws Exception {
    FakeAxlServer server = server(x -> ok("updatePhone", "<return>{1}</return>"));

    Throwable error = catchThrowable(() -> client(server).updatePhoneCapf("SEP001122334455",
        new CapfUpdate(CapfUpdate.INSTALL_UPGRADE, CapfUpdate.BY_AUTHENTICATION_STRING, AUTH_STRING, 1000, null, null,
            null, null)));

    assertThat(error).isInstanceOf(AxlSchemaViolation.class)
        .hasMessageStartingWith("AXL request updatePhone was not sent")
        .hasMessageContaining("updatePhone/keySize");
    assertThat(server.exchanges()).isEmpty();
    assertNoSecrets(error);
  }

  @Test
  void aTooLongAuthenticationStringIsRefusedWithoutShowingIt() throws Exception {
    FakeAxlServer server = server(x -> ok("updatePhone", "<return>{1}</return>"));
    String tooLong = AUTH_STRING.repeat(17);

    Throwable error = catchThrowable(() -> client(server).updatePhoneCapf("SEP001122334455",
        new CapfUpdate(CapfUpdate.INSTALL_UPGRADE, CapfUpdate.BY_AUTHENTICATION_STRING, tooLong, null, null, null, null,
            null)));

    assertThat(error).isInstanceOf(AxlSchemaViolation.class).hasMessageContaining("updatePhone/authenticationString");
    assertNoSecrets(error);
    assertThat(server.exchanges()).isEmpty();
  }

  @Test
  void aResponseWithADoctypeIsRefusedWithoutResolvingEntities() throws Exception {
    FakeAxlServer server = server(x -> FakeAxlServer.Reply.ok("<?xml version='1.0'?>"
        + "<!DOCTYPE foo [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
        + "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body>"
        + "<ns:getPhoneResponse xmlns:ns=\"http://www.cisco.com/AXL/API/14.0\"><return><phone><name>&xxe;</name>"
        + "</phone></return></ns:getPhoneResponse></soapenv:Body></soapenv:Envelope>"));

    assertThatThrownBy(() -> client(server).getPhone("SEP001122334455"))
        .isInstanceOf(ClusterException.class).hasMessageContaining("not a SOAP envelope")
        .hasMessageContaining("DTD").hasMessageNotContaining("root:");
  }

  @Test
  void aResponseLargerThanTheLimitIsRefused() throws Exception {
    FakeAxlServer server = server(x -> ok("getPhone", "<return><phone><name>SEP001122334455</name><description>"
        + "x".repeat(4_000) + "</description></phone></return>"));

    assertThatThrownBy(() -> client(settings(server).withMaxResponseBytes(1_024)).getPhone("SEP001122334455"))
        .isInstanceOf(ClusterException.class).hasMessageContaining("response larger than 1024 bytes");
  }

  @Test
  void requestsArePacedToTheConfiguredRate() throws Exception {
    FakeAxlServer server = server(x -> ok("applyPhone", "<return>{1}</return>"));
    AxlClient client = client(settings(server).withRequestsPerSecond(5));

    for (int i = 0; i < 6; i++) {
      client.applyPhone("SEP00112233445" + i);
    }

    assertThat(time.sleeps()).hasSize(5).allMatch(d -> d.equals(Duration.ofMillis(200)));
  }

  @Test
  void aJvmWithHostNameVerificationDisabledIsRefused() {
    String property = "jdk.internal.httpclient.disableHostnameVerification";
    System.setProperty(property, "true");
    try {
      assertThatThrownBy(() -> new AxlClient(AxlSettings.forPublisher("cucm-pub.example.com", V14),
          BasicCredentials.of(USER, PASSWORD), AxlTls.context(List.of(PUBLISHER.certificate()))))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("host name verification");
    } finally {
      System.clearProperty(property);
    }
  }

  @Test
  void onlyHttpsEndpointsAndNonEmptyTrustBundlesAreAccepted() {
    assertThatThrownBy(() -> AxlSettings.forEndpoint(URI.create("http://cucm-pub.example.com:8080/axl/"), V14))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("https");
    assertThatThrownBy(() -> AxlTls.context(List.of())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("trust bundle is empty");
    assertThat(AxlSettings.forPublisher("cucm-pub.example.com", V14).endpoint())
        .isEqualTo(URI.create("https://cucm-pub.example.com:8443/axl/"));
    assertThat(AxlSettings.forPublisher("2001:db8::10", V14).endpoint())
        .isEqualTo(URI.create("https://[2001:db8::10]:8443/axl/"));
  }

  @Test
  void secretsNeverShowInStringForms() {
    BasicCredentials credentials = BasicCredentials.of(USER, PASSWORD);
    CapfUpdate update = new CapfUpdate(CapfUpdate.INSTALL_UPGRADE, CapfUpdate.BY_AUTHENTICATION_STRING, AUTH_STRING,
        2048, null, null, null, null);
    XmlElement body = XmlElement.of("updatePhone", XmlElement.leaf("authenticationString", AUTH_STRING));
    ServiceParameter parameter = new ServiceParameter(ServiceParameterKey.enterprise("OnlineCAPassword"), CA_PASSWORD);

    assertThat(List.of(credentials.toString(), update.toString(), body.toString(), parameter.toString()))
        .allSatisfy(text -> SECRETS.forEach(secret -> assertThat(text).doesNotContain(secret)));
    assertThat(credentials.toString()).contains(USER);
  }
}
