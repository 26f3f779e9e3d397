package io.uctrust.target.cucm.platform;

import io.uctrust.target.cucm.TlsIdentity;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.uctrust.pki.KeyPairs;
import io.uctrust.pki.Pem;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Unified CM node's platform certificate API on 127.0.0.1 over HTTPS, with state: identities per
 * service, trust stores, and the key pair of the latest CSR per service. It answers in the shapes public
 * tools observe on real nodes and enforces what a real node enforces: HTTP Basic (realm CMPlatform), JSON
 * bodies with the reference's field names, an identity only for the key of the latest CSR, and only once
 * its signing chain is in the service's trust store (else HTTP 400). Anything a real node would reject or
 * a client should not send is recorded in {@link #problems()}, which every test expects to stay empty.
 */
final class FakePlatformNode implements AutoCloseable {
  static final String BASE = "/platformcom/api/v1/certmgr/config/";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** One request as the node saw it (after authentication). */
  record Exchange(String method, String resource, Map<String, String> query, String authorization, String accept,
      String contentType, JsonNode body, String rawBody) {}

  /** What the node answers. */
  record Reply(int status, String contentType, String body, Map<String, String> headers) {
    static Reply json(int status, String json) {
      return new Reply(status, "application/json", json, Map.of());
    }

    static Reply message(int status, String message) {
      return json(status, JSON.createObjectNode().put("message", message).toString());
    }

    /** The HTML error page Tomcat sends for statuses the application does not answer itself. */
    static Reply tomcatPage(int status) {
      return new Reply(status, "text/html;charset=utf-8", "<!doctype html><html lang=\"en\"><head><title>HTTP Status "
          + status + "</title><style>body {font-family:Tahoma}</style></head><body><h1>HTTP Status " + status
          + "</h1></body></html>", Map.of());
    }

    Reply withHeader(String name, String value) {
      Map<String, String> all = new LinkedHashMap<>(headers);
      all.put(name, value);
      return new Reply(status, contentType, body, Map.copyOf(all));
    }
  }

  /** Answers instead of the node; null lets the node answer. May block (a node that never answers). */
  @FunctionalInterface
  interface Interceptor {
    Reply answer(Exchange exchange) throws Exception;
  }

  private record TrustEntry(String name, String pem, String description) {}

  private final String expectedAuthorization;
  private final HttpsServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
  private final List<String> problems = new CopyOnWriteArrayList<>();
  private final ConcurrentLinkedDeque<Reply> queued = new ConcurrentLinkedDeque<>();
  private final AtomicInteger abandoned = new AtomicInteger();
  private final Map<String, String> identities = new LinkedHashMap<>();
  private final Map<String, List<TrustEntry>> trusts = new LinkedHashMap<>();
  private final Map<String, KeyPair> pendingKeys = new LinkedHashMap<>();
  private final String serverName;
  private volatile Interceptor interceptor;
  private volatile boolean apiPresent = true;

  FakePlatformNode(TlsIdentity tls, String serverName, String user, String password) throws IOException {
    this.serverName = serverName;
    this.expectedAuthorization = "Basic " + Base64.getEncoder()
        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    this.server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls.serverContext()));
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  URI base() {
    return URI.create("https://127.0.0.1:" + server.getAddress().getPort() + BASE);
  }

  int port() {
    return server.getAddress().getPort();
  }

  List<Exchange> exchanges() {
    return List.copyOf(exchanges);
  }

  List<String> problems() {
    return List.copyOf(problems);
  }

  /** The next requests get these answers, in order, before the node answers normally again. */
  void queue(Reply... replies) {
    queued.addAll(Arrays.asList(replies));
  }

  void intercept(Interceptor interceptor) {
    this.interceptor = interceptor;
  }

  /** A release before 14: no platform certificate API, every path is Tomcat's 404. */
  void withoutApi() {
    apiPresent = false;
  }

  synchronized void installIdentity(String service, String pem) {
    identities.put(service, pem);
  }

  synchronized void trust(String service, String name, String pem, String description) {
    trusts.computeIfAbsent(service, s -> new ArrayList<>()).add(new TrustEntry(name, pem, description));
  }

  synchronized String identityPem(String service) {
    return identities.get(service);
  }

  synchronized List<String> trustedPems(String service) {
    return trusts.getOrDefault(service, List.of()).stream().map(TrustEntry::pem).toList();
  }

  synchronized List<String> trustedNames(String service) {
    return trusts.getOrDefault(service, List.of()).stream().map(TrustEntry::name).toList();
  }

  // ------------------------------------------------------------------ handling

  private void handle(HttpExchange http) throws IOException {
    try (http) {
      byte[] raw = http.getRequestBody().readAllBytes();
      String path = http.getRequestURI().getRawPath();
      if (!apiPresent || !path.startsWith(BASE)) {
        send(http, Reply.tomcatPage(404));
        return;
      }
      if (!expectedAuthorization.equals(http.getRequestHeaders().getFirst("Authorization"))) {
        send(http, Reply.tomcatPage(401).withHeader("WWW-Authenticate", "Basic realm=\"CMPlatform\""));
        return;
      }
      Exchange exchange = exchange(http, path.substring(BASE.length()), raw);
      exchanges.add(exchange);
      Reply reply = queued.poll();
      Interceptor current = interceptor;
      if (reply == null && current != null) {
        reply = current.answer(exchange);
      }
      if (reply == null) {
        reply = route(exchange);
      }
      try {
        send(http, reply);
      } catch (IOException e) {
        abandoned.incrementAndGet(); // the client gave up waiting (a timeout test): there is no one to answer
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the test is over and the node is stopping: no answer
    } catch (Exception e) {
      problems.add("node error: " + e);
      send(http, Reply.message(500, "internal error"));
    }
  }

  private Exchange exchange(HttpExchange http, String resource, byte[] raw) {
    String method = http.getRequestMethod();
    String accept = http.getRequestHeaders().getFirst("Accept");
    String contentType = http.getRequestHeaders().getFirst("Content-Type");
    check(accept != null && accept.contains("application/json"), "Accept " + accept);
    String text = new String(raw, StandardCharsets.UTF_8);
    JsonNode body = null;
    if (method.equals("POST")) {
      check("application/json".equals(contentType), "content type " + contentType + " on POST " + resource);
      try {
        body = JSON.readTree(raw);
      } catch (JacksonException e) {
        problems.add("POST " + resource + " body is not JSON: " + e.getOriginalMessage());
      }
    } else {
      check(raw.length == 0, method + " " + resource + " with a body");
    }
    return new Exchange(method, resource, query(http.getRequestURI().getRawQuery()), http.getRequestHeaders()
        .getFirst("Authorization"), accept, contentType, body, text);
  }

  private synchronized Reply route(Exchange x) throws Exception {
    String route = x.method() + " " + x.resource();
    return switch (route) {
      case "GET snapshot/server" -> Reply.json(200, snapshot().toString());
      case "GET identity/certificate" -> readIdentity(x.query().get("service"));
      case "GET trust/certificate" -> readTrust(x.query().get("service"));
      case "POST csr" -> csr(x.body());
      case "POST trust/certificates" -> uploadTrust(x.body());
      case "POST identity/certificates" -> uploadIdentity(x.body());
      case "DELETE trust/certificate" -> deleteTrust(x.query().get("service"), x.query().get("certificateName"));
      default -> x.resource().equals("snapshot/server") || x.resource().endsWith("certificate")
          || x.resource().endsWith("certificates") || x.resource().equals("csr")
          ? Reply.tomcatPage(405) : Reply.tomcatPage(404);
    };
  }

  private ObjectNode snapshot() {
    ObjectNode root = JSON.createObjectNode()
        .put("trackingId", "CCM-" + Long.toHexString(System.nanoTime()))
        .put("server", serverName);
    ArrayNode ids = root.putArray("identities");
    identities.forEach((service, pem) -> ids.addObject()
        .put("service", service).put("certificate", pem).put("csr", pendingKeys.containsKey(service) ? "pending" : "")
        .put("keyType", "RSA"));
    ArrayNode stores = root.putArray("trusts");
    trusts.forEach((service, entries) -> {
      ObjectNode store = stores.addObject().put("service", service + "-trust");
      ArrayNode data = store.putArray("certificate_data");
      entries.forEach(e -> data.addObject().put("filename", e.name()).put("certificate", e.pem())
          .put("description", e.description()).put("serialNumber", "00"));
    });
    root.putArray("revokedCertificates");
    return root;
  }

  private Reply readIdentity(String service) {
    String pem = service == null ? null : identities.get(service);
    if (pem == null) {
      return Reply.message(404, "No identity certificate found for service " + service);
    }
    return Reply.json(200, JSON.createObjectNode().put("service", service).put("certificate", pem)
        .put("expiration", "2027-01-01").toString());
  }

  private Reply readTrust(String service) {
    if (service == null || !identities.containsKey(service)) {
      return Reply.message(404, "Invalid service " + service);
    }
    ArrayNode list = JSON.createArrayNode();
    trusts.getOrDefault(service, List.of()).forEach(e -> list.addObject().put("filename", e.name())
        .put("certificate", e.pem()).put("description", e.description()));
    return Reply.json(200, list.toString());
  }

  private Reply csr(JsonNode body) throws Exception {
    for (String field : List.of("service", "distribution", "commonName", "keyType", "hashAlgorithm")) {
      if (body == null || !body.path(field).isString()) {
        return Reply.message(400, "missing " + field);
      }
    }
    check(body.path("keyLength").isInt(), "keyLength is not a number");
    check(body.path("altNames").isArray(), "altNames is not an array");
    String service = body.get("service").stringValue();
    if (!identities.containsKey(service)) {
      return Reply.message(400, "Invalid service " + service);
    }
    boolean ec = body.get("keyType").stringValue().equalsIgnoreCase("ec");
    KeyPair keys = ec ? KeyPairs.ec(body.path("keyLength").asInt()) : KeyPairs.rsa(body.path("keyLength").asInt());
    var builder = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + body.get("commonName").stringValue()
        + ",O=uctrust test"), keys.getPublic());
    List<GeneralName> names = new ArrayList<>();
    body.path("altNames").values().forEach(n -> names.add(new GeneralName(GeneralName.dNSName, n.stringValue())));
    if (!names.isEmpty()) {
      ExtensionsGenerator extensions = new ExtensionsGenerator();
      extensions.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
      builder.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate());
    }
    String pem = Pem.encode(builder.build(new JcaContentSignerBuilder(ec ? "SHA256withECDSA" : "SHA256withRSA")
        .build(keys.getPrivate())));
    pendingKeys.put(service, keys);
    return Reply.json(200, JSON.createObjectNode().put("csr", pem).toString());
  }

  private Reply uploadTrust(JsonNode body) throws Exception {
    if (body == null || !body.path("service").isArray() || !body.path("certificates").isArray()) {
      return Reply.message(400, "service must be a list of services and certificates a list of PEM certificates");
    }
    check(body.path("description").isString(), "trust upload without a description");
    for (JsonNode service : body.get("service").values()) {
      for (JsonNode pem : body.get("certificates").values()) {
        X509Certificate certificate = parse(pem.stringValue());
        List<TrustEntry> store = trusts.computeIfAbsent(service.stringValue(), s -> new ArrayList<>());
        if (store.stream().noneMatch(e -> e.pem().equals(pem.stringValue()))) {
          String cn = certificate.getSubjectX500Principal().getName().replaceAll("^CN=([^,]*).*$", "$1");
          store.add(new TrustEntry(cn.replace(' ', '_') + ".pem", pem.stringValue(),
              body.path("description").asString("")));
        }
      }
    }
    return Reply.message(200, "Successfully uploaded the certificates");
  }

  private Reply uploadIdentity(JsonNode body) throws Exception {
    if (body == null || !body.path("service").isString() || !body.path("certificates").isArray()) {
      return Reply.message(400, "service must be a service name and certificates a list of PEM certificates");
    }
    String service = body.get("service").stringValue();
    List<String> pems = body.get("certificates").values().stream().map(JsonNode::stringValue).toList();
    X509Certificate leaf = parse(pems.get(0));
    KeyPair pending = pendingKeys.get(service);
    if (pending == null || !pending.getPublic().equals(leaf.getPublicKey())) {
      return Reply.message(400, "The certificate does not match the latest CSR of " + service);
    }
    for (String ca : pems.subList(1, pems.size())) {
      if (trusts.getOrDefault(service, List.of()).stream().noneMatch(e -> e.pem().equals(ca))) {
        return Reply.message(400, "Failed to upload the certificate: the CA certificate "
            + parse(ca).getSubjectX500Principal().getName() + " is not in " + service + "-trust");
      }
    }
    identities.put(service, pems.get(0));
    pendingKeys.remove(service);
    return Reply.message(200, "Successfully uploaded the certificate; restart the service to use it");
  }

  private Reply deleteTrust(String service, String name) {
    List<TrustEntry> store = service == null ? null : trusts.get(service);
    if (store == null || name == null || !store.removeIf(e -> e.name().equals(name))) {
      return Reply.message(404, "Certificate " + name + " not found in " + service + "-trust");
    }
    return Reply.message(200, "Deleted");
  }

  private static X509Certificate parse(String pem) throws Exception {
    return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> query = new LinkedHashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        query.put(name, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return query;
  }

  private void check(boolean ok, String problem) {
    if (!ok) {
      problems.add(problem);
    }
  }

  private static void send(HttpExchange http, Reply reply) throws IOException {
    byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
    http.getResponseHeaders().set("Content-Type", reply.contentType());
    reply.headers().forEach((name, value) -> http.getResponseHeaders().set(name, value));
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
}
