package io.uctrust.target.lab;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.uctrust.cluster.ClusterException;
import io.uctrust.cluster.SecretResolver;
import io.uctrust.desired.ClusterSpec;
import io.uctrust.target.cucm.axl.AxlSchema;
import io.uctrust.target.cucm.axl.AxlSchemaViolation;
import io.uctrust.target.cucm.axl.AxlVersion;
import io.uctrust.target.cucm.axl.SoapEnvelopeWriter;
import io.uctrust.target.cucm.axl.XmlElement;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AXL service of {@code uctrust lab serve}: answers AXL requests at {@code /axl/} over a
 * {@link ServedLab} as a Unified CM publisher would, for every operation {@code AxlClient} sends.
 *
 * <p>Each request is checked as AXL checks it, in this order: POST only (405), HTTP Basic with any
 * non-empty user and the lab's password (401 with {@code WWW-Authenticate: Basic realm="Cisco AXL"}), a
 * SOAP 1.1 envelope whose body element is in {@code http://www.cisco.com/AXL/API/<version>} with
 * unqualified children, a supported version, the {@code SOAPAction} {@code "CUCM:DB ver=<version>
 * <operation>"} naming the same version and operation, and the body against uctrust's AXL schema. Refusals
 * are SOAP faults (HTTP 500, {@code soapenv:Client}, {@code axlError} detail). Then the {@link LabFaults}
 * for {@code axl:<operation>} are applied, and the operation runs against the lab under its lock.
 *
 * <p>Thread-safe (all state goes through the ServedLab). Nothing logged or faulted shows a password,
 * authentication string or parameter value. Not for: a production AXL endpoint, or serving anything
 * but the lab (mount it at {@code /axl/} on an HTTPS server; the server, its TLS and its executor are the
 * caller's).
 */
public final class LabAxlService implements HttpHandler {
  private static final Logger LOG = LoggerFactory.getLogger(LabAxlService.class);

  /** The lab's requests carry no secret references; an operation that needs one is a lab bug. */
  static final SecretResolver NO_SECRETS = (ref, subject) -> {
    throw new ClusterException("the lab's AXL service has no secret for " + ref);
  };

  /** The fault text of AXL's memory-based throttle; the client retries on it. */
  static final String MEMORY_THROTTLE = "Maximum AXL Memory Allocation Consumed. Please retry once CUCM memory "
      + "allocation recovers (Hint: This may be due to an inefficient request or excessive AXL requests)";

  /** Larger requests are refused before parsing (AXL's own limit is lower for most operations). */
  static final int MAX_REQUEST_BYTES = 4 * 1024 * 1024;

  private static final Pattern NAMESPACE = Pattern.compile("http://www\\.cisco\\.com/AXL/API/([0-9]{1,2}\\.[0-9])");
  private static final Pattern SOAP_ACTION = Pattern.compile("\"?CUCM:DB ver=(\\S+) (\\S+?)\"?");
  private static final String XML = "text/xml; charset=utf-8";

  private final ServedLab lab;
  private final LabFaults faults;
  private final byte[] password;
  private final LabAxlPhones phones;
  private final LabAxlConfig config;
  private final LabAxlParameters parameters;

  /** Answers over {@code lab}, injecting {@code faults}; requests must authenticate with {@code password}. */
  public LabAxlService(ServedLab lab, LabFaults faults, String password) {
    this.lab = Objects.requireNonNull(lab, "lab");
    this.faults = Objects.requireNonNull(faults, "faults");
    if (password == null || password.isEmpty()) {
      throw new IllegalArgumentException("the lab's AXL service needs a password");
    }
    this.password = password.getBytes(StandardCharsets.UTF_8);
    this.phones = new LabAxlPhones(lab);
    this.config = new LabAxlConfig(lab);
    this.parameters = new LabAxlParameters(lab);
  }

  /** An answer to one request. */
  private record Answer(int status, String contentType, byte[] body) {
    static Answer ok(byte[] envelope) {
      return new Answer(200, XML, envelope);
    }

    static Answer fault(byte[] envelope) {
      return new Answer(500, XML, envelope);
    }
  }

  @Override
  public void handle(HttpExchange http) throws IOException {
    try (http) {
      String path = http.getRequestURI().getPath();
      if (!"/axl/".equals(path) && !"/axl".equals(path)) {
        send(http, new Answer(404, "text/plain; charset=utf-8", bytes("no AXL service at " + path)));
        return;
      }
      if (!authorized(http.getRequestHeaders().getFirst("Authorization"))) {
        http.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"Cisco AXL\"");
        send(http, new Answer(401, "text/html; charset=utf-8", bytes("<html><body>HTTP 401 Unauthorized</body></html>")));
        return;
      }
      if (!"POST".equals(http.getRequestMethod())) {
        http.getResponseHeaders().set("Allow", "POST");
        send(http, new Answer(405, "text/plain; charset=utf-8", bytes("AXL requests are POSTed")));
        return;
      }
      Optional<byte[]> raw = read(http.getRequestBody());
      if (raw.isEmpty()) {
        send(http, new Answer(413, "text/plain; charset=utf-8", bytes("request larger than " + MAX_REQUEST_BYTES + " bytes")));
        return;
      }
      Answer answer = answer(http.getRequestHeaders().getFirst("SOAPAction"), raw.get());
      if (answer != null) {
        send(http, answer);
      }
      // a null answer is an injected disconnect: closing the exchange unanswered drops the connection
    } catch (RuntimeException e) {
      LOG.warn("lab AXL service failed on a request: {}", e.getClass().getName());
      send(http, new Answer(500, "text/plain; charset=utf-8", bytes("lab AXL service error")));
    }
  }

  private Answer answer(String soapAction, byte[] raw) {
    LabAxlRequest request;
    try {
      request = LabAxlRequest.parse(raw);
    } catch (LabAxlFault fault) {
      return Answer.fault(fault.envelope(null));
    }
    String operation = request.body().name();
    try {
      AxlVersion version = check(request, soapAction);
      try {
        AxlSchema.forVersion(version).validate(request.body());
      } catch (AxlSchemaViolation e) {
        // AxlSchema never shows the values of fields that may hold secrets
        throw LabAxlFault.invalid("the request does not match the AXL schema: " + String.join("; ", e.problems()));
      }
      Optional<LabFaults.Fault> injected = faults.take("axl:" + operation);
      if (injected.isPresent()) {
        Answer faulted = inject(injected.get(), operation);
        if (faulted != null || injected.get().kind() == LabFaults.Kind.DISCONNECT) {
          return faulted;
        }
      }
      XmlElement returned = dispatch(operation, request.body());
      LOG.debug("lab AXL {}: answered", operation);
      return Answer.ok(SoapEnvelopeWriter.write(version, XmlElement.of(operation + "Response", returned)));
    } catch (LabAxlFault fault) {
      LOG.debug("lab AXL {}: fault {}", operation, fault.axlCode());
      return Answer.fault(fault.envelope(operation));
    } catch (ClusterException e) {
      // the in-process lab refused the operation; its messages name items, never secret values
      LOG.debug("lab AXL {}: refused by the lab", operation);
      return Answer.fault(LabAxlFault.invalid(e.getMessage()).envelope(operation));
    }
  }

  /** The version the request is written for, after checking namespace and SOAPAction agree on it. */
  private static AxlVersion check(LabAxlRequest request, String soapAction) throws LabAxlFault {
    String operation = request.body().name();
    Matcher namespace = NAMESPACE.matcher(request.namespace());
    if (!namespace.matches()) {
      throw LabAxlFault.invalid("the request element " + operation + " is not in an AXL namespace "
          + "(http://www.cisco.com/AXL/API/<version>)");
    }
    AxlVersion version = AxlVersion.of(namespace.group(1));
    if (!ClusterSpec.SUPPORTED_AXL_VERSIONS.contains(version.value())) {
      throw LabAxlFault.invalid("AXL version " + version + " is not supported; this cluster answers "
          + String.join(", ", ClusterSpec.SUPPORTED_AXL_VERSIONS));
    }
    if (request.qualifiedChildren()) {
      throw LabAxlFault.invalid("the children of " + operation + " must be unqualified (no namespace)");
    }
    Matcher action = soapAction == null ? null : SOAP_ACTION.matcher(soapAction.strip());
    if (action == null || !action.matches() || !action.group(1).equals(version.value())
        || !action.group(2).equals(operation)) {
      throw LabAxlFault.invalid("the SOAPAction header must be " + version.soapAction(operation) + " for this request");
    }
    return version;
  }

  /** The answer an injected fault gives instead of the normal one; {@code null} to answer normally (after a delay). */
  private static Answer inject(LabFaults.Fault fault, String operation) {
    LOG.debug("lab AXL {}: injecting {}", operation, fault.kind());
    return switch (fault.kind()) {
      case THROTTLE -> Answer.fault(LabAxlFault.envelope("soapenv:Server", MEMORY_THROTTLE, null, null, operation));
      case SERVER_ERROR -> new Answer(500, "text/plain; charset=utf-8", bytes("lab fault: internal server error"));
      case SOAP_FAULT -> Answer.fault(new LabAxlFault(LabAxlFault.ITEM_NOT_VALID, "lab fault").envelope(operation));
      case DELAY -> {
        sleep(fault);
        yield null;
      }
      case DISCONNECT -> null;
    };
  }

  private XmlElement dispatch(String operation, XmlElement body) throws ClusterException {
    return switch (operation) {
      case "executeSQLQuery" -> phones.executeSqlQuery(body);
      case "getPhone" -> phones.getPhone(body);
      case "updatePhone" -> phones.updatePhone(body);
      case "applyPhone" -> phones.applyPhone(body);
      case "listPhoneSecurityProfile" -> config.listPhoneSecurityProfile(body);
      case "getPhoneSecurityProfile" -> config.getPhoneSecurityProfile(body);
      case "addPhoneSecurityProfile" -> config.addPhoneSecurityProfile(body);
      case "updatePhoneSecurityProfile" -> config.updatePhoneSecurityProfile(body);
      case "listExpresswayCConfiguration" -> config.listExpresswayCConfiguration(body);
      case "addExpresswayCConfiguration" -> config.addExpresswayCConfiguration(body);
      case "updateExpresswayCConfiguration" -> config.updateExpresswayCConfiguration(body);
      case "listCallManager" -> config.listCallManager(body);
      case "getCallManager" -> config.getCallManager(body);
      case "updateCallManager" -> config.updateCallManager(body);
      case "getServiceParameter" -> parameters.getServiceParameter(body);
      case "updateServiceParameter" -> parameters.updateServiceParameter(body);
      case "listServiceParameter" -> parameters.listServiceParameter(body);
      // the schema declares no other operation, so this is a lab bug rather than a client's
      default -> throw new LabAxlFault("5002", "Unknown request: " + operation);
    };
  }

  private boolean authorized(String header) {
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return false;
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return false;
    }
    int colon = decoded.indexOf(':');
    if (colon <= 0) {
      return false;
    }
    // constant time, so the lab does not teach timing attacks that a real cluster would not allow
    return MessageDigest.isEqual(password, decoded.substring(colon + 1).getBytes(StandardCharsets.UTF_8));
  }

  private static Optional<byte[]> read(InputStream in) throws IOException {
    byte[] bytes = in.readNBytes(MAX_REQUEST_BYTES + 1);
    return bytes.length > MAX_REQUEST_BYTES ? Optional.empty() : Optional.of(bytes);
  }

  private static void sleep(LabFaults.Fault fault) {
    try {
      Thread.sleep(fault.delay().toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void send(HttpExchange http, Answer answer) throws IOException {
    http.getResponseHeaders().set("Content-Type", answer.contentType());
    http.sendResponseHeaders(answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
    if (answer.body().length > 0) {
      try (OutputStream out = http.getResponseBody()) {
        out.write(answer.body());
      }
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
