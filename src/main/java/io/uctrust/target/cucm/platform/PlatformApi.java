package io.uctrust.target.cucm.platform;

import java.util.List;

/**
 * Every path, query parameter and JSON field name of Cisco's platform certificate REST API that uctrust
 * uses, in one place, each marked with where it comes from. Cisco does not publish this API's schema, so
 * only part of it is known:
 *
 * <ul>
 *   <li><b>reference</b>: listed in {@code cucm-interfaces.md} section 2 (observed endpoints and request
 *       bodies);
 *   <li><b>observed</b>: not in the reference, but used the same way by more than one public tool that
 *       talks to real nodes (still unconfirmed by Cisco);
 *   <li><b>assumption</b>: uctrust's guess; if a real node disagrees, change it here (and only here).
 * </ul>
 *
 * <p>Where a response field is uncertain, the reader accepts a short list of alternative names, first
 * match wins; unknown fields are always ignored.
 *
 * <p>Not for: values (service names, key types), which callers give; or any other Cisco interface.
 */
public final class PlatformApi {
  private PlatformApi() {}

  // ------------------------------------------------------------------ paths (relative to the base)

  /** The base path on every node (reference). */
  public static final String BASE_PATH = "/platformcom/api/v1/certmgr/config/";

  /** GET: identities and trusts of the node (reference). */
  public static final String SNAPSHOT = "snapshot/server";
  /** GET with {@link #SERVICE_QUERY}: the identity certificate of one service (reference). */
  public static final String IDENTITY = "identity/certificate";
  /** GET with {@link #SERVICE_QUERY}: the trust store of one service (reference). */
  public static final String TRUST = "trust/certificate";
  /** POST: generate a CSR on the node (reference). */
  public static final String CSR = "csr";
  /** POST: add certificates to trust stores (reference). */
  public static final String TRUST_UPLOAD = "trust/certificates";
  /** POST: install a CA-signed identity (reference). */
  public static final String IDENTITY_UPLOAD = "identity/certificates";
  /**
   * DELETE with {@link #SERVICE_QUERY} and {@link #DELETE_NAME_QUERY}: remove one trusted certificate
   * (assumption: the reference lists no delete; modelled on the GET of the same resource).
   */
  public static final String TRUST_DELETE = "trust/certificate";

  /**
   * POST: have the node generate a new key pair and self-signed identity for a service (assumption: no
   * published API regenerates a self-signed certificate; Cisco Unified OS Administration's Regenerate does.
   * uctrust's lab serves this path; a real node is expected to answer 404 or 405).
   */
  public static final String SELF_SIGNED = "identity/selfsigned";

  /** Query parameter naming the service (reference: {@code ?service=tomcat}). */
  public static final String SERVICE_QUERY = "service";
  /** Query parameter naming the trusted certificate to delete, as the node names it (assumption). */
  public static final String DELETE_NAME_QUERY = "certificateName";

  // ------------------------------------------------------------------ request bodies (all reference)

  public static final String REQ_SERVICE = "service";
  public static final String REQ_DISTRIBUTION = "distribution";
  public static final String REQ_COMMON_NAME = "commonName";
  public static final String REQ_KEY_TYPE = "keyType";
  public static final String REQ_KEY_LENGTH = "keyLength";
  public static final String REQ_HASH_ALGORITHM = "hashAlgorithm";
  /** A JSON array of names (reference names the field; that it is an array, not a string, is observed). */
  public static final String REQ_ALT_NAMES = "altNames";
  /** PEM texts; on trust upload {@link #REQ_SERVICE} is an array of services (reference). */
  public static final String REQ_CERTIFICATES = "certificates";
  public static final String REQ_DESCRIPTION = "description";
  /** Days the self-signed identity of {@link #SELF_SIGNED} is valid (assumption, as the whole request). */
  public static final String REQ_VALIDITY = "validity";

  // ------------------------------------------------------------------ responses

  /** The PEM CSR in the answer to {@link #CSR} (reference: returns {@code {csr}}). */
  public static final String RES_CSR = "csr";
  /** The snapshot's identity list (observed). */
  public static final String RES_IDENTITIES = "identities";
  /** The snapshot's trust list, one entry per trust store (observed). */
  public static final String RES_TRUSTS = "trusts";
  /** The node's own name in the snapshot (observed). */
  public static final String RES_SERVER = "server";
  /** The service or trust store an entry belongs to (observed). */
  public static final List<String> RES_SERVICE = List.of("service");
  /** The PEM text of one certificate ({@code certificate} observed; the others assumption). */
  public static final List<String> RES_PEM = List.of("certificate", "pem", "certificateData");
  /** The node's name for a certificate ({@code filename} observed in snapshots; the others assumption). */
  public static final List<String> RES_NAME = List.of("filename", "name", "alias", "certificateName");
  /** The description given at upload (assumption, mirrors the request field). */
  public static final List<String> RES_DESCRIPTION = List.of("description");
  /**
   * Lists of certificates inside an entry or a response ({@code certificate_data} observed in snapshot
   * trust entries, {@code certificates} observed in trust reads; {@code trusts} assumption).
   */
  public static final List<String> RES_CERTIFICATE_LISTS = List.of("certificate_data", "certificates", "trusts");
  /** The human-readable error of a failed request (assumption; {@code message} observed in one tool). */
  public static final List<String> RES_ERROR_MESSAGE = List.of("message", "errorMessage", "error", "detail", "reason");
}
