package io.uctrust.target.cucm.axl;

/**
 * What a SOAP envelope carried: the first element of its Body, and whether that element is a SOAP fault
 * (then {@link #fault()} holds it, read).
 *
 * <p>Not for: responses that are not SOAP (HTML error pages); the reader refuses those.
 */
public record SoapReply(XmlElement content, SoapFault fault) {
  public boolean isFault() {
    return fault != null;
  }
}
