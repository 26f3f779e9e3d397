package io.uctrust.target.cucm.axl;

import java.io.ByteArrayOutputStream;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes a SOAP 1.1 envelope around one request body with StAX, UTF-8 encoded. For AXL the body element
 * is qualified with the namespace of the version ({@code <ns:getPhone>}) and its descendants are
 * unqualified, as AXL's document/literal binding expects; ControlCenterServices wants every element
 * qualified ({@link Qualification#EVERY_ELEMENT}).
 *
 * <p>Not for: checking the body (see {@link AxlSchema}), or logging: the bytes may hold secrets.
 */
public final class SoapEnvelopeWriter {
  /** The SOAP 1.1 envelope namespace. */
  public static final String SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/";

  private static final XMLOutputFactory FACTORY = XMLOutputFactory.newDefaultFactory();

  private SoapEnvelopeWriter() {}

  /** Which elements of the body carry the namespace prefix. */
  public enum Qualification {
    BODY_ELEMENT,
    EVERY_ELEMENT
  }

  /** The envelope for {@code body} in the namespace of {@code version}. */
  public static byte[] write(AxlVersion version, XmlElement body) {
    return write(version.namespace(), body);
  }

  /**
   * The envelope for {@code body} with the body element in {@code namespace} (also how the lab server can
   * write a response: {@code <ns:getPhoneResponse>} with unqualified content).
   */
  public static byte[] write(String namespace, XmlElement body) {
    return write(namespace, "ns", body, Qualification.BODY_ELEMENT);
  }

  /** The envelope for {@code body} in {@code namespace} under {@code prefix}, qualified as {@code qualification} says. */
  public static byte[] write(String namespace, String prefix, XmlElement body, Qualification qualification) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
    try {
      XMLStreamWriter out = FACTORY.createXMLStreamWriter(bytes, "UTF-8");
      out.writeStartDocument("UTF-8", "1.0");
      out.writeStartElement("soapenv", "Envelope", SOAP_NS);
      out.writeNamespace("soapenv", SOAP_NS);
      out.writeNamespace(prefix, namespace);
      out.writeEmptyElement("soapenv", "Header", SOAP_NS);
      out.writeStartElement("soapenv", "Body", SOAP_NS);
      writeElement(out, body, prefix, namespace, true, qualification);
      out.writeEndElement();
      out.writeEndElement();
      out.writeEndDocument();
      out.close();
    } catch (XMLStreamException e) {
      throw new IllegalStateException("cannot write the SOAP envelope for " + body.name(), e);
    }
    return bytes.toByteArray();
  }

  private static void writeElement(XMLStreamWriter out, XmlElement element, String prefix, String namespace,
      boolean bodyElement, Qualification qualification) throws XMLStreamException {
    if (bodyElement || qualification == Qualification.EVERY_ELEMENT) {
      out.writeStartElement(prefix, element.name(), namespace);
    } else {
      out.writeStartElement(element.name());
    }
    if (!element.text().isEmpty()) {
      out.writeCharacters(element.text());
    }
    for (XmlElement child : element.children()) {
      writeElement(out, child, prefix, namespace, false, qualification);
    }
    out.writeEndElement();
  }
}
