package io.uctrust.target.cucm.axl;

import static io.uctrust.target.cucm.TransportFailure.find;
import static io.uctrust.target.cucm.TransportFailure.rootMessage;
import static io.uctrust.target.cucm.TransportFailure.tlsReason;

import io.uctrust.target.cucm.BasicCredentials;
import io.uctrust.cluster.ClusterException;
import io.uctrust.target.cucm.BoundedBody;
import io.uctrust.target.cucm.BoundedExchange;
import io.uctrust.target.cucm.VerifiedHttp;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
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
 * Talks AXL (SOAP over HTTPS) to one Unified CM publisher with the JDK HTTP client: typed operations for
 * what uctrust reads and changes (SQL queries with paging, phone CAPF fields, MRA activation-code onboarding,
 * phone security profiles, Expressway-C entries, SIP OAuth ports, service and enterprise parameters).
 *
 * <p>Every request body is checked against uctrust's AXL schema before it is sent; TLS is verified
 * against the given trust bundle ({@link AxlTls#context}) with host name verification; credentials go in
 * a preemptive HTTP Basic header. Requests are paced (at most {@link AxlSettings#requestsPerSecond()} per
 * second); throttling (HTTP 503, or the fault "Maximum AXL Memory Allocation Consumed") is retried with
 * exponential backoff. Nothing else is retried: an update whose answer was lost may have been applied.
 * Messages never contain the password, authentication strings or parameter values sent. Thread-safe.
 *
 * <p>Not for: deciding what to change (the planner does that), or any cluster other than through its
 * publisher's AXL service.
 */
public final class AxlClient {
  private static final Logger LOG = LoggerFactory.getLogger(AxlClient.class);

  /** The fault text of AXL's memory-based throttle. */
  static final String MEMORY_THROTTLE = "Maximum AXL Memory Allocation Consumed";

  private static final String REDACTED = "<redacted>";

  private final AxlSettings settings;
  private final BasicCredentials credentials;
  private final AxlSchema schema;
  private final HttpClient http;
  private final Sleeper sleeper;
  private final RequestPacer pacer;
  private final String host;

  /** A client with real time. */
  public AxlClient(AxlSettings settings, BasicCredentials credentials, SSLContext tls) {
    this(settings, credentials, tls, Clock.systemUTC(), Sleeper.system());
  }

  /** A client whose pacing and backoff use {@code clock} and {@code sleeper} (tests, simulations). */
  public AxlClient(AxlSettings settings, BasicCredentials credentials, SSLContext tls, Clock clock, Sleeper sleeper) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.schema = AxlSchema.forVersion(settings.version());
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    this.pacer = new RequestPacer(settings.requestsPerSecond(), Objects.requireNonNull(clock, "clock"), sleeper);
    this.host = settings.hostAndPort();
    this.http = VerifiedHttp.client(tls, settings.connectTimeout(), "AXL", settings.serverName());
  }

  public AxlSettings settings() {
    return settings;
  }

  // ---------------------------------------------------------------- SQL

  /**
   * Runs a read-only SQL query ({@code executeSQLQuery}); one map per row, column name to text, in the
   * order AXL returned the columns. AXL refuses results that are too large: use {@link #queryPaged}.
   */
  public List<Map<String, String>> executeSqlQuery(String sql) throws ClusterException {
    XmlElement response = call("executeSQLQuery", XmlElement.of("executeSQLQuery", XmlElement.leaf("sql", sql)),
        List.of());
    List<Map<String, String>> rows = new ArrayList<>();
    for (XmlElement row : returned(response).children("row")) {
      Map<String, String> columns = new LinkedHashMap<>();
      for (XmlElement column : row.children()) {
        columns.put(column.name(), column.text());
      }
      rows.add(Collections.unmodifiableMap(columns));
    }
    return Collections.unmodifiableList(rows);
  }

  /**
   * Reads all rows of {@code selectWithoutPaging} (a {@code SELECT} without {@code ORDER BY}, {@code SKIP}
   * or {@code FIRST}) in pages of {@code pageSize} with Informix's {@code SELECT SKIP n FIRST m ... ORDER BY
   * orderBy}. {@code orderBy} must give a total order (end with a unique column such as {@code pkid} or
   * {@code name}), or rows can repeat or go missing across pages; rows changed between pages may too.
   */
  public List<Map<String, String>> queryPaged(String selectWithoutPaging, String orderBy, int pageSize)
      throws ClusterException {
    String select = selectWithoutPaging.strip();
    if (!select.regionMatches(true, 0, "select ", 0, 7)) {
      throw new IllegalArgumentException("a paged query must start with SELECT");
    }
    String rest = select.substring(7).strip();
    String lower = " " + rest.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ") + " ";
    if (lower.contains(" order by ") || lower.startsWith(" skip ") || lower.startsWith(" first ")) {
      throw new IllegalArgumentException("a paged query must not have its own ORDER BY, SKIP or FIRST");
    }
    if (orderBy == null || orderBy.isBlank()) {
      throw new IllegalArgumentException("a paged query needs an ORDER BY that gives a total order");
    }
    if (pageSize < 1) {
      throw new IllegalArgumentException("page size must be at least 1");
    }
    List<Map<String, String>> all = new ArrayList<>();
    List<Map<String, String>> previous = null;
    for (long skip = 0; ; skip += pageSize) {
      List<Map<String, String>> page = executeSqlQuery(
          "SELECT SKIP " + skip + " FIRST " + pageSize + " " + rest + " ORDER BY " + orderBy.strip());
      if (page.size() > pageSize) {
        throw new ClusterException("AXL executeSQLQuery at " + host + " returned " + page.size() + " rows for a page of "
            + pageSize + ": the cluster ignored FIRST; paging stopped");
      }
      if (!page.isEmpty() && page.equals(previous)) {
        throw new ClusterException("AXL executeSQLQuery at " + host + " returned the same page twice: the cluster "
            + "ignored SKIP; paging stopped");
      }
      all.addAll(page);
      if (page.size() < pageSize) {
        return Collections.unmodifiableList(all);
      }
      previous = page;
    }
  }

  // ---------------------------------------------------------------- phones

  /** The CAPF fields of phone {@code name} ({@code getPhone}). */
  public AxlPhone getPhone(String name) throws ClusterException {
    XmlElement response = call("getPhone", XmlElement.builder("getPhone").text("name", name).build(), List.of());
    XmlElement phone = required(response, "getPhone", "return", "phone");
    return new AxlPhone(text(phone, "name"), text(phone, "securityProfileName"), text(phone, "certificateOperation"),
        text(phone, "authenticationMode"), integer(phone, "keySize", "getPhone"), text(phone, "keyOrder"),
        integer(phone, "ecKeySize", "getPhone"), text(phone, "upgradeFinishTime"), text(phone, "certificateStatus"));
  }

  /**
   * Sets the CAPF fields of phone {@code name} ({@code updatePhone}); the phone acts on them after
   * {@link #applyPhone}. Returns the phone's uuid as AXL answers it.
   */
  public String updatePhoneCapf(String name, CapfUpdate update) throws ClusterException {
    XmlElement body = XmlElement.builder("updatePhone")
        .text("name", name)
        .optional("securityProfileName", update.securityProfileName())
        .text("certificateOperation", update.certificateOperation())
        .text("authenticationMode", update.authenticationMode())
        .optional("keySize", update.keySize())
        .optional("keyOrder", update.keyOrder())
        .optional("ecKeySize", update.ecKeySize())
        .optional("authenticationString", update.authenticationString())
        .optional("upgradeFinishTime", update.upgradeFinishTime())
        .build();
    List<String> secrets = update.authenticationString() == null ? List.of() : List.of(update.authenticationString());
    return returned(call("updatePhone", body, secrets)).text().strip();
  }

  /**
   * Sets MRA activation-code onboarding of phone {@code name} ({@code updatePhone}): Allow Activation Code
   * via MRA, the Activation Code MRA Service Domain (required when allowing) and, when not {@code null},
   * the security profile (an OAuth-enabled SIP profile). Returns the phone's uuid as AXL answers it.
   */
  public String updatePhoneMra(String name, boolean allow, String serviceDomain, String securityProfileName)
      throws ClusterException {
    if (allow && (serviceDomain == null || serviceDomain.isBlank())) {
      throw new IllegalArgumentException("allowing activation codes via MRA needs an MRA service domain");
    }
    XmlElement body = XmlElement.builder("updatePhone")
        .text("name", name)
        .optional("securityProfileName", securityProfileName)
        .text("allowActivationCodeViaMra", Boolean.toString(allow))
        .optional("mraServiceDomain", serviceDomain)
        .build();
    return returned(call("updatePhone", body, List.of())).text().strip();
  }

  /** Makes phone {@code name} download its changed configuration ({@code applyPhone}). */
  public String applyPhone(String name) throws ClusterException {
    return returned(call("applyPhone", XmlElement.builder("applyPhone").text("name", name).build(), List.of()))
        .text().strip();
  }

  // ---------------------------------------------------------------- phone security profiles

  /**
   * Every phone security profile with the fields AXL's list returns (not SIP OAuth, key order or EC key
   * size: {@link #getPhoneSecurityProfile} has those).
   */
  public List<PhoneSecurityProfile> listPhoneSecurityProfiles() throws ClusterException {
    XmlElement body = XmlElement.builder("listPhoneSecurityProfile")
        .child(XmlElement.of("searchCriteria", XmlElement.leaf("name", "%")))
        .child(XmlElement.builder("returnedTags").empty("phoneType", "protocol", "name", "description",
            "deviceSecurityMode", "authenticationMode", "keySize", "tftpEncryptedConfig", "transportType",
            "sipPhonePort", "enableDigestAuthentication", "EnableOAuthAuthentication").build())
        .build();
    List<PhoneSecurityProfile> profiles = new ArrayList<>();
    for (XmlElement profile : returned(call("listPhoneSecurityProfile", body, List.of()))
        .children("phoneSecurityProfile")) {
      profiles.add(profile(profile, "listPhoneSecurityProfile"));
    }
    return Collections.unmodifiableList(profiles);
  }

  /** One phone security profile with all the fields uctrust uses. */
  public PhoneSecurityProfile getPhoneSecurityProfile(String name) throws ClusterException {
    XmlElement response = call("getPhoneSecurityProfile",
        XmlElement.builder("getPhoneSecurityProfile").text("name", name).build(), List.of());
    return profile(required(response, "getPhoneSecurityProfile", "return", "phoneSecurityProfile"),
        "getPhoneSecurityProfile");
  }

  /** Adds {@code profile} (name, phone type and protocol required); returns its uuid. */
  public String addPhoneSecurityProfile(PhoneSecurityProfile profile) throws ClusterException {
    XmlElement.Builder fields = XmlElement.builder("phoneSecurityProfile")
        .text("phoneType", profile.phoneType())
        .text("protocol", profile.protocol())
        .text("name", profile.name())
        .optional("description", profile.description());
    XmlElement body = XmlElement.builder("addPhoneSecurityProfile").child(securitySettings(fields, profile).build()).build();
    return returned(call("addPhoneSecurityProfile", body, List.of())).text().strip();
  }

  /** Updates the settings of the profile called {@code profile.name()} (phone type and protocol cannot change). */
  public String updatePhoneSecurityProfile(PhoneSecurityProfile profile) throws ClusterException {
    XmlElement.Builder body = XmlElement.builder("updatePhoneSecurityProfile")
        .text("name", profile.name())
        .optional("description", profile.description());
    return returned(call("updatePhoneSecurityProfile", securitySettings(body, profile).build(), List.of())).text().strip();
  }

  private static XmlElement.Builder securitySettings(XmlElement.Builder builder, PhoneSecurityProfile profile) {
    return builder
        .optional("deviceSecurityMode", profile.deviceSecurityMode())
        .optional("authenticationMode", profile.authenticationMode())
        .optional("keySize", profile.keySize())
        .optional("keyOrder", profile.keyOrder())
        .optional("ecKeySize", profile.ecKeySize())
        .optional("tftpEncryptedConfig", profile.tftpEncryptedConfig())
        .optional("transportType", profile.transportType())
        .optional("sipPhonePort", profile.sipPhonePort())
        .optional("enableDigestAuthentication", profile.enableDigestAuthentication())
        .optional("EnableOAuthAuthentication", profile.enableOAuthAuthentication());
  }

  private PhoneSecurityProfile profile(XmlElement p, String operation) throws ClusterException {
    return new PhoneSecurityProfile(text(p, "name"), text(p, "description"), text(p, "phoneType"), text(p, "protocol"),
        text(p, "deviceSecurityMode"), text(p, "transportType"), bool(p, "EnableOAuthAuthentication"),
        bool(p, "tftpEncryptedConfig"), bool(p, "enableDigestAuthentication"), text(p, "authenticationMode"),
        integer(p, "keySize", operation), text(p, "keyOrder"), integer(p, "ecKeySize", operation),
        integer(p, "sipPhonePort", operation));
  }

  // ---------------------------------------------------------------- Expressway-C

  /** Every Expressway-C entry (12.5+). */
  public List<ExpresswayC> listExpresswayC() throws ClusterException {
    XmlElement body = XmlElement.builder("listExpresswayCConfiguration")
        .child(XmlElement.of("searchCriteria", XmlElement.leaf("HostNameOrIP", "%")))
        .child(XmlElement.builder("returnedTags")
            .empty("HostNameOrIP", "description", "X509SubjectNameorSubjectAlternateName").build())
        .build();
    List<ExpresswayC> entries = new ArrayList<>();
    for (XmlElement e : returned(call("listExpresswayCConfiguration", body, List.of()))
        .children("expresswayCConfiguration")) {
      entries.add(new ExpresswayC(text(e, "HostNameOrIP"), text(e, "description"),
          text(e, "X509SubjectNameorSubjectAlternateName")));
    }
    return Collections.unmodifiableList(entries);
  }

  public String addExpresswayC(ExpresswayC entry) throws ClusterException {
    XmlElement body = XmlElement.of("addExpresswayCConfiguration", expressway("expresswayCConfiguration", entry));
    return returned(call("addExpresswayCConfiguration", body, List.of())).text().strip();
  }

  /** Updates the entry whose host name or IP is {@code entry.hostNameOrIp()}. */
  public String updateExpresswayC(ExpresswayC entry) throws ClusterException {
    return returned(call("updateExpresswayCConfiguration", expressway("updateExpresswayCConfiguration", entry),
        List.of())).text().strip();
  }

  private static XmlElement expressway(String element, ExpresswayC entry) {
    return XmlElement.builder(element)
        .text("HostNameOrIP", entry.hostNameOrIp())
        .optional("description", entry.description())
        .optional("X509SubjectNameorSubjectAlternateName", entry.x509SubjectNameOrSubjectAlternateName())
        .build();
  }

  // ---------------------------------------------------------------- CallManager (SIP OAuth ports)

  /**
   * Every Unified CM node with its SIP OAuth ports: one list request for the names, then one
   * {@code getCallManager} per node (AXL's list does not return ports).
   */
  public List<CallManagerPorts> listCallManagers() throws ClusterException {
    XmlElement body = XmlElement.builder("listCallManager")
        .child(XmlElement.of("searchCriteria", XmlElement.leaf("name", "%")))
        .child(XmlElement.builder("returnedTags").empty("name").build())
        .build();
    List<CallManagerPorts> nodes = new ArrayList<>();
    for (XmlElement node : returned(call("listCallManager", body, List.of())).children("callManager")) {
      String name = text(node, "name");
      if (name == null) {
        throw unexpected("listCallManager", "a callManager without a name");
      }
      XmlElement full = required(call("getCallManager", XmlElement.builder("getCallManager").text("name", name).build(),
          List.of()), "getCallManager", "return", "callManager");
      XmlElement sip = full.find("ports", "sipPorts").orElse(XmlElement.of("sipPorts"));
      nodes.add(new CallManagerPorts(name, integer(sip, "sipOAuthPort", "getCallManager"),
          integer(sip, "sipOAuthMRAPort", "getCallManager")));
    }
    return Collections.unmodifiableList(nodes);
  }

  /** Sets the SIP OAuth ports (phone, MRA; 1024-49151) of node {@code name}. */
  public String updateCallManagerPorts(String name, int sipOAuthPort, int sipOAuthMraPort) throws ClusterException {
    XmlElement body = XmlElement.builder("updateCallManager")
        .text("name", name)
        .child(XmlElement.of("ports", XmlElement.of("sipPorts",
            XmlElement.leaf("sipOAuthPort", Integer.toString(sipOAuthPort)),
            XmlElement.leaf("sipOAuthMRAPort", Integer.toString(sipOAuthMraPort)))))
        .build();
    return returned(call("updateCallManager", body, List.of())).text().strip();
  }

  // ---------------------------------------------------------------- service parameters

  public ServiceParameter getServiceParameter(ServiceParameterKey key) throws ClusterException {
    XmlElement response = call("getServiceParameter", keyed(XmlElement.builder("getServiceParameter"), key).build(),
        List.of());
    XmlElement parameter = required(response, "getServiceParameter", "return", "serviceParameter");
    return new ServiceParameter(key, parameter.childText("value"));
  }

  /** Sets a service or enterprise parameter; {@code value} is treated as a secret (never shown). */
  public String updateServiceParameter(ServiceParameterKey key, String value) throws ClusterException {
    XmlElement body = keyed(XmlElement.builder("updateServiceParameter"), key).text("value", value).build();
    return returned(call("updateServiceParameter", body, List.of(value))).text().strip();
  }

  /** Every parameter of {@code service} on {@code processNodeName}. */
  public List<ServiceParameter> listServiceParameters(String processNodeName, String service) throws ClusterException {
    XmlElement body = XmlElement.builder("listServiceParameter")
        .child(XmlElement.of("searchCriteria", XmlElement.leaf("processNodeName", processNodeName),
            XmlElement.leaf("service", service)))
        .child(XmlElement.builder("returnedTags").empty("processNodeName", "name", "service", "value").build())
        .build();
    List<ServiceParameter> parameters = new ArrayList<>();
    for (XmlElement p : returned(call("listServiceParameter", body, List.of())).children("serviceParameter")) {
      String name = text(p, "name");
      if (name == null) {
        throw unexpected("listServiceParameter", "a serviceParameter without a name");
      }
      String node = text(p, "processNodeName");
      String svc = text(p, "service");
      parameters.add(new ServiceParameter(new ServiceParameterKey(node == null ? processNodeName : node,
          svc == null ? service : svc, name), p.childText("value")));
    }
    return Collections.unmodifiableList(parameters);
  }

  private static XmlElement.Builder keyed(XmlElement.Builder builder, ServiceParameterKey key) {
    return builder.text("processNodeName", key.processNodeName()).text("name", key.name()).text("service", key.service());
  }

  // ---------------------------------------------------------------- the exchange

  /**
   * Sends {@code body} as {@code operation} and returns the response element
   * ({@code <operation>Response}). {@code secrets} are values in the body that must not appear in any
   * message (they are scrubbed from faults).
   */
  XmlElement call(String operation, XmlElement body, List<String> secrets) throws ClusterException {
    if (!operation.equals(body.name())) {
      throw new IllegalArgumentException("body " + body.name() + " sent as " + operation);
    }
    schema.validate(body);
    byte[] envelope = SoapEnvelopeWriter.write(settings.version(), body);
    Duration backoff = settings.initialBackoff();
    for (int attempt = 1; ; attempt++) {
      pace(operation);
      long started = System.nanoTime();
      HttpResponse<byte[]> response = send(operation, envelope);
      int status = response.statusCode();
      LOG.debug("AXL {} at {}: HTTP {} in {} ms (attempt {})", operation, host, status,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), attempt);
      String throttled;
      if (status == 200 || status == 500) {
        SoapReply reply = parse(operation, status, response.body(), secrets);
        if (!reply.isFault()) {
          if (status != 200) {
            throw new ClusterException("AXL " + operation + " at " + host + " answered HTTP 500 without a SOAP fault");
          }
          if (!reply.content().name().equals(operation + "Response")) {
            throw unexpected(operation, "a " + reply.content().name() + " element instead of " + operation + "Response");
          }
          return reply.content();
        }
        SoapFault fault = scrub(reply.fault(), secrets);
        if (!(fault.faultString() + " " + fault.axlMessage()).contains(MEMORY_THROTTLE)) {
          throw new AxlFault(operation, host, fault);
        }
        throttled = "\"" + MEMORY_THROTTLE + "\"";
      } else if (status == 503) {
        throttled = "HTTP 503";
      } else {
        throw statusFailure(operation, status);
      }
      if (attempt >= settings.maxAttempts()) {
        throw new ClusterException("AXL at " + host + " is throttling requests (" + throttled + "): gave up " + operation
            + " after " + attempt + " attempts. Try again later, or lower the AXL requests per second");
      }
      LOG.debug("AXL {} at {} throttled ({}); retrying in {}", operation, host, throttled, backoff);
      backOff(backoff, operation);
      Duration doubled = backoff.multipliedBy(2);
      backoff = doubled.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : doubled;
    }
  }

  private HttpResponse<byte[]> send(String operation, byte[] envelope) throws ClusterException {
    HttpRequest request = HttpRequest.newBuilder(settings.endpoint())
        .timeout(settings.requestTimeout())
        .header("Content-Type", "text/xml; charset=utf-8")
        .header("SOAPAction", settings.version().soapAction(operation))
        .header("Authorization", credentials.basicAuthorization())
        .POST(HttpRequest.BodyPublishers.ofByteArray(envelope))
        .build();
    return BoundedExchange.send(http, request, settings.maxResponseBytes(), settings.requestTimeout(),
        "AXL " + operation + " at " + host, noAnswer(operation), cause -> transportFailure(operation, cause));
  }

  private SoapReply parse(String operation, int status, byte[] body, List<String> secrets) throws ClusterException {
    try {
      return SoapEnvelopeReader.read(body);
    } catch (XMLStreamException e) {
      throw new ClusterException("AXL " + operation + " at " + host + " answered HTTP " + status
          + " with a body that is not a SOAP envelope (" + scrub(String.valueOf(e.getMessage()), secrets) + ")");
    }
  }

  private ClusterException statusFailure(String operation, int status) {
    return switch (status) {
      case 401 -> new ClusterException("AXL authentication failed for user " + credentials.username() + " at " + host
          + " (HTTP 401): check the user's password, and that the account is not locked");
      case 403 -> new ClusterException("AXL refused user " + credentials.username() + " at " + host
          + " (HTTP 403): the application user needs the Standard AXL API Access role");
      case 404 -> new ClusterException("AXL " + operation + " at " + host + " answered HTTP 404: no AXL service at "
          + settings.endpoint() + " (is the Cisco AXL Web Service activated on the publisher?)");
      default -> new ClusterException("AXL " + operation + " at " + host + " answered HTTP " + status);
    };
  }

  private ClusterException transportFailure(String operation, Throwable cause) {
    SSLException tls = find(cause, SSLException.class);
    if (find(cause, BoundedBody.TooLarge.class) != null) {
      return new ClusterException("AXL " + operation + " at " + host + " sent a response larger than "
          + settings.maxResponseBytes() + " bytes; refused (page SQL queries to keep responses small)", cause);
    }
    if (cause instanceof HttpConnectTimeoutException) {
      return new ClusterException("cannot connect to AXL at " + host + " for " + operation + ": no connection within "
          + seconds(settings.connectTimeout()), cause);
    }
    if (cause instanceof HttpTimeoutException) {
      return new ClusterException(noAnswer(operation), cause);
    }
    if (tls != null) {
      return new ClusterException("TLS verification of AXL at " + host + " failed for " + operation + ": "
          + tlsReason(cause, settings.endpoint().getHost(), "the AXL trust bundle") + ". Put the publisher's tomcat certificate (or the CA that signed it) in the AXL trust "
          + "bundle and connect by a name the certificate carries; uctrust never skips verification", cause);
    }
    if (find(cause, ConnectException.class) != null) {
      return new ClusterException("cannot connect to AXL at " + host + " for " + operation
          + ": connection refused or host unreachable", cause);
    }
    return new ClusterException("AXL " + operation + " at " + host + " failed: " + rootMessage(cause), cause);
  }

  private String noAnswer(String operation) {
    return "AXL " + operation + " at " + host + " did not answer within " + seconds(settings.requestTimeout());
  }

  private void pace(String operation) throws ClusterException {
    try {
      pacer.awaitTurn();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClusterException("interrupted while pacing AXL " + operation + " at " + host, e);
    }
  }

  private void backOff(Duration duration, String operation) throws ClusterException {
    try {
      sleeper.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClusterException("interrupted while waiting to retry AXL " + operation + " at " + host, e);
    }
  }

  // ---------------------------------------------------------------- reading responses

  private static XmlElement returned(XmlElement response) {
    return response.child("return").orElse(XmlElement.of("return"));
  }

  private XmlElement required(XmlElement response, String operation, String... path) throws ClusterException {
    return response.find(path).orElseThrow(() -> unexpected(operation, "no " + String.join("/", path)));
  }

  private ClusterException unexpected(String operation, String what) {
    return new ClusterException("AXL " + operation + " at " + host + " answered with an unexpected response: " + what);
  }

  private static String text(XmlElement parent, String child) {
    String text = parent.childText(child);
    return text == null || text.isBlank() ? null : text.strip();
  }

  private Integer integer(XmlElement parent, String child, String operation) throws ClusterException {
    String text = text(parent, child);
    if (text == null) {
      return null;
    }
    try {
      return Integer.valueOf(text);
    } catch (NumberFormatException e) {
      throw unexpected(operation, child + " is not a number");
    }
  }

  private static Boolean bool(XmlElement parent, String child) {
    String text = text(parent, child);
    if (text == null) {
      return null;
    }
    return text.equalsIgnoreCase("true") || text.equalsIgnoreCase("t") || text.equals("1");
  }

  // ---------------------------------------------------------------- secrets and messages

  private static SoapFault scrub(SoapFault fault, List<String> secrets) {
    return new SoapFault(scrub(fault.faultCode(), secrets), scrub(fault.faultString(), secrets), fault.axlCode(),
        scrub(fault.axlMessage(), secrets));
  }

  private static String scrub(String text, List<String> secrets) {
    String scrubbed = text;
    for (String secret : secrets) {
      if (secret != null && !secret.isEmpty()) {
        scrubbed = scrubbed.replace(secret, REDACTED);
      }
    }
    return scrubbed;
  }

  private static String seconds(Duration duration) {
    long millis = duration.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
  }
}
