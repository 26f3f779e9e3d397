package io.uctrust.target.cucm.axl;

import io.uctrust.target.cucm.TlsIdentity;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
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
import java.util.concurrent.atomic.AtomicInteger;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * An HTTPS server on 127.0.0.1 that checks what real AXL would check (POST to /axl/, Basic auth, the
 * SOAPAction header, content type, the versioned namespace on the body element and none on its children,
 * the body against uctrust's AXL schema) and answers with replies the test writes. Anything a real cluster
 * would reject is recorded in {@link #problems()}, which every test expects to stay empty.
 */
final class FakeAxlServer implements AutoCloseable {
  static final String SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/";

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

  /** Answers one checked request; may block (to simulate a server that never answers). */
  @FunctionalInterface
  interface Responder {
    Reply answer(Exchange exchange) throws Exception;
  }

  private final AxlVersion version;
  private final String expectedAuthorization;
  private final Responder responder;
  private final HttpsServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
  private final List<String> problems = new CopyOnWriteArrayList<>();
  private final AtomicInteger abandoned = new AtomicInteger();

  FakeAxlServer(AxlVersion version, TlsIdentity identity, String user, String password, Responder responder)
      throws IOException {
    this.version = version;
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
    return URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/axl/");
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
        http.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"Cisco AXL\"");
        send(http, Reply.status(401));
        return;
      }
      check("POST".equals(http.getRequestMethod()), "method " + http.getRequestMethod());
      check("/axl/".equals(http.getRequestURI().getPath()), "path " + http.getRequestURI().getPath());
      String contentType = http.getRequestHeaders().getFirst("Content-Type");
      check("text/xml; charset=utf-8".equals(contentType), "content type " + contentType);
      checkNamespaces(raw);
      XmlElement body = SoapEnvelopeReader.read(raw).content();
      String soapAction = http.getRequestHeaders().getFirst("SOAPAction");
      check(version.soapAction(body.name()).equals(soapAction), "SOAPAction " + soapAction + " for " + body.name());
      try {
        AxlSchema.forVersion(version).validate(body);
      } catch (AxlSchemaViolation e) {
        problems.add("a request that breaks the schema reached the server: " + e.getMessage());
      }
      Exchange exchange = new Exchange(soapAction, http.getRequestHeaders().getFirst("Authorization"), contentType, body,
          new String(raw, StandardCharsets.UTF_8));
      exchanges.add(exchange);
      FakeAxlServer.Reply reply = responder.answer(exchange);
      try {
        send(http, reply);
      } catch (IOException e) {
        abandoned.incrementAndGet(); // the client gave up waiting (a timeout test): nothing to answer
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the test is over and the server is stopping: no answer
    } catch (Exception e) {
      problems.add("server error: " + e);
      send(http, Reply.status(500));
    }
  }

  private void checkNamespaces(byte[] raw) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
    factory.setNamespaceAware(true);
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    Document document = factory.newDocumentBuilder().parse(new ByteArrayInputStream(raw));
    Element envelope = document.getDocumentElement();
    check(SOAP_NS.equals(envelope.getNamespaceURI()) && "Envelope".equals(envelope.getLocalName()), "not a SOAP 1.1 envelope");
    Element body = firstElement(envelope, "Body");
    Element operation = body == null ? null : firstElement(body, null);
    check(operation != null && version.namespace().equals(operation.getNamespaceURI()),
        "body element not in " + version.namespace());
    if (operation != null) {
      checkUnqualified(operation);
    }
  }

  private void checkUnqualified(Element parent) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element child) {
        check(child.getNamespaceURI() == null, "child " + child.getLocalName() + " is qualified");
        checkUnqualified(child);
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

  // ------------------------------------------------------------ canned AXL responses, written by hand

  /** A response envelope in the shape AXL sends: {@code <ns:<operation>Response xmlns:ns=...>inner</...>}. */
  static String response(AxlVersion version, String operation, String inner) {
    return "<?xml version='1.0' encoding='UTF-8'?>"
        + "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\">"
        + "<soapenv:Body><ns:" + operation + "Response xmlns:ns=\"" + version.namespace() + "\">" + inner
        + "</ns:" + operation + "Response></soapenv:Body></soapenv:Envelope>";
  }

  /** A fault in the shape AXL sends. */
  static String fault(String faultString, String axlCode, String axlMessage, String operation) {
    return "<?xml version='1.0' encoding='UTF-8'?>"
        + "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body>"
        + "<soapenv:Fault><faultcode>soapenv:Client</faultcode><faultstring>" + faultString + "</faultstring>"
        + "<detail><axlError><axlcode>" + axlCode + "</axlcode><axlmessage>" + axlMessage + "</axlmessage>"
        + "<request>" + operation + "</request></axlError></detail></soapenv:Fault>"
        + "</soapenv:Body></soapenv:Envelope>";
  }
}
