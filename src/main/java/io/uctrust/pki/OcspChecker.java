package io.uctrust.pki;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.cert.ocsp.jcajce.JcaCertificateID;
import org.bouncycastle.cert.ocsp.jcajce.JcaRespID;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * Asks an OCSP responder (RFC 6960) whether a certificate is revoked, and believes the answer only after verifying
 * it: a successful response, signed by the certificate's issuer or by a responder certificate the issuer issued
 * with id-kp-OCSPSigning (valid now), covering exactly this certificate, echoing the request's nonce when it
 * returns one, with thisUpdate not in the future and nextUpdate not passed (both with some clock skew allowed).
 * Requests carry a SHA-1 CertID, as responders expect, and a fresh 16-byte nonce; they are POSTed as
 * {@code application/ocsp-request} with the JDK HTTP client.
 *
 * <p>The responder is the configured one when given (Monitoring {@code revocation.ocsp.responder: configured}
 * passes {@code uri}), else the first http(s) OCSP URL in the certificate's Authority Information Access
 * ({@code from-certificate} passes null). Thread safe.
 *
 * <p>Not for: CRLs, OCSP stapling, checking the certificate's own chain or validity (the answer says nothing about
 * either), or deciding what to do about a revoked certificate (the controller raises the alert and the next
 * reconcile re-issues it).
 */
public final class OcspChecker {
  /** How long connecting and the whole exchange may take, unless told otherwise. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  /** How far the responder's clock may be ahead of (thisUpdate) or behind (nextUpdate) ours. */
  public static final Duration DEFAULT_SKEW = Duration.ofMinutes(5);

  // a response is a few kB even with certificates; a responder sending more is broken or hostile
  private static final int MAX_RESPONSE_BYTES = 1 << 20;
  private static final String OCSP_SIGNING = KeyPurposeId.id_kp_OCSPSigning.getId();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Clock clock;
  private final Duration timeout;
  private final Duration skew;
  private final HttpClient http;
  private final DigestCalculatorProvider digests;

  /** A checker with {@link #DEFAULT_TIMEOUT} and {@link #DEFAULT_SKEW}. */
  public OcspChecker(Clock clock) {
    this(clock, DEFAULT_TIMEOUT, DEFAULT_SKEW);
  }

