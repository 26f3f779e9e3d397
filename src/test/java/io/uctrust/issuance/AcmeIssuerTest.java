package io.uctrust.issuance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uctrust.pki.Csr;
import io.uctrust.pki.KeyPairs;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.shredzone.acme4j.Problem;
import org.shredzone.acme4j.toolbox.JSON;

/** What AcmeIssuer orders and how it words problems and settings, without a server (AcmeIssuerIT has one). */
class AcmeIssuerTest {
  private static final KeyPair KEYS = KeyPairs.ec(256);
  private static final URI DIRECTORY = URI.create("https://acme.example.net/directory");

  @Test
  void theOrderIsForTheCsrsDnsNamesInTheirOrder() throws AcmeIssuanceException {
    Csr csr = Csr.create(KEYS, "CN=ignored.example.net", List.of("b.example.net", "a.example.net"));

    assertThat(AcmeIssuer.domains(csr)).containsExactly("b.example.net", "a.example.net");
  }

  @Test
  void aCsrWithoutDnsNamesIsOrderedForItsCommonName() throws AcmeIssuanceException {
    Csr csr = Csr.create(KEYS, "CN=cup.example.net,OU=Voice,O=Example", List.of());

    assertThat(AcmeIssuer.domains(csr)).containsExactly("cup.example.net");
  }

  @Test
  void aCsrWithNeitherDnsNamesNorCommonNameIsRefusedBeforeAnythingIsSent() {
    Csr csr = Csr.create(KEYS, "O=Example", List.of());

    assertThatThrownBy(() -> AcmeIssuer.domains(csr))
        .isInstanceOf(AcmeIssuanceException.class)
        .hasMessage("the CSR for O=Example names no DNS name and no common name to order from the ACME server");
  }

  @Test
  void aProblemReadsAsItsDetailShortTypeAndSubProblems() throws Exception {
    Problem problem = new Problem(JSON.parse("""
        {"type": "urn:ietf:params:acme:error:rejectedIdentifier", "detail": "Some names are forbidden",
         "subproblems": [{"type": "urn:ietf:params:acme:error:rejectedIdentifier", "detail": "Policy forbids it",
                          "identifier": {"type": "dns", "value": "bad.example"}}]}
        """), new URL("https://acme.example.net/order/1"));

    assertThat(AcmeIssuer.describe(problem))
        .isEqualTo("Some names are forbidden (rejectedIdentifier); bad.example: Policy forbids it");
  }

  @Test
  void aMissingServerTrustFileFailsTheIssuanceNamingTheFile(@TempDir Path dir) {
    Path missing = dir.resolve("acme-ca.pem");
    AcmeSettings settings = new AcmeSettings(DIRECTORY, null, AcmeSettings.Challenge.HTTP_01, null, null,
        missing, null);
    AcmeIssuer issuer = new AcmeIssuer(settings, new AcmeAccountStore(dir), Clock.systemUTC());

    assertThatThrownBy(() -> issuer.issue(Csr.create(KEYS, "CN=a.example.net", List.of("a.example.net"))))
        .isInstanceOf(AcmeIssuanceException.class)
        .hasMessage("loading the ACME server trust failed: the ACME server trust file " + missing
            + " does not exist");
  }

  @Test
  void settingsRefuseAContactThatIsNotOneEmailAddress() {
    for (String email : List.of("pki", "a@example.net,b@example.net", "pki@example.net?subject=x")) {
      assertThatThrownBy(() -> new AcmeSettings(DIRECTORY, email, AcmeSettings.Challenge.HTTP_01, null, null,
          null, null))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("'" + email + "' is not one e-mail address for the ACME account");
    }
  }

  @Test
  void settingsFillInTheResponderAddressAndTimeoutDefaults() {
    AcmeSettings settings = new AcmeSettings(DIRECTORY, " ", AcmeSettings.Challenge.HTTP_01, null, null, null, null);

    assertThat(settings.http01Listen()).isEqualTo(new InetSocketAddress("0.0.0.0", 80));
    assertThat(settings.timeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(settings.email()).isNull();
    assertThat(settings.dnsHook()).isEmpty();
  }

  @Test
  void settingsRefuseAPlainHttpDirectoryAndDns01WithoutAHook() {
    assertThatThrownBy(() -> new AcmeSettings(URI.create("http://acme.example.net/directory"), null,
        AcmeSettings.Challenge.HTTP_01, null, null, null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("https://");
    assertThatThrownBy(() -> new AcmeSettings(DIRECTORY, null, AcmeSettings.Challenge.DNS_01, List.of(), null,
        null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("DNS-01 needs a hook");
  }
}
