package io.uctrust.capf;

import io.uctrust.pki.ChainValidator;
import io.uctrust.capf.OnlineCaException.Kind;
import io.uctrust.pki.Pem;
import io.uctrust.target.cucm.BoundedBody;
import io.uctrust.target.cucm.TransportFailure;
import io.uctrust.target.cucm.VerifiedHttp;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * What Cisco's CAPF does in online CA mode to get a phone's CSR signed by a Microsoft AD CS enterprise CA: HTTPS
 * web enrollment ({@code POST /certsrv/certfnsh.asp} with the CSR and the certificate template, then {@code
 * certnew.cer} and {@code certnew.p7b} for the issued certificate and its chain) with HTTP Basic. TLS is
 * verified against the given certificates only (CAPF-trust), never the JVM's defaults, and the CA's certificate
 * must name the configured host name, also when the connection goes to another address.
 *
 * <p>{@link #probe} is the one exception: a preflight that reports the chain a host serves without trusting
 * it, and sends nothing over the connection.
 *
 * <p>Not for: Cisco's own CAPF CA or the CAPF phone protocol, other CAs (EJBCA, SCEP, EST), or any peer that is
 * not an online CA; the trust it builds is for this exchange alone.
 */
public final class OnlineCaClient {

  /**
   * What a host offers before anyone trusts it: whether its name resolved (and to what), the chain its HTTPS
   * server presented (its certificate first, as sent; empty when no TLS server answered) and why the probe
   * stopped short (null when the chain was read).
   */
  public record Probe(boolean resolved, List<String> addresses, List<X509Certificate> servedChain, String error) {
    public Probe {
      addresses = List.copyOf(addresses);
      servedChain = List.copyOf(servedChain);
    }
  }

  private static final long MAX_RESPONSE = 256 * 1024;
  private static final Pattern REQUEST_ID = Pattern.compile("certnew\\.cer\\?ReqID=(\\d+)", Pattern.CASE_INSENSITIVE);
  private static final Pattern DISPOSITION = Pattern.compile("The disposition message is\\s*\"([^\"]*)\"",
      Pattern.CASE_INSENSITIVE);

  private final SSLContext tls;
  private final Duration timeout;

  /** A client trusting exactly {@code trusted} (the CAPF-trust store), waiting at most {@code timeout} per step. */
  public OnlineCaClient(Collection<X509Certificate> trusted, Duration timeout) {
    Objects.requireNonNull(trusted, "trusted");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    tls = io.uctrust.pki.TlsTrust.trusting(trusted);
  }

  /**
   * Has the CA at {@code hostname:port} sign {@code csrPem} with {@code template}, logging in as {@code username};
   * returns the issued certificate first, then the chain the CA sent with it (issuer after subject, up to the
   * root when the CA includes it). {@code connectAddress} (null: resolve {@code hostname}) sends the connection
   * elsewhere, as {@code --connect-to} does, while TLS still verifies {@code hostname}.
   */
  public List<X509Certificate> enroll(String hostname, int port, InetSocketAddress connectAddress, String template,
      String username, char[] password, String csrPem) throws OnlineCaException {
    Objects.requireNonNull(hostname, "hostname");
    Objects.requireNonNull(template, "template");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(csrPem, "csrPem");
    String where = where(hostname, port, connectAddress);
    PKCS10CertificationRequest csr;
    try {
      csr = new PKCS10CertificationRequest(Base64.getMimeDecoder().decode(
          csrPem.replaceAll("-----[^-]*-----", "").strip()));
    } catch (IOException | IllegalArgumentException | ClassCastException e) {
      throw new IllegalArgumentException("the CSR is not a PEM PKCS#10 request", e);
    }
    InetSocketAddress target = target(hostname, port, connectAddress, where);
    boolean literal = isAddress(hostname);
    URI base;
    String serverName = null;
    if (connectAddress == null) {
      // by name: the URI names the host, and the client verifies the certificate against it
      base = uri(hostname, port);
    } else {
      // by address: the URI names the address, and the configured name goes as SNI, which is what is verified
      base = uri(target.getAddress().getHostAddress(), target.getPort());
      serverName = literal ? null : hostname;
    }
    HttpClient client = VerifiedHttp.client(tls, timeout, "the online CA " + hostname, serverName);
    String authorization = basic(username, password);

    String form = "Mode=newreq&CertRequest=" + encode(Pem.encode(csr)) + "&CertAttrib="
        + encode("CertificateTemplate:" + template) + "&TargetStoreFlags=0&SaveCert=yes";
    HttpResponse<byte[]> answer = send(client, HttpRequest.newBuilder(base.resolve("certfnsh.asp"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Authorization", authorization)
        .POST(HttpRequest.BodyPublishers.ofString(form, StandardCharsets.US_ASCII)), where, hostname);
    String page = new String(answer.body(), StandardCharsets.UTF_8);
    Matcher disposition = DISPOSITION.matcher(page);
    boolean explained = disposition.find();
    if (page.contains("Certificate Request Denied") || explained) {
      throw new OnlineCaException(Kind.DENIED, "the online CA " + where + " denied the request for template "
          + template + ": " + (explained ? unescape(disposition.group(1)) : "no disposition message"));
    }
    Matcher id = REQUEST_ID.matcher(page);
    if (!id.find()) {
      throw new OnlineCaException(Kind.PROTOCOL, "the online CA " + where + " answered the request with a page that "
          + "neither issues nor denies a certificate" + (page.contains("Certificate Pending")
          ? " (the request is pending a CA manager's approval; CAPF needs a template that issues at once)" : ""));
    }
    String request = "?ReqID=" + id.group(1) + "&Enc=b64";
    HttpResponse<byte[]> cer = send(client, HttpRequest.newBuilder(base.resolve("certnew.cer" + request))
        .header("Authorization", authorization).GET(), where, hostname);
    List<X509Certificate> leaf = Pem.certificates(new String(cer.body(), StandardCharsets.US_ASCII));
    if (leaf.isEmpty()) {
      throw new OnlineCaException(Kind.PROTOCOL, "the online CA " + where + " sent no certificate for request "
          + id.group(1));
    }
    X509Certificate issued = leaf.get(0);
    if (!Arrays.equals(issued.getPublicKey().getEncoded(), subjectKey(csr))) {
      throw new OnlineCaException(Kind.PROTOCOL, "the online CA " + where + " sent a certificate for another key than "
          + "the CSR's (request " + id.group(1) + ")");
    }
    HttpResponse<byte[]> p7b = send(client, HttpRequest.newBuilder(base.resolve("certnew.p7b" + request))
        .header("Authorization", authorization).GET(), where, hostname);
    return chain(issued, pkcs7(p7b.body(), where));
  }

  /**
   * Resolves {@code hostname} (unless {@code connectAddress} is given, which then counts as its address, as a
   * {@code --connect-to} route stands in for name resolution) and reads the certificate chain the TLS server
   * there presents for {@code hostname}.
   *
   * <p>Nothing is trusted: the trust manager used here records the chain and then rejects it, so the handshake
   * always fails right after the server's certificate arrives and no request, credential or CSR is ever sent.
   * The chain is only a report (which certificates to upload to CAPF-trust, whether the certificate names the
   * host); it must never stand for a verified peer, and {@link #enroll} never uses this trust manager.
   */
  public static Probe probe(String hostname, int port, InetSocketAddress connectAddress, Duration timeout) {
    List<InetSocketAddress> candidates = new ArrayList<>();
    List<String> addresses = new ArrayList<>();
    if (connectAddress != null) {
      candidates.add(connectAddress);
      addresses.add(connectAddress.getHostString());
    } else {
      try {
        for (InetAddress address : InetAddress.getAllByName(hostname)) {
          candidates.add(new InetSocketAddress(address, port));
          addresses.add(address.getHostAddress());
        }
      } catch (UnknownHostException e) {
        return new Probe(false, List.of(), List.of(), hostname + " does not resolve");
      }
    }
    String error = "no address to connect to";
    for (InetSocketAddress candidate : candidates) {
      ChainRecorder recorder = new ChainRecorder();
      try {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {recorder}, null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
          socket.connect(candidate, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
          socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
          if (!isAddress(hostname)) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName(hostname)));
            socket.setSSLParameters(parameters);
          }
          socket.startHandshake();
        }
        error = "the TLS handshake with " + candidate + " completed although the probe rejects every certificate";
      } catch (GeneralSecurityException e) {
        return new Probe(true, addresses, List.of(), "TLS is not available: " + e.getMessage());
      } catch (IOException e) {
        if (!recorder.chain().isEmpty()) {
          return new Probe(true, addresses, recorder.chain(), null);
        }
        error = "no TLS server answered at " + candidate.getHostString() + ":" + candidate.getPort() + " ("
            + TransportFailure.rootMessage(e) + ")";
      }
    }
    return new Probe(true, addresses, List.of(), error);
  }

  private HttpResponse<byte[]> send(HttpClient client, HttpRequest.Builder request, String where, String hostname)
      throws OnlineCaException {
    HttpResponse<byte[]> response;
    try {
      response = client.send(request.timeout(timeout).build(), new BoundedBody(MAX_RESPONSE));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OnlineCaException(Kind.UNREACHABLE, "interrupted while talking to the online CA " + where, e);
    } catch (IOException e) {
      throw transportFailure(e, where, hostname);
    }
    String path = request.build().uri().getPath();
    if (response.statusCode() == 401 || response.statusCode() == 403) {
      throw new OnlineCaException(Kind.UNAUTHORIZED, "the online CA " + where + " refused the user name or password "
          + "(HTTP " + response.statusCode() + " for " + path + ")");
    }
    if (response.statusCode() != 200) {
      throw new OnlineCaException(Kind.PROTOCOL, "the online CA " + where + " answered HTTP " + response.statusCode()
          + " for " + path);
    }
    return response;
  }

  private static OnlineCaException transportFailure(IOException e, String where, String hostname) {
    if (TransportFailure.find(e, UnknownHostException.class) != null) {
      return new OnlineCaException(Kind.UNRESOLVED, "the online CA " + where + ": " + hostname + " does not resolve", e);
    }
    if (e instanceof HttpConnectTimeoutException) {
      return new OnlineCaException(Kind.UNREACHABLE, "the online CA " + where + " accepted no connection in time", e);
    }
    if (TransportFailure.find(e, SSLException.class) != null) {
      return new OnlineCaException(Kind.UNTRUSTED, "TLS verification of the online CA " + where + " failed: "
          + TransportFailure.tlsReason(e, hostname, "CAPF-trust") + "; upload the CA's HTTPS certificate or the CA "
          + "that issued it to CAPF-trust and configure the host name its certificate carries", e);
    }
    if (e instanceof HttpTimeoutException) {
      return new OnlineCaException(Kind.UNREACHABLE, "the online CA " + where + " did not answer in time", e);
    }
    if (TransportFailure.find(e, ConnectException.class) != null) {
      return new OnlineCaException(Kind.UNREACHABLE, "cannot connect to the online CA " + where
          + ": connection refused or host unreachable", e);
    }
    if (TransportFailure.find(e, BoundedBody.TooLarge.class) != null) {
      return new OnlineCaException(Kind.PROTOCOL, "the online CA " + where + " sent a response larger than "
          + MAX_RESPONSE + " bytes; refused", e);
    }
    return new OnlineCaException(Kind.UNREACHABLE, "the online CA " + where + " failed: "
        + TransportFailure.rootMessage(e), e);
  }

  private static InetSocketAddress target(String hostname, int port, InetSocketAddress connectAddress, String where)
      throws OnlineCaException {
    String host = connectAddress == null ? hostname : connectAddress.getHostString();
    try {
      // resolved here so that a name that does not resolve is told apart from a host that does not answer
      InetAddress address = connectAddress != null && !connectAddress.isUnresolved() ? connectAddress.getAddress()
          : InetAddress.getByName(host);
      return new InetSocketAddress(address, connectAddress == null ? port : connectAddress.getPort());
    } catch (UnknownHostException e) {
      throw new OnlineCaException(Kind.UNRESOLVED, "the online CA " + where + ": " + host + " does not resolve", e);
    }
  }

  /** The issued certificate, then each certificate of {@code others} that issued the previous one, in turn. */
  private static List<X509Certificate> chain(X509Certificate issued, List<X509Certificate> others) {
    List<X509Certificate> chain = new ArrayList<>();
    chain.add(issued);
    X509Certificate current = issued;
    while (!current.getSubjectX500Principal().equals(current.getIssuerX500Principal())) {
      X509Certificate issuer = null;
      for (X509Certificate candidate : others) {
        if (!chain.contains(candidate) && candidate.getSubjectX500Principal().equals(current.getIssuerX500Principal())
            && ChainValidator.signedBy(current, candidate)) {
          issuer = candidate;
          break;
        }
      }
      if (issuer == null) {
        break;
      }
      chain.add(issuer);
      current = issuer;
    }
    return List.copyOf(chain);
  }

  /** The certificates of a certs-only PKCS#7, PEM ("PKCS7" or any label) or DER. */
  private static List<X509Certificate> pkcs7(byte[] body, String where) throws OnlineCaException {
    String text = new String(body, StandardCharsets.US_ASCII);
    try {
      byte[] der = text.contains("-----BEGIN") ? Base64.getMimeDecoder().decode(text.replaceAll("-----[^-]*-----", ""))
          : body;
      CMSSignedData signed = new CMSSignedData(der);
      JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
      List<X509Certificate> certificates = new ArrayList<>();
      for (X509CertificateHolder holder : signed.getCertificates().getMatches(null)) {
        certificates.add(converter.getCertificate(holder));
      }
      return certificates;
    } catch (CMSException | CertificateException | IllegalArgumentException e) {
      throw new OnlineCaException(Kind.PROTOCOL, "the online CA " + where + " sent a chain (certnew.p7b) that is not "
          + "a PKCS#7 certificate bundle", e);
    }
  }

  private static byte[] subjectKey(PKCS10CertificationRequest csr) {
    try {
      return csr.getSubjectPublicKeyInfo().getEncoded();
    } catch (IOException e) {
      throw new IllegalArgumentException("the CSR's public key cannot be encoded", e);
    }
  }

  /** The Basic credentials header; the password reaches no String but the encoded header itself. */
  private static String basic(String username, char[] password) {
    CharBuffer text = CharBuffer.allocate(username.length() + 1 + password.length);
    text.put(username).put(':').put(password).flip();
    ByteBuffer bytes = StandardCharsets.UTF_8.encode(text);
    byte[] raw = new byte[bytes.remaining()];
    bytes.get(raw);
    String header = "Basic " + Base64.getEncoder().encodeToString(raw);
    Arrays.fill(raw, (byte) 0);
    Arrays.fill(text.array(), '\0');
    return header;
  }

  private static String where(String hostname, int port, InetSocketAddress connectAddress) {
    return hostname + ":" + port + (connectAddress == null ? ""
        : " (at " + connectAddress.getHostString() + ":" + connectAddress.getPort() + ")");
  }

  private static URI uri(String host, int port) {
    return URI.create("https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/certsrv/");
  }

  private static boolean isAddress(String host) {
    return host.contains(":") || host.matches("[0-9.]+");
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  private static String unescape(String html) {
    return html.replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&#39;", "'")
        .replace("&amp;", "&").replaceAll("\\s+", " ").strip();
  }

  /**
   * The probe's trust manager: records the chain a server presents and then rejects it, so it trusts nothing
   * and a handshake through it never completes.
   */
  private static final class ChainRecorder extends X509ExtendedTrustManager {
    private volatile List<X509Certificate> chain = List.of();

    List<X509Certificate> chain() {
      return chain;
    }

    private void recordAndRefuse(X509Certificate[] presented) throws CertificateException {
      chain = presented == null ? List.of() : List.of(presented);
      throw new CertificateException("the probe trusts no certificate");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] presented, String authType) throws CertificateException {
      recordAndRefuse(presented);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] presented, String authType, Socket socket)
        throws CertificateException {
      recordAndRefuse(presented);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] presented, String authType, SSLEngine engine)
        throws CertificateException {
      recordAndRefuse(presented);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] presented, String authType) throws CertificateException {
      throw new CertificateException("the probe is a client");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] presented, String authType, Socket socket)
        throws CertificateException {
      throw new CertificateException("the probe is a client");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] presented, String authType, SSLEngine engine)
        throws CertificateException {
      throw new CertificateException("the probe is a client");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
