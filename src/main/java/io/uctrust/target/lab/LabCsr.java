package io.uctrust.target.lab;

import io.uctrust.pki.Pem;
import java.security.KeyPair;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * The PKCS#10 CSR a served lab node answers {@code POST csr} with: the common name, the alternative names as
 * DNS names in an extension request, signed with the key pair the node keeps for the later identity upload.
 *
 * <p>Not for: CSRs uctrust itself sends to a CA (the pki package), or any check of the request's values.
 */
final class LabCsr {
  private LabCsr() {}

  static String pem(String commonName, List<String> altNames, KeyPair keys, String hash) {
    try {
      var subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName)
          .addRDN(BCStyle.O, "uctrust lab").build();
      var builder = new JcaPKCS10CertificationRequestBuilder(subject, keys.getPublic());
      if (!altNames.isEmpty()) {
        ExtensionsGenerator extensions = new ExtensionsGenerator();
        extensions.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(altNames.stream()
            .map(n -> new GeneralName(GeneralName.dNSName, n)).toArray(GeneralName[]::new)));
        builder.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate());
      }
      String digest = hash.replace("-", "").toUpperCase(java.util.Locale.ROOT);
      String algorithm = digest + "with" + ("EC".equals(keys.getPrivate().getAlgorithm()) ? "ECDSA" : "RSA");
      return Pem.encode(builder.build(new JcaContentSignerBuilder(algorithm).build(keys.getPrivate())));
    } catch (Exception e) {
      throw new IllegalStateException("cannot make the CSR for " + commonName + ": " + e.getMessage(), e);
    }
  }
}
