package io.uctrust.target.cucm.axl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static io.uctrust.target.cucm.axl.XmlElement.leaf;
import static io.uctrust.target.cucm.axl.XmlElement.of;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AxlSchemaTest {
  private static final AxlSchema SCHEMA = AxlSchema.forVersion(AxlVersion.V14_0);

  private static XmlElement updatePhone(XmlElement... extra) {
    XmlElement.Builder body = XmlElement.builder("updatePhone").text("name", "SEP001122334455")
        .text("certificateOperation", "Install/Upgrade").text("authenticationMode", "By Null String");
    for (XmlElement e : extra) {
      body.child(e);
    }
    return body.build();
  }

  private static XmlElement updateCallManager(String phone, String mra) {
    return of("updateCallManager", leaf("name", "cucm-pub"),
        of("ports", of("sipPorts", leaf("sipOAuthPort", phone), leaf("sipOAuthMRAPort", mra))));
  }

  static Stream<XmlElement> validBodies() {
    return Stream.of(
        of("executeSQLQuery", leaf("sql", "select name from device")),
        of("getPhone", leaf("name", "SEP001122334455")),
        updatePhone(leaf("keySize", "4096"), leaf("keyOrder", "EC Preferred, RSA Backup"), leaf("ecKeySize", "521"),
            leaf("authenticationString", "1234"), leaf("upgradeFinishTime", "2026:12:31:23:59")),
        of("applyPhone", leaf("name", "SEP001122334455")),
        of("updatePhone", leaf("name", "SEP001122334455"), leaf("securityProfileName", "Cisco 8845 - OAuth"),
            leaf("allowActivationCodeViaMra", "true"), leaf("mraServiceDomain", "mra.example.com")),
        of("updatePhone", leaf("name", "SEP001122334455"), leaf("allowActivationCodeViaMra", "false")),
        of("listPhoneSecurityProfile", of("searchCriteria", leaf("name", "%")), of("returnedTags", of("name"))),
        of("getPhoneSecurityProfile", leaf("name", "UDT - SIP OAuth")),
        of("addPhoneSecurityProfile", of("phoneSecurityProfile", leaf("phoneType", "Cisco 8845"), leaf("protocol", "SIP"),
            leaf("name", "p"), leaf("deviceSecurityMode", "Encrypted"), leaf("transportType", "TLS"),
            leaf("EnableOAuthAuthentication", "true"))),
        of("updatePhoneSecurityProfile", leaf("name", "p"), leaf("deviceSecurityMode", "Authenticated"),
            leaf("transportType", "TCP+UDP")),
        of("listExpresswayCConfiguration", of("searchCriteria", leaf("HostNameOrIP", "%")),
            of("returnedTags", of("HostNameOrIP"), of("description"))),
        of("addExpresswayCConfiguration", of("expresswayCConfiguration", leaf("HostNameOrIP", "expc.example.com"),
            leaf("description", "d".repeat(50)), leaf("X509SubjectNameorSubjectAlternateName", "x".repeat(4096)))),
        of("updateExpresswayCConfiguration", leaf("HostNameOrIP", "expc.example.com"), leaf("description", "")),
        of("listCallManager", of("searchCriteria", leaf("name", "%")), of("returnedTags", of("name"))),
        of("getCallManager", leaf("name", "cucm-pub")),
        updateCallManager("1024", "49151"),
        of("getServiceParameter", leaf("processNodeName", "EnterpriseWideData"), leaf("name", "EnableIPv6"),
            leaf("service", "Enterprise Wide")),
        of("updateServiceParameter", leaf("processNodeName", "cucm-pub"), leaf("name", "OnlineCATemplate"),
            leaf("service", "Cisco Certificate Authority Proxy Function"), leaf("value", "")),
        of("listServiceParameter", of("searchCriteria", leaf("processNodeName", "cucm-pub"),
            leaf("service", "Cisco Certificate Authority Proxy Function")), of("returnedTags", of("name"), of("value"))));
  }

  @ParameterizedTest
  @MethodSource("validBodies")
  void everyOperationUctrustSendsValidates(XmlElement body) {
    assertThatCode(() -> SCHEMA.validate(body)).doesNotThrowAnyException();
  }

  static Stream<Arguments> invalidBodies() {
    return Stream.of(
        Arguments.of(updatePhone(leaf("keySize", "1000")), "updatePhone/keySize"),
        Arguments.of(updatePhone(leaf("ecKeySize", "512")), "updatePhone/ecKeySize"),
        Arguments.of(updatePhone(leaf("keyOrder", "RSA only")), "updatePhone/keyOrder"),
        Arguments.of(updatePhone(leaf("upgradeFinishTime", "2026-12-31T23:59")), "updatePhone/upgradeFinishTime"),
        Arguments.of(of("updatePhone", leaf("name", "SEP001122334455"), leaf("certificateOperation", "Renew"),
            leaf("authenticationMode", "By Null String")), "updatePhone/certificateOperation"),
        Arguments.of(of("updatePhone", leaf("name", "SEP001122334455"), leaf("certificateOperation", "Delete")),
            "updatePhone"),
        Arguments.of(of("updatePhone", leaf("name", "SEP001122334455")), "updatePhone"),
        Arguments.of(updatePhone(leaf("allowActivationCodeViaMra", "true")), "updatePhone"),
        Arguments.of(of("updatePhone", leaf("name", "SEP001122334455"), leaf("allowActivationCodeViaMra", "yes")),
            "updatePhone/allowActivationCodeViaMra"),
        Arguments.of(updateCallManager("1023", "5091"), "updateCallManager/ports/sipPorts/sipOAuthPort"),
        Arguments.of(updateCallManager("5090", "49152"), "updateCallManager/ports/sipPorts/sipOAuthMRAPort"),
        Arguments.of(updateCallManager("five", "5091"), "updateCallManager/ports/sipPorts/sipOAuthPort"),
        Arguments.of(of("addExpresswayCConfiguration", of("expresswayCConfiguration", leaf("HostNameOrIP", "e"),
            leaf("description", "d".repeat(51)))), "expresswayCConfiguration/description"),
        Arguments.of(of("updateExpresswayCConfiguration", leaf("HostNameOrIP", "e"),
            leaf("X509SubjectNameorSubjectAlternateName", "x".repeat(4097))), "X509SubjectNameorSubjectAlternateName"),
        Arguments.of(of("addPhoneSecurityProfile", of("phoneSecurityProfile", leaf("phoneType", "Cisco 8845"),
            leaf("protocol", "SIP"), leaf("name", "p"), leaf("transportType", "TLS+UDP"))), "transportType"),
        Arguments.of(of("updatePhoneSecurityProfile", leaf("name", "p"), leaf("deviceSecurityMode", "Secure")),
            "deviceSecurityMode"),
        Arguments.of(of("getPhone", leaf("name", "SEP001122334455"), leaf("newName", "SEP001122334466")), "getPhone"),
        Arguments.of(of("getPhone", leaf("name", "")), "getPhone/name"),
        Arguments.of(of("removePhone", leaf("name", "SEP001122334455")), "removePhone"));
  }

  @ParameterizedTest
  @MethodSource("invalidBodies")
  void bodiesThatBreakTheSchemaAreRefusedNamingTheElement(XmlElement body, String path) {
    assertThatThrownBy(() -> SCHEMA.validate(body)).isInstanceOf(AxlSchemaViolation.class)
        .hasMessageContaining(path)
        .satisfies(e -> assertThat(((AxlSchemaViolation) e).problems()).isNotEmpty());
  }

  @Test
  void fieldsInTheWrongOrderAreRefused() {
    XmlElement swapped = of("updatePhone", leaf("name", "SEP001122334455"), leaf("authenticationMode", "By Null String"),
        leaf("certificateOperation", "Install/Upgrade"));

    assertThatThrownBy(() -> SCHEMA.validate(swapped)).isInstanceOf(AxlSchemaViolation.class);
  }

  @Test
  void secretValuesNeverAppearInProblems() {
    String tooLong = "s3cr3t-".repeat(20);

    assertThatThrownBy(() -> SCHEMA.validate(updatePhone(leaf("authenticationString", tooLong))))
        .isInstanceOf(AxlSchemaViolation.class).hasMessageContaining("updatePhone/authenticationString")
        .hasMessageNotContaining("s3cr3t");
    assertThatThrownBy(() -> SCHEMA.validate(of("updateServiceParameter", leaf("processNodeName", "cucm-pub"),
        leaf("name", "OnlineCAPassword"), leaf("service", "Cisco Certificate Authority Proxy Function"),
        leaf("value", "pw-" + "x".repeat(5000))))).hasMessageContaining("updateServiceParameter/value")
        .hasMessageNotContaining("pw-");
  }

  @Test
  void theSchemaFollowsTheVersionInTheNamespace() {
    XmlElement body = of("applyPhone", leaf("name", "SEP001122334455"));

    for (AxlVersion version : List.of(AxlVersion.V14_0, AxlVersion.V15_0, AxlVersion.of("12.5"))) {
      AxlSchema schema = AxlSchema.forVersion(version);
      assertThat(schema.version()).isEqualTo(version);
      assertThatCode(() -> schema.validate(body)).doesNotThrowAnyException();
    }
    assertThat(AxlSchema.forVersion(AxlVersion.V15_0)).isSameAs(AxlSchema.forVersion(AxlVersion.V15_0));
  }
}
