package io.uctrust.target.cucm.axl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AxlServiceParameterNamesTest {

  @Test
  void everyParameterUctrustManagesHasAnInternalNameAndAService() {
    ServiceParameterNames names = ServiceParameterNames.defaults();

    assertThat(names.displayNames()).containsExactly("Certificate Issuer to Endpoint", "Duration Of Certificate Validity",
        "Online CA Hostname", "Online CA Port", "Online CA Template", "Online CA Type", "Online CA Username",
        "Online CA Password", "Enable IPv6", "OAuth with Refresh Login Flow", "Certificate Validity Check",
        "Validity Check Frequency");
    assertThat(names.displayNames()).allSatisfy(name -> assertThat(names.internalName(name)).isNotBlank());
    assertThat(names.key("Online CA Hostname", "cucm-pub.example.com")).isEqualTo(new ServiceParameterKey(
        "cucm-pub.example.com", "Cisco Certificate Authority Proxy Function", names.internalName("Online CA Hostname")));
    assertThat(names.key("OAuth with Refresh Login Flow", "cucm-pub.example.com")).isEqualTo(new ServiceParameterKey(
        "EnterpriseWideData", "Enterprise Wide", names.internalName("OAuth with Refresh Login Flow")));
    assertThat(names.isSecret("Online CA Password")).isTrue();
    assertThat(names.isSecret("Online CA Username")).isFalse();
  }

  @Test
  void aUserFileOverridesOnlyTheNamesItGives(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("names.properties"), """
        # our 15SU1 cluster calls it differently
        Online\\ CA\\ Template = CAPFOnlineCATemplateName
        """);

    ServiceParameterNames names = ServiceParameterNames.defaults().withOverrides(file);

    assertThat(names.internalName("Online CA Template")).isEqualTo("CAPFOnlineCATemplateName");
    assertThat(names.internalName("Online CA Port")).isEqualTo(ServiceParameterNames.defaults().internalName("Online CA Port"));
  }

  @Test
  void anUnknownOrUnescapedNameInAUserFileIsAnErrorWithAHint(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("names.properties"), "Online CA Template = X\n");

    assertThatThrownBy(() -> ServiceParameterNames.defaults().withOverrides(file))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'Online' is not a parameter uctrust manages")
        .hasMessageContaining("escape spaces");
    assertThatThrownBy(() -> ServiceParameterNames.defaults().internalName("Online CA Tempalte"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
