package io.uctrust.target.cucm.axl;

import io.uctrust.cluster.ClusterException;
import java.util.List;

/**
 * An AXL request body does not match uctrust's AXL schema ({@code axl-subset.xsd}): the request was not
 * sent. On uctrust's side this is a bug in request building (or a value the validator should have
 * refused); on the lab server's side, a malformed request. Each problem names the element path and, for
 * fields that can hold secrets, never the value.
 *
 * <p>Not for: faults a cluster returns (see {@link AxlFault}).
 */
public final class AxlSchemaViolation extends ClusterException {
  private static final long serialVersionUID = 1L;

  private final String operation;
  private final List<String> problems;

  public AxlSchemaViolation(String operation, List<String> problems) {
    super("AXL request " + operation + " was not sent: it does not match uctrust's AXL schema: "
        + String.join("; ", problems));
    this.operation = operation;
    this.problems = List.copyOf(problems);
  }

  public String operation() {
    return operation;
  }

  /** One line per problem: the element path and what is wrong. */
  public List<String> problems() {
    return problems;
  }
}
