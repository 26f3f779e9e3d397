package io.uctrust.target.cucm.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import io.uctrust.pki.KeyPairs;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The lenient reading of the platform API's answers, in the shapes seen in public tools and a few variants. */
class PlatformResponsesTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final X509Certificate TOMCAT = TestPki.selfSigned(KeyPairs.ec(256), "cucm-pub.example.com");
  private static final String PEM = TestPki.pem(TOMCAT);

  private static JsonNode json(String text) throws Exception {
    return PlatformResponses.parse(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void snapshotEntriesWithUnknownFieldsAndEmptyIdentitiesAreRead() throws Exception {
    ObjectNode root = JSON.createObjectNode().put("trackingId", "CCM-1").put("server", "cucm-pub");
    ArrayNode identities = root.putArray("identities");
    identities.addObject().put("service", "tomcat").put("certificate", PEM).put("csr", "").put("newField", 42);
    identities.addObject().put("service", "ipsec").put("certificate", ""); // no identity yet: skipped
    ArrayNode trusts = root.putArray("trusts");
    trusts.addObject().put("service", "tomcat-trust").putArray("certificate_data").addObject()
        .put("filename", "cucm-pub.pem").put("certificate", PEM).putObject("extra").put("nested", true);
    trusts.addObject().put("service", "CallManager").putArray("certificates").add(PEM); // bare PEM strings
    root.putObject("somethingNew").put("x", 1);

    PlatformSnapshot snapshot = PlatformResponses.snapshot(root);

    assertThat(snapshot.identities()).singleElement().satisfies(c -> {
      assertThat(c.service()).isEqualTo("tomcat");
      assertThat(c.certificates()).containsExactly(TOMCAT);
    });
    assertThat(snapshot.trusts()).extracting(PlatformCertificate::service, PlatformCertificate::name)
        .containsExactly(tuple("tomcat", "cucm-pub.pem"),
            tuple("CallManager", null));
    assertThat(snapshot.trusts("callmanager-trust")).hasSize(1);
    assertThat(snapshot.identity("TOMCAT")).isNotNull();
    assertThat(snapshot.identity("ipsec")).isNull();
  }

  @Test
  void aSnapshotWithoutIdentitiesOrTrustsIsNotMistakenForAnEmptyNode() throws Exception {
    assertThatThrownBy(() -> PlatformResponses.snapshot(json("{\"certs\":[]}")))
        .isInstanceOf(PlatformResponses.Unexpected.class).hasMessage("a snapshot without identities or trusts");
    assertThatThrownBy(() -> PlatformResponses.snapshot(json("[]")))
        .isInstanceOf(PlatformResponses.Unexpected.class).hasMessage("a snapshot that is not a JSON object");
  }

  @Test
  void aSnapshotCertificateWithoutAServiceIsUnexpected() throws Exception {
    ObjectNode root = JSON.createObjectNode();
    root.putArray("identities").addObject().put("certificate", PEM);

    assertThatThrownBy(() -> PlatformResponses.snapshot(root))
        .isInstanceOf(PlatformResponses.Unexpected.class).hasMessage("a certificate without a service");
  }

  @Test
  void trustReadsAreAcceptedAsABareArrayOrAnObjectWithACertificateList() throws Exception {
    ArrayNode bare = JSON.createArrayNode();
    bare.addObject().put("filename", "a.pem").put("certificate", PEM).put("description", " root ");
    ObjectNode wrapped = JSON.createObjectNode();
    wrapped.putArray("certificates").addObject().put("name", "a.pem").put("pem", PEM);

    List<PlatformCertificate> fromArray = PlatformResponses.trust(bare, "tomcat");
    List<PlatformCertificate> fromObject = PlatformResponses.trust(wrapped, "tomcat");

    assertThat(fromArray).singleElement().isEqualTo(new PlatformCertificate("tomcat", PEM, "a.pem", "root"));
    assertThat(fromObject).singleElement().isEqualTo(new PlatformCertificate("tomcat", PEM, "a.pem", null));
    assertThat(PlatformResponses.trust(JSON.createArrayNode(), "tomcat")).isEmpty();
    assertThatThrownBy(() -> PlatformResponses.trust(json("\"text\""), "tomcat"))
        .isInstanceOf(PlatformResponses.Unexpected.class);
  }

  @Test
  void anIdentityReadTakesTheRequestedServiceWhenTheAnswerOmitsIt() throws Exception {
    assertThat(PlatformResponses.identity(JSON.createObjectNode().put("certificate", PEM), "tomcat"))
        .isEqualTo(new PlatformCertificate("tomcat", PEM, null, null));
    assertThatThrownBy(() -> PlatformResponses.identity(json("{\"status\":\"ok\"}"), "tomcat"))
        .isInstanceOf(PlatformResponses.Unexpected.class).hasMessage("no identity certificate for tomcat");
  }

  @Test
  void aCsrAnswerMustCarryAPemRequest() throws Exception {
    String csr = "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n";

    assertThat(PlatformResponses.csr(JSON.createObjectNode().put("csr", csr)))
        .isEqualTo("-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----");
    assertThatThrownBy(() -> PlatformResponses.csr(json("{\"csr\":\"pending\"}")))
        .isInstanceOf(PlatformResponses.Unexpected.class).hasMessage("no PEM certificate request in csr");
  }

  @Test
  void theNodesErrorMessageIsOneShortLineFromJsonOrText() {
    assertThat(PlatformResponses.errorMessage(bytes("{\"message\":\"Invalid service\\nfoo\",\"code\":1}")))
        .isEqualTo("Invalid service foo");
    assertThat(PlatformResponses.errorMessage(bytes("{\"error\":{\"message\":\"nested\"}}"))).isEqualTo("nested");
    assertThat(PlatformResponses.errorMessage(bytes("<html><head><script>x()</script></head><body><p>Bad request"
        + "</p></body></html>"))).isEqualTo("Bad request");
    assertThat(PlatformResponses.errorMessage(bytes("y".repeat(400)))).hasSize(303).endsWith("...");
    assertThat(PlatformResponses.errorMessage(bytes("{\"code\":1}"))).isNull();
    assertThat(PlatformResponses.errorMessage(new byte[0])).isNull();
  }

  @Test
  void trustStoreNamesAreGivenAsTheApiAddressesThem() {
    assertThat(PlatformResponses.serviceOfStore("tomcat-trust")).isEqualTo("tomcat");
    assertThat(PlatformResponses.serviceOfStore("CallManager-Trust")).isEqualTo("CallManager");
    assertThat(PlatformResponses.serviceOfStore("tomcat")).isEqualTo("tomcat");
    assertThat(PlatformResponses.serviceOfStore("-trust")).isEqualTo("-trust");
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
