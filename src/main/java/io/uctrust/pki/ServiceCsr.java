package io.uctrust.pki;

import io.uctrust.desired.CertificateSpec;
import java.io.IOException;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;

/**
 * The CSR of a Unified CM or IM and Presence service identity as the node makes it: subject C, ST, L, O, OU,
 * CN in that order, and an extension request with the key usage (critical) and extended key usage the
 * certificate guide's table gives the service ({@link ServiceUsage}) and the DNS names as subjectAltName.
 *
 * <p>EC keys: RFC 5480 forbids keyEncipherment and dataEncipherment on EC keys, so for an EC key those two bits
 * are asked as keyAgreement instead ({@link ServiceUsage#forKey}); otherwise the -ECDSA services ask what their
 * RSA twins ask.
 *
 * <p>Not for: phone CSRs (they carry no service usage), checking that the key type suits the service or that
 * the names are allowed (validation of the desired state does), or deciding what the certificate will contain
 * (the issuer does).
 */
public final class ServiceCsr {
  private ServiceCsr() {}

  /**
   * A CSR for {@code service} with {@code subject}'s fields and {@code commonName}, asking for {@code dnsNames}
   * (in order, the first spelling of names equal but for case kept; no subjectAltName when empty), signed with
   * {@code keys} by {@code hash} (SHA-256 when null) with RSA or ECDSA as the key is.
   *
   * @throws IllegalArgumentException when the common name is blank, a DNS name is blank or not ASCII, or the
   *     key is neither RSA nor EC
   */
  public static Csr create(CertificateSpec.Service service, KeyPair keys, SubjectFields subject,
      String commonName, List<String> dnsNames, CertificateSpec.Hash hash) {
    String keyAlgorithm = keys.getPublic().getAlgorithm();
    ServiceUsage usage = ServiceUsage.of(service).forKey(keyAlgorithm);
    List<String> names = distinct(dnsNames == null ? List.of() : dnsNames);
    ExtensionsGenerator extensions = new ExtensionsGenerator();
    try {
      extensions.addExtension(Extension.keyUsage, true, new KeyUsage(usage.keyUsage()));
      extensions.addExtension(Extension.extendedKeyUsage, false,
          new ExtendedKeyUsage(usage.extendedKeyUsage().toArray(KeyPurposeId[]::new)));
      if (!names.isEmpty()) {
        extensions.addExtension(Extension.subjectAlternativeName, false, Csr.dnsGeneralNames(names));
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot encode the extension request for " + service.yaml() + " "
          + commonName + ": " + e.getMessage(), e);
    }
    return Csr.sign(name(subject == null ? SubjectFields.none() : subject, commonName), keys, extensions,
        (hash == null ? CertificateSpec.Hash.SHA256 : hash).name());
  }

  /** The subject in X.500 order, C first and CN last, as a node's CSR has it (RFC 2253 prints it reversed). */
  private static X500Name name(SubjectFields subject, String commonName) {
    if (SubjectFields.blank(commonName)) {
      throw new IllegalArgumentException("a service CSR needs a common name");
    }
    X500NameBuilder builder = new X500NameBuilder(BCStyle.INSTANCE);
    add(builder, BCStyle.C, subject.country());
    add(builder, BCStyle.ST, subject.state());
    add(builder, BCStyle.L, subject.locality());
    add(builder, BCStyle.O, subject.organization());
    add(builder, BCStyle.OU, subject.organizationalUnit());
    add(builder, BCStyle.CN, commonName);
    return builder.build();
  }

  private static void add(X500NameBuilder builder, ASN1ObjectIdentifier type, String value) {
    if (!SubjectFields.blank(value)) {
      builder.addRDN(type, value);
    }
  }

  /** DNS names compare without case (RFC 4343): a name asked twice is asked once, as first spelled. */
  private static List<String> distinct(List<String> names) {
    Map<String, String> first = new LinkedHashMap<>();
    for (String name : names) {
      first.putIfAbsent(name == null ? null : name.toLowerCase(Locale.ROOT), name);
    }
    return new ArrayList<>(first.values());
  }
}
