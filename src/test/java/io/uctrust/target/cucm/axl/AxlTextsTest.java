package io.uctrust.target.cucm.axl;

import static io.uctrust.target.cucm.axl.XmlElement.leaf;
import static io.uctrust.target.cucm.axl.XmlElement.of;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.uctrust.desired.PhoneCertificatePolicySpec;
import io.uctrust.desired.SipOAuthSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class AxlTextsTest {
  private static final AxlSchema SCHEMA = AxlSchema.forVersion(AxlVersion.V15_0);

  @Test
  void everyPhoneCapfConstantHasATextThatReadsBackAndTheSchemaAccepts() {
    for (var operation : PhoneCertificatePolicySpec.Operation.values()) {
      assertThat(AxlTexts.certificateOperation(AxlTexts.text(operation))).contains(operation);
      for (var mode : PhoneCertificatePolicySpec.AuthenticationMode.values()) {
        assertThat(AxlTexts.authenticationMode(AxlTexts.text(mode))).contains(mode);
        XmlElement body = of("updatePhone", leaf("name", "SEP001122334455"),
            leaf("certificateOperation", AxlTexts.text(operation)), leaf("authenticationMode", AxlTexts.text(mode)));
        assertThatCode(() -> SCHEMA.validate(body)).doesNotThrowAnyException();
      }
    }
    for (var order : PhoneCertificatePolicySpec.KeyOrder.values()) {
      assertThat(AxlTexts.keyOrder(AxlTexts.text(order))).contains(order);
      XmlElement body = of("updatePhone", leaf("name", "SEP001122334455"), leaf("certificateOperation", "Install/Upgrade"),
          leaf("authenticationMode", "By Null String"), leaf("keyOrder", AxlTexts.text(order)));
      assertThatCode(() -> SCHEMA.validate(body)).doesNotThrowAnyException();
    }
  }

  @Test
  void everyProfileConstantHasATextThatReadsBackAndTheSchemaAccepts() {
    for (var mode : SipOAuthSpec.DeviceSecurityMode.values()) {
      for (var transport : SipOAuthSpec.Transport.values()) {
        assertThat(AxlTexts.deviceSecurityMode(AxlTexts.text(mode))).contains(mode);
        assertThat(AxlTexts.transport(AxlTexts.text(transport))).contains(transport);
        XmlElement body = of("updatePhoneSecurityProfile", leaf("name", "p"),
            leaf("deviceSecurityMode", AxlTexts.text(mode)), leaf("transportType", AxlTexts.text(transport)));
        assertThatCode(() -> SCHEMA.validate(body)).doesNotThrowAnyException();
      }
    }
    for (var protocol : SipOAuthSpec.Protocol.values()) {
      assertThat(AxlTexts.protocol(AxlTexts.text(protocol))).contains(protocol);
    }
  }

  @Test
  void textsAreTheOnesAxlUsesAndUnknownTextsReadAsEmpty() {
    assertThat(AxlTexts.text(PhoneCertificatePolicySpec.Operation.NONE)).isEqualTo("No Pending Operation");
    assertThat(AxlTexts.text(PhoneCertificatePolicySpec.AuthenticationMode.EXISTING_CERTIFICATE_LSC))
        .isEqualTo("By Existing Certificate (precedence to LSC)");
    assertThat(AxlTexts.text(PhoneCertificatePolicySpec.KeyOrder.EC_PREFERRED)).isEqualTo("EC Preferred, RSA Backup");
    assertThat(AxlTexts.text(SipOAuthSpec.Transport.TCP_UDP)).isEqualTo("TCP+UDP");
    assertThat(AxlTexts.text(SipOAuthSpec.DeviceSecurityMode.NON_SECURE)).isEqualTo("Non Secure");
    assertThat(AxlTexts.certificateOperation("install/upgrade")).isEmpty();
    assertThat(AxlTexts.keyOrder(null)).isEmpty();
  }

  @Test
  void subjectNamesAreWrittenSpaceSeparatedAndReadFromSpacesOrCommas() {
    assertThat(AxlTexts.subjectNamesText(List.of("expc1.example.com", "expc2.example.com")))
        .isEqualTo("expc1.example.com expc2.example.com");
    assertThat(AxlTexts.subjectNames(" expc1.example.com,expc2.example.com  expc3 ")).containsExactly(
        "expc1.example.com", "expc2.example.com", "expc3");
    assertThat(AxlTexts.subjectNames("")).isEmpty();
  }
}
