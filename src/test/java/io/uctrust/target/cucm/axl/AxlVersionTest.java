package io.uctrust.target.cucm.axl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AxlVersionTest {

  @Test
  void theVersionIsInTheNamespaceAndInTheQuotedSoapAction() {
    assertThat(AxlVersion.V14_0.namespace()).isEqualTo("http://www.cisco.com/AXL/API/14.0");
    assertThat(AxlVersion.V15_0.namespace()).isEqualTo("http://www.cisco.com/AXL/API/15.0");
    assertThat(AxlVersion.V14_0.soapAction("getPhone")).isEqualTo("\"CUCM:DB ver=14.0 getPhone\"");
    assertThat(AxlVersion.of("15").soapAction("executeSQLQuery")).isEqualTo("\"CUCM:DB ver=15.0 executeSQLQuery\"");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "14", "14.0.1", "v14.0", "14.0 ", "abc"})
  void textThatIsNotAVersionIsRefused(String text) {
    assertThatThrownBy(() -> new AxlVersion(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "get Phone", "getPhone\"", "1get"})
  void anOperationThatCouldBreakTheHeaderIsRefused(String operation) {
    assertThatThrownBy(() -> AxlVersion.V14_0.soapAction(operation)).isInstanceOf(IllegalArgumentException.class);
  }
}
