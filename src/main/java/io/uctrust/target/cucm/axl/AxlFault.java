package io.uctrust.target.cucm.axl;

import io.uctrust.cluster.ClusterException;

/**
 * A cluster answered an AXL request with a SOAP fault: the request was received and refused (unknown
 * item, a database constraint, a value AXL rejects). Carries the fault string and, when AXL filled in its
 * {@code axlError} detail, the AXL code and message. Secrets the request carried are scrubbed from every
 * text before it gets here.
 *
 * <p>Not for: transport failures, authentication (HTTP 401) or throttling; those are plain
 * {@link ClusterException}s with their own messages.
 */
public final class AxlFault extends ClusterException {
  private static final long serialVersionUID = 1L;

  private final String operation;
  private final String host;
  private final String faultString;
  private final String axlCode;
  private final String axlMessage;

  public AxlFault(String operation, String host, SoapFault fault) {
    super("AXL " + operation + " at " + host + " failed: " + fault.text()
        + (fault.axlCode().isEmpty() ? "" : " (axlcode " + fault.axlCode() + ")"));
    this.operation = operation;
    this.host = host;
    this.faultString = fault.faultString();
    this.axlCode = fault.axlCode();
    this.axlMessage = fault.axlMessage();
  }

  public String operation() {
    return operation;
  }

  public String host() {
    return host;
  }

  /** The SOAP {@code faultstring}. */
  public String faultString() {
    return faultString;
  }

  /** AXL's error code ({@code detail/axlError/axlcode}), empty when the fault had none. */
  public String axlCode() {
    return axlCode;
  }

  /** AXL's error message ({@code detail/axlError/axlmessage}), empty when the fault had none. */
  public String axlMessage() {
    return axlMessage;
  }
}
