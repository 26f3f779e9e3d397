package io.uctrust.target.lab;

import static io.uctrust.target.lab.LabAxlLists.criterion;
import static io.uctrust.target.lab.LabAxlLists.like;

import io.uctrust.cluster.ClusterException;
import io.uctrust.cluster.Operation;
import io.uctrust.cluster.SecretResolver;
import io.uctrust.desired.SecretRef;
import io.uctrust.target.cucm.axl.ServiceParameterKey;
import io.uctrust.target.cucm.axl.ServiceParameterNames;
import io.uctrust.target.cucm.axl.XmlElement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Service and enterprise parameters of the lab's AXL service ({@code getServiceParameter}, {@code
 * updateServiceParameter}, {@code listServiceParameter}). The wire carries AXL's internal parameter names;
 * the lab keeps display names, translated with the client's default {@link ServiceParameterNames} table
 * both ways. Enterprise parameters live on {@value ServiceParameterKey#ENTERPRISE_NODE}, CAPF parameters on
 * the Unified CM publisher. The Online CA Password is write-only: it reads back empty.
 *
 * <p>Not for: parameters outside that table (answered as AXL answers an unknown parameter), or showing
 * any value in a fault.
 */
final class LabAxlParameters {
  private static final String ITEM = "Service Parameter";
  /** Marks the password the request carried; the resolver hands over the request's value. */
  private static final SecretRef FROM_REQUEST = new SecretRef(SecretRef.Source.LITERAL, "");

  private final ServedLab lab;
  private final ServiceParameterNames names = ServiceParameterNames.defaults();

  LabAxlParameters(ServedLab lab) {
    this.lab = lab;
  }

  /** A parameter the lab knows: its display name and AXL key. */
  private record Known(String displayName, ServiceParameterKey key) {}

  XmlElement getServiceParameter(XmlElement body) throws LabAxlFault {
    ServiceParameterKey asked = key(body);
    Optional<XmlElement> found = lab.read(state -> known(state, asked).map(k -> element(state, k, null)));
    return XmlElement.of("return", found.orElseThrow(() -> LabAxlFault.notFound(ITEM)));
  }

  /** What a set password parameter reads as (its value never leaves the lab). */
  static final String MASK = "********";

  XmlElement updateServiceParameter(XmlElement body) throws ClusterException {
    ServiceParameterKey asked = key(body);
    String value = body.childText("value");
    SecretResolver fromRequest = (ref, subject) -> value;
    lab.performFrom(state -> {
      Known parameter = known(state, asked).orElseThrow(() -> LabAxlFault.notFound(ITEM));
      if (isEnterprise(parameter.key())) {
        return new Operation.SetEnterpriseParameter(parameter.displayName(), value);
      }
      return names.isSecret(parameter.displayName())
          ? new Operation.SetServiceParameter(parameter.key().processNodeName(), parameter.key().service(),
              parameter.displayName(), null, FROM_REQUEST)
          : new Operation.SetServiceParameter(parameter.key().processNodeName(), parameter.key().service(),
              parameter.displayName(), value, null);
    }, fromRequest);
    return LabAxlLists.returnUuid("serviceparameter", asked.toString());
  }

  XmlElement listServiceParameter(XmlElement body) {
    String nodePattern = criterion(body, "processNodeName");
    String servicePattern = criterion(body, "service");
    List<XmlElement> found = lab.read(state -> {
      List<XmlElement> parameters = new ArrayList<>();
      for (Known parameter : all(state)) {
        if (like(nodePattern, parameter.key().processNodeName()) && like(servicePattern, parameter.key().service())) {
          parameters.add(element(state, parameter, body));
        }
      }
      return parameters;
    });
    return XmlElement.of("return", found);
  }

  private static ServiceParameterKey key(XmlElement body) {
    return new ServiceParameterKey(body.childText("processNodeName"), body.childText("service"), body.childText("name"));
  }

  /** Every parameter the lab answers, keyed for this lab's publisher. */
  private List<Known> all(LabState state) {
    String publisher = state.nodes.stream().filter(n -> "cucm-publisher".equals(n.role)).map(n -> n.name).findFirst()
        .orElse("");
    List<Known> known = new ArrayList<>();
    for (String display : names.displayNames()) {
      known.add(new Known(display, names.key(display, publisher)));
    }
    return known;
  }

  /** The parameter {@code asked} names: node and service exactly, the internal name exactly. */
  private Optional<Known> known(LabState state, ServiceParameterKey asked) {
    return all(state).stream().filter(k -> k.key().processNodeName().equalsIgnoreCase(asked.processNodeName())
        && k.key().service().equals(asked.service()) && k.key().name().equals(asked.name())).findFirst();
  }

  private XmlElement element(LabState state, Known parameter, XmlElement listRequest) {
    String value;
    if (isEnterprise(parameter.key())) {
      value = state.enterprise.getOrDefault(parameter.displayName(), "");
    } else {
      // write-only, as the administration pages show it: masked when set, never read back
      value = !names.isSecret(parameter.displayName()) ? state.capf.getOrDefault(parameter.displayName(), "")
          : state.onlineCaPassword == null ? "" : MASK;
    }
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("processNodeName", parameter.key().processNodeName());
    fields.put("name", parameter.key().name());
    fields.put("service", parameter.key().service());
    fields.put("value", value);
    return LabAxlLists.returned(listRequest == null ? XmlElement.of("get") : listRequest, "serviceParameter", fields);
  }

  private static boolean isEnterprise(ServiceParameterKey key) {
    return ServiceParameterKey.ENTERPRISE_SERVICE.equals(key.service());
  }
}
