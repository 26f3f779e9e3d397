package io.uctrust.plan;

import io.uctrust.desired.TrustStoreSpec.Store;
import io.uctrust.observed.ObservedCluster;
import io.uctrust.pki.ChainValidator;
import io.uctrust.pki.Pem;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * The issuing CA chain of a certificate as one node's trust store holds it: the certificate that signed it, the one
 * that signed that, and so on up to a self-signed root. Issuers are matched by name and confirmed by signature, so a
 * store holding two CAs of the same name still yields the right one.
 *
 * <p>Not for: validating a chain for use (validity, usage); only for telling which CA certificates a peer must trust
 * and whether a store already trusts an identity.
 */
record TrustChain(List<ObservedCluster.Certificate> certificates, boolean complete) {

  /** Bounded: cross-signed CAs in a trust store can form a loop. */
  private static final int MAX_DEPTH = 10;

  TrustChain {
    certificates = List.copyOf(certificates);
  }

  /** The chain of {@code leaf} from {@code store} on {@code node}; empty when its issuer is not there. */
  static TrustChain of(ObservedCluster.Certificate leaf, ObservedCluster.Node node, Store store) {
    List<ObservedCluster.Certificate> chain = new ArrayList<>();
    ObservedCluster.Certificate current = leaf;
    for (int depth = 0; depth < MAX_DEPTH; depth++) {
      ObservedCluster.Certificate issuer = issuer(current, node, store);
      if (issuer == null || chain.stream().anyMatch(c -> c.sha256().equals(issuer.sha256()))) {
        return new TrustChain(chain, false);
      }
      chain.add(issuer);
      if (issuer.subject().equals(issuer.issuer())) {
        return new TrustChain(chain, true);
      }
      current = issuer;
    }
    return new TrustChain(chain, false);
  }

  private static ObservedCluster.Certificate issuer(ObservedCluster.Certificate certificate, ObservedCluster.Node node,
      Store store) {
    if (certificate.pem() == null) {
      return null;
    }
    X509Certificate signed = Pem.certificate(certificate.pem());
    for (ObservedCluster.TrustEntry entry : node.trust()) {
      ObservedCluster.Certificate candidate = entry.certificate();
      if (entry.store() != store || !candidate.subject().equals(certificate.issuer()) || candidate.pem() == null
          || candidate.sha256().equals(certificate.sha256())) {
        continue;
      }
      X509Certificate ca = Pem.certificate(candidate.pem());
      if (ca.getBasicConstraints() < 0) {
        continue;
      }
      if (ChainValidator.signedBy(signed, ca)) {
        return candidate;
      }
      // same name, other key: not this certificate's issuer
    }
    return null;
  }
}
