package io.uctrust.target.cucm.axl;

import java.util.Objects;

/**
 * What identifies a service parameter in AXL: the node it is set for ({@code processNodeName}; the
 * publisher for CAPF, {@value #ENTERPRISE_NODE} for enterprise parameters), the service's display name, and
 * the parameter's internal name (see {@link ServiceParameterNames}, not the name the GUI shows).
 *
 * <p>Not for: parameter values.
 */
public record ServiceParameterKey(String processNodeName, String service, String name) {
  public static final String ENTERPRISE_NODE = "EnterpriseWideData";
  public static final String ENTERPRISE_SERVICE = "Enterprise Wide";

  public ServiceParameterKey {
    Objects.requireNonNull(processNodeName, "processNodeName");
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(name, "name");
  }

  /** An enterprise parameter. */
  public static ServiceParameterKey enterprise(String internalName) {
    return new ServiceParameterKey(ENTERPRISE_NODE, ENTERPRISE_SERVICE, internalName);
  }

  @Override
  public String toString() {
    return service + "/" + name + "@" + processNodeName;
  }
}
