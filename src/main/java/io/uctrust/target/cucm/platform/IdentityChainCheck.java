package io.uctrust.target.cucm.platform;

import io.uctrust.pki.ChainValidator;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Checks an identity chain before {@code POST identity/certificates}: one PEM certificate per entry, leaf
 * first, each certificate issued by the next (issuer name equals the next subject, and the signature
 * verifies with the next key), every issuer a CA, only the last self-signed (the root); and the leaf
 * follows Unified CM's rules (no wildcard names, RSA keys at most 4096 bits).
 *
 * <p>Validity periods are not checked (the node and the planner judge those). Not for: validating trust
 * (no trust anchors are involved), or chains uctrust receives from a node.
 */
final class IdentityChainCheck {
  private IdentityChainCheck() {}

  /** The parsed chain, or {@link PlatformRequestRefused} saying what is wrong. */
  static List<X509Certificate> leafFirst(String service, List<String> pems) throws PlatformRequestRefused {
    String refused = "the identity chain for " + service + " was not sent: ";
    if (pems == null || pems.isEmpty()) {
      throw new PlatformRequestRefused(refused + "it is empty; give the leaf, then intermediates, then the root");
    }
    List<X509Certificate> chain = new ArrayList<>();
    for (int i = 0; i < pems.size(); i++) {
      chain.add(parse(refused, pems.get(i), i + 1));
    }
    for (int i = 0; i < chain.size(); i++) {
      X509Certificate certificate = chain.get(i);
      boolean last = i == chain.size() - 1;
      X509Certificate issuer = last ? certificate : chain.get(i + 1);
      if (!last && ChainValidator.selfSigned(certificate)) {
        throw new PlatformRequestRefused(refused + "certificate " + (i + 1) + " (" + subject(certificate)
            + ") is self-signed but not last; give the leaf, then intermediates, then the root");
      }
      if (!certificate.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())
          || !ChainValidator.signedBy(certificate, issuer)) {
        throw new PlatformRequestRefused(refused + (last
            ? "the last certificate (" + subject(certificate) + ") is not a self-signed root; end the chain with the "
                + "root CA"
            : "certificate " + (i + 1) + " (" + subject(certificate) + ") is not issued by certificate " + (i + 2)
                + " (" + subject(issuer) + "); give the leaf, then intermediates, then the root, each issued by the "
                + "next"));
      }
      if (i > 0 && certificate.getBasicConstraints() < 0 && certificate.getVersion() >= 3) {
        throw new PlatformRequestRefused(refused + "certificate " + (i + 1) + " (" + subject(certificate)
            + ") issues another certificate but is not a CA (no basic constraints CA:TRUE)");
      }
    }
    checkLeaf(refused, chain.get(0));
    return List.copyOf(chain);
  }

  private static X509Certificate parse(String refused, String pem, int position) throws PlatformRequestRefused {
    if (pem == null || !pem.contains("-----BEGIN CERTIFICATE-----")) {
      throw new PlatformRequestRefused(refused + "entry " + position + " is not a PEM certificate");
    }
    Collection<? extends java.security.cert.Certificate> read;
    try {
      read = CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    } catch (CertificateException e) {
      throw new PlatformRequestRefused(refused + "entry " + position + " is not a readable PEM certificate ("
          + e.getMessage() + ")", e);
    }
    if (read.size() != 1) {
      throw new PlatformRequestRefused(refused + "entry " + position + " holds " + read.size()
          + " certificates; give one certificate per entry");
    }
    return (X509Certificate) read.iterator().next();
  }

  private static void checkLeaf(String refused, X509Certificate leaf) throws PlatformRequestRefused {
    if (leaf.getPublicKey() instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() > CsrRequest.MAX_RSA_BITS) {
      throw new PlatformRequestRefused(refused + "the leaf has a " + rsa.getModulus().bitLength()
          + "-bit RSA key; Unified CM accepts at most " + CsrRequest.MAX_RSA_BITS + " bits");
    }
    List<String> names = new ArrayList<>();
    names.addAll(commonNames(leaf));
    try {
      Collection<List<?>> alternatives = leaf.getSubjectAlternativeNames();
      if (alternatives != null) {
        for (List<?> entry : alternatives) {
          if (entry.size() >= 2 && Integer.valueOf(2).equals(entry.get(0)) && entry.get(1) instanceof String dns) {
            names.add(dns);
          }
        }
      }
    } catch (CertificateParsingException e) {
      throw new PlatformRequestRefused(refused + "the leaf's subject alternative names cannot be read ("
          + e.getMessage() + ")", e);
    }
    for (String name : names) {
      if (name.indexOf('*') >= 0) {
        throw new PlatformRequestRefused(refused + "the leaf names " + name + "; Unified CM does not accept wildcard "
            + "certificates");
      }
    }
  }

  private static List<String> commonNames(X509Certificate certificate) throws PlatformRequestRefused {
    List<String> names = new ArrayList<>();
    try {
      for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().toUpperCase(Locale.ROOT).equals("CN")) {
          names.add(String.valueOf(rdn.getValue()));
        }
      }
    } catch (InvalidNameException e) {
      throw new PlatformRequestRefused("the identity chain was not sent: the leaf's subject cannot be read ("
          + e.getMessage() + ")", e);
    }
    return names;
  }

  private static String subject(X509Certificate certificate) {
    return certificate.getSubjectX500Principal().getName();
  }
}
