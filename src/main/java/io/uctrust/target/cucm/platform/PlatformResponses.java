package io.uctrust.target.cucm.platform;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the platform certificate API's JSON answers leniently, with the names in {@link PlatformApi}:
 * unknown fields are ignored, alternative field names are tried in order, certificates are found in an
 * entry's own PEM field or in its lists of certificates (the snapshot's {@code trusts} group certificates
 * per store, trust reads answer with a bare array or an object holding one). What cannot be understood
 * at all (no certificate where one is required, a certificate without a service) is {@link Unexpected}.
 *
 * <p>Not for: writing requests, or answers of any other interface.
 */
final class PlatformResponses {
  private PlatformResponses() {}

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final int MAX_DEPTH = 8;
  private static final int MAX_MESSAGE_CHARS = 300;
  private static final String TRUST_SUFFIX = "-trust";

  /** An answer uctrust cannot read; the message says what is missing (never any certificate text). */
  static final class Unexpected extends Exception {
    private static final long serialVersionUID = 1L;

    Unexpected(String message) {
      super(message);
    }
  }

  static JsonNode parse(byte[] body) throws Unexpected {
    try {
      return JSON.readTree(body);
    } catch (JacksonException e) {
      throw new Unexpected("a body that is not JSON (" + e.getOriginalMessage() + ")");
    }
  }

  static PlatformSnapshot snapshot(JsonNode root) throws Unexpected {
    if (root == null || !root.isObject()) {
      throw new Unexpected("a snapshot that is not a JSON object");
    }
    if (!root.has(PlatformApi.RES_IDENTITIES) && !root.has(PlatformApi.RES_TRUSTS)) {
      throw new Unexpected("a snapshot without " + PlatformApi.RES_IDENTITIES + " or " + PlatformApi.RES_TRUSTS);
    }
    List<PlatformCertificate> identities = new ArrayList<>();
    collect(root.get(PlatformApi.RES_IDENTITIES), null, false, identities, 0);
    List<PlatformCertificate> trusts = new ArrayList<>();
    collect(root.get(PlatformApi.RES_TRUSTS), null, true, trusts, 0);
    return new PlatformSnapshot(string(root, List.of(PlatformApi.RES_SERVER)), identities, trusts);
  }

  /** The identity certificate in an answer to {@code GET identity/certificate?service=<service>}. */
  static PlatformCertificate identity(JsonNode root, String service) throws Unexpected {
    List<PlatformCertificate> found = new ArrayList<>();
    collect(root, service, false, found, 0);
    if (found.isEmpty()) {
      throw new Unexpected("no identity certificate for " + service);
    }
    return found.get(0);
  }

  /** The certificates in an answer to {@code GET trust/certificate?service=<service>}. */
  static List<PlatformCertificate> trust(JsonNode root, String service) throws Unexpected {
    if (root == null || !(root.isArray() || root.isObject())) {
      throw new Unexpected("a trust store that is neither a JSON array nor an object");
    }
    List<PlatformCertificate> found = new ArrayList<>();
    collect(root, service, true, found, 0);
    return List.copyOf(found);
  }

  /** The PEM CSR in an answer to {@code POST csr}. */
  static String csr(JsonNode root) throws Unexpected {
    String csr = root == null ? null : string(root, List.of(PlatformApi.RES_CSR));
    if (csr == null || !(csr.contains("-----BEGIN CERTIFICATE REQUEST-----")
        || csr.contains("-----BEGIN NEW CERTIFICATE REQUEST-----"))) {
      throw new Unexpected("no PEM certificate request in " + PlatformApi.RES_CSR);
    }
    return csr.strip();
  }

  /**
   * The node's explanation in an error body: the first message field of a JSON object, or else the body's
   * text without markup; one line, at most 300 characters; null when there is none.
   */
  static String errorMessage(byte[] body) {
    if (body == null || body.length == 0) {
      return null;
    }
    String text = null;
    try {
      JsonNode root = JSON.readTree(body);
      if (root != null && root.isString()) {
        text = root.stringValue();
      } else if (root != null && root.isObject()) {
        text = string(root, PlatformApi.RES_ERROR_MESSAGE);
        JsonNode error = root.get("error");
        if (text == null && error != null && error.isObject()) {
          text = string(error, PlatformApi.RES_ERROR_MESSAGE);
        }
      }
    } catch (JacksonException e) {
      String raw = new String(body, StandardCharsets.UTF_8);
      text = raw.replaceAll("(?s)<(script|style)[^>]*>.*?</\\1>", " ").replaceAll("<[^>]*>", " ");
    }
    if (text == null) {
      return null;
    }
    String line = text.replaceAll("\\p{Cntrl}", " ").replaceAll("\\s+", " ").strip();
    if (line.isEmpty()) {
      return null;
    }
    return line.length() > MAX_MESSAGE_CHARS ? line.substring(0, MAX_MESSAGE_CHARS) + "..." : line;
  }

  /**
   * Adds the certificates in {@code node} to {@code out}; {@code service} is the enclosing entry's (or the
   * request's) service. For trust stores the service is given as the API addresses it: a {@code -trust}
   * suffix the node adds is removed.
   */
  private static void collect(JsonNode node, String service, boolean trustStore, List<PlatformCertificate> out,
      int depth) throws Unexpected {
    if (node == null || node.isNull() || node.isMissingNode() || depth > MAX_DEPTH) {
      return;
    }
    if (node.isArray()) {
      for (JsonNode element : node.values()) {
        collect(element, service, trustStore, out, depth + 1);
      }
    } else if (node.isString()) {
      if (isPem(node.stringValue())) {
        out.add(new PlatformCertificate(required(service, trustStore), node.stringValue(), null, null));
      }
    } else if (node.isObject()) {
      String own = string(node, PlatformApi.RES_SERVICE);
      String entryService = own == null ? service : own;
      String pem = string(node, PlatformApi.RES_PEM);
      if (pem != null && isPem(pem)) {
        out.add(new PlatformCertificate(required(entryService, trustStore), pem, string(node, PlatformApi.RES_NAME),
            string(node, PlatformApi.RES_DESCRIPTION)));
        return;
      }
      for (String list : PlatformApi.RES_CERTIFICATE_LISTS) {
        collect(node.get(list), entryService, trustStore, out, depth + 1);
      }
    }
  }

  private static String required(String service, boolean trustStore) throws Unexpected {
    if (service == null || service.isBlank()) {
      throw new Unexpected("a certificate without a " + PlatformApi.RES_SERVICE.get(0));
    }
    return trustStore ? serviceOfStore(service) : service.strip();
  }

  /** {@code tomcat} for {@code tomcat-trust} or {@code tomcat}. */
  static String serviceOfStore(String store) {
    String name = store.strip();
    return name.toLowerCase(Locale.ROOT).endsWith(TRUST_SUFFIX) && name.length() > TRUST_SUFFIX.length()
        ? name.substring(0, name.length() - TRUST_SUFFIX.length())
        : name;
  }

  private static boolean isPem(String text) {
    return text.contains("-----BEGIN CERTIFICATE-----");
  }

  /** The first of {@code names} that is a non-blank string in {@code node}. */
  private static String string(JsonNode node, List<String> names) {
    for (String name : names) {
      JsonNode value = node.get(name);
      if (value != null && value.isString() && !value.stringValue().isBlank()) {
        return value.stringValue();
      }
    }
    return null;
  }
}
