package io.uctrust.target.cucm.axl;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads a SOAP 1.1 envelope (an AXL response, or a request on the lab's side) with StAX into an
 * {@link XmlElement} tree: namespace-aware, by local names, prefixes ignored. DTDs and external entities
 * are refused outright (no XXE, no entity expansion); nesting deeper than {@value #MAX_DEPTH} is refused.
 *
 * <p>Not for: documents that are not SOAP envelopes, or mixed content (text between child elements is
 * dropped).
 */
public final class SoapEnvelopeReader {
  static final int MAX_DEPTH = 64;

  private SoapEnvelopeReader() {}

  /** The first element of the envelope's Body; throws when the bytes are not a SOAP 1.1 envelope. */
  public static SoapReply read(byte[] xml) throws XMLStreamException {
    XMLStreamReader in = factory().createXMLStreamReader(new ByteArrayInputStream(xml));
    try {
      nextElement(in);
      expect(in, "Envelope");
      while (nextChildElement(in)) {
        if (isSoap(in, "Body")) {
          if (!nextChildElement(in)) {
            throw new XMLStreamException("the SOAP Body is empty");
          }
          boolean fault = isSoap(in, "Fault");
          XmlElement content = element(in, 0);
          return new SoapReply(content, fault ? SoapFault.of(content) : null);
        }
        skip(in);
      }
      throw new XMLStreamException("the SOAP envelope has no Body");
    } finally {
      in.close();
    }
  }

  private static XMLInputFactory factory() {
    XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
    factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
    return factory;
  }

  private static void nextElement(XMLStreamReader in) throws XMLStreamException {
    while (in.hasNext()) {
      int event = in.next();
      refuse(event);
      if (event == XMLStreamConstants.START_ELEMENT) {
        return;
      }
    }
    throw new XMLStreamException("no XML element in the response");
  }

  /** Moves to the next child START_ELEMENT of the current element; false at the current element's end. */
  private static boolean nextChildElement(XMLStreamReader in) throws XMLStreamException {
    while (in.hasNext()) {
      int event = in.next();
      refuse(event);
      if (event == XMLStreamConstants.START_ELEMENT) {
        return true;
      }
      if (event == XMLStreamConstants.END_ELEMENT) {
        return false;
      }
    }
    return false;
  }

  private static void skip(XMLStreamReader in) throws XMLStreamException {
    int depth = 1;
    while (depth > 0) {
      int event = in.next();
      refuse(event);
      if (event == XMLStreamConstants.START_ELEMENT) {
        depth++;
      } else if (event == XMLStreamConstants.END_ELEMENT) {
        depth--;
      }
    }
  }

  private static XmlElement element(XMLStreamReader in, int depth) throws XMLStreamException {
    if (depth > MAX_DEPTH) {
      throw new XMLStreamException("XML nested deeper than " + MAX_DEPTH + " elements");
    }
    String name = in.getLocalName();
    StringBuilder text = new StringBuilder();
    List<XmlElement> children = new ArrayList<>();
    while (true) {
      int event = in.next();
      refuse(event);
      switch (event) {
        case XMLStreamConstants.START_ELEMENT -> children.add(element(in, depth + 1));
        case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> text.append(in.getText());
        case XMLStreamConstants.END_ELEMENT -> {
          return new XmlElement(name, children.isEmpty() ? text.toString() : "", children);
        }
        default -> { } // comments and processing instructions carry nothing for AXL
      }
    }
  }

  private static void refuse(int event) throws XMLStreamException {
    if (event == XMLStreamConstants.DTD) {
      throw new XMLStreamException("the document declares a DTD; refused (AXL never sends one)");
    }
    if (event == XMLStreamConstants.ENTITY_REFERENCE) {
      throw new XMLStreamException("the document references an entity; refused");
    }
  }

  private static void expect(XMLStreamReader in, String localName) throws XMLStreamException {
    if (!isSoap(in, localName)) {
      throw new XMLStreamException("expected a SOAP 1.1 " + localName + " but found {" + in.getNamespaceURI() + "}"
          + in.getLocalName());
    }
  }

  private static boolean isSoap(XMLStreamReader in, String localName) {
    return localName.equals(in.getLocalName()) && SoapEnvelopeWriter.SOAP_NS.equals(in.getNamespaceURI());
  }
}
