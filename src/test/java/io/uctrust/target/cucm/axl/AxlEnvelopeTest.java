package io.uctrust.target.cucm.axl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.stream.XMLStreamException;
import org.junit.jupiter.api.Test;

class AxlEnvelopeTest {

  private static SoapReply read(String xml) throws XMLStreamException {
    return SoapEnvelopeReader.read(xml.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aWrittenRequestReadsBackAsTheSameTree() throws Exception {
    XmlElement body = XmlElement.builder("updatePhone")
        .text("name", "SEP001122334455")
        .text("certificateOperation", "Install/Upgrade")
        .text("authenticationMode", "By Authentication String")
        .optional("keySize", 2048)
        .optional("keyOrder", null)
        .text("authenticationString", "1234 & <5678> \"quoted\" 'apos' ünïcödé")
        .build();

    byte[] envelope = SoapEnvelopeWriter.write(AxlVersion.V14_0, body);
    SoapReply reply = SoapEnvelopeReader.read(envelope);

    assertThat(reply.isFault()).isFalse();
    assertThat(reply.content()).isEqualTo(body);
    String text = new String(envelope, StandardCharsets.UTF_8);
    assertThat(text).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
        .contains("<ns:updatePhone><name>SEP001122334455</name>")
        .contains("xmlns:ns=\"http://www.cisco.com/AXL/API/14.0\"")
        .contains("&amp; &lt;5678&gt;");
  }

  @Test
  void prefixesAreIgnoredButTheSoapNamespaceIsRequired() throws Exception {
    SoapReply reply = read("<e:Envelope xmlns:e=\"http://schemas.xmlsoap.org/soap/envelope/\"><e:Header><x/></e:Header>"
        + "<e:Body><a:listCallManagerResponse xmlns:a=\"http://www.cisco.com/AXL/API/15.0\"><return>"
        + "<callManager uuid=\"{1}\"><name>cucm-pub</name></callManager>\n  "
        + "<callManager uuid=\"{2}\"><name>cucm-sub</name></callManager></return></a:listCallManagerResponse></e:Body>"
        + "</e:Envelope>");

    assertThat(reply.content().name()).isEqualTo("listCallManagerResponse");
    assertThat(reply.content().find("return").orElseThrow().children("callManager"))
        .extracting(c -> c.childText("name")).containsExactly("cucm-pub", "cucm-sub");
    assertThatThrownBy(() -> read("<Envelope><Body><x/></Body></Envelope>")).isInstanceOf(XMLStreamException.class)
        .hasMessageContaining("SOAP 1.1 Envelope");
  }

  @Test
  void aFaultIsReadWithItsAxlErrorDetail() throws Exception {
    SoapReply reply = read(FakeAxlServer.fault("Cannot insert or update pattern. A DN exists with the same pattern",
        "4052", "Cannot insert or update pattern. A DN exists with the same pattern", "addLine"));

    assertThat(reply.isFault()).isTrue();
    assertThat(reply.fault()).isEqualTo(new SoapFault("soapenv:Client",
        "Cannot insert or update pattern. A DN exists with the same pattern", "4052",
        "Cannot insert or update pattern. A DN exists with the same pattern"));
  }

  @Test
  void aFaultWithoutAxlDetailKeepsItsFaultString() throws Exception {
    SoapReply reply = read("<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body>"
        + "<soapenv:Fault><faultcode>soapenv:Server</faultcode><faultstring>Unexpected error</faultstring>"
        + "</soapenv:Fault></soapenv:Body></soapenv:Envelope>");

    assertThat(reply.fault()).isEqualTo(new SoapFault("soapenv:Server", "Unexpected error", "", ""));
    assertThat(reply.fault().text()).isEqualTo("Unexpected error");
  }

  @Test
  void externalEntitiesAndDtdsAreRefused() {
    String xxe = "<?xml version=\"1.0\"?><!DOCTYPE e [<!ENTITY x SYSTEM \"file:///etc/hostname\">]>"
        + "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body><r>&x;</r>"
        + "</soapenv:Body></soapenv:Envelope>";
    String bomb = "<?xml version=\"1.0\"?><!DOCTYPE e [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;\">]>"
        + "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body><r>&b;</r>"
        + "</soapenv:Body></soapenv:Envelope>";

    for (String hostile : List.of(xxe, bomb)) {
      assertThatThrownBy(() -> read(hostile)).isInstanceOf(XMLStreamException.class).hasMessageContaining("DTD");
    }
  }

  @Test
  void deepNestingIsRefused() {
    String deep = "<a>".repeat(100) + "</a>".repeat(100);
    assertThatThrownBy(() -> read("<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\">"
        + "<soapenv:Body>" + deep + "</soapenv:Body></soapenv:Envelope>"))
        .isInstanceOf(XMLStreamException.class).hasMessageContaining("nested deeper");
  }

  @Test
  void anEnvelopeWithoutBodyContentIsRefused() {
    assertThatThrownBy(() -> read("<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\">"
        + "<soapenv:Body/></soapenv:Envelope>")).isInstanceOf(XMLStreamException.class).hasMessageContaining("empty");
    assertThatThrownBy(() -> read("<html><body>Service Unavailable</body></html>"))
        .isInstanceOf(XMLStreamException.class);
  }

  @Test
  void anElementCannotHoldTextAndChildrenOrCharactersXmlCannotCarry() {
    assertThatThrownBy(() -> new XmlElement("x", "text", List.of(XmlElement.leaf("y", "1"))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> XmlElement.leaf("authenticationString", "12\u000034"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("12");
    assertThatThrownBy(() -> XmlElement.leaf("not a name", "x")).isInstanceOf(IllegalArgumentException.class);
  }
}
