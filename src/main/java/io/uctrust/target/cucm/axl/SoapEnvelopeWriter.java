package io.uctrust.target.cucm.axl;

import java.io.ByteArrayOutputStream;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes a SOAP 1.1 envelope around one AXL request body with StAX, UTF-8 encoded: the body element is
 * qualified with the AXL namespace of the version ({@code <ns:getPhone>}), its descendants are
 * unqualified, as AXL's document/literal binding expects.
 *
 * <p>Not for: checking the body (see {@link AxlSchema}), or logging: the bytes may hold secrets.
 */
public final class SoapEnvelopeWriter {
  /** The SOAP 1.1 envelope namespace. */
  public static final String SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/";

  private static final XMLOutputFactory FACTORY = XMLOutputFactory.newDefaultFactory();

  private SoapEnvelopeWriter() {}

  /** The envelope for {@code body} in the namespace of {@code version}. */
  public static byte[] write(AxlVersion version, XmlElement body) {
    return write(version.namespace(), body);
  }

  /**
   * The envelope for {@code body} with the body element in {@code namespace} (also how the lab server can
   * write a response: {@code <ns:getPhoneResponse>} with unqualified content).
   */
  public static byte[] write(String namespace, XmlElement body) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
    try {
      XMLStreamWriter out = FACTORY.createXMLStreamWriter(bytes, "UTF-8");
      out.writeStartDocument("UTF-8", "1.0");
      out.writeStartElement("soapenv", "Envelope", SOAP_NS);
      out.writeNamespace("soapenv", SOAP_NS);
      out.writeNamespace("ns", namespace);
      out.writeEmptyElement("soapenv", "Header", SOAP_NS);
      out.writeStartElement("soapenv", "Body", SOAP_NS);
      out.writeStartElement("ns", body.name(), namespace);
      writeContent(out, body);
      out.writeEndElement();
      out.writeEndElement();
      out.writeEndElement();
      out.writeEndDocument();
      out.close();
    } catch (XMLStreamException e) {
      throw new IllegalStateException("cannot write the SOAP envelope for " + body.name(), e);
    }
    return bytes.toByteArray();
  }

  private static void writeContent(XMLStreamWriter out, XmlElement element) throws XMLStreamException {
    if (!element.text().isEmpty()) {
      out.writeCharacters(element.text());
    }
    for (XmlElement child : element.children()) {
      out.writeStartElement(child.name());
      writeContent(out, child);
      out.writeEndElement();
    }
  }
}
