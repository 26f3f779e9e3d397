package io.uctrust.target.lab;

import io.uctrust.target.cucm.axl.SoapEnvelopeReader;
import io.uctrust.target.cucm.axl.SoapEnvelopeWriter;
import io.uctrust.target.cucm.axl.SoapReply;
import io.uctrust.target.cucm.axl.XmlElement;
import java.io.ByteArrayInputStream;
import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * One AXL request as the lab's AXL service reads it: the body element as an {@link XmlElement} tree (read
 * by {@link SoapEnvelopeReader}, which refuses DTDs and entities), the namespace of that element, and
 * whether any of its descendants is namespace-qualified (AXL's document/literal binding wants them
 * unqualified).
 *
 * <p>Not for: responses, or logging (the body may hold secrets).
 */
record LabAxlRequest(XmlElement body, String namespace, boolean qualifiedChildren) {

  /** Reads {@code raw}; a body that is not a SOAP 1.1 request envelope is a client fault. */
  static LabAxlRequest parse(byte[] raw) throws LabAxlFault {
    SoapReply envelope;
    try {
      envelope = SoapEnvelopeReader.read(raw);
    } catch (XMLStreamException e) {
      // the parser's own text can quote the request; say only where it broke
      throw LabAxlFault.invalid("the request is not a well-formed SOAP 1.1 envelope" + where(e.getLocation()));
    }
    if (envelope.isFault()) {
      throw LabAxlFault.invalid("the request is a SOAP fault, not an AXL request");
    }
    try {
      return namespaces(raw, envelope.content());
    } catch (XMLStreamException e) {
      throw LabAxlFault.invalid("the request is not a well-formed SOAP 1.1 envelope" + where(e.getLocation()));
    }
  }

  /** A second, namespace-only pass: the reader above already refused anything unsafe. */
  private static LabAxlRequest namespaces(byte[] raw, XmlElement body) throws XMLStreamException {
    XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
    factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    XMLStreamReader in = factory.createXMLStreamReader(new ByteArrayInputStream(raw));
    try {
      int depth = 0;
      int bodyDepth = -1;
      String namespace = null;
      boolean qualified = false;
      while (in.hasNext()) {
        int event = in.next();
        if (event == XMLStreamConstants.START_ELEMENT) {
          depth++;
          if (bodyDepth < 0 && "Body".equals(in.getLocalName())
              && SoapEnvelopeWriter.SOAP_NS.equals(in.getNamespaceURI())) {
            bodyDepth = depth;
          } else if (bodyDepth > 0 && depth == bodyDepth + 1 && namespace == null) {
            namespace = in.getNamespaceURI() == null ? "" : in.getNamespaceURI();
          } else if (bodyDepth > 0 && depth > bodyDepth + 1 && namespace != null) {
            String childNamespace = in.getNamespaceURI();
            qualified |= childNamespace != null && !childNamespace.isEmpty();
          }
        } else if (event == XMLStreamConstants.END_ELEMENT) {
          if (depth == bodyDepth + 1 && namespace != null) {
            break; // only the first element of the Body is the request
          }
          depth--;
        }
      }
      return new LabAxlRequest(body, namespace == null ? "" : namespace, qualified);
    } finally {
      in.close();
    }
  }

  private static String where(Location location) {
    return location == null || location.getLineNumber() < 0 ? ""
        : " (line " + location.getLineNumber() + ", column " + location.getColumnNumber() + ")";
  }
}
