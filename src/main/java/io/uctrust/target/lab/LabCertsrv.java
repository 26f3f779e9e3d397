package io.uctrust.target.lab;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.uctrust.pki.CertificateFacts;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSAbsentContent;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * The pages of Microsoft AD CS web enrollment ({@code /certsrv/}) that Cisco's CAPF uses in online CA mode:
 * {@code certfnsh.asp} takes a CSR and a template and answers with a page linking {@code certnew.cer?ReqID=N}
 * or with a denial page carrying the policy module's disposition message; {@code certnew.cer} and
 * {@code certnew.p7b} return the issued certificate and its chain. HTTP Basic protects everything but the
 * welcome page, which answers without credentials so it can serve as a reachability probe (IIS would ask for
 * them there too). Policy: one template, RSA keys of at least 1024 bits (CAPF's online CA mode is RSA only),
 * a valid CSR signature and a subject; every other request is denied with AD CS's wording and code.
 *
 * <p>Issued certificates are kept in memory only: a restarted CA does not know earlier request IDs.
 *
 * <p>Not for: anything but the lab's online CA ({@link LabOnlineCa}); it has no ACLs, no revocation, no
 * pending requests and no NTLM or Kerberos.
 */
final class LabCertsrv implements HttpHandler {
  static final String BASE = "/certsrv/";

  private static final int MAX_BODY = 64 * 1024;
  private static final int MIN_RSA_BITS = 1024;
  private static final String TITLE = "Microsoft Active Directory Certificate Services";

  private final LabOnlineCaHierarchy ca;
  private final String hostname;
  private final String template;
  private final String username;
  private final byte[] password;
  private final Duration validity;
  private final Clock clock;
  private final AtomicInteger nextRequest = new AtomicInteger(1);
  private final AtomicInteger requests = new AtomicInteger();
  private final Map<Integer, X509Certificate> issued = new ConcurrentHashMap<>();

  LabCertsrv(LabOnlineCaHierarchy ca, String hostname, String template, String username, char[] password,
      Duration validity, Clock clock) {
    this.ca = ca;
    this.hostname = hostname;
    this.template = template;
    this.username = username;
    this.password = new String(password).getBytes(StandardCharsets.UTF_8);
    this.validity = validity;
    this.clock = clock;
  }

  /** Enrollment requests received with valid credentials, issued or denied. */
  int requests() {
    return requests.get();
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod();
      if (path.equals("/certsrv")) {
        exchange.getResponseHeaders().set("Location", BASE);
        exchange.sendResponseHeaders(301, -1);
      } else if (path.equals(BASE) || path.equalsIgnoreCase(BASE + "default.asp")) {
        html(exchange, 200, page("<P ID=locWelcome><B>Welcome</B></P>\n<P>Use this Web site to request a certificate "
            + "from " + escape(caName()) + ".</P>"));
      } else if (!path.startsWith(BASE)) {
        text(exchange, 404, "Not Found");
      } else if (!authorized(exchange)) {
        // IIS names the realm after the host it serves
        exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"" + hostname + "\"");
        text(exchange, 401, "401 - Unauthorized: Access is denied due to invalid credentials.");
      } else {
        String page = path.substring(BASE.length()).toLowerCase(Locale.ROOT);
        switch (page) {
          case "certfnsh.asp" -> {
            if (method.equals("POST")) {
              enroll(exchange);
            } else {
              text(exchange, 405, "Method Not Allowed");
            }
          }
          case "certnew.cer", "certnew.p7b" -> {
            if (method.equals("GET")) {
              download(exchange, page.endsWith(".p7b"));
            } else {
              text(exchange, 405, "Method Not Allowed");
            }
          }
          default -> text(exchange, 404, "Not Found");
        }
      }
    }
  }

  private void enroll(HttpExchange exchange) throws IOException {
    byte[] body = readBody(exchange.getRequestBody());
    if (body == null) {
      text(exchange, 413, "Request Entity Too Large");
      return;
    }
    Map<String, String> form = form(new String(body, StandardCharsets.US_ASCII));
    if (!"newreq".equalsIgnoreCase(form.getOrDefault("Mode", "")) || !form.containsKey("CertRequest")) {
      text(exchange, 400, "Bad Request: Mode=newreq and CertRequest are required");
      return;
    }
    requests.incrementAndGet();
    String requestedTemplate = template(form.getOrDefault("CertAttrib", ""));
    if (requestedTemplate == null) {
      denied(exchange, "Denied by Policy Module 0x80094801, The request contains no certificate template information.");
      return;
    }
    if (!requestedTemplate.equalsIgnoreCase(template)) {
      denied(exchange, "Denied by Policy Module 0x80094800, The request was for a certificate template that is not "
          + "supported by the Active Directory Certificate Services policy: " + requestedTemplate + ".");
      return;
    }
    PKCS10CertificationRequest csr;
    try {
      csr = new PKCS10CertificationRequest(csrBytes(form.get("CertRequest")));
    } catch (IOException | IllegalArgumentException | ClassCastException e) {
      denied(exchange, "Error Parsing Request, ASN1 bad tag value met. 0x8009310b (ASN: 267 CRYPT_E_ASN1_BADTAG)");
      return;
    }
    PublicKey key;
    try {
      key = new JcaPKCS10CertificationRequest(csr).getPublicKey();
      if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key))) {
        denied(exchange, "Error Parsing Request, The signature of the certificate request is not valid. 0x80090006 "
            + "(-2146893818 NTE_BAD_SIGNATURE)");
        return;
      }
    } catch (Exception e) {
      // an unknown key algorithm or a signature that cannot even be checked is as bad as a wrong one
      denied(exchange, "Error Parsing Request, The signature of the certificate request is not valid. 0x80090006 "
          + "(-2146893818 NTE_BAD_SIGNATURE)");
      return;
    }
    if (!(key instanceof RSAPublicKey rsa) || rsa.getModulus().bitLength() < MIN_RSA_BITS) {
      // what AD CS says when the key does not fit the template; the online CA mode of CAPF is RSA only
      denied(exchange, "Denied by Policy Module 0x80094811, The public key does not meet the minimum size required by "
          + "the specified certificate template. (" + key.getAlgorithm() + " keys are not accepted; RSA only)");
      return;
    }
    if (csr.getSubject().getRDNs().length == 0) {
      denied(exchange, "Denied by Policy Module 0x80094001, The request subject name is invalid or too long.");
      return;
    }
    X509Certificate certificate = ca.issue(key, csr.getSubject().toString(), clock.instant(), validity);
    int id = nextRequest.getAndIncrement();
    issued.put(id, certificate);
    html(exchange, 200, page("<P ID=locPageTitle><B>Certificate Issued</B></P>\n"
        + "<P ID=locInfo>The certificate you requested was issued to you.</P>\n"
        + "<A Href=\"certnew.cer?ReqID=" + id + "&amp;Enc=b64\">Download certificate</A><BR>\n"
        + "<A Href=\"certnew.p7b?ReqID=" + id + "&amp;Enc=b64\">Download certificate chain</A>"));
  }

  private void download(HttpExchange exchange, boolean chain) throws IOException {
    Map<String, String> query = form(exchange.getRequestURI().getRawQuery() == null ? ""
        : exchange.getRequestURI().getRawQuery());
    X509Certificate certificate = null;
    try {
      certificate = issued.get(Integer.parseInt(query.getOrDefault("ReqID", "")));
    } catch (NumberFormatException e) {
      // not a request ID: answered as unknown below
    }
    if (certificate == null) {
      text(exchange, 404, "Not Found: no issued certificate with ReqID " + query.getOrDefault("ReqID", ""));
      return;
    }
    String encoding = query.getOrDefault("Enc", "bin").toLowerCase(Locale.ROOT);
    if (!encoding.equals("b64") && !encoding.equals("bin")) {
      text(exchange, 400, "Bad Request: Enc must be b64 or bin");
      return;
    }
    byte[] der;
    String pemLabel;
    try {
      if (chain) {
        List<X509Certificate> all = new ArrayList<>();
        all.add(certificate);
        all.addAll(ca.signingChain());
        der = pkcs7(all);
        pemLabel = "PKCS7";
      } else {
        der = certificate.getEncoded();
        pemLabel = "CERTIFICATE";
      }
    } catch (CertificateEncodingException | CMSException e) {
      text(exchange, 500, "Internal Server Error");
      return;
    }
    byte[] bytes = encoding.equals("bin") ? der : ("-----BEGIN " + pemLabel + "-----\r\n"
        + Base64.getMimeEncoder(64, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\r\n-----END " + pemLabel + "-----\r\n").getBytes(StandardCharsets.US_ASCII);
    exchange.getResponseHeaders().set("Content-Type", chain ? "application/x-pkcs7-certificates" : "application/pkix-cert");
    exchange.sendResponseHeaders(200, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** A certs-only PKCS#7 (CMS SignedData without signers), what AD CS hands out as a chain. */
  private static byte[] pkcs7(List<X509Certificate> certificates) throws CMSException, CertificateEncodingException {
    CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
    generator.addCertificates(new JcaCertStore(certificates));
    try {
      return generator.generate(new CMSAbsentContent()).getEncoded();
    } catch (IOException e) {
      throw new CMSException("cannot encode the chain", e);
    }
  }

  private boolean authorized(HttpExchange exchange) {
    String header = exchange.getRequestHeaders().getFirst("Authorization");
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
    if (colon < 0) {
      return false;
    }
    // Windows user names are case-insensitive, passwords are not; compared in constant time
    boolean user = decoded.substring(0, colon).equalsIgnoreCase(username);
    boolean secret = MessageDigest.isEqual(decoded.substring(colon + 1).getBytes(StandardCharsets.UTF_8), password);
    return user & secret;
  }

  /** The template named in {@code CertAttrib} (attributes separated by line breaks), or null for none. */
  private static String template(String attributes) {
    for (String line : attributes.split("[\r\n]+")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).strip().equalsIgnoreCase("CertificateTemplate")) {
        return line.substring(colon + 1).strip();
      }
    }
    return null;
  }

  /** The DER of a CSR given as PEM or bare base64 (a '+' that arrived as a space is put back). */
  private static byte[] csrBytes(String text) {
    String base64 = text.replaceAll("-----[^-]*-----", "").replace(' ', '+').replaceAll("[\\s]", "");
    return Base64.getDecoder().decode(base64);
  }

  private static Map<String, String> form(String encoded) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String pair : encoded.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
      String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
      fields.putIfAbsent(name, value);
    }
    return fields;
  }

  private static byte[] readBody(InputStream in) throws IOException {
    byte[] bytes = in.readNBytes(MAX_BODY + 1);
    return bytes.length > MAX_BODY ? null : bytes;
  }

  private void denied(HttpExchange exchange, String disposition) throws IOException {
    // AD CS answers a denial with 200 and a page; the reason is only in the disposition message
    html(exchange, 200, page("<P ID=locPageTitle><B>Certificate Request Denied</B></P>\n"
        + "<P ID=locDenied>Your certificate request was denied.</P>\n"
        + "<P>Contact your administrator for further information.</P>\n"
        + "<P>The disposition message is \"" + escape(disposition) + "\".</P>"));
  }

  private String page(String content) {
    return "<HTML><Head><Meta HTTP-Equiv=\"Content-Type\" Content=\"text/html; charset=UTF-8\">\n<Title>" + TITLE
        + "</Title></Head>\n<Body>\n<Font ID=locPageTitle>" + TITLE + "</Font> -- <Font ID=locCAName>"
        + escape(caName()) + "</Font>\n" + content + "\n</Body></HTML>\n";
  }

  private String caName() {
    return CertificateFacts.of(ca.signingChain().get(0)).commonName();
  }

  private static void html(HttpExchange exchange, int status, String page) throws IOException {
    send(exchange, status, "text/html; charset=utf-8", page);
  }

  private static void text(HttpExchange exchange, int status, String message) throws IOException {
    send(exchange, status, "text/plain; charset=utf-8", message + "\n");
  }

  private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
