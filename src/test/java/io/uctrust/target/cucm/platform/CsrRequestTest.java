package io.uctrust.target.cucm.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Unified CM's certificate rules on CSR requests, checked before anything is sent. */
class CsrRequestTest {

  @Test
  void thisServerDefaultsToRsa2048WithSha256() {
    CsrRequest request = CsrRequest.thisServer("tomcat", "cucm-pub.example.com", null);

    assertThat(request).isEqualTo(new CsrRequest("tomcat", "this-server", "cucm-pub.example.com", "rsa", 2048, "sha256",
        List.of()));
  }

  @Test
  void wildcardNamesAreRefused() {
    assertThatThrownBy(() -> CsrRequest.thisServer("tomcat", "*.example.com", List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wildcard");
    assertThatThrownBy(() -> CsrRequest.thisServer("tomcat", "cucm-pub.example.com", List.of("*.example.com")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wildcard");
  }

  @Test
  void rsaKeysLargerThan4096BitsAreRefusedButEcSizesPass() {
    assertThatThrownBy(() -> new CsrRequest("tomcat", CsrRequest.THIS_SERVER, "cucm-pub.example.com", "RSA", 8192,
        "sha256", List.of())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 4096 bits");
    assertThat(new CsrRequest("tomcat-ECDSA", CsrRequest.MULTI_SERVER, "cucm.example.com", CsrRequest.EC, 384, "sha384",
        List.of("cucm-pub.example.com", "cucm-sub1.example.com")).altNames()).hasSize(2);
  }

  @Test
  void blankFieldsAreRefused() {
    assertThatThrownBy(() -> CsrRequest.thisServer(" ", "cucm-pub.example.com", List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("the CSR service must not be blank");
    assertThatThrownBy(() -> CsrRequest.thisServer("tomcat", "cucm-pub.example.com", List.of("")))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("the CSR alternative name must not be blank");
  }
}
