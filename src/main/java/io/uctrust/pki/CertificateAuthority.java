package io.uctrust.pki;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority: its certificate, its private key and its chain up to a root. It makes self-signed
 * roots and subordinate CAs and issues certificates from CSRs under a fixed {@link Profile} (phones) or a
 * service's {@link ServiceUsage}; every signature is SHA-256 with the CA's RSA or EC key. Immutable and safe to share between threads.
 *
 * <p>The key is either in memory or a handle to a key on a PKCS#11 token ({@link CaToken}), whose provider makes
 * every signature; the token's key never leaves it.
 *
 * <p>Not for: deciding whether a request should be granted (who asked, for which device: the caller decides),
 * revocation (no CRLs or OCSP), or storing the key ({@link CaKeyStore} does, encrypted). {@link #toString()}
 * never shows the key.
 */
public final class CertificateAuthority {

  /**
   * What an issued end-entity certificate may be used for. The key usage follows the key type: RSA keys get
   * digitalSignature and keyEncipherment, EC keys digitalSignature and keyAgreement (RFC 5480 allows no
   * encipherment for EC keys).
   */
  public enum Profile {
    /**
     * A phone's locally significant certificate: phones use it for TLS both ways, so clientAuth and serverAuth;
     * subjectAltName only when the CSR asks for DNS names.
     */
    LSC(List.of(KeyPurposeId.id_kp_clientAuth, KeyPurposeId.id_kp_serverAuth), false),
    /** A TLS server: serverAuth; subjectAltName is the CSR's DNS names, or its common name when it asks for none. */
    SERVER(List.of(KeyPurposeId.id_kp_serverAuth), true),
    /** A TLS server that also connects as a client: serverAuth and clientAuth; subjectAltName as for SERVER. */
    CLIENT_SERVER(List.of(KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth), true);

    private final Extension extendedKeyUsage;
    private final boolean nameRequired;

    Profile(List<KeyPurposeId> purposes, boolean nameRequired) {
      this.extendedKeyUsage = extension(Extension.extendedKeyUsage, false,
          new ExtendedKeyUsage(purposes.toArray(KeyPurposeId[]::new)));
      this.nameRequired = nameRequired;
    }
  }

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int CA_KEY_USAGE = KeyUsage.digitalSignature | KeyUsage.keyCertSign | KeyUsage.cRLSign;
  // the fixed extensions are encoded once, not per certificate
  private static final Extension RSA_LEAF_USAGE = extension(Extension.keyUsage, true,
      new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
  private static final Extension EC_LEAF_USAGE = extension(Extension.keyUsage, true,
      new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
  private static final Extension NOT_A_CA = extension(Extension.basicConstraints, false, new BasicConstraints(false));
  private static final Extension SIGNS_LEAVES_ONLY = extension(Extension.basicConstraints, true, new BasicConstraints(0));

  private final X509Certificate certificate;
  private final PrivateKey privateKey;
  private final List<X509Certificate> chain;
  private final X500Name name;
  private final Extension authorityKeyId;
  private final Instant notAfter;
  private final JcaContentSignerBuilder signers;

  private CertificateAuthority(List<X509Certificate> chain, PrivateKey privateKey, Provider provider) {
    this.certificate = chain.get(0);
    this.privateKey = privateKey;
    this.chain = List.copyOf(chain);
    this.name = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
    this.authorityKeyId = extension(Extension.authorityKeyIdentifier, false,
        new AuthorityKeyIdentifier(keyId(certificate)));
    this.notAfter = certificate.getNotAfter().toInstant();
    this.signers = new JcaContentSignerBuilder(signatureAlgorithm(privateKey));
    if (provider != null) {
      signers.setProvider(provider);
    }
  }

  /**
   * A self-signed root CA for {@code subject} (an RFC 2253 name such as {@code CN=CAPF Root,O=Example}):
   * basicConstraints critical CA:TRUE with {@code pathLength} when given (null: no limit), keyUsage critical
   * digitalSignature, keyCertSign and cRLSign, and a subjectKeyIdentifier. {@code pathLength} 0 and that key
   * usage are what Unified CM 14SU2 and later require of a CAPF signing CA.
   *
   * @throws IllegalArgumentException when the subject is not a distinguished name, the validity is empty, the
   *     path length is negative or the key is neither RSA nor EC
   */
  public static CertificateAuthority create(String subject, KeyPair keys, Instant notBefore, Instant notAfter,
      Integer pathLength) {
    X500Name name = Csr.name(subject);
    SubjectPublicKeyInfo key = SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded());
    X509v3CertificateBuilder builder = caBuilder(name, name, key, notBefore, notAfter, pathLength);
    X509Certificate certificate = sign(builder, keys.getPrivate(), signatureAlgorithm(keys.getPrivate()));
    return new CertificateAuthority(List.of(certificate), keys.getPrivate(), null);
  }

  /**
   * A CA for {@code subject} and {@code keys} issued by this one: as {@link #create} plus an
   * authorityKeyIdentifier; notAfter is clipped to this CA's. Its chain is it followed by this CA's chain.
   *
   * @throws IllegalArgumentException as for {@link #create}, and when this CA's path length forbids it
   */
  public CertificateAuthority subordinate(String subject, KeyPair keys, Instant notBefore, Instant notAfter,
      Integer pathLength) {
    int limit = certificate.getBasicConstraints();
    if (limit == 0) {
      throw new IllegalArgumentException(certificate.getSubjectX500Principal().getName()
          + " has pathlen 0 and may not issue CA certificates");
    }
    if (pathLength != null && pathLength >= limit) {
      throw new IllegalArgumentException("pathlen " + pathLength + " for " + subject + " exceeds what "
          + certificate.getSubjectX500Principal().getName() + " (pathlen " + limit + ") allows");
    }
    SubjectPublicKeyInfo key = SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded());
    X509v3CertificateBuilder builder = caBuilder(name, Csr.name(subject), key, notBefore, clip(notAfter),
        pathLength);
    add(builder, authorityKeyId);
    List<X509Certificate> subordinateChain = new ArrayList<>();
    subordinateChain.add(sign(builder, privateKey, signers));
    subordinateChain.addAll(chain);
    return new CertificateAuthority(subordinateChain, keys.getPrivate(), null);
  }

  /**
   * An end-entity certificate for {@code csr}: its subject and key, a random 128-bit serial, {@code profile}'s
   * key usage (critical), extended key usage and subjectAltName, subject and authority key identifiers, and
   * basicConstraints CA:FALSE; notAfter is clipped to this CA's notAfter.
   *
   * @throws IllegalArgumentException when the CSR's signature does not verify (checked first, before anything
   *     else is read from it), its subject is empty, the profile needs a name the CSR does not give, or the
   *     validity is empty after clipping
   */
  public X509Certificate issue(Csr csr, Instant notBefore, Instant notAfter, Profile profile) {
    verified(csr);
    return issue(csr, notBefore, notAfter, NOT_A_CA,
        "RSA".equals(csr.keyAlgorithm()) ? RSA_LEAF_USAGE : EC_LEAF_USAGE, profile.extendedKeyUsage,
        profile.nameRequired);
  }

  /**
   * A service identity certificate for {@code csr}: as {@link #issue(Csr, Instant, Instant, Profile)} with the
   * subjectAltName of {@link Profile#SERVER}, but the key usage (critical) and extended key usage are
   * {@code usage}'s for the CSR's key ({@link ServiceUsage#forKey}: keyAgreement instead of encipherment for EC
   * keys), whatever the CSR asks. A usage with keyCertSign (CAPF, which signs phone certificates) makes a CA
   * certificate, basicConstraints critical CA:TRUE with pathlen 0, since RFC 5280 allows keyCertSign on CA
   * certificates only; every other usage makes CA:FALSE.
   *
   * @throws IllegalArgumentException as for the Profile variant, and when the usage needs a CA certificate but
   *     this CA's path length forbids one
   */
  public X509Certificate issue(Csr csr, Instant notBefore, Instant notAfter, ServiceUsage usage) {
    verified(csr);
    ServiceUsage forKey = usage.forKey(csr.keyAlgorithm());
    Extension basicConstraints = NOT_A_CA;
    if ((forKey.keyUsage() & KeyUsage.keyCertSign) != 0) {
      if (certificate.getBasicConstraints() == 0) {
        throw new IllegalArgumentException(certificate.getSubjectX500Principal().getName() + " has pathlen 0 "
            + "and may not issue " + csr.subject() + ", a CA certificate since its key usage has keyCertSign");
      }
      basicConstraints = SIGNS_LEAVES_ONLY;
    }
    Extension extendedKeyUsage = forKey.extendedKeyUsage().isEmpty() ? null : extension(Extension.extendedKeyUsage,
        false, new ExtendedKeyUsage(forKey.extendedKeyUsage().toArray(KeyPurposeId[]::new)));
    return issue(csr, notBefore, notAfter, basicConstraints,
        extension(Extension.keyUsage, true, new KeyUsage(forKey.keyUsage())), extendedKeyUsage, true);
  }

  /** Checked first, so that nothing is read from a request its key did not sign. */
  private static void verified(Csr csr) {
    if (!csr.signatureValid()) {
      throw new IllegalArgumentException("the signature of the CSR for " + csr.subject()
          + " does not verify: it was altered or not signed with its key");
    }
  }

  private X509Certificate issue(Csr csr, Instant notBefore, Instant notAfter, Extension basicConstraints,
      Extension keyUsage, Extension extendedKeyUsage, boolean nameRequired) {
    X500Name subject = csr.subjectName();
    if (subject.getRDNs().length == 0) {
      throw new IllegalArgumentException("the CSR has an empty subject");
    }
    Instant end = clip(notAfter);
    validity(notBefore, end);
    SubjectPublicKeyInfo key = csr.subjectPublicKeyInfo();
    X509v3CertificateBuilder builder = new X509v3CertificateBuilder(name, serial(), Date.from(notBefore),
        Date.from(end), subject, key);
    add(builder, basicConstraints);
    add(builder, keyUsage);
    if (extendedKeyUsage != null) {
      add(builder, extendedKeyUsage);
    }
    List<String> names = csr.dnsNames();
    if (names.isEmpty() && nameRequired) {
      names = commonName(subject, csr);
    }
    if (!names.isEmpty()) {
      add(builder, extension(Extension.subjectAlternativeName, false, Csr.dnsGeneralNames(names)));
    }
    add(builder, extension(Extension.subjectKeyIdentifier, false, new SubjectKeyIdentifier(keyId(key))));
    add(builder, authorityKeyId);
    return sign(builder, privateKey, signers);
  }

  /** This CA's certificate. */
  public X509Certificate certificate() {
    return certificate;
  }

  /**
   * This CA's private key: for storing it ({@link CaKeyStore}), never for logging or sending. For a CA on a
   * token it is a handle that cannot be exported, so {@link CaKeyStore#save} refuses it.
   */
  public PrivateKey privateKey() {
    return privateKey;
  }

  /** This CA's certificate, its issuers' up to and including the root: leaf first. */
  public List<X509Certificate> chain() {
    return chain;
  }

  @Override
  public String toString() {
    return "CertificateAuthority[" + certificate.getSubjectX500Principal().getName() + "]";
  }

  /**
   * A CA from a stored chain (CA certificate first) and its private key.
   *
   * @throws IllegalArgumentException when the first certificate is not a CA that may sign certificates, or
   *     the key is not the one of its certificate
   */
  public static CertificateAuthority of(List<X509Certificate> chain, PrivateKey privateKey) {
    return of(chain, privateKey, null);
  }

  /**
   * As {@link #of(List, PrivateKey)}, but every signature, including the key check, is made by {@code provider}
   * (null: the JDK's choice): a PKCS#11 provider whose key handle no other provider can use. The provider need not
   * be registered with {@link java.security.Security}.
   *
   * @throws IllegalArgumentException as for {@link #of(List, PrivateKey)}, and when the provider cannot make
   *     SHA-256 signatures with the key's algorithm
   */
  static CertificateAuthority of(List<X509Certificate> chain, PrivateKey privateKey, Provider provider) {
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("a CA needs its certificate");
    }
    X509Certificate certificate = chain.get(0);
    boolean[] usage = certificate.getKeyUsage();
    if (certificate.getBasicConstraints() < 0 || usage != null && !(usage.length > 5 && usage[5])) {
      throw new IllegalArgumentException(certificate.getSubjectX500Principal().getName()
          + " is not a CA certificate allowed to sign certificates");
    }
    if (!matches(certificate.getPublicKey(), privateKey, provider)) {
      throw new IllegalArgumentException("the private key is not the key of "
          + certificate.getSubjectX500Principal().getName());
    }
    return new CertificateAuthority(chain, privateKey, provider);
  }

  private static X509v3CertificateBuilder caBuilder(X500Name issuer, X500Name subject, SubjectPublicKeyInfo key,
      Instant notBefore, Instant notAfter, Integer pathLength) {
    validity(notBefore, notAfter);
    if (pathLength != null && pathLength < 0) {
      throw new IllegalArgumentException("pathlen must not be negative: " + pathLength);
    }
    X509v3CertificateBuilder builder = new X509v3CertificateBuilder(issuer, serial(), Date.from(notBefore),
        Date.from(notAfter), subject, key);
    add(builder, extension(Extension.basicConstraints, true,
        pathLength == null ? new BasicConstraints(true) : new BasicConstraints(pathLength)));
    add(builder, extension(Extension.keyUsage, true, new KeyUsage(CA_KEY_USAGE)));
    add(builder, extension(Extension.subjectKeyIdentifier, false, new SubjectKeyIdentifier(keyId(key))));
    return builder;
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key, String algorithm) {
    return sign(builder, key, new JcaContentSignerBuilder(algorithm));
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key,
      JcaContentSignerBuilder signers) {
    try {
      // a ContentSigner is not thread safe: a new one per certificate costs about 1 us (measured), against
      // 0.4-0.8 ms for the signature itself, and needs no lock between threads issuing at once
      ContentSigner signer = signers.build(key);
      X509CertificateHolder holder = builder.build(signer);
      return (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(holder.getEncoded()));
    } catch (OperatorCreationException | IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign a certificate with the " + key.getAlgorithm() + " CA key", e);
    }
  }

  private static String signatureAlgorithm(PrivateKey key) {
    if (key instanceof RSAKey || "RSA".equals(key.getAlgorithm())) {
      return "SHA256withRSA";
    }
    if (key instanceof ECKey || "EC".equals(key.getAlgorithm()) || "ECDSA".equals(key.getAlgorithm())) {
      return "SHA256withECDSA";
    }
    throw new IllegalArgumentException("a CA key must be RSA or EC, not " + key.getAlgorithm());
  }

  private static boolean matches(PublicKey publicKey, PrivateKey privateKey, Provider provider) {
    String algorithm = signatureAlgorithm(privateKey);
    Signature signer;
    try {
      signer = provider == null ? Signature.getInstance(algorithm) : Signature.getInstance(algorithm, provider);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalArgumentException((provider == null ? "this Java runtime" : provider.getName())
          + " cannot sign with " + algorithm, e);
    }
    try {
      byte[] probe = "uctrust CA key check".getBytes(StandardCharsets.US_ASCII);
      signer.initSign(privateKey);
      signer.update(probe);
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(probe);
      return verifier.verify(signer.sign());
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private Instant clip(Instant requested) {
    return requested.isAfter(notAfter) ? notAfter : requested;
  }

  private static void validity(Instant notBefore, Instant notAfter) {
    if (!notAfter.isAfter(notBefore)) {
      throw new IllegalArgumentException("empty validity: notAfter " + notAfter + " is not after notBefore "
          + notBefore);
    }
  }

  private static List<String> commonName(X500Name subject, Csr csr) {
    RDN[] names = subject.getRDNs(BCStyle.CN);
    if (names.length == 0) {
      throw new IllegalArgumentException("the CSR for " + csr.subject()
          + " asks for no DNS name and has no CN to use instead");
    }
    // the most specific CN: X.500 order puts it last
    return List.of(IETFUtils.valueToString(names[names.length - 1].getFirst().getValue()));
  }

  private static BigInteger serial() {
    return new BigInteger(128, RANDOM);
  }

  /** RFC 5280 key identifier, method 1: SHA-1 of the subjectPublicKey bits. */
  private static byte[] keyId(SubjectPublicKeyInfo key) {
    try {
      return MessageDigest.getInstance("SHA-1").digest(key.getPublicKeyData().getBytes());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-1 is not available", e);
    }
  }

  /** The certificate's own subjectKeyIdentifier, so that issued AKIs match it; computed when it has none. */
  private static byte[] keyId(X509Certificate certificate) {
    byte[] extension = certificate.getExtensionValue(Extension.subjectKeyIdentifier.getId());
    if (extension != null) {
      return SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(extension).getOctets())
          .getKeyIdentifier();
    }
    return keyId(SubjectPublicKeyInfo.getInstance(certificate.getPublicKey().getEncoded()));
  }

  private static Extension extension(ASN1ObjectIdentifier oid, boolean critical, ASN1Encodable value) {
    try {
      return new Extension(oid, critical, value.toASN1Primitive().getEncoded("DER"));
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode extension " + oid, e);
    }
  }

  private static void add(X509v3CertificateBuilder builder, Extension extension) {
    try {
      builder.addExtension(extension);
    } catch (CertIOException e) {
      throw new IllegalStateException("cannot add extension " + extension.getExtnId(), e);
    }
  }
}
