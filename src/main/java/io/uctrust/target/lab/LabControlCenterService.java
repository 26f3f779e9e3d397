package io.uctrust.target.lab;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.uctrust.cluster.ClusterException;
import io.uctrust.cluster.Operation;
import io.uctrust.cluster.SecretResolver;
import io.uctrust.target.cucm.axl.SoapEnvelopeReader;
import io.uctrust.target.cucm.axl.SoapEnvelopeWriter;
import io.uctrust.target.cucm.axl.XmlElement;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.stream.XMLStreamException;

/**
 * ControlCenterServices ({@code /controlcenterservice2/services/ControlCenterServices}, SOAP) of the served
 * lab node named by SNI: {@code soapGetServiceStatus} (an empty request lists every service of the node),
 * {@code soapDoControlServices} (Start, Stop, Restart; a restart is recorded exactly as the in-process
 * {@link Operation.RestartService} with the reason {@value #RESTART_REASON}) and {@code soapDoServiceDeployment}
 * (Deploy, UnDeploy: the in-process {@link Operation.ActivateService}). Answers in the shapes
 * {@code ControlCenterClient} reads; a service that is not activated reports {@code Stopped} with the reason
 * {@value #NOT_ACTIVATED}.
 *
 * <p>Refused with a SOAP fault, as a node refuses: another node's name, a service the node does not have,
 * controlling a service that is not activated, and Cisco Tomcat (the API runs inside Tomcat).
 *
 * <p>Not for: services' real behaviour (they change state at once, no Starting or Stopping), or any other
 * serviceability API.
 */
final class LabControlCenterService implements HttpHandler {
  static final String NAMESPACE = "http://schemas.cisco.com/ast/soap";
  static final String RESTART_REASON = "ControlCenterServices restart";
  static final String NOT_ACTIVATED = "Service Not Activated";
  private static final String TOMCAT = "Cisco Tomcat";
  private static final String XML = "text/xml; charset=utf-8";
  private static final SecretResolver NO_SECRETS = (ref, subject) -> {
    throw new ClusterException("a ControlCenterServices request carries no secrets");
  };

  private final ServedLab lab;
  private final LabFaults faults;
  private final String password;

  LabControlCenterService(ServedLab lab, LabFaults faults, String password) {
    this.lab = lab;
    this.faults = faults;
    this.password = password;
  }

  /** A request the node refuses with a SOAP fault carrying the message. */
  private static final class Fault extends Exception {
    private static final long serialVersionUID = 1L;

