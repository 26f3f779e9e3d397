package io.uctrust.target.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.uctrust.cluster.Operation;
import io.uctrust.desired.SecretRef;
import io.uctrust.desired.SipOAuthSpec;
import io.uctrust.target.cucm.axl.AxlClient;
import io.uctrust.target.cucm.axl.AxlFault;
import io.uctrust.target.cucm.axl.CallManagerPorts;
import io.uctrust.target.cucm.axl.ExpresswayC;
import io.uctrust.target.cucm.axl.PhoneSecurityProfile;
import io.uctrust.target.cucm.axl.ServiceParameter;
import io.uctrust.target.cucm.axl.ServiceParameterKey;
import io.uctrust.target.cucm.axl.ServiceParameterNames;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The SIP OAuth items and parameters of the lab's AXL service, driven by the real AxlClient. */
class LabAxlConfigTest extends LabAxlServiceTestBase {
  private static final String CAPF = ServiceParameterNames.CAPF_SERVICE;
  private static final String CA_PASSWORD = "online-ca-Pa55";

  @Test
  void aProfileAddedAndUpdatedOverAxlReadsBackAndEqualsTheInProcessLabsProfile() throws Exception {
    AxlClient client = client();
    PhoneSecurityProfile added = new PhoneSecurityProfile("Cisco 8845 - OAuth", "OAuth phones", "Cisco 8845", "SIP",
        "Encrypted", "TLS", true, false, false, null, null, null, null, null);

    client.addPhoneSecurityProfile(added);
    client.updatePhoneSecurityProfile(new PhoneSecurityProfile("Cisco 8845 - OAuth", null, null, null, "Authenticated",
        null, null, null, null, null, null, null, null, null));

    PhoneSecurityProfile read = client.getPhoneSecurityProfile("Cisco 8845 - OAuth");
    assertThat(read).isEqualTo(new PhoneSecurityProfile("Cisco 8845 - OAuth", "OAuth phones", "Cisco 8845", "SIP",
        "Authenticated", "TLS", true, false, false, "By Null String", 2048, "RSA Only", 384, 5060));
    assertThat(client.listPhoneSecurityProfiles()).extracting(PhoneSecurityProfile::name).contains("Cisco 8845 - OAuth")
        .hasSize(lab.read(s -> s.profiles.size()));
    LabCluster inProcess = LabCluster.open(copy(dir.resolve("in-process")), "lab", clusterSpec(), 0, CLOCK, Duration.ZERO);
    inProcess.perform(new Operation.PutPhoneSecurityProfile("Cisco 8845 - OAuth", "OAuth phones", "Cisco 8845",
        SipOAuthSpec.Protocol.SIP, SipOAuthSpec.DeviceSecurityMode.AUTHENTICATED, SipOAuthSpec.Transport.TLS, true, false,
        false), (ref, subject) -> "");
    JsonNode expected = JSON.readTree(Files.readAllBytes(dir.resolve("in-process/state.json"))).get("profiles");
    assertThat(servedState().get("profiles")).isEqualTo(expected);
  }

  @Test
  void profileRulesAreRefusedAsAxlRefusesThem() throws Exception {
    AxlClient client = client();
    String existing = lab.read(s -> s.profiles.get(0).name);

    Throwable duplicate = catchThrowable(() -> client.addPhoneSecurityProfile(new PhoneSecurityProfile(existing, null,
        "Cisco 8845", "SIP", null, null, null, null, null, null, null, null, null, null)));
    Throwable missing = catchThrowable(() -> client.getPhoneSecurityProfile("No Such Profile"));
    Throwable oauthWithDigest = catchThrowable(() -> client.updatePhoneSecurityProfile(new PhoneSecurityProfile(existing,
        null, null, null, null, null, true, null, true, null, null, null, null, null)));
    Throwable keySize = catchThrowable(() -> client.updatePhoneSecurityProfile(new PhoneSecurityProfile(existing,
        null, null, null, null, null, null, null, null, null, 4096, null, null, null)));

    assertThat(duplicate).isInstanceOf(AxlFault.class).hasMessageContaining("duplicate value");
    assertThat(missing).isInstanceOf(AxlFault.class).hasMessageContaining("Phone Security Profile was not found");
    assertThat(oauthWithDigest).isInstanceOf(AxlFault.class).hasMessageContaining("enableDigestAuthentication");
    assertThat(keySize).isInstanceOf(AxlFault.class).hasMessageContaining("keySize");
    assertThat(client.getPhoneSecurityProfile(existing).enableOAuthAuthentication()).isFalse();
  }

  @Test
  void expresswayCEntriesAreAddedUpdatedAndListedWithSpaceSeparatedSubjectNames() throws Exception {
    AxlClient client = client();

    client.addExpresswayC(new ExpresswayC("expc1.example.com", "MRA edge", "expc1.example.com expc.example.com"));
    client.updateExpresswayC(new ExpresswayC("EXPC1.example.com", "MRA edge 1", null));
    Throwable again = catchThrowable(() -> client.addExpresswayC(new ExpresswayC("expc1.example.com", null, null)));
    Throwable missing = catchThrowable(() -> client.updateExpresswayC(new ExpresswayC("expc9.example.com", "x", null)));

    assertThat(client.listExpresswayC()).containsExactly(
        new ExpresswayC("expc1.example.com", "MRA edge 1", "expc1.example.com expc.example.com"));
    assertThat(lab.<List<String>>read(s -> s.expresswayC.get(0).subjectNames)).containsExactly("expc1.example.com", "expc.example.com");
    assertThat(again).isInstanceOf(AxlFault.class).hasMessageContaining("duplicate value");
    assertThat(missing).isInstanceOf(AxlFault.class).hasMessageContaining("was not found");
  }

