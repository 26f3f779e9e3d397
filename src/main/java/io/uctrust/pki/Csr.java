package io.uctrust.pki;

import java.io.IOException;
import java.io.StringReader;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1BitString;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder;
import org.bouncycastle.operator.DigestAlgorithmIdentifierFinder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.bc.BcECContentVerifierProviderBuilder;
import org.bouncycastle.operator.bc.BcRSAContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * A PKCS#10 certificate signing request with an RSA or EC key: its subject, public key, requested DNS names,
 * requested key usages and self-signature, read once when it is made or parsed. Immutable and safe to share between threads.
 *
 * <p>Parsing does not check the signature: a request with a bad signature is still a value, so that it can be
 * reported; {@link #signatureValid()} checks it, and {@link CertificateAuthority#issue} refuses it.
 *
 * <p>Not for: deciding what a certificate may contain (the CA's {@link CertificateAuthority.Profile} or
 * {@link ServiceUsage} does; the requested usages are for reading what was asked, never copied into a
 * certificate), requests for a Unified CM service (use {@link ServiceCsr}), requests with other key types (DSA, EdDSA are refused), or holding the private key.
 */
public final class Csr {
  private static final DigestAlgorithmIdentifierFinder DIGESTS = new DefaultDigestAlgorithmIdentifierFinder();

  private final PKCS10CertificationRequest request;
  private final PublicKey publicKey;
  private final List<String> dnsNames;
  private final Integer keyUsage;
  private final List<KeyPurposeId> extendedKeyUsage;

  private Csr(PKCS10CertificationRequest request) {
    this.request = request;
    this.publicKey = publicKey(request.getSubjectPublicKeyInfo());
    List<Extensions> requested = extensionRequests(request);
    this.dnsNames = requestedDnsNames(requested);
    this.keyUsage = requestedKeyUsage(requested);
    this.extendedKeyUsage = requestedExtendedKeyUsage(requested);
  }

  /**
   * A request for {@code subject} (an RFC 2253 distinguished name such as {@code CN=SEP001122334455,O=Example},
   * most specific name first) and {@code dnsNames} (as a subjectAltName extension request; none when empty),
   * signed with {@code keys} by SHA256withRSA or SHA256withECDSA.
   *
   * @throws IllegalArgumentException when the subject is not a distinguished name, a DNS name is blank or not
   *     ASCII, or the key is neither RSA nor EC
   */
  public static Csr create(KeyPair keys, String subject, List<String> dnsNames) {
    List<String> names = dnsNames == null ? List.of() : dnsNames;
    ExtensionsGenerator extensions = new ExtensionsGenerator();
    if (!names.isEmpty()) {
      try {
        extensions.addExtension(Extension.subjectAlternativeName, false, dnsGeneralNames(names));
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot encode the DNS names " + names + ": " + e.getMessage(), e);
      }
    }
    return sign(name(subject), keys, extensions, "SHA256");
  }

  /**
   * A request for {@code name} with {@code extensions} as its extension request (none when empty), signed with
   * {@code keys} by {@code digest} ({@code SHA256}, {@code SHA384} or {@code SHA512}) with RSA or ECDSA.
   *
   * @throws IllegalArgumentException when the key is neither RSA nor EC
   */
  static Csr sign(X500Name name, KeyPair keys, ExtensionsGenerator extensions, String digest) {
    PublicKey key = keys.getPublic();
    String algorithm = key instanceof RSAPublicKey ? digest + "withRSA"
        : key instanceof ECPublicKey ? digest + "withECDSA" : null;
    if (algorithm == null) {
      throw new IllegalArgumentException("CSR key must be RSA or EC, not " + key.getAlgorithm());
    }
    var builder = new JcaPKCS10CertificationRequestBuilder(name, key);
    if (!extensions.isEmpty()) {
      builder.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate());
    }
    try {
      return new Csr(builder.build(new JcaContentSignerBuilder(algorithm).build(keys.getPrivate())));
    } catch (OperatorCreationException e) {
      throw new IllegalStateException("cannot sign the CSR for " + principal(name).getName() + " with "
          + algorithm, e);
    }
  }

  /**
   * The request in PEM text labelled {@code CERTIFICATE REQUEST} or {@code NEW CERTIFICATE REQUEST} (the
   * first PEM block; text around it is ignored).
   *
   * @throws IllegalArgumentException when the text holds no PEM block, its first block is something else, the
   *     request is malformed, or its key is neither RSA nor EC
   */
  public static Csr parse(String pem) {
    if (pem == null || pem.isBlank()) {
      throw new IllegalArgumentException("not a certificate signing request: the text is empty");
    }
    Object object;
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      object = parser.readObject();
    } catch (IOException | RuntimeException e) {
      // BC reports bad base64 and bad DER as IOExceptions or as runtime exceptions, depending on where it breaks
      throw new IllegalArgumentException("not a certificate signing request: malformed PEM or DER ("
          + e.getMessage() + ")", e);
    }
    if (object == null) {
      throw new IllegalArgumentException("not a certificate signing request: no PEM block "
          + "(-----BEGIN CERTIFICATE REQUEST-----) in the text");
    }
    if (!(object instanceof PKCS10CertificationRequest)) {
      throw new IllegalArgumentException("not a certificate signing request: the PEM block holds a "
          + object.getClass().getSimpleName().replace("Holder", "") + ", not a CERTIFICATE REQUEST");
    }
    return new Csr((PKCS10CertificationRequest) object);
  }

  /** The request as PEM text labelled {@code CERTIFICATE REQUEST}. */
  public String pem() {
    return Pem.encode(request);
  }

  /** The DER encoding of the request (a fresh copy). */
  public byte[] der() {
    try {
      return request.getEncoded();
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode a parsed CSR", e);
    }
  }

  /** The subject as an RFC 2253 string, most specific name first (such as {@code CN=SEP001122334455,O=Example}). */
  public String subject() {
    return principal(request.getSubject()).getName(X500Principal.RFC2253);
  }

  /** The public key to be certified. */
  public PublicKey publicKey() {
    return publicKey;
  }

  /** {@code RSA} or {@code EC}. */
  public String keyAlgorithm() {
    return publicKey instanceof RSAPublicKey ? "RSA" : "EC";
  }

  /** The RSA modulus length in bits, or the EC field size (256, 384 or 521). */
  public int keySize() {
    return publicKey instanceof RSAPublicKey rsa ? rsa.getModulus().bitLength()
        : ((ECPublicKey) publicKey).getParams().getCurve().getField().getFieldSize();
  }

  /**
   * Whether the request is signed by the private key of {@link #publicKey()}, which proves that the requester
   * holds it. Checked anew on every call (nothing is cached): a signature that cannot be checked is not valid.
   */
  public boolean signatureValid() {
    try {
      return request.isSignatureValid(verifiers());
    } catch (OperatorCreationException | PKCSException | IOException | RuntimeException e) {
      return false;
    }
  }

  /**
   * Bouncy Castle's own verifiers rather than the JDK's: the JDK 17 ECDSA verifier is constant-time and about ten
   * times slower, which a signature over public data does not need (it dominated LSC issuance), and the JDK
   * cannot check RSASSA-PSS through Bouncy Castle's JCA helper without the BC provider installed.
   */
  private ContentVerifierProvider verifiers() throws OperatorCreationException, IOException {
    var key = PublicKeyFactory.createKey(request.getSubjectPublicKeyInfo());
    return publicKey instanceof RSAPublicKey ? new BcRSAContentVerifierProviderBuilder(DIGESTS).build(key)
        : new BcECContentVerifierProviderBuilder(DIGESTS).build(key);
  }

  /** The DNS names of the subjectAltName extension request, in request order; empty when it asks for none. */
  public List<String> dnsNames() {
    return dnsNames;
  }

  /**
   * The keyUsage bits of the extension request, as Bouncy Castle's {@link KeyUsage} constants combine them
   * ({@code KeyUsage.digitalSignature | KeyUsage.keyEncipherment}), or null when it asks for none.
   */
  public Integer requestedKeyUsage() {
    return keyUsage;
  }

  /** The extendedKeyUsage purposes of the extension request, in request order; empty when it asks for none. */
  public List<KeyPurposeId> requestedExtendedKeyUsage() {
    return extendedKeyUsage;
  }

  /** The subject as encoded in the request, for the issued certificate (kept byte for byte). */
  X500Name subjectName() {
    return request.getSubject();
  }

  /** The public key as encoded in the request, for the issued certificate. */
  SubjectPublicKeyInfo subjectPublicKeyInfo() {
    return request.getSubjectPublicKeyInfo();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Csr csr && Arrays.equals(der(), csr.der());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(der());
  }

  @Override
  public String toString() {
    return "CSR for " + subject() + " (" + keyAlgorithm() + " " + keySize() + ")";
  }

  /**
   * An RFC 2253 name in X.500 order, as {@link X500Principal} reads it: the JDK prints it back the same, so
   * {@link #subject()} returns what was asked for. (BC's {@code new X500Name(String)} would keep the text's
   * order instead, which prints reversed in RFC 2253.)
   */
  static X500Name name(String subject) {
    try {
      return X500Name.getInstance(new X500Principal(subject).getEncoded());
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException("'" + subject + "' is not an X.500 distinguished name such as "
          + "CN=SEP001122334455,O=Example", e);
    }
  }

  static X500Principal principal(X500Name name) {
    try {
      return new X500Principal(name.getEncoded());
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode a parsed name", e);
    }
  }

  static GeneralNames dnsGeneralNames(List<String> names) {
    List<GeneralName> general = new ArrayList<>(names.size());
    for (String name : names) {
      if (name == null || name.isBlank() || !name.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
        throw new IllegalArgumentException("'" + name + "' is not a DNS name (ASCII without spaces)");
      }
      general.add(new GeneralName(GeneralName.dNSName, name));
    }
    return new GeneralNames(general.toArray(GeneralName[]::new));
  }

  private static PublicKey publicKey(SubjectPublicKeyInfo info) {
    ASN1ObjectIdentifier algorithm = info.getAlgorithm().getAlgorithm();
    String name = PKCSObjectIdentifiers.rsaEncryption.equals(algorithm) ? "RSA"
        : X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm) ? "EC" : null;
    if (name == null) {
      throw new IllegalArgumentException("CSR key algorithm " + algorithm.getId() + " is neither RSA nor EC");
    }
    try {
      return KeyFactory.getInstance(name).generatePublic(new X509EncodedKeySpec(info.getEncoded()));
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException("CSR " + name + " key cannot be read (unsupported curve or malformed): "
          + e.getMessage(), e);
    }
  }

  private static List<Extensions> extensionRequests(PKCS10CertificationRequest request) {
    try {
      List<Extensions> requests = new ArrayList<>();
      for (Attribute attribute : request.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
        if (attribute.getAttrValues().size() > 0) {
          requests.add(Extensions.getInstance(attribute.getAttrValues().getObjectAt(0)));
        }
      }
      return requests;
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("CSR extension request is malformed: " + e.getMessage(), e);
    }
  }

  private static Integer requestedKeyUsage(List<Extensions> requests) {
    try {
      for (Extensions extensions : requests) {
        KeyUsage usage = KeyUsage.fromExtensions(extensions);
        if (usage != null) {
          return ASN1BitString.getInstance(usage.toASN1Primitive()).intValue();
        }
      }
      return null;
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("CSR keyUsage request is malformed: " + e.getMessage(), e);
    }
  }

  private static List<KeyPurposeId> requestedExtendedKeyUsage(List<Extensions> requests) {
    try {
      for (Extensions extensions : requests) {
        ExtendedKeyUsage usage = ExtendedKeyUsage.fromExtensions(extensions);
        if (usage != null) {
          return List.of(usage.getUsages());
        }
      }
      return List.of();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("CSR extendedKeyUsage request is malformed: " + e.getMessage(), e);
    }
  }

  private static List<String> requestedDnsNames(List<Extensions> requests) {
    try {
      List<String> names = new ArrayList<>();
      for (Extensions extensions : requests) {
        GeneralNames alternatives = GeneralNames.fromExtensions(extensions, Extension.subjectAlternativeName);
        if (alternatives == null) {
          continue;
        }
        for (GeneralName name : alternatives.getNames()) {
          if (name.getTagNo() == GeneralName.dNSName) {
            names.add(((ASN1String) name.getName()).getString());
          }
        }
      }
      return List.copyOf(names);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("CSR extension request is malformed: " + e.getMessage(), e);
    }
  }
}
