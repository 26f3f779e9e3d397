package io.uctrust.apply;

import io.uctrust.cluster.ClusterException;
import io.uctrust.cluster.Operation;
import io.uctrust.cluster.SecretResolver;
import io.uctrust.pki.Csr;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Gets a node's CSR signed by the issuer a Certificate document names (a CA keystore or token, an ACME server, or an
 * offline CA through git). The applier asks the node for the CSR, hands it here, and installs what comes back.
 *
 * <p>Not for: self-signed identities (the node makes those itself) or deciding what to issue (the planner does).
 */
public interface IdentitySigner {

  /**
   * Signs {@code csr} for {@code request}; the chain is leaf first. An offline CA signs later: then the chain is
   * empty and {@code message} says where the CSR waits.
   */
  Signed sign(Operation.IssueIdentity request, Csr csr, SecretResolver secrets) throws ClusterException;

  /** A signed chain (leaf first), or an empty chain and where the request waits. */
  record Signed(List<X509Certificate> chain, String message) {}

  /** For appliers that never issue: any issuance fails with a clear message. */
  IdentitySigner NONE = (request, csr, secrets) -> {
    throw new ClusterException("no issuer is configured for " + request.issuer().document());
  };
}
