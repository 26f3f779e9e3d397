package io.uctrust.target.cucm.services;

import io.uctrust.target.cucm.TlsIdentity;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.uctrust.target.cucm.axl.SoapEnvelopeReader;
import io.uctrust.target.cucm.axl.XmlElement;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * An HTTPS server on 127.0.0.1 that checks what a node's ControlCenterServices would check (POST to
 * {@code /controlcenterservice2/services/ControlCenterServices}, Basic auth, a {@code SOAPAction} of the
 * quoted operation name, the content type, every body element qualified by
 * {@code http://schemas.cisco.com/ast/soap}) and answers with replies the test writes. Anything a real node
 * would reject is recorded in {@link #problems()}, which every test expects to stay empty.
 */
final class FakeControlCenter implements AutoCloseable {
  static final String SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/";
  static final String CCS_NS = "http://schemas.cisco.com/ast/soap";
  static final String PATH = "/controlcenterservice2/services/ControlCenterServices";

  /** One request as the server saw it. */
  record Exchange(String soapAction, String authorization, String contentType, XmlElement body, String rawBody) {
    String operation() {
      return body.name();
    }
  }

  /** What the server answers: status, content type and body text. */
  record Reply(int status, String contentType, String body) {
    static Reply ok(String xml) {
      return new Reply(200, "text/xml; charset=utf-8", xml);
    }

    static Reply fault(String xml) {
      return new Reply(500, "text/xml; charset=utf-8", xml);
    }

    static Reply status(int status) {
      return new Reply(status, "text/html", "<html><body>HTTP " + status + "</body></html>");
    }
  }

  /** Answers one checked request. */
  @FunctionalInterface
  interface Responder {
    Reply answer(Exchange exchange) throws Exception;
  }

  private final String expectedAuthorization;
  private final Responder responder;
  private final HttpsServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
  private final List<String> problems = new CopyOnWriteArrayList<>();

  FakeControlCenter(TlsIdentity identity, String user, String password, Responder responder) throws IOException {
    this.expectedAuthorization = "Basic " + Base64.getEncoder()
        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    this.responder = responder;
    this.server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(identity.serverContext()));
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  URI endpoint() {
    return URI.create("https://127.0.0.1:" + server.getAddress().getPort() + PATH);
  }

  List<Exchange> exchanges() {
    return List.copyOf(exchanges);
  }

  List<String> problems() {
    return List.copyOf(problems);
  }

  private void handle(HttpExchange http) throws IOException {
    try (http) {
      byte[] raw = http.getRequestBody().readAllBytes();
      if (!expectedAuthorization.equals(http.getRequestHeaders().getFirst("Authorization"))) {
        http.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"Cisco Serviceability\"");
        send(http, Reply.status(401));
        return;
      }
      check("POST".equals(http.getRequestMethod()), "method " + http.getRequestMethod());
      check(PATH.equals(http.getRequestURI().getPath()), "path " + http.getRequestURI().getPath());
      String contentType = http.getRequestHeaders().getFirst("Content-Type");
      check("text/xml; charset=utf-8".equals(contentType), "content type " + contentType);
      checkNamespaces(raw);
      XmlElement body = SoapEnvelopeReader.read(raw).content();
      String soapAction = http.getRequestHeaders().getFirst("SOAPAction");
      check(("\"" + body.name() + "\"").equals(soapAction), "SOAPAction " + soapAction + " for " + body.name());
      Exchange exchange = new Exchange(soapAction, http.getRequestHeaders().getFirst("Authorization"), contentType, body,
          new String(raw, StandardCharsets.UTF_8));
      exchanges.add(exchange);
      send(http, responder.answer(exchange));
    } catch (Exception e) {
      problems.add("server error: " + e);
      send(http, Reply.status(500));
    }
  }

  /** A SOAP 1.1 envelope whose body element and all its descendants are in the ControlCenterServices namespace. */
  private void checkNamespaces(byte[] raw) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
    factory.setNamespaceAware(true);
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    Document document = factory.newDocumentBuilder().parse(new ByteArrayInputStream(raw));
    Element envelope = document.getDocumentElement();
    check(SOAP_NS.equals(envelope.getNamespaceURI()) && "Envelope".equals(envelope.getLocalName()),
        "not a SOAP 1.1 envelope");
    Element body = firstElement(envelope, "Body");
    Element operation = body == null ? null : firstElement(body, null);
    check(operation != null, "empty SOAP body");
    if (operation != null) {
      checkQualified(operation);
    }
  }

  private void checkQualified(Element element) {
    check(CCS_NS.equals(element.getNamespaceURI()), "element " + element.getLocalName() + " not in " + CCS_NS);
    for (Node n = element.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element child) {
        checkQualified(child);
      }
    }
  }

  private static Element firstElement(Element parent, String localName) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && (localName == null || localName.equals(e.getLocalName()))) {
        return e;
      }
    }
    return null;
  }

  private void check(boolean ok, String problem) {
    if (!ok) {
      problems.add(problem);
    }
  }

  private static void send(HttpExchange http, Reply reply) throws IOException {
    byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
    http.getResponseHeaders().set("Content-Type", reply.contentType());
    http.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = http.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  // ------------------------------------------------------------ canned answers, written by hand

  /** One {@code ServiceInfoList} item as a node sends it. */
  static String item(String name, String status, String reasonCode, String reasonText) {
    return "<item><ServiceName>" + name + "</ServiceName><ServiceStatus>" + status + "</ServiceStatus>"
        + "<ReasonCode>" + reasonCode + "</ReasonCode><ReasonCodeString>" + reasonText + "</ReasonCodeString>"
        + "<StartTime>Mon Mar  2 10:15:04 2026</StartTime><UpTime>3600</UpTime></item>";
  }

  /** A response in the shape a node sends: {@code <ns1:<op>Response><<op>Return>...<ServiceInfoList>items}. */
  static String response(String operation, String items) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
        + "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\""
        + " xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">"
        + "<soapenv:Body><ns1:" + operation + "Response soapenv:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\""
        + " xmlns:ns1=\"" + CCS_NS + "\"><" + operation + "Return><ReturnCode>0</ReturnCode><ReasonCode>-1</ReasonCode>"
        + "<ReasonString/><ServiceInfoList>" + items + "</ServiceInfoList></" + operation + "Return></ns1:" + operation
        + "Response></soapenv:Body></soapenv:Envelope>";
  }

  /** A SOAP fault in the shape Axis sends. */
  static String fault(String faultString) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
        + "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body>"
        + "<soapenv:Fault><faultcode>soapenv:Server.userException</faultcode><faultstring>" + faultString
        + "</faultstring><detail><ns1:hostname xmlns:ns1=\"http://xml.apache.org/axis/\">cucm-pub</ns1:hostname>"
        + "</detail></soapenv:Fault></soapenv:Body></soapenv:Envelope>";
  }
}
