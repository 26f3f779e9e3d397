package io.uctrust.target.cucm.services;

import io.uctrust.target.cucm.axl.SoapEnvelopeWriter;
import io.uctrust.target.cucm.axl.XmlElement;

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

  private ControlCenterEnvelope() {}

  static byte[] write(XmlElement body) {
    return SoapEnvelopeWriter.write(NAMESPACE, "soap", body, SoapEnvelopeWriter.Qualification.EVERY_ELEMENT);
  }
}