  @Test
  void callManagersAreTheUnifiedCmNodesWithTheirSipOAuthPorts() throws Exception {
    AxlClient client = client();

    assertThat(client.listCallManagers()).containsExactly(new CallManagerPorts(PUB, 5090, 5091),
        new CallManagerPorts(SUB, 5090, 5091));
    client.updateCallManagerPorts(SUB, 6090, 6091);

    assertThat(client.listCallManagers()).contains(new CallManagerPorts(SUB, 6090, 6091));
    assertThat(lab.<Integer>read(s -> s.nodes.get(1).sipOAuthMraPort)).isEqualTo(6091);
    assertThat(catchThrowable(() -> client.updateCallManagerPorts(IMP, 6090, 6091))).isInstanceOf(AxlFault.class)
        .hasMessageContaining("CallManager was not found");
    assertThat(catchThrowable(() -> client.updateCallManagerPorts(PUB, 6090, 6090))).isInstanceOf(AxlFault.class)
        .hasMessageContaining("must differ");
  }

  @Test
  void enterpriseAndCapfParametersAreReadAndSetByTheirInternalNames() throws Exception {
    AxlClient client = client();
    ServiceParameterNames names = ServiceParameterNames.defaults();
    ServiceParameterKey ipv6 = names.key("Enable IPv6", PUB);
    ServiceParameterKey validity = names.key("Duration Of Certificate Validity", PUB);

    assertThat(client.getServiceParameter(ipv6).value()).isEqualTo("False");
    client.updateServiceParameter(ipv6, "True");
    client.updateServiceParameter(validity, "730");

    assertThat(client.getServiceParameter(ipv6).value()).isEqualTo("True");
    assertThat(client.getServiceParameter(validity).value()).isEqualTo("730");
    assertThat(lab.<String>read(s -> s.enterprise.get("Enable IPv6"))).isEqualTo("True");
    assertThat(lab.<String>read(s -> s.capf.get("Duration Of Certificate Validity"))).isEqualTo("730");
    List<ServiceParameter> capf = client.listServiceParameters(PUB, CAPF);
    assertThat(capf).extracting(p -> p.key().name()).containsExactly("CertificateIssuerToEndpoint",
        "DurationOfCertificateValidity", "OnlineCAHostname", "OnlineCAPort", "OnlineCATemplate", "OnlineCAType",
        "OnlineCAUsername", "OnlineCAPassword");
    assertThat(client.listServiceParameters(ServiceParameterKey.ENTERPRISE_NODE, ServiceParameterKey.ENTERPRISE_SERVICE))
        .extracting(ServiceParameter::value).containsExactly("True", "Disabled", "True", "1");
  }

  @Test
  void theOnlineCaPasswordIsWriteOnlyReadsMaskedOnceSetAndIsSetAsTheInProcessLabSetsIt() throws Exception {
    AxlClient client = client();
    ServiceParameterKey password = ServiceParameterNames.defaults().key("Online CA Password", PUB);

    assertThat(client.getServiceParameter(password).value()).isEmpty();
    client.updateServiceParameter(password, CA_PASSWORD);

    assertThat(client.getServiceParameter(password).value()).isEqualTo("********");
    assertThat(client.listServiceParameters(PUB, CAPF)).allSatisfy(p -> assertThat(p.value()).isNotEqualTo(CA_PASSWORD));
    LabCluster inProcess = LabCluster.open(copy(dir.resolve("in-process")), "lab", clusterSpec(), 0, CLOCK, Duration.ZERO);
    inProcess.perform(new Operation.SetServiceParameter(PUB, CAPF, "Online CA Password", null,
        SecretRef.parse("env:CA_PASSWORD")), (ref, subject) -> CA_PASSWORD);
    JsonNode expected = JSON.readTree(Files.readAllBytes(dir.resolve("in-process/state.json")));
    assertThat(servedState().get("onlineCaPassword")).isEqualTo(expected.get("onlineCaPassword"));
    assertThat(servedState().get("capf")).isEqualTo(expected.get("capf"));
  }

  @Test
  void unknownParametersAndCapfParametersOffThePublisherAreNotFound() {
    AxlClient client = client();

    for (ServiceParameterKey key : List.of(ServiceParameterKey.enterprise("NoSuchParameter"),
        new ServiceParameterKey(SUB, CAPF, "OnlineCAHostname"),
        new ServiceParameterKey(PUB, "Cisco CallManager", "OnlineCAHostname"))) {
      Throwable error = catchThrowable(() -> client.updateServiceParameter(key, "some-value"));
      assertThat(error).isInstanceOf(AxlFault.class).hasMessageContaining("Item not valid")
          .hasMessageNotContaining("some-value");
      assertThat(((AxlFault) error).axlCode()).isEqualTo("5007");
    }
  }
}
