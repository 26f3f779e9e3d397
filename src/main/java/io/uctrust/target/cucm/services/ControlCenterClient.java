package io.uctrust.target.cucm.services;

import static io.uctrust.target.cucm.TransportFailure.find;
import static io.uctrust.target.cucm.TransportFailure.rootMessage;
import static io.uctrust.target.cucm.TransportFailure.tlsReason;

import io.uctrust.target.cucm.BasicCredentials;
import io.uctrust.cluster.ClusterException;
import io.uctrust.target.cucm.BoundedBody;
import io.uctrust.target.cucm.BoundedExchange;
import io.uctrust.target.cucm.VerifiedHttp;
import io.uctrust.target.cucm.axl.Sleeper;
import io.uctrust.target.cucm.axl.SoapEnvelopeReader;
import io.uctrust.target.cucm.axl.SoapFault;
import io.uctrust.target.cucm.axl.SoapReply;
import io.uctrust.target.cucm.axl.XmlElement;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.xml.stream.XMLStreamException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Talks to ControlCenterServices (SOAP over HTTPS) on one Unified CM or IM and Presence node with the JDK
 * HTTP client: reads the state of services ({@code soapGetServiceStatus}) and starts, stops or restarts
 * them ({@code soapDoControlServices}), then polls their state until every one has reached
 * {@code Started} (or {@code Stopped}) or {@link ControlCenterSettings#settleTimeout()} has passed.
 *
 * <p>ControlCenterServices acts only on the node it runs on: build one client per node, and pass that
 * node's name (as the cluster knows it) to {@link #restart}, {@link #start} and {@link #stop}.
 * {@code Cisco Tomcat} is refused before anything is sent: the API runs inside Tomcat, so the admin CLI
 * must do it ({@code utils service restart Cisco Tomcat}); see {@link #controllable}.
 *
 * <p>TLS is verified against the given context (build it with
 * {@link io.uctrust.target.cucm.axl.AxlTls#context} from the node's tomcat certificate or its CA) with host
 * name verification; credentials go in a preemptive HTTP Basic header. Throttling (HTTP 503, or the
 * serviceability fault "Exceeded allowed rate") is retried with exponential backoff; nothing else is
 * retried. Waits (backoff, polling) go through the given {@link Sleeper} and {@link Clock}. Messages never
 * contain the password. Thread-safe.
 *
 * <p>{@link #activate} (service activation) is modelled on the ControlCenterServicesEx API and has not been
 * checked against a real node.
 *
 * <p>Not for: deciding which services need a restart (the planner does that, from the restarts the
 * guides require), or services the API cannot control (Cisco Tomcat: use the admin CLI adapter).
 */
public final class ControlCenterClient {
  private static final Logger LOG = LoggerFactory.getLogger(ControlCenterClient.class);

  /** The service ControlCenterServices runs inside, and so cannot control. */
  public static final String CISCO_TOMCAT = "Cisco Tomcat";

  /** The fault text of the serviceability APIs' rate limit. */
  static final String RATE_LIMIT = "Exceeded allowed rate";

  private static final String STATUS = "soapGetServiceStatus";
  private static final String CONTROL = "soapDoControlServices";
  private static final String DEPLOYMENT = "soapDoServiceDeployment";

  private final ControlCenterSettings settings;
  private final BasicCredentials credentials;
  private final HttpClient http;
  private final Clock clock;
  private final Sleeper sleeper;
  private final String host;

  /** A client with real time. */
  public ControlCenterClient(ControlCenterSettings settings, BasicCredentials credentials, SSLContext tls) {
    this(settings, credentials, tls, Clock.systemUTC(), Sleeper.system());
  }

  /** A client whose polling and backoff use {@code clock} and {@code sleeper} (tests, simulations). */
  public ControlCenterClient(ControlCenterSettings settings, BasicCredentials credentials, SSLContext tls,
      Clock clock, Sleeper sleeper) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    this.host = settings.hostAndPort();
    this.http = VerifiedHttp.client(tls, settings.connectTimeout(), "ControlCenterServices",
        settings.serverName());
  }

  public ControlCenterSettings settings() {
    return settings;
  }

  /**
   * Whether ControlCenterServices can start, stop or restart {@code service}: every service but
   * {@value #CISCO_TOMCAT} (case and surrounding blanks ignored), which needs the admin CLI.
   */
  public static boolean controllable(String service) {
    return service != null && !service.strip().equalsIgnoreCase(CISCO_TOMCAT);
  }

  // ---------------------------------------------------------------- status

  /**
   * The state of {@code services} on this node, in the order asked; an empty list asks for every service
   * the node has, in the node's order. A service the node does not report (a misspelt name, or a service
   * of another product) is an error naming it.
   */
  public List<ServiceStatus> status(List<String> services) throws ClusterException {
    List<String> names = serviceNames(services, false);
    XmlElement.Builder body = XmlElement.builder(STATUS);
    if (names.isEmpty()) {
      body.text("ServiceStatus", "");
    }
    names.forEach(name -> body.text("ServiceStatus", name));
    XmlElement returned = returned(call(STATUS, body.build()), STATUS);
    List<ServiceStatus> reported = reported(returned, STATUS);
    return names.isEmpty() ? reported : inOrderAsked(names, reported, returned);
  }

  // ---------------------------------------------------------------- control

  /**
   * Restarts {@code services} on {@code node} (the node this client talks to, by the name the cluster
   * knows it by) and waits until every one is {@code Started}; returns their last states.
   */
  public List<ServiceStatus> restart(String node, List<String> services) throws ClusterException {
    return control(ControlType.RESTART, node, services);
  }

  /** Starts {@code services} on {@code node} and waits until every one is {@code Started}. */
  public List<ServiceStatus> start(String node, List<String> services) throws ClusterException {
    return control(ControlType.START, node, services);
  }

  /** Stops {@code services} on {@code node} and waits until every one is {@code Stopped}. */
  public List<ServiceStatus> stop(String node, List<String> services) throws ClusterException {
    return control(ControlType.STOP, node, services);
  }

  /**
   * Activates ({@code deploy}) or deactivates {@code services} on {@code node} ({@code soapDoServiceDeployment}
   * with a {@code DeploymentServiceRequest{NodeName, DeployType Deploy|UnDeploy, ServiceList{item*}}});
   * returns the states the node reports in its answer (a deactivated service reports {@code Stopped} with
   * the reason {@code Service Not Activated}). Does not wait for the services to settle.
   *
   * <p><b>Unverified:</b> the request is based on Cisco's ControlCenterServicesEx API (which serves it at
   * {@code /controlcenterservice2/services/ControlCenterServicesEx}); uctrust sends it to the endpoint of
   * these settings and has not checked it against a real node. Where a node refuses it, activate the
   * service in Cisco Unified Serviceability (Tools > Service Activation).
   */
  public List<ServiceStatus> activate(String node, List<String> services, boolean deploy) throws ClusterException {
    Objects.requireNonNull(node, "node");
    if (node.isBlank()) {
      throw new IllegalArgumentException("a node name is needed to " + (deploy ? "activate" : "deactivate") + " services");
    }
    List<String> names = serviceNames(services, true);
    List<XmlElement> items = names.stream().map(name -> XmlElement.leaf("item", name)).toList();
    XmlElement body = XmlElement.of(DEPLOYMENT, XmlElement.of("DeploymentServiceRequest",
        XmlElement.leaf("NodeName", node.strip()),
        XmlElement.leaf("DeployType", deploy ? "Deploy" : "UnDeploy"),
        XmlElement.of("ServiceList", items)));
    return reported(returned(call(DEPLOYMENT, body), DEPLOYMENT), DEPLOYMENT);
  }

  private List<ServiceStatus> control(ControlType type, String node, List<String> services) throws ClusterException {
    Objects.requireNonNull(node, "node");
    if (node.isBlank()) {
      throw new IllegalArgumentException("a node name is needed to " + type.cliVerb() + " services");
    }
    String nodeName = node.strip();
    List<String> names = serviceNames(services, true);
    for (String name : names) {
      if (!controllable(name)) {
        throw new ClusterException(CISCO_TOMCAT + " cannot be " + type.participle() + " through "
            + "ControlCenterServices on " + nodeName + ": the API runs inside Cisco Tomcat, so the request would take "
            + "down the service answering it. Use the admin CLI of " + nodeName + ": utils service " + type.cliVerb()
            + " " + CISCO_TOMCAT + " (nothing was sent)");
      }
    }
    List<XmlElement> items = names.stream().map(name -> XmlElement.leaf("item", name)).toList();
    XmlElement body = XmlElement.of(CONTROL, XmlElement.of("ControlServiceRequest",
        XmlElement.leaf("NodeName", nodeName),
        XmlElement.leaf("ControlType", type.wireName()),
        XmlElement.of("ServiceList", items)));
    List<ServiceStatus> accepted = reported(returned(call(CONTROL, body), CONTROL), CONTROL);
    LOG.debug("{} of {} on {} accepted: {}", type.wireName(), names, nodeName,
        accepted.stream().map(ServiceStatus::describe).toList());
    return awaitState(type, nodeName, names);
  }

  /** Polls until every service is in the state {@code type} leads to, or the settle timeout has passed. */
  private List<ServiceStatus> awaitState(ControlType type, String node, List<String> names) throws ClusterException {
    Instant deadline = clock.instant().plus(settings.settleTimeout());
    while (true) {
      List<ServiceStatus> current = status(names);
      List<ServiceStatus> pending = current.stream().filter(s -> s.state() != type.target()).toList();
      if (pending.isEmpty()) {
        return current;
      }
      Instant now = clock.instant();
      if (!now.isBefore(deadline)) {
        throw notSettled(type, node, pending);
      }
      Duration remaining = Duration.between(now, deadline);
      Duration wait = remaining.compareTo(settings.pollInterval()) < 0 ? remaining : settings.pollInterval();
      LOG.debug("{} on {}: waiting {} for {}", type.wireName(), node, wait,
          pending.stream().map(ServiceStatus::describe).toList());
      pause(wait, "waiting for services on " + node + " to reach " + type.target());
    }
  }

  private ClusterException notSettled(ControlType type, String node, List<ServiceStatus> pending) {
    StringBuilder message = new StringBuilder(type.wireName()).append(" of ")
        .append(pending.size() == 1 ? pending.get(0).name() : pending.size() + " services").append(" on ").append(node)
        .append(" did not finish within ").append(seconds(settings.settleTimeout())).append(": ");
    for (int i = 0; i < pending.size(); i++) {
      message.append(i == 0 ? "" : "; ").append(pending.get(i).describe()).append(", not ").append(type.target());
    }
    return new ClusterException(message.append(". Check the service in Cisco Unified Serviceability (Tools > ")
        .append("Control Center) on ").append(node).append(", and whether it is activated").toString());
  }

  private static List<String> serviceNames(List<String> services, boolean required) {
    Objects.requireNonNull(services, "services");
    Map<String, String> unique = new LinkedHashMap<>();
    for (String service : services) {
      if (service == null || service.isBlank()) {
        throw new IllegalArgumentException("a service name must be non-blank");
      }
      unique.putIfAbsent(service.strip().toLowerCase(Locale.ROOT), service.strip());
    }
    if (required && unique.isEmpty()) {
      throw new IllegalArgumentException("name at least one service to start, stop, restart or (de)activate");
    }
    return List.copyOf(unique.values());
  }

  // ---------------------------------------------------------------- reading answers

  private XmlElement returned(XmlElement response, String operation) throws ClusterException {
    return response.child(operation + "Return")
        .orElseThrow(() -> unexpected(operation, "no " + operation + "Return"));
  }

  private List<ServiceStatus> reported(XmlElement returned, String operation) throws ClusterException {
    List<ServiceStatus> statuses = new ArrayList<>();
    for (XmlElement item : returned.child("ServiceInfoList").map(list -> list.children("item")).orElse(List.of())) {
      String name = item.childText("ServiceName");
      if (name == null || name.isBlank()) {
        throw unexpected(operation, "a ServiceInfoList item without a ServiceName");
      }
      statuses.add(new ServiceStatus(name.strip(), ServiceState.of(item.childText("ServiceStatus")),
          item.childText("ReasonCodeString")));
    }
    return Collections.unmodifiableList(statuses);
  }

  private List<ServiceStatus> inOrderAsked(List<String> names, List<ServiceStatus> reported, XmlElement returned)
      throws ClusterException {
    List<ServiceStatus> ordered = new ArrayList<>();
    for (String name : names) {
      ServiceStatus found = reported.stream().filter(s -> s.name().equalsIgnoreCase(name)).findFirst().orElse(null);
      if (found == null) {
        String reason = returned.childText("ReasonString");
        throw new ClusterException("ControlCenterServices at " + host + " did not report service '" + name + "'"
            + (reason == null || reason.isBlank() ? "" : " (" + reason.strip() + ")")
            + ": check the exact service name in Cisco Unified Serviceability (Tools > Control Center) on that node");
      }
      ordered.add(found);
    }
    return Collections.unmodifiableList(ordered);
  }

  private ClusterException unexpected(String operation, String what) {
    return new ClusterException("ControlCenterServices " + operation + " at " + host
        + " answered with an unexpected response: " + what);
  }

  // ---------------------------------------------------------------- the exchange

  /** Sends {@code body} as {@code operation}; returns the response element ({@code <operation>Response}). */
  XmlElement call(String operation, XmlElement body) throws ClusterException {
    if (!operation.equals(body.name())) {
      throw new IllegalArgumentException("body " + body.name() + " sent as " + operation);
    }
    byte[] envelope = ControlCenterEnvelope.write(body);
    Duration backoff = settings.initialBackoff();
    for (int attempt = 1; ; attempt++) {
      long started = System.nanoTime();
      HttpResponse<byte[]> response = send(operation, envelope);
      int status = response.statusCode();
      LOG.debug("ControlCenterServices {} at {}: HTTP {} in {} ms (attempt {})", operation, host, status,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), attempt);
      String throttled;
      if (status == 200 || status == 500) {
        SoapReply reply = parse(operation, status, response.body());
        if (!reply.isFault()) {
          if (status != 200) {
            throw new ClusterException("ControlCenterServices " + operation + " at " + host
                + " answered HTTP 500 without a SOAP fault");
          }
          if (!reply.content().name().equals(operation + "Response")) {
            throw unexpected(operation, "a " + reply.content().name() + " element instead of " + operation + "Response");
          }
          return reply.content();
        }
        SoapFault fault = reply.fault();
        if (!fault.text().contains(RATE_LIMIT)) {
          throw new ClusterException("ControlCenterServices " + operation + " at " + host + " failed: "
              + (fault.text().isEmpty() ? "a SOAP fault without a message" : fault.text())
              + (fault.faultCode().isEmpty() ? "" : " (fault code " + fault.faultCode() + ")"));
        }
        throttled = "\"" + RATE_LIMIT + "\"";
      } else if (status == 503) {
        throttled = "HTTP 503";
      } else {
        throw statusFailure(operation, status);
      }
      if (attempt >= settings.maxAttempts()) {
        throw new ClusterException("ControlCenterServices at " + host + " is throttling requests (" + throttled
            + "): gave up " + operation + " after " + attempt + " attempts. Try again later");
      }
      LOG.debug("ControlCenterServices {} at {} throttled ({}); retrying in {}", operation, host, throttled, backoff);
      pause(backoff, "waiting to retry ControlCenterServices " + operation + " at " + host);
      Duration doubled = backoff.multipliedBy(2);
      backoff = doubled.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : doubled;
    }
  }

  private HttpResponse<byte[]> send(String operation, byte[] envelope) throws ClusterException {
    HttpRequest request = HttpRequest.newBuilder(settings.endpoint())
        .timeout(settings.requestTimeout())
        .header("Content-Type", "text/xml; charset=utf-8")
        .header("SOAPAction", "\"" + operation + "\"")
        .header("Authorization", credentials.basicAuthorization())
        .POST(HttpRequest.BodyPublishers.ofByteArray(envelope))
        .build();
    return BoundedExchange.send(http, request, settings.maxResponseBytes(), settings.requestTimeout(),
        "ControlCenterServices " + operation + " at " + host, noAnswer(operation), cause -> transportFailure(operation, cause));
  }

  private SoapReply parse(String operation, int status, byte[] body) throws ClusterException {
    try {
      return SoapEnvelopeReader.read(body);
    } catch (XMLStreamException e) {
      throw new ClusterException("ControlCenterServices " + operation + " at " + host + " answered HTTP " + status
          + " with a body that is not a SOAP envelope (" + e.getMessage() + ")");
    }
  }

  private ClusterException statusFailure(String operation, int status) {
    return switch (status) {
      case 401 -> new ClusterException("ControlCenterServices authentication failed for user " + credentials.username()
          + " at " + host + " (HTTP 401): check the user's password, and that the account is not locked");
      case 403 -> new ClusterException("ControlCenterServices refused user " + credentials.username() + " at " + host
          + " (HTTP 403): the user needs the platform administrator or a role allowed to control services");
      case 404 -> new ClusterException("ControlCenterServices " + operation + " at " + host + " answered HTTP 404: no "
          + "ControlCenterServices at " + settings.endpoint() + " (is this a Unified CM or IM and Presence node?)");
      default -> new ClusterException("ControlCenterServices " + operation + " at " + host + " answered HTTP " + status);
    };
  }

  private ClusterException transportFailure(String operation, Throwable cause) {
    if (find(cause, BoundedBody.TooLarge.class) != null) {
      return new ClusterException("ControlCenterServices " + operation + " at " + host + " sent a response larger than "
          + settings.maxResponseBytes() + " bytes; refused", cause);
    }
    if (cause instanceof HttpConnectTimeoutException) {
      return new ClusterException("cannot connect to ControlCenterServices at " + host + " for " + operation
          + ": no connection within " + seconds(settings.connectTimeout()), cause);
    }
    if (cause instanceof HttpTimeoutException) {
      return new ClusterException(noAnswer(operation), cause);
    }
    if (find(cause, SSLException.class) != null) {
      return new ClusterException("TLS verification of ControlCenterServices at " + host + " failed for " + operation
          + ": " + tlsReason(cause, settings.verifiedName(), "the trust bundle") + ". Trust the node's tomcat certificate (or the CA that signed it) and connect by "
          + "a name the certificate carries; uctrust never skips verification", cause);
    }
    if (find(cause, ConnectException.class) != null) {
      return new ClusterException("cannot connect to ControlCenterServices at " + host + " for " + operation
          + ": connection refused or host unreachable", cause);
    }
    return new ClusterException("ControlCenterServices " + operation + " at " + host + " failed: " + rootMessage(cause),
        cause);
  }

  private String noAnswer(String operation) {
    return "ControlCenterServices " + operation + " at " + host + " did not answer within "
        + seconds(settings.requestTimeout());
  }

  private void pause(Duration duration, String what) throws ClusterException {
    try {
      sleeper.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClusterException("interrupted while " + what, e);
    }
  }

  private static String seconds(Duration duration) {
    long millis = duration.toMillis();
    if (millis % 60_000 == 0 && millis >= 120_000) {
      return millis / 60_000 + " min";
    }
    return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
  }
}
