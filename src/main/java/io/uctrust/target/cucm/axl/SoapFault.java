package io.uctrust.target.cucm.axl;

import java.util.Optional;

/**
 * A SOAP 1.1 fault as AXL sends it: {@code faultcode}, {@code faultstring} and, when AXL itself rejected the
 * request, the {@code detail/axlError} pair {@code axlcode} (e.g. 5007, or a negative Informix code) and
 * {@code axlmessage}. Absent parts are empty strings.
 *
 * <p>Not for: showing to a user unredacted when the request carried secrets (the client scrubs them).
 */
public record SoapFault(String faultCode, String faultString, String axlCode, String axlMessage) {
  public SoapFault {
    faultCode = faultCode == null ? "" : faultCode.strip();
    faultString = faultString == null ? "" : faultString.strip();
    axlCode = axlCode == null ? "" : axlCode.strip();
    axlMessage = axlMessage == null ? "" : axlMessage.strip();
  }

  /** Reads a {@code Fault} element. */
  static SoapFault of(XmlElement fault) {
    XmlElement axlError = fault.child("detail").flatMap(SoapFault::axlError).orElse(null);
    return new SoapFault(fault.childText("faultcode"), fault.childText("faultstring"),
        axlError == null ? null : axlError.childText("axlcode"),
        axlError == null ? null : axlError.childText("axlmessage"));
  }

  private static Optional<XmlElement> axlError(XmlElement element) {
    if (element.name().equals("axlError")) {
      return Optional.of(element);
    }
    for (XmlElement child : element.children()) {
      Optional<XmlElement> found = axlError(child);
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  /** The most specific text: the AXL message, else the fault string. */
  public String text() {
    return axlMessage.isEmpty() ? faultString : axlMessage;
  }
}