  /** A checker whose requests give up after {@code timeout} and that allows {@code skew} between clocks. */
  public OcspChecker(Clock clock, Duration timeout, Duration skew) {
    this.clock = clock;
    this.timeout = timeout;
    this.skew = skew;
    // redirects: only those the JDK considers safe (never https to http); HTTP/1.1 without an h2c upgrade
    // attempt, since responders are small HTTP/1.x servers (RFC 6960 appendix A)
    this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL)
        .version(HttpClient.Version.HTTP_1_1).build();
    try {
      this.digests = new JcaDigestCalculatorProviderBuilder().build();
    } catch (OperatorCreationException e) {
      throw new IllegalStateException("no digest provider for OCSP", e);
    }
  }

  /**
   * The revocation status of {@code certificate}, issued by {@code issuer}, asked of {@code configuredResponder}
   * when not null, else of the certificate's AIA OCSP URL; {@link RevocationStatus#noResponder()} when there is
   * neither.
   *
   * @throws OcspException when no verified answer could be had (message names the responder and the subject)
   */
  public RevocationStatus check(X509Certificate certificate, X509Certificate issuer, URI configuredResponder)
      throws OcspException {
    String subject = certificate.getSubjectX500Principal().getName();
    URI responder = configuredResponder;
    if (responder == null) {
      Optional<URI> named = responderOf(certificate);
      if (named.isEmpty()) {
        return RevocationStatus.noResponder();
      }
      responder = named.get();
    }
    Exchange exchange = new Exchange(responder, subject);
    if (!isHttp(responder)) {
      throw exchange.failure("the responder URL must be http:// or https://");
    }
    CertificateID id = certificateId(certificate, issuer, exchange);
    byte[] nonce = new byte[16];
    RANDOM.nextBytes(nonce);
    byte[] request = request(id, nonce, exchange);
    BasicOCSPResp response = response(post(request, exchange), exchange);
    X509Certificate signer = authorisedSigner(response, issuer, exchange);
    verifySignature(response, signer, exchange);
    SingleResp single = covering(response, issuer, certificate, exchange);
    verifyNonce(response, nonce, exchange);
    return status(response, single, exchange);
  }

  /**
   * The first http:// or https:// OCSP URL in {@code certificate}'s Authority Information Access extension, if any.
   *
   * @throws OcspException when the extension is there but cannot be read
   */
  public static Optional<URI> responderOf(X509Certificate certificate) throws OcspException {
    byte[] value = certificate.getExtensionValue(Extension.authorityInfoAccess.getId());
    if (value == null) {
      return Optional.empty();
    }
    AccessDescription[] descriptions;
    try {
      descriptions = AuthorityInformationAccess.getInstance(ASN1OctetString.getInstance(value).getOctets())
          .getAccessDescriptions();
    } catch (IllegalArgumentException e) {
      throw new OcspException("the Authority Information Access extension of "
          + certificate.getSubjectX500Principal().getName() + " cannot be read: " + e.getMessage());
    }
    for (AccessDescription description : descriptions) {
      GeneralName location = description.getAccessLocation();
      if (!description.getAccessMethod().equals(AccessDescription.id_ad_ocsp)
          || location.getTagNo() != GeneralName.uniformResourceIdentifier) {
        continue;
      }
      try {
        URI uri = new URI(ASN1IA5String.getInstance(location.getName()).getString());
        if (isHttp(uri)) {
          return Optional.of(uri);
        }
      } catch (URISyntaxException e) {
        continue; // not a URL this client can use: the next one may be
      }
    }
    return Optional.empty();
  }

  private static boolean isHttp(URI uri) {
    return ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
        && uri.getHost() != null;
  }

  private CertificateID certificateId(X509Certificate certificate, X509Certificate issuer, Exchange exchange)
      throws OcspException {
    try {
      return new JcaCertificateID(digests.get(CertificateID.HASH_SHA1), issuer, certificate.getSerialNumber());
    } catch (OperatorCreationException | OCSPException | GeneralSecurityException e) {
      throw exchange.failure("cannot build the request's CertID from issuer "
          + issuer.getSubjectX500Principal().getName() + ": " + e.getMessage());
    }
  }

  private static byte[] request(CertificateID id, byte[] nonce, Exchange exchange) throws OcspException {
    try {
      Extension nonceExtension = new Extension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false,
          new DEROctetString(nonce).getEncoded());
      OCSPReq request = new OCSPReqBuilder().addRequest(id)
          .setRequestExtensions(new Extensions(nonceExtension)).build();
      return request.getEncoded();
    } catch (IOException | OCSPException e) {
      throw exchange.failure("cannot encode the request: " + e.getMessage());
    }
  }

  private byte[] post(byte[] body, Exchange exchange) throws OcspException {
    HttpRequest request = HttpRequest.newBuilder(exchange.responder).timeout(timeout)
        .header("Content-Type", "application/ocsp-request").header("Accept", "application/ocsp-response")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    try {
      HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = response.body()) {
        if (response.statusCode() != 200) {
          throw exchange.failure("the responder answered HTTP " + response.statusCode());
        }
        byte[] bytes = in.readNBytes(MAX_RESPONSE_BYTES + 1);
        if (bytes.length > MAX_RESPONSE_BYTES) {
          throw exchange.failure("the response is larger than " + MAX_RESPONSE_BYTES + " bytes");
        }
        return bytes;
      }
    } catch (HttpTimeoutException e) {
      throw exchange.failure("no answer within " + timeout.toSeconds() + " s", e);
    } catch (IOException e) {
      throw exchange.failure("the responder is unreachable (" + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw exchange.failure("interrupted while waiting for the responder", e);
    }
  }

  private static BasicOCSPResp response(byte[] body, Exchange exchange) throws OcspException {
    OCSPResp response;
    Object content;
    try {
      response = new OCSPResp(body);
      if (response.getStatus() != OCSPResp.SUCCESSFUL) {
        throw exchange.failure("the responder refused: " + refusal(response.getStatus()));
      }
      content = response.getResponseObject();
    } catch (IOException | OCSPException | RuntimeException e) {
      throw exchange.failure("the answer is not an OCSP response (" + e.getClass().getSimpleName() + ")", e);
    }
    if (!(content instanceof BasicOCSPResp basic)) {
      throw exchange.failure("the response is not a basic OCSP response");
    }
    return basic;
  }

  private static String refusal(int status) {
    return switch (status) {
      case OCSPResp.MALFORMED_REQUEST -> "malformedRequest";
      case OCSPResp.INTERNAL_ERROR -> "internalError";
      case OCSPResp.TRY_LATER -> "tryLater";
      case OCSPResp.SIG_REQUIRED -> "sigRequired";
      case OCSPResp.UNAUTHORIZED -> "unauthorized";
      default -> "status " + status;
    };
  }

  /**
   * RFC 6960 4.2.2.2: the issuer itself, or a certificate in the response that the issuer issued for
   * id-kp-OCSPSigning and that is valid now. Anyone else may not speak for the issuer's certificates.
   */
  private X509Certificate authorisedSigner(BasicOCSPResp response, X509Certificate issuer, Exchange exchange)
      throws OcspException {
    RespID id = response.getResponderId();
    if (identifies(id, issuer)) {
      return issuer;
    }
    for (X509CertificateHolder holder : response.getCerts()) {
      X509Certificate candidate = certificate(holder, exchange);
      if (!identifies(id, candidate)) {
        continue;
      }
      if (candidate.getPublicKey().equals(issuer.getPublicKey())) {
        return issuer;
      }
      String name = candidate.getSubjectX500Principal().getName();
      if (!candidate.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())
          || !ChainValidator.signedBy(candidate, issuer)) {
        throw exchange.failure("the response is signed by " + name + ", which the issuer "
            + issuer.getSubjectX500Principal().getName() + " did not issue, so it may not answer for the issuer's "
            + "certificates (RFC 6960 4.2.2.2)");
      }
      List<String> purposes;
      try {
        purposes = candidate.getExtendedKeyUsage();
      } catch (CertificateException e) {
        purposes = null;
      }
      if (purposes == null || !purposes.contains(OCSP_SIGNING)) {
        throw exchange.failure("the response is signed by " + name + ", whose certificate lacks the extended key "
            + "usage id-kp-OCSPSigning that authorises an OCSP responder (RFC 6960 4.2.2.2)");
      }
      Instant now = clock.instant();
      if (now.isBefore(candidate.getNotBefore().toInstant()) || now.isAfter(candidate.getNotAfter().toInstant())) {
        throw exchange.failure("the responder certificate " + name + " is not valid at " + now + " (valid "
            + candidate.getNotBefore().toInstant() + " to " + candidate.getNotAfter().toInstant() + ")");
      }
      return candidate;
    }
    throw exchange.failure("the response is signed by " + describe(id) + ", which is neither the issuer nor a "
        + "responder certificate included in the response");
  }

  private boolean identifies(RespID id, X509Certificate certificate) throws OcspException {
    try {
      return id.equals(new RespID(X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded())))
          || id.equals(new JcaRespID(certificate.getPublicKey(), digests.get(RespID.HASH_SHA1)));
    } catch (OCSPException | OperatorCreationException e) {
      throw new OcspException("cannot compute the OCSP responder id of "
          + certificate.getSubjectX500Principal().getName() + ": " + e.getMessage(), e);
    }
  }

  private static String describe(RespID id) {
    X500Name name = id.toASN1Primitive().getName();
    return name != null ? name.toString() : "the key with SHA-1 hash "
        + HexFormat.of().formatHex(id.toASN1Primitive().getKeyHash());
  }

  private static X509Certificate certificate(X509CertificateHolder holder, Exchange exchange) throws OcspException {
    try {
      return new JcaX509CertificateConverter().getCertificate(holder);
    } catch (CertificateException e) {
      throw exchange.failure("a certificate in the response cannot be read: " + e.getMessage(), e);
    }
  }

  private static void verifySignature(BasicOCSPResp response, X509Certificate signer, Exchange exchange)
      throws OcspException {
    boolean valid;
    try {
      valid = response.isSignatureValid(new JcaContentVerifierProviderBuilder().build(signer.getPublicKey()));
    } catch (OperatorCreationException | OCSPException e) {
      valid = false;
    }
    if (!valid) {
      throw exchange.failure("the response's signature does not verify with the key of "
          + signer.getSubjectX500Principal().getName());
    }
  }

  private SingleResp covering(BasicOCSPResp response, X509Certificate issuer, X509Certificate certificate,
      Exchange exchange) throws OcspException {
    X509CertificateHolder issuerHolder;
    try {
      issuerHolder = new JcaX509CertificateHolder(issuer);
    } catch (GeneralSecurityException e) {
      throw exchange.failure("the issuer certificate cannot be encoded: " + e.getMessage(), e);
    }
    for (SingleResp single : response.getResponses()) {
      CertificateID id = single.getCertID();
      try {
        // by content rather than encoding, so that a responder using another hash algorithm still matches
        if (id.getSerialNumber().equals(certificate.getSerialNumber()) && id.matchesIssuer(issuerHolder, digests)) {
          return single;
        }
      } catch (OCSPException e) {
        continue; // a CertID with a hash we cannot compute is not ours
      }
    }
    throw exchange.failure("the response does not cover this certificate (serial "
        + certificate.getSerialNumber().toString(16) + " of " + issuer.getSubjectX500Principal().getName() + ")");
  }

  /** Responders that support nonces echo ours; one that sends a different nonce answers someone else's request. */
  private static void verifyNonce(BasicOCSPResp response, byte[] nonce, Exchange exchange) throws OcspException {
    Extension echoed = response.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
    if (echoed == null) {
      return;
    }
    byte[] expected;
    try {
      expected = new DEROctetString(nonce).getEncoded();
    } catch (IOException e) {
      throw exchange.failure("cannot encode the nonce", e);
    }
    if (!Arrays.equals(echoed.getExtnValue().getOctets(), expected)) {
      throw exchange.failure("the response's nonce is not the request's: a replayed or misdirected response");
    }
  }

  private RevocationStatus status(BasicOCSPResp response, SingleResp single, Exchange exchange)
      throws OcspException {
    Instant now = clock.instant();
    Instant thisUpdate = single.getThisUpdate().toInstant();
    Date next = single.getNextUpdate();
    Instant nextUpdate = next == null ? null : next.toInstant();
    Instant producedAt = response.getProducedAt().toInstant();
    if (thisUpdate.isAfter(now.plus(skew))) {
      throw exchange.failure("the response's thisUpdate " + thisUpdate + " is in the future (now " + now + ")");
    }
    if (producedAt.isAfter(now.plus(skew))) {
      throw exchange.failure("the response's producedAt " + producedAt + " is in the future (now " + now + ")");
    }
    if (nextUpdate != null && nextUpdate.isBefore(now.minus(skew))) {
      throw exchange.failure("the response is stale: its nextUpdate " + nextUpdate + " has passed (now " + now
          + ")");
    }
    CertificateStatus status = single.getCertStatus();
    if (status == CertificateStatus.GOOD) {
      return new RevocationStatus(RevocationStatus.State.GOOD, exchange.responder, null, null, thisUpdate,
          nextUpdate, producedAt);
    }
    if (status instanceof RevokedStatus revoked) {
      RevocationStatus.Reason reason = revoked.hasRevocationReason()
          ? RevocationStatus.Reason.of(revoked.getRevocationReason()) : null;
      return new RevocationStatus(RevocationStatus.State.REVOKED, exchange.responder,
          revoked.getRevocationTime().toInstant(), reason, thisUpdate, nextUpdate, producedAt);
    }
    return new RevocationStatus(RevocationStatus.State.UNKNOWN, exchange.responder, null, null, thisUpdate,
        nextUpdate, producedAt);
  }

  /** One check's responder and certificate, which every failure message names. */
  private record Exchange(URI responder, String subject) {
    OcspException failure(String problem) {
      return new OcspException(prefix() + problem);
    }

    OcspException failure(String problem, Throwable cause) {
      return new OcspException(prefix() + problem, cause);
    }

    private String prefix() {
      return "OCSP check of " + subject + " at " + responder + ": ";
    }
  }
}