    Fault(String message) {
      super(message);
    }
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] raw = LabHttp.body(exchange);
      if (!LabHttp.authorized(exchange, password)) {
        exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"Cisco Serviceability\"");
        LabHttp.send(exchange, 401, "text/html", "<html><body>HTTP 401</body></html>");
        return;
      }
      if (raw == null || !"POST".equals(exchange.getRequestMethod())) {
        LabHttp.send(exchange, raw == null ? 413 : 405, "text/html", "<html><body>refused</body></html>");
        return;
      }
      XmlElement request;
      try {
        request = SoapEnvelopeReader.read(raw).content();
      } catch (XMLStreamException e) {
        LabHttp.send(exchange, 500, XML, fault("Client", "the request is not a SOAP envelope: " + e.getMessage()));
        return;
      }
      String operation = request.name();
      Optional<LabFaults.Fault> injected = faults.take("ccs:" + operation);
      if (injected.isPresent()) {
        LabFaults.Fault f = injected.get();
        switch (f.kind()) {
          case DELAY -> LabHttp.sleep(f.delay());
          case THROTTLE -> {
            LabHttp.send(exchange, 503, "text/html", "<html><body>HTTP 503 lab fault</body></html>");
            return;
          }
          case SOAP_FAULT -> {
            LabHttp.send(exchange, 500, XML, fault("Server.userException", "lab fault"));
            return;
          }
          default -> {
            LabHttp.send(exchange, 500, "text/plain", "lab fault: internal server error");
            return;
          }
        }
      }
      String node = LabHttpsServer.node(exchange);
      try {
        List<XmlElement> items = switch (operation) {
          case "soapGetServiceStatus" -> status(node, request);
          case "soapDoControlServices" -> control(node, request);
          case "soapDoServiceDeployment" -> deployment(node, request);
          default -> throw new Fault("No such operation '" + operation + "'");
        };
        LabHttp.send(exchange, 200, XML, new String(response(operation, items), StandardCharsets.UTF_8));
      } catch (Fault e) {
        LabHttp.send(exchange, 500, XML, fault("Server.userException", e.getMessage()));
      } catch (ClusterException | RuntimeException e) {
        LabHttp.send(exchange, 500, XML, fault("Server", e.getMessage()));
      }
    }
  }

  private List<XmlElement> status(String node, XmlElement request) {
    List<String> asked = request.children("ServiceStatus").stream().map(XmlElement::text).map(String::strip)
        .filter(s -> !s.isEmpty()).toList();
    Map<String, String> services = services(node);
    List<XmlElement> items = new ArrayList<>();
    if (asked.isEmpty()) {
      services.forEach((name, state) -> items.add(item(name, state)));
    } else {
      // a service the node does not have is left out, as a node does; the client names it
      asked.forEach(a -> find(services, a).ifPresent(name -> items.add(item(name, services.get(name)))));
    }
    return items;
  }

  private List<XmlElement> control(String node, XmlElement request) throws Fault, ClusterException {
    XmlElement body = request.child("ControlServiceRequest").orElseThrow(() -> new Fault("no ControlServiceRequest"));
    checkNode(node, body);
    String type = body.childText("ControlType") == null ? "" : body.childText("ControlType").strip();
    if (!List.of("Start", "Stop", "Restart").contains(type)) {
      throw new Fault("Invalid ControlType '" + type + "': Start, Stop or Restart");
    }
    List<String> names = requested(node, body);
    Map<String, String> services = services(node);
    for (String name : names) {
      if (name.equalsIgnoreCase(TOMCAT)) {
        throw new Fault(TOMCAT + " cannot be controlled through ControlCenterServices, which runs inside it; "
            + "use the CLI: utils service " + type.toLowerCase(java.util.Locale.ROOT) + " " + TOMCAT);
      }
      if ("Not Activated".equals(services.get(name))) {
        throw new Fault(NOT_ACTIVATED + ": " + name + " on " + node + " must be activated before it can be controlled");
      }
    }
    List<XmlElement> items = new ArrayList<>();
    for (String name : names) {
      if (type.equals("Restart")) {
        lab.perform(new Operation.RestartService(node, name, RESTART_REASON), NO_SECRETS);
      } else {
        String state = type.equals("Start") ? "Started" : "Stopped";
        lab.change(s -> node(s, node).services.put(name, state));
      }
      items.add(item(name, services(node).get(name)));
    }
    return items;
  }

  private List<XmlElement> deployment(String node, XmlElement request) throws Fault, ClusterException {
    XmlElement body = request.child("DeploymentServiceRequest").orElseThrow(() -> new Fault("no DeploymentServiceRequest"));
    checkNode(node, body);
    String type = body.childText("DeployType") == null ? "" : body.childText("DeployType").strip();
    if (!type.equals("Deploy") && !type.equals("UnDeploy")) {
      throw new Fault("Invalid DeployType '" + type + "': Deploy or UnDeploy");
    }
    List<XmlElement> items = new ArrayList<>();
    for (String name : requested(node, body)) {
      lab.perform(new Operation.ActivateService(node, name, type.equals("Deploy")), NO_SECRETS);
      items.add(item(name, services(node).get(name)));
    }
    return items;
  }

  /** The services a request names, as the node spells them; a service the node does not have is a fault. */
  private List<String> requested(String node, XmlElement body) throws Fault {
    List<String> names = new ArrayList<>();
    Map<String, String> services = services(node);
    for (XmlElement item : body.child("ServiceList").map(l -> l.children("item")).orElse(List.of())) {
      String name = find(services, item.text().strip())
          .orElseThrow(() -> new Fault("Service " + item.text().strip() + " does not exist on " + node));
      names.add(name);
    }
    if (names.isEmpty()) {
      throw new Fault("the ServiceList is empty");
    }
    return names;
  }

  private static void checkNode(String node, XmlElement body) throws Fault {
    String named = body.childText("NodeName") == null ? "" : body.childText("NodeName").strip();
    if (!named.equalsIgnoreCase(node)) {
      throw new Fault("NodeName '" + named + "' is not this node (" + node + "): ControlCenterServices acts only on "
          + "the node it runs on");
    }
  }

  private Map<String, String> services(String node) {
    return lab.read(state -> new LinkedHashMap<>(node(state, node).services));
  }

  private static Optional<String> find(Map<String, String> services, String name) {
    return services.keySet().stream().filter(s -> s.equalsIgnoreCase(name)).findFirst();
  }

  private static LabState.Node node(LabState state, String name) {
    return state.nodes.stream().filter(n -> n.name.equals(name)).findFirst()
        .orElseThrow(() -> new IllegalStateException("no node " + name + " in the lab"));
  }

  /** One ServiceInfoList item; "Not Activated" is shown as a node shows it: Stopped, with the reason. */
  private static XmlElement item(String name, String labState) {
    boolean notActivated = "Not Activated".equals(labState);
    return XmlElement.of("item",
        XmlElement.leaf("ServiceName", name),
        XmlElement.leaf("ServiceStatus", notActivated ? "Stopped" : labState),
        XmlElement.leaf("ReasonCode", notActivated ? "-1068" : "-1"),
        XmlElement.leaf("ReasonCodeString", notActivated ? NOT_ACTIVATED : ""),
        XmlElement.leaf("StartTime", ""),
        XmlElement.leaf("UpTime", "-1"));
  }

  private static byte[] response(String operation, List<XmlElement> items) {
    return SoapEnvelopeWriter.write(NAMESPACE, XmlElement.of(operation + "Response",
        XmlElement.of(operation + "Return",
            XmlElement.leaf("ReturnCode", "0"),
            XmlElement.leaf("ReasonCode", "-1"),
            XmlElement.leaf("ReasonString", ""),
            XmlElement.of("ServiceInfoList", items))));
  }

  /** A SOAP 1.1 fault in the shape Axis sends. */
  private static String fault(String code, String message) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
        + "<soapenv:Envelope xmlns:soapenv=\"" + SoapEnvelopeWriter.SOAP_NS + "\"><soapenv:Body><soapenv:Fault>"
        + "<faultcode>soapenv:" + code + "</faultcode><faultstring>" + escape(message == null ? "" : message)
        + "</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>";
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replaceAll("[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F]", " ");
  }
}
