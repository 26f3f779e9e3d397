package io.uctrust.target.lab;


import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.uctrust.desired.ClusterSpec;
import io.uctrust.target.cucm.BasicCredentials;
import io.uctrust.target.cucm.TlsIdentity;
import io.uctrust.target.cucm.axl.AxlClient;
import io.uctrust.target.cucm.axl.AxlSettings;
import io.uctrust.target.cucm.axl.AxlTls;
import io.uctrust.target.cucm.axl.AxlVersion;
import io.uctrust.target.cucm.axl.SoapEnvelopeWriter;
import io.uctrust.target.cucm.axl.XmlElement;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Shared set-up of the lab AXL tests: one seeded lab per class, a fresh copy served over HTTPS per test. */
abstract class LabAxlServiceTestBase {
  static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  static final String USER = "uctrust-axl";
  static final String PASSWORD = "lab-Pa55word!";
  static final String PUB = "cucm-pub.example.com";
  static final String SUB = "cucm-sub1.example.com";
  static final String IMP = "imp-pub.example.com";
  static final int PHONES = 50;
  static final JsonMapper JSON = JsonMapper.builder().build();
  static final TlsIdentity IDENTITY = TlsIdentity.selfSigned("localhost", List.of("localhost"), List.of("127.0.0.1"));

  @TempDir Path dir;
  ServedLab lab;
  LabFaults faults;
  HttpsServer server;
  ExecutorService executor;

  static ClusterSpec clusterSpec() {
    return ServedLabFixture.clusterSpec();
  }

  /** A lab in {@code where} holding a copy of the seeded state. */
  static LabStore copy(Path where) throws IOException {
    return ServedLabFixture.copyOfSeeded(where, PHONES);
  }

  @BeforeEach
  void serve() throws Exception {
    lab = ServedLab.open(copy(dir.resolve("served")), CLOCK);
    faults = LabFaults.none();
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(IDENTITY.serverContext()));
    server.createContext("/axl/", new LabAxlService(lab, faults, PASSWORD));
    executor = Executors.newFixedThreadPool(4);
    server.setExecutor(executor);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
    executor.shutdownNow();
    lab.close();
  }

  URI endpoint() {
    return URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/axl/");
  }

  AxlSettings settings(AxlVersion version) {
    return AxlSettings.forEndpoint(endpoint(), version).withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10))
        .withRequestsPerSecond(1000).withRetry(3, Duration.ofMillis(10), Duration.ofMillis(20));
  }

  AxlClient client() {
    return client(AxlVersion.V15_0, PASSWORD);
  }

  AxlClient client(AxlVersion version, String password) {
    return new AxlClient(settings(version), BasicCredentials.of(USER, password),
        AxlTls.context(List.of(IDENTITY.certificate())));
  }

  /** The saved state of the served lab, as JSON. */
  JsonNode servedState() throws IOException {
    return JSON.readTree(Files.readAllBytes(lab.store().stateFile()));
  }

  static JsonNode phone(JsonNode state, String name) {
    for (JsonNode phone : state.get("phones")) {
      if (phone.get("name").asString().equals(name)) {
        return phone;
      }
    }
    throw new AssertionError("no phone " + name);
  }

  static String firstPhone(JsonNode state) {
    return state.get("phones").get(0).get("name").asString();
  }

  /** Posts {@code body} with a chosen SOAPAction and authorization, bypassing the client's own checks. */
  HttpResponse<String> post(String soapAction, String authorization, byte[] body) throws Exception {
    HttpClient http = HttpClient.newBuilder().sslContext(AxlTls.context(List.of(IDENTITY.certificate()))).build();
    HttpRequest.Builder request = HttpRequest.newBuilder(endpoint()).header("Content-Type", "text/xml; charset=utf-8")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (soapAction != null) {
      request.header("SOAPAction", soapAction);
    }
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  static byte[] envelope(AxlVersion version, XmlElement body) {
    return SoapEnvelopeWriter.write(version, body);
  }
}
