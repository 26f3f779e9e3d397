package io.uctrust.target.lab;

import io.uctrust.cluster.ClusterException;
import io.uctrust.target.cucm.axl.SoapEnvelopeWriter;
import java.io.ByteArrayOutputStream;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * A request the lab's AXL service refuses, answered as Unified CM answers it: HTTP 500 with a SOAP 1.1
 * fault whose {@code detail/axlError} carries the AXL code and message (the fault string repeats the
 * message, as AXL does). Thrown inside state changes so a refused request changes nothing.
 *
 * <p>Messages must never contain a value the request carried that may be secret (passwords,
 * authentication strings): name the field instead. Not for: faults of other protocols.
 */
final class LabAxlFault extends ClusterException {
  private static final long serialVersionUID = 1L;

  /** AXL's "Item not valid": the named item does not exist. */
  static final String ITEM_NOT_VALID = "5007";
  /** A value AXL refuses (the lab's choice of code for its business-rule checks). */
  static final String INVALID_VALUE = "5003";
  /** Informix: duplicate value in a unique index (adding an item that exists). */
  static final String DUPLICATE = "-239";
  /** Informix: a syntax error (the lab answers only the SQL uctrust sends). */
  static final String SQL_SYNTAX = "-201";

  private static final XMLOutputFactory FACTORY = XMLOutputFactory.newDefaultFactory();

  private final String axlCode;

  LabAxlFault(String axlCode, String message) {
    super(message);
    this.axlCode = axlCode;
  }

  /** AXL's fault for an item that does not exist, e.g. {@code Device}: "Item not valid: The specified Device was not found". */
  static LabAxlFault notFound(String item) {
    return new LabAxlFault(ITEM_NOT_VALID, "Item not valid: The specified " + item + " was not found");
  }

  static LabAxlFault invalid(String message) {
    return new LabAxlFault(INVALID_VALUE, message);
  }

  String axlCode() {
    return axlCode;
  }

  /** The fault envelope for this fault, for request {@code operation}. */
  byte[] envelope(String operation) {
    return envelope("soapenv:Client", getMessage(), axlCode, getMessage(), operation);
  }

  /**
   * A SOAP 1.1 fault envelope; {@code axlCode} {@code null} leaves out the {@code axlError} detail (how the
   * lab sends its throttling fault, which the client must recognise by the fault string alone).
   */
  static byte[] envelope(String faultCode, String faultString, String axlCode, String axlMessage, String operation) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
    try {
      XMLStreamWriter out = FACTORY.createXMLStreamWriter(bytes, "UTF-8");
      String ns = SoapEnvelopeWriter.SOAP_NS;
      out.writeStartDocument("UTF-8", "1.0");
      out.writeStartElement("soapenv", "Envelope", ns);
      out.writeNamespace("soapenv", ns);
      out.writeStartElement("soapenv", "Body", ns);
      out.writeStartElement("soapenv", "Fault", ns);
      leaf(out, "faultcode", faultCode);
      leaf(out, "faultstring", faultString);
      if (axlCode != null) {
        out.writeStartElement("detail");
        out.writeStartElement("axlError");
        leaf(out, "axlcode", axlCode);
        leaf(out, "axlmessage", axlMessage);
        leaf(out, "request", operation == null ? "" : operation);
        out.writeEndElement();
        out.writeEndElement();
      }
      out.writeEndElement();
      out.writeEndElement();
      out.writeEndElement();
      out.writeEndDocument();
      out.close();
    } catch (XMLStreamException e) {
      throw new IllegalStateException("cannot write a SOAP fault", e);
    }
    return bytes.toByteArray();
  }

  private static void leaf(XMLStreamWriter out, String name, String text) throws XMLStreamException {
    out.writeStartElement(name);
    out.writeCharacters(text);
    out.writeEndElement();
  }
}
