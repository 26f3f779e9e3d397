package io.uctrust.apply;

import io.uctrust.pki.ChainValidator;
import io.uctrust.cluster.ClusterException;
import io.uctrust.cluster.ClusterPort;
import io.uctrust.cluster.Operation;
import io.uctrust.cluster.SecretResolver;
import io.uctrust.desired.TrustStoreSpec.Store;
import io.uctrust.observed.ObservedCluster;
import io.uctrust.pki.CertificateFacts;
import io.uctrust.pki.Csr;
import io.uctrust.pki.Pem;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Carries out one {@link Operation.IssueIdentity} in its steps: the node's CSR, the issuer's signature, the chain
 * completed to its root and its CA certificates in the service's trust store, then the install.
 *
 * <p>Not for: self-signed identities or anything but one issuance; the applier decides whether it runs at all.
 */
final class IdentityInstaller {
  private final ClusterPort port;
  private final IdentitySigner signer;
  private final SecretResolver secrets;

  IdentityInstaller(ClusterPort port, IdentitySigner signer, SecretResolver secrets) {
    this.port = port;
    this.signer = signer;
    this.secrets = secrets;
  }

  /** What an issuance did: the line for the outcome, and the leaf installed (null when the issuer signs later). */
  record Installed(String message, X509Certificate leaf) {}

  /**
   * The node makes a key pair and CSR, the issuer signs it, the node installs the chain. The plan's trust changes
   * have put the issuer's CA into the service's trust store first; an issuer whose chain is known only now (ACME)
   * gets any CA certificate still missing uploaded here, because the node refuses an identity it cannot chain.
   */
  Installed install(Operation.IssueIdentity request) throws ClusterException {
    Csr csr;
    try {
      csr = Csr.parse(port.requestCsr(request));
    } catch (IllegalArgumentException e) {
      throw new ClusterException(request.node() + " answered with a CSR that cannot be read: " + e.getMessage());
    }
    IdentitySigner.Signed signed = signer.sign(request, csr, secrets);
    if (signed.chain().isEmpty()) {
      return new Installed(signed.message(), null);
    }
    if (!signed.chain().get(0).getPublicKey().equals(csr.publicKey())) {
      throw new ClusterException("the issuer of " + request.issuer().document() + " returned a certificate for another key");
    }
    List<X509Certificate> complete = toRoot(request, signed.chain());
    trustIssuers(request, complete);
    List<String> chain = complete.stream().map(Pem::encode).toList();
    port.perform(new Operation.InstallIdentity(request.node(), request.service(), chain, request.distributeTo()), secrets);
    X509Certificate leaf = complete.get(0);
    return new Installed("installed " + request.service().yaml() + " certificate from " + request.issuer().document()
        + ", serial " + leaf.getSerialNumber().toString(16) + ", expires "
        + leaf.getNotAfter().toInstant().toString().substring(0, 10), leaf);
  }

  /**
   * {@code chain} up to its self-signed root, which a node needs to take the identity (the real one as much as the
   * lab). An ACME server sends the chain without the root: it is taken from the service's trust store on the
   * request's nodes, where {@code spec.issuer.caCertificates} or a TrustStore document put it.
   */
  private List<X509Certificate> toRoot(Operation.IssueIdentity request,
      List<X509Certificate> chain) throws ClusterException {
    List<X509Certificate> complete = new ArrayList<>(chain);
    Store store = request.service().trustStore();
    List<String> nodes = new ArrayList<>();
    nodes.add(request.node());
    nodes.addAll(request.distributeTo());
    List<X509Certificate> trusted = null;
    // bounded: a chain that loops through cross-signed CAs must not keep the applier busy
    while (!ChainValidator.selfSigned(complete.get(complete.size() - 1)) && complete.size() < 10) {
      if (trusted == null) {
        trusted = port.observe().nodes().stream().filter(n -> nodes.contains(n.name()))
            .flatMap(n -> n.trust().stream()).filter(t -> t.store() == store)
            .map(t -> Pem.certificate(t.certificate().pem())).toList();
      }
      X509Certificate last = complete.get(complete.size() - 1);
      X509Certificate issuer = trusted.stream()
          .filter(ca -> ca.getSubjectX500Principal().equals(last.getIssuerX500Principal()) && ChainValidator.signedBy(last, ca))
          .findFirst().orElse(null);
      if (issuer == null) {
        throw new ClusterException("the chain from the issuer of " + request.issuer().document() + " ends at "
            + last.getSubjectX500Principal().getName() + ", whose issuer " + last.getIssuerX500Principal().getName()
            + " is not in " + store.yaml() + " on " + request.node() + ": name the root CA in spec.issuer.caCertificates");
      }
      complete.add(issuer);
    }
    return complete;
  }

  private void trustIssuers(Operation.IssueIdentity request, List<X509Certificate> chain)
      throws ClusterException {
    if (chain.size() < 2) {
      return;
    }
    Store store = request.service().trustStore();
    Set<String> nodes = new LinkedHashSet<>();
    nodes.add(request.node());
    nodes.addAll(request.distributeTo());
    for (ObservedCluster.Node node : port.observe().nodes()) {
      if (!nodes.contains(node.name())) {
        continue;
      }
      for (X509Certificate ca : chain.subList(1, chain.size())) {
        String sha256 = CertificateFacts.of(ca).sha256();
        boolean present = node.trust().stream().anyMatch(t -> t.store() == store && t.certificate().sha256().equals(sha256));
        if (!present) {
          port.perform(new Operation.UploadTrust(node.name(), store, Pem.encode(ca),
              "issuer of " + request.service().yaml() + " (" + request.issuer().document() + ")"), secrets);
        }
      }
    }
  }
}
