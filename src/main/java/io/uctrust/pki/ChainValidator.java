package io.uctrust.pki;

import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertPathValidatorException.BasicReason;
import java.security.cert.CertStore;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.PKIXParameters;
import java.security.cert.PKIXReason;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;

/**
 * PKIX validation of a certificate chain against trusted CAs at a given instant, with the JDK's PKIX
 * path builder: the path is built from the leaf through whichever of the given intermediates fit, so a
 * chain may come unordered or with extra certificates. A trusted CA must itself be valid at that instant.
 * When no path is found, the most likely path (by issuer names) is validated once more to say why in words.
 *
 * <p>Not for: revocation (no CRL or OCSP is fetched), host name or key usage checks of the leaf for a
 * particular purpose (TLS server, client), or validating against the platform's default trust store.
 */
public final class ChainValidator {
  private ChainValidator() {}

  /**
   * The outcome: when valid, {@code reason} is null and {@code path} runs from the leaf up to and including the
   * trusted CA; when not, {@code reason} says why in words starting with what went wrong ("expired: ...", "not
   * yet valid: ...", "no path to a trusted CA: ...", "signature does not verify: ...", "not a CA: ...") and
   * {@code path} is empty.
   */
  public record Result(boolean valid, String reason, List<X509Certificate> path) {
    public Result {
      path = List.copyOf(path);
    }

    static Result valid(List<X509Certificate> path) {
      return new Result(true, null, path);
    }

    static Result invalid(String reason) {
      return new Result(false, reason, List.of());
    }
  }

