package io.uctrust.target.cucm.services;

import io.uctrust.target.cucm.axl.SoapEnvelopeWriter;
import io.uctrust.target.cucm.axl.XmlElement;
import java.io.ByteArrayOutputStream;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes a SOAP 1.1 envelope around one ControlCenterServices request body with StAX, UTF-8 encoded,
 * with <em>every</em> element of the body qualified by {@code http://schemas.cisco.com/ast/soap}
 * ({@code <soap:soapDoControlServices><soap:ControlServiceRequest><soap:NodeName>...}), as Cisco's
 * published examples write it. This differs from AXL, whose document/literal binding wants only the
 * body element qualified ({@link SoapEnvelopeWriter}); responses are read with the shared
 * {@link io.uctrust.target.cucm.axl.SoapEnvelopeReader}, which goes by local names.
 *
 * <p>Not for: AXL requests, or logging: the bytes name nodes and services (no secrets, but not a log
 * format either).
 */
final class ControlCenterEnvelope {
  /** The namespace of ControlCenterServices bodies. */
  static final String NAMESPACE = "http://schemas.cisco.com/ast/soap";

  private static final XMLOutputFactory FACTORY = XMLOutputFactory.newDefaultFactory();

  private ControlCenterEnvelope() {}

  static byte[] write(XmlElement body) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
    try {
      XMLStreamWriter out = FACTORY.createXMLStreamWriter(bytes, "UTF-8");
      out.writeStartDocument("UTF-8", "1.0");
      out.writeStartElement("soapenv", "Envelope", SoapEnvelopeWriter.SOAP_NS);
      out.writeNamespace("soapenv", SoapEnvelopeWriter.SOAP_NS);
      out.writeNamespace("soap", NAMESPACE);
      out.writeEmptyElement("soapenv", "Header", SoapEnvelopeWriter.SOAP_NS);
      out.writeStartElement("soapenv", "Body", SoapEnvelopeWriter.SOAP_NS);
      writeQualified(out, body);
      out.writeEndElement();
      out.writeEndElement();
      out.writeEndDocument();
      out.close();
    } catch (XMLStreamException e) {
      throw new IllegalStateException("cannot write the SOAP envelope for " + body.name(), e);
    }
    return bytes.toByteArray();
  }

  private static void writeQualified(XMLStreamWriter out, XmlElement element) throws XMLStreamException {
    out.writeStartElement("soap", element.name(), NAMESPACE);
    if (!element.text().isEmpty()) {
      out.writeCharacters(element.text());
    }
    for (XmlElement child : element.children()) {
      writeQualified(out, child);
    }
    out.writeEndElement();
  }
}
