package io.uctrust.target.lab;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.uctrust.cluster.ClusterException;
import io.uctrust.cluster.Operation;
import io.uctrust.cluster.SecretResolver;
import io.uctrust.cluster.TrustOwnership;
import io.uctrust.desired.CertificateSpec;
import io.uctrust.desired.CertificateSpec.Service;
import io.uctrust.desired.TrustStoreSpec.Store;
import io.uctrust.observed.ObservedCluster.Owner;
import io.uctrust.pki.CertificateFacts;
import io.uctrust.pki.Pem;
import io.uctrust.target.cucm.platform.PlatformApi;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The platform certificate REST API ({@code /platformcom/api/v1/certmgr/config/}) of the served lab node
 * named by SNI, over a {@link ServedLab}: snapshot, identity and trust reads, CSR, trust and identity
 * uploads, trust delete and self-signed regeneration, answered in exactly the shapes
 * {@code PlatformClient} reads ({@link PlatformApi}). It enforces what a real node enforces: HTTP Basic,
 * an identity only for the key of the latest CSR and only once its CA chain (in order leaf to root) is in
 * the matching trust store, else HTTP 400 with the reason.
 *
 * <p>Trust entries carry their owner in the lab; on the wire, uctrust's own entries show the description
 * marked ({@link TrustOwnership#marked}) as a real cluster keeps it, and an upload is owned by what its
 * description and certificate say ({@link TrustOwnership#owner}). An upload uctrust marked is performed as
 * the in-process lab's {@link Operation.UploadTrust}, so both paths leave the same state.
 *
 * <p>Pending CSR keys live in memory only: a restarted server has forgotten them (upload against a new CSR).
 * Not for: any other interface, or real nodes' behaviour beyond what the clients depend on.
 */
final class LabPlatformService implements HttpHandler {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  /** Platform requests carry no secret references; an operation asking for one is a lab bug. */
  private static final SecretResolver NO_SECRETS = (ref, subject) -> {
    throw new ClusterException("a platform API request carries no secrets");
  };

  private final ServedLab lab;
  private final LabFaults faults;
  private final String password;
  /** Key pair of the latest CSR by node and service ({@code node|service}). */

  LabPlatformService(ServedLab lab, LabFaults faults, String password) {
    this.lab = lab;
    this.faults = faults;
    this.password = password;
  }

  /** A refusal answered with {@code status} and the message as {@code {"message": ...}}. */
  private static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;
    final int status;

    Refused(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = LabHttp.body(exchange);
      if (!LabHttp.authorized(exchange, password)) {
        exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"CMPlatform\"");
        LabHttp.send(exchange, 401, "text/html", "<html><body><h1>HTTP Status 401</h1></body></html>");
        return;
      }
      if (body == null) {
        LabHttp.send(exchange, 413, "application/json", message("request body too large"));
        return;
      }
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getRawPath();
      String resource = path.length() > PlatformApi.BASE_PATH.length() ? path.substring(PlatformApi.BASE_PATH.length()) : "";
      Optional<LabFaults.Fault> fault = faults.take("platform:" + method + " " + resource);
      if (fault.isPresent()) {
        LabFaults.Fault f = fault.get();
        if (f.kind() == LabFaults.Kind.DELAY) {
          LabHttp.sleep(f.delay());
        } else if (f.kind() == LabFaults.Kind.THROTTLE) {
          exchange.getResponseHeaders().set("Retry-After", "1");
          LabHttp.send(exchange, 503, "application/json", message("lab fault: service temporarily unavailable"));
          return;
        } else {
          LabHttp.send(exchange, 500, "text/plain", "lab fault: internal server error");
          return;
        }
      }
      String node = LabHttpsServer.node(exchange);
      int status = 200;
      String answer;
      try {
        answer = route(node, method, resource, query(exchange.getRequestURI().getRawQuery()), body);
      } catch (Refused e) {
        status = e.status;
        answer = message(e.getMessage());
      } catch (ClusterException e) {
        status = 400;
        answer = message(e.getMessage());
      } catch (RuntimeException e) {
        status = 500;
        answer = message("internal error: " + e.getMessage());
      }
      LabHttp.send(exchange, status, "application/json", answer);
    }
  }

  private String route(String node, String method, String resource, Map<String, String> query, byte[] body)
      throws Refused, ClusterException {
    switch (method + " " + resource) {
      case "GET " + PlatformApi.SNAPSHOT:
        return snapshot(node);
      case "GET " + PlatformApi.IDENTITY:
        return readIdentity(node, query.get(PlatformApi.SERVICE_QUERY));
      case "GET " + PlatformApi.TRUST:
        return readTrust(node, query.get(PlatformApi.SERVICE_QUERY));
      case "POST " + PlatformApi.CSR:
        return csr(node, json(body));
      case "POST " + PlatformApi.TRUST_UPLOAD:
        return uploadTrust(node, json(body));
      case "POST " + PlatformApi.IDENTITY_UPLOAD:
        return uploadIdentity(node, json(body));
      case "POST " + PlatformApi.SELF_SIGNED:
        return regenerate(node, json(body));
      case "DELETE " + PlatformApi.TRUST_DELETE:
        return deleteTrust(node, query.get(PlatformApi.SERVICE_QUERY), query.get(PlatformApi.DELETE_NAME_QUERY));
      default:
        boolean known = List.of(PlatformApi.SNAPSHOT, PlatformApi.IDENTITY, PlatformApi.TRUST, PlatformApi.CSR,
            PlatformApi.TRUST_UPLOAD, PlatformApi.IDENTITY_UPLOAD, PlatformApi.SELF_SIGNED).contains(resource);
        throw new Refused(known ? 405 : 404, (known ? "method " + method + " not allowed on " : "no resource ") + resource);
    }
  }

  // ---------------------------------------------------------------- reads

  private String snapshot(String node) {
    return lab.read(state -> {
      LabState.Node n = node(state, node);
      ObjectNode root = JSON.createObjectNode().put(PlatformApi.RES_SERVER, n.name);
      ArrayNode identities = root.putArray(PlatformApi.RES_IDENTITIES);
      n.identities.forEach((service, identity) -> identities.addObject().put("service", service)
          .put("certificate", identity.pem));
      ArrayNode trusts = root.putArray(PlatformApi.RES_TRUSTS);
      n.trust.forEach((store, entries) -> {
        ArrayNode data = trusts.addObject().put("service", store).putArray("certificate_data");
        entries.forEach(t -> entry(data.addObject(), t));
      });
      return root.toString();
    });
  }

  private String readIdentity(String node, String service) throws Refused {
    String answer = lab.read(state -> {
      LabState.Node n = node(state, node);
      String key = identityKey(n, service);
      return key == null ? null : JSON.createObjectNode().put("service", key).put("certificate", n.identities.get(key).pem)
          .toString();
    });
    if (answer == null) {
      throw new Refused(404, "No identity certificate found for service " + service + " on " + node);
    }
    return answer;
  }

  private String readTrust(String node, String service) throws Refused {
    String answer = lab.read(state -> {
      String store = storeKey(node(state, node), service);
      if (store == null) {
        return null;
      }
      ArrayNode list = JSON.createArrayNode();
      node(state, node).trust.get(store).forEach(t -> entry(list.addObject(), t));
      return list.toString();
    });
    if (answer == null) {
      throw new Refused(404, "Invalid service " + service + ": " + node + " has no such trust store");
    }
    return answer;
  }

  /** One trust entry as the API shows it: the node's file name, the PEM, the description as stored on a cluster. */
  private static void entry(ObjectNode out, LabState.Trust trust) {
    out.put("filename", fileName(trust)).put("certificate", trust.pem)
        .put("description", "UCTRUST".equals(trust.owner) ? TrustOwnership.marked(trust.description)
            : trust.description == null ? "" : trust.description);
  }

  // ---------------------------------------------------------------- writes

  private String csr(String node, JsonNode body) throws Refused {
    String service = text(body, PlatformApi.REQ_SERVICE);
    String commonName = text(body, PlatformApi.REQ_COMMON_NAME);
    String keyType = text(body, PlatformApi.REQ_KEY_TYPE).toLowerCase(Locale.ROOT);
    int keyLength = positive(body, PlatformApi.REQ_KEY_LENGTH);
    // the client may spell it SHA-256 as well as sha256
    CertificateSpec.Hash hash = constant(CertificateSpec.Hash.class,
        text(body, PlatformApi.REQ_HASH_ALGORITHM).replace("-", ""), "hash");
    String key = lab.read(state -> identityKey(node(state, node), service));
    if (key == null) {
      throw new Refused(400, "Invalid service " + service + " on " + node);
    }
    if (!keyType.equals("rsa") && !keyType.equals("ec")) {
      throw new Refused(400, "Invalid key type " + keyType);
    }
    if (keyType.equals("rsa") && keyLength > 4096) {
      throw new Refused(400, "Invalid key length " + keyLength);
    }
    List<String> altNames = new ArrayList<>();
    body.path(PlatformApi.REQ_ALT_NAMES).values().forEach(n -> altNames.add(n.asString()));
    boolean multi = "multi-server".equalsIgnoreCase(body.path(PlatformApi.REQ_DISTRIBUTION).asString(""));
    String csr;
    try {
      // the platform API has no subject fields: the lab's own organization stands in
      csr = lab.requestCsr(new Operation.IssueIdentity(node, LabSnapshotter.constant(Service.class, key), multi,
          keyType.equals("ec") ? CertificateSpec.KeyType.EC : CertificateSpec.KeyType.RSA, keyLength, hash, commonName,
          altNames, null, List.of(), null));
    } catch (IllegalArgumentException e) {
      throw new Refused(400, "Invalid CSR request: " + e.getMessage());
    } catch (ClusterException e) {
      throw new Refused(400, e.getMessage());
    }
    return JSON.createObjectNode().put(PlatformApi.RES_CSR, csr).toString();
  }

  private String uploadTrust(String node, JsonNode body) throws Refused, ClusterException {
    List<String> services = new ArrayList<>();
    JsonNode serviceField = body.path(PlatformApi.REQ_SERVICE);
    if (serviceField.isString()) {
      services.add(serviceField.stringValue());
    } else {
      serviceField.values().forEach(s -> services.add(s.asString()));
    }
    List<Sent> certificates = certificates(body);
    if (services.isEmpty() || certificates.isEmpty()) {
      throw new Refused(400, "service must be a list of services and certificates a list of PEM certificates");
    }
    String description = body.path(PlatformApi.REQ_DESCRIPTION).isString()
        ? body.path(PlatformApi.REQ_DESCRIPTION).stringValue() : null;
    List<Store> stores = new ArrayList<>();
    for (String service : services) {
      String key = lab.read(state -> storeKey(node(state, node), service));
      if (key == null) {
        throw new Refused(400, "Invalid service " + service + ": " + node + " has no such trust store");
      }
      stores.add(store(key));
    }
    Set<String> clusterIdentities = lab.read(state -> {
      Set<String> ids = new HashSet<>();
      state.nodes.forEach(n -> n.identities.values().forEach(i -> ids.add(sha256(Pem.certificate(i.pem)))));
      return ids;
    });
    for (Store store : stores) {
      for (Sent sent : certificates) {
        // the PEM text as sent: the in-process lab stores the text it is given, and so must this path
        String pem = sent.pem();
        X509Certificate certificate = sent.certificate();
        String sha256 = sha256(certificate);
        Owner owner = TrustOwnership.owner(description, certificate.getSubjectX500Principal(), sha256, clusterIdentities);
        if (owner == Owner.UCTRUST) {
          // exactly what the in-process lab does for uctrust's uploads, so both paths leave the same state
          lab.perform(new Operation.UploadTrust(node, store, pem, TrustOwnership.plain(description)), NO_SECRETS);
        } else {
          lab.change(state -> {
            List<LabState.Trust> entries = node(state, node).trust.get(store.yaml());
            if (entries.stream().noneMatch(t -> t.sha256.equals(sha256))) {
              entries.add(LabSeeder.trustEntry(pem, description, owner.name()));
            }
            return null;
          });
        }
      }
    }
    return message("Successfully uploaded the certificates");
  }

  private String uploadIdentity(String node, JsonNode body) throws Refused, ClusterException {
    String service = text(body, PlatformApi.REQ_SERVICE);
    List<String> chain = certificates(body).stream().map(Sent::pem).toList();
    if (chain.isEmpty()) {
      throw new Refused(400, "certificates must be a list of PEM certificates, leaf first");
    }
    String key = lab.read(state -> identityKey(node(state, node), service));
    if (key == null) {
      throw new Refused(400, "Invalid service " + service + " on " + node);
    }
    // a multi-server certificate goes to every node it names that hosts the service, as the cluster distributes it
    List<String> others = lab.read(state -> state.nodes.stream().filter(n -> !n.name.equals(node))
        .filter(n -> n.identities.containsKey(key)).map(n -> n.name)
        .filter(name -> io.uctrust.observed.Snapshots.certificate(chain.get(0)).dnsNames().stream()
            .anyMatch(d -> d.equalsIgnoreCase(name))).toList());
    try {
      lab.perform(new Operation.InstallIdentity(node, LabSnapshotter.constant(Service.class, key), chain, others),
          NO_SECRETS);
    } catch (ClusterException e) {
      throw new Refused(400, e.getMessage());
    }
    return message("Successfully uploaded the certificate; restart the service to use it");
  }

  private String regenerate(String node, JsonNode body) throws Refused, ClusterException {
    String service = text(body, PlatformApi.REQ_SERVICE);
    String key = lab.read(state -> identityKey(node(state, node), service));
    if (key == null) {
      throw new Refused(400, "Invalid service " + service + " on " + node);
    }
    CertificateSpec.KeyType keyType = constant(CertificateSpec.KeyType.class, text(body, PlatformApi.REQ_KEY_TYPE), "key type");
    CertificateSpec.Hash hash = constant(CertificateSpec.Hash.class, text(body, PlatformApi.REQ_HASH_ALGORITHM), "hash");
    int keyLength = positive(body, PlatformApi.REQ_KEY_LENGTH);
    if (keyType == CertificateSpec.KeyType.RSA ? keyLength > 4096 || keyLength < 1024
        : keyLength != 256 && keyLength != 384 && keyLength != 521) {
      throw new Refused(400, "Invalid key length " + keyLength + " for " + keyType);
    }
    List<String> altNames = new ArrayList<>();
    body.path(PlatformApi.REQ_ALT_NAMES).values().forEach(n -> altNames.add(n.asString()));
    lab.perform(new Operation.RegenerateSelfSigned(node, LabSnapshotter.constant(Service.class, key), keyType, keyLength,
        hash, text(body, PlatformApi.REQ_COMMON_NAME), altNames, positive(body, PlatformApi.REQ_VALIDITY)), NO_SECRETS);
    String pem = lab.read(state -> node(state, node).identities.get(key).pem);
    return JSON.createObjectNode().put("service", key).put("certificate", pem).toString();
  }

  private String deleteTrust(String node, String service, String name) throws Refused, ClusterException {
    record Found(Store store, String sha256, String subject) {}
    Found found = lab.read(state -> {
      String key = storeKey(node(state, node), service);
      if (key == null || name == null) {
        return null;
      }
      return node(state, node).trust.get(key).stream().filter(t -> fileName(t).equals(name)).findFirst()
          .map(t -> new Found(store(key), t.sha256, Pem.certificate(t.pem).getSubjectX500Principal().getName()))
          .orElse(null);
    });
    if (found == null) {
      throw new Refused(404, "Certificate " + name + " not found in " + service + "-trust on " + node);
    }
    lab.perform(new Operation.RemoveTrust(node, found.store(), found.sha256(), found.subject()), NO_SECRETS);
    return message("Deleted " + name);
  }

  // ---------------------------------------------------------------- helpers

  private static LabState.Node node(LabState state, String name) {
    return state.nodes.stream().filter(n -> n.name.equals(name)).findFirst()
        .orElseThrow(() -> new IllegalStateException("no node " + name + " in the lab"));
  }

  /** The node's identity key for {@code service} (case-insensitive), or null. */
  private static String identityKey(LabState.Node node, String service) {
    return service == null ? null
        : node.identities.keySet().stream().filter(k -> k.equalsIgnoreCase(service.strip())).findFirst().orElse(null);
  }

  /** The node's trust store for {@code service} ({@code tomcat} or {@code tomcat-trust}), or null. */
  private static String storeKey(LabState.Node node, String service) {
    if (service == null) {
      return null;
    }
    String wanted = service.strip().toLowerCase(Locale.ROOT);
    String store = wanted.endsWith("-trust") ? wanted : wanted + "-trust";
    return node.trust.keySet().stream().filter(k -> k.toLowerCase(Locale.ROOT).equals(store)).findFirst().orElse(null);
  }

  private static Store store(String yaml) {
    for (Store store : Store.values()) {
      if (store.yaml().equals(yaml)) {
        return store;
      }
    }
    throw new IllegalStateException("unknown trust store in lab state: " + yaml);
  }

  private static final Map<String, String> FILE_NAMES = new ConcurrentHashMap<>();

  /** The node's name for a trusted certificate: its common name and a fingerprint prefix (unique in a store). */
  private static String fileName(LabState.Trust trust) {
    return FILE_NAMES.computeIfAbsent(trust.sha256, sha -> {
      String subject = Pem.certificate(trust.pem).getSubjectX500Principal().getName();
      String cn = subject.replaceAll("^(?:.*,)?CN=((?:[^,\\\\]|\\\\.)*).*$", "$1");
      return (cn.equals(subject) ? "certificate" : cn).replaceAll("[^A-Za-z0-9._-]", "_") + "_" + sha.substring(0, 8)
          + ".pem";
    });
  }

  private static String sha256(X509Certificate certificate) {
    return CertificateFacts.of(certificate).sha256();
  }

  private static JsonNode json(byte[] body) throws Refused {
    try {
      JsonNode root = JSON.readTree(body);
      if (root == null || !root.isObject()) {
        throw new Refused(400, "the request body must be a JSON object");
      }
      return root;
    } catch (JacksonException e) {
      throw new Refused(400, "the request body is not JSON: " + e.getOriginalMessage());
    }
  }

  /** One certificate of a request: its PEM text as sent, and what it holds. */
  private record Sent(String pem, X509Certificate certificate) {}

  private static List<Sent> certificates(JsonNode body) throws Refused {
    List<Sent> certificates = new ArrayList<>();
    for (JsonNode pem : body.path(PlatformApi.REQ_CERTIFICATES).values()) {
      List<X509Certificate> parsed = pem.isString() ? Pem.certificates(pem.stringValue()) : List.of();
      if (parsed.size() != 1) {
        throw new Refused(400, "each entry of certificates must be one PEM certificate");
      }
      certificates.add(new Sent(pem.stringValue(), parsed.get(0)));
    }
    return certificates;
  }

  private static String text(JsonNode body, String field) throws Refused {
    JsonNode value = body.get(field);
    if (value == null || !value.isString() || value.stringValue().isBlank()) {
      throw new Refused(400, "missing " + field);
    }
    return value.stringValue().strip();
  }

  private static int positive(JsonNode body, String field) throws Refused {
    JsonNode value = body.get(field);
    if (value == null || !value.isInt() || value.intValue() < 1) {
      throw new Refused(400, field + " must be a positive number");
    }
    return value.intValue();
  }

  private static <E extends Enum<E>> E constant(Class<E> type, String text, String what) throws Refused {
    try {
      return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new Refused(400, "Invalid " + what + " " + text);
    }
  }

  private static String message(String text) {
    return JSON.createObjectNode().put("message", text).toString();
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> query = new LinkedHashMap<>();
    if (raw != null && !raw.isEmpty()) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        query.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return query;
  }
}