  /**
   * Validates {@code chain} (the leaf, and intermediates in any order; see {@link #order}) against
   * {@code anchors} at {@code at}, with revocation checking off.
   *
   * @throws IllegalArgumentException when the chain is empty
   */
  public static Result validate(List<X509Certificate> chain, Collection<X509Certificate> anchors, Instant at) {
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("no certificate to validate");
    }
    List<X509Certificate> ordered = order(chain);
    X509Certificate leaf = ordered.get(0);
    if (anchors.contains(leaf)) {
      String outside = outsideValidity(leaf, at, "trusted CA ");
      return outside == null ? Result.valid(List.of(leaf)) : Result.invalid(outside);
    }
    Set<TrustAnchor> current = new HashSet<>();
    for (X509Certificate anchor : anchors) {
      // the JDK does not check a trust anchor's own validity; an expired root is not trusted here
      if (outsideValidity(anchor, at, "") == null) {
        current.add(new TrustAnchor(anchor, null));
      }
    }
    if (!current.isEmpty()) {
      try {
        X509CertSelector target = new X509CertSelector();
        target.setCertificate(leaf);
        PKIXBuilderParameters parameters = new PKIXBuilderParameters(current, target);
        parameters.setRevocationEnabled(false);
        parameters.setDate(Date.from(at));
        parameters.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(ordered)));
        PKIXCertPathBuilderResult result = (PKIXCertPathBuilderResult) CertPathBuilder.getInstance("PKIX")
            .build(parameters);
        List<X509Certificate> path = new ArrayList<>();
        result.getCertPath().getCertificates().forEach(c -> path.add((X509Certificate) c));
        path.add(result.getTrustAnchor().getTrustedCert());
        return Result.valid(path);
      } catch (CertPathBuilderException e) {
        // the builder only says that it found nothing; explain below
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("the JDK's PKIX path builder is not available", e);
      }
    }
    return explain(ordered, anchors, at);
  }

  /**
   * {@code certificates} leaf first: the certificate that issued none of the others and has the longest chain
   * of issuers among them, then its issuer, its issuer's issuer and so on; certificates not on that chain
   * follow in their given order. Duplicates are dropped. Issuers are matched by name and key identifiers, and
   * by signature only to choose between CAs of the same name.
   */
  public static List<X509Certificate> order(List<X509Certificate> certificates) {
    List<X509Certificate> bag = new ArrayList<>(new LinkedHashSet<>(certificates));
    List<X509Certificate> best = null;
    for (X509Certificate candidate : bag) {
      boolean issuedAnother = false;
      for (X509Certificate other : bag) {
        issuedAnother |= other != candidate && issuedBy(other, candidate, true);
      }
      if (!issuedAnother) {
        List<X509Certificate> chain = issuers(candidate, bag);
        if (best == null || chain.size() > best.size()) {
          best = chain;
        }
      }
    }
    if (best == null) {
      // every certificate issued another one (cross-certified CAs): keep the first as the leaf
      best = bag.isEmpty() ? List.of() : issuers(bag.get(0), bag);
    }
    List<X509Certificate> ordered = new ArrayList<>(best);
    for (X509Certificate certificate : bag) {
      if (!ordered.contains(certificate)) {
        ordered.add(certificate);
      }
    }
    return ordered;
  }

  /** {@code leaf} followed by its issuers found in {@code bag}, up to a self-issued one or a missing issuer. */
  private static List<X509Certificate> issuers(X509Certificate leaf, List<X509Certificate> bag) {
    List<X509Certificate> chain = new ArrayList<>(List.of(leaf));
    X509Certificate current = leaf;
    while (!selfIssued(current)) {
      X509Certificate next = issuer(current, bag, chain, true);
      if (next == null) {
        break;
      }
      chain.add(next);
      current = next;
    }
    return chain;
  }

  /** Why no path was built: the path by names, validated so that the JDK names the failing check. */
  private static Result explain(List<X509Certificate> ordered, Collection<X509Certificate> anchors, Instant at) {
    List<X509Certificate> anchorList = new ArrayList<>(anchors);
    List<X509Certificate> path = new ArrayList<>(List.of(ordered.get(0)));
    X509Certificate anchor = null;
    while (anchor == null) {
      X509Certificate current = path.get(path.size() - 1);
      anchor = issuer(current, anchorList, List.of(), false);
      if (anchor != null) {
        break;
      }
      if (selfIssued(current)) {
        return Result.invalid("no path to a trusted CA: " + subject(current) + " is a self-signed CA that is not "
            + "trusted");
      }
      X509Certificate next = issuer(current, ordered, path, false);
      if (next == null) {
        return Result.invalid("no path to a trusted CA: the issuer of " + subject(current) + ", "
            + current.getIssuerX500Principal().getName() + ", is neither in the chain nor trusted");
      }
      path.add(next);
    }
    String anchorOutside = outsideValidity(anchor, at, "trusted CA ");
    if (anchorOutside != null) {
      return Result.invalid(anchorOutside);
    }
    X509Certificate top = path.get(path.size() - 1);
    if (!signedBy(top, anchor)) {
      // the JDK only says that the path does not chain with the anchor when the anchor's key is another one
      return Result.invalid("signature does not verify: " + subject(top) + " is not signed by the key of trusted CA "
          + subject(anchor));
    }
    try {
      CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
      PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
      parameters.setRevocationEnabled(false);
      parameters.setDate(Date.from(at));
      CertPathValidator.getInstance("PKIX").validate(certPath, parameters);
      // the builder missed a path the validator accepts (it never should): the path is valid
      List<X509Certificate> full = new ArrayList<>(path);
      full.add(anchor);
      return Result.valid(full);
    } catch (CertPathValidatorException e) {
      return Result.invalid(reason(e, path, anchor));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK's PKIX path validator is not available", e);
    }
  }

  private static String reason(CertPathValidatorException e, List<X509Certificate> path, X509Certificate anchor) {
    int index = e.getIndex();
    X509Certificate certificate = index >= 0 && index < path.size() ? path.get(index) : null;
    X509Certificate issuer = index >= 0 && index + 1 < path.size() ? path.get(index + 1) : anchor;
    String who = certificate == null ? "a certificate" : subject(certificate);
    CertPathValidatorException.Reason reason = e.getReason();
    if (reason == BasicReason.EXPIRED) {
      return "expired: " + who + (certificate == null ? "" : " expired at " + certificate.getNotAfter().toInstant());
    }
    if (reason == BasicReason.NOT_YET_VALID) {
      return "not yet valid: " + who
          + (certificate == null ? "" : " is valid from " + certificate.getNotBefore().toInstant());
    }
    if (reason == BasicReason.INVALID_SIGNATURE) {
      return "signature does not verify: " + who + " is not signed by the key of " + subject(issuer);
    }
    if (reason == BasicReason.ALGORITHM_CONSTRAINED) {
      return "weak algorithm: " + who + " (" + e.getMessage() + ")";
    }
    if (reason == PKIXReason.NOT_CA_CERT) {
      return "not a CA: " + who + " is not a CA certificate but issued another one";
    }
    if (reason == PKIXReason.PATH_TOO_LONG) {
      return "path too long: " + who + " is below more CAs than a path length constraint allows";
    }
    if (reason == PKIXReason.INVALID_KEY_USAGE) {
      return "key usage: " + who + " may not sign certificates";
    }
    if (reason == PKIXReason.NO_TRUST_ANCHOR) {
      return "no path to a trusted CA: " + e.getMessage();
    }
    if (reason == PKIXReason.UNRECOGNIZED_CRIT_EXT) {
      return "unsupported critical extension: " + who + " (" + e.getMessage() + ")";
    }
    return "invalid: " + who + ": " + e.getMessage();
  }

  /** Why {@code certificate} is not valid at {@code at}, or null when it is. */
  private static String outsideValidity(X509Certificate certificate, Instant at, String role) {
    Instant notBefore = certificate.getNotBefore().toInstant();
    Instant notAfter = certificate.getNotAfter().toInstant();
    if (at.isBefore(notBefore)) {
      return "not yet valid: " + role + subject(certificate) + " is valid from " + notBefore;
    }
    if (at.isAfter(notAfter)) {
      return "expired: " + role + subject(certificate) + " expired at " + notAfter;
    }
    return null;
  }

  /**
   * The certificate among {@code candidates} (not in {@code skip}) that issued {@code child}: by name and key
   * identifiers, preferring one whose key verifies the signature. With {@code strict} false a CA of the right
   * name whose key identifier differs still counts, so that a wrong signature can be named as such.
   */
  private static X509Certificate issuer(X509Certificate child, List<X509Certificate> candidates,
      List<X509Certificate> skip, boolean strict) {
    X509Certificate byName = null;
    for (X509Certificate candidate : candidates) {
      if (candidate == child || skip.contains(candidate) || !issuedBy(child, candidate, strict)) {
        continue;
      }
      if (signedBy(child, candidate)) {
        return candidate;
      }
      if (byName == null) {
        byName = candidate;
      }
    }
    return byName;
  }

  private static boolean issuedBy(X509Certificate child, X509Certificate parent, boolean strict) {
    if (!child.getIssuerX500Principal().equals(parent.getSubjectX500Principal())) {
      return false;
    }
    if (!strict) {
      return true;
    }
    byte[] authority = authorityKeyId(child);
    byte[] subject = subjectKeyId(parent);
    return authority == null || subject == null || Arrays.equals(authority, subject);
  }

  /** Whether {@code issuer}'s key verifies {@code certificate}'s signature (names are not compared). */
  public static boolean signedBy(X509Certificate certificate, X509Certificate issuer) {
    try {
      certificate.verify(issuer.getPublicKey());
      return true;
    } catch (GeneralSecurityException | RuntimeException e) {
      return false; // the signature does not verify with this key: not issued by it
    }
  }

  /** A self-signed certificate: its issuer is its subject and its own key verifies it. */
  public static boolean selfSigned(X509Certificate certificate) {
    return certificate.getIssuerX500Principal().equals(certificate.getSubjectX500Principal())
        && signedBy(certificate, certificate);
  }

  private static boolean selfIssued(X509Certificate certificate) {
    return certificate.getIssuerX500Principal().equals(certificate.getSubjectX500Principal());
  }

  private static String subject(X509Certificate certificate) {
    return certificate.getSubjectX500Principal().getName();
  }

  private static byte[] subjectKeyId(X509Certificate certificate) {
    byte[] value = certificate.getExtensionValue(Extension.subjectKeyIdentifier.getId());
    return value == null ? null
        : SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(value).getOctets()).getKeyIdentifier();
  }

  private static byte[] authorityKeyId(X509Certificate certificate) {
    byte[] value = certificate.getExtensionValue(Extension.authorityKeyIdentifier.getId());
    return value == null ? null
        : AuthorityKeyIdentifier.getInstance(ASN1OctetString.getInstance(value).getOctets()).getKeyIdentifierOctets();
  }
}
