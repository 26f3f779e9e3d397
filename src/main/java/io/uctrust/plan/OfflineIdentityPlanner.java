package io.uctrust.plan;

import io.uctrust.cluster.Operation;
import io.uctrust.desired.CertificateSpec;
import io.uctrust.desired.Document;
import io.uctrust.desired.OfflineCaFiles;
import io.uctrust.desired.TrustStoreSpec.Store;
import io.uctrust.observed.ObservedCluster;
import io.uctrust.pki.CertificateFacts;
import io.uctrust.pki.ChainValidator;
import io.uctrust.pki.Csr;
import io.uctrust.pki.Pem;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Service identities an offline CA signs, through the desired-state repository: for each unit (a node, or the nodes
 * of a multi-server certificate, named after the first) that needs an identity for the same reasons as CA issuance,
 * the step depends on the files of {@code <node>-<service>} ({@link OfflineCaFiles}):
 * <ul>
 *   <li>no pending CSR: the node makes one, which the apply writes to {@code offline-ca/pending/<name>.csr};</li>
 *   <li>a pending CSR, no signed chain: a check, waiting for the offline CA (not drift);</li>
 *   <li>a signed chain in {@code offline-ca/signed/<name>.pem} for the pending CSR's key that chains to a CA of
 *       {@code spec.issuer.caCertificates} and is valid now: its CA certificates into the service's trust store,
 *       then the install; any other signed file: a manual step naming the problem, blocking nothing else.</li>
 * </ul>
 * A signed file whose leaf is already the node's identity is done with; the next renewal starts with a new CSR.
 *
 * <p>Not for: writing or removing the files (the apply and the reconciler do), or signing anything.
 */
final class OfflineIdentityPlanner {

  void plan(PlanContext context, Document<CertificateSpec> doc, List<ObservedCluster.Node> nodes) {
    if (nodes.isEmpty()) {
      return;
    }
    List<X509Certificate> cas = IdentityPlanner.cas(context, doc);
    boolean trust = false;
    for (List<ObservedCluster.Node> unit : IdentityPlanner.units(doc.spec(), nodes)) {
      trust |= unit(context, doc, unit, cas);
    }
    if (trust) {
      IdentityPlanner.issuerTrust(context, doc, cas, "spec.issuer.caCertificates");
    }
  }

  /** Plans one unit; returns whether its identity is (or becomes) one of the CA's, which needs the CA's trust. */
  private static boolean unit(PlanContext context, Document<CertificateSpec> doc, List<ObservedCluster.Node> unit,
      List<X509Certificate> cas) {
    CertificateSpec spec = doc.spec();
    ObservedCluster.Node primary = unit.get(0);
    String name = OfflineCaFiles.identity(primary.name(), spec.service());
    String pendingFile = OfflineCaFiles.pendingCsr(primary.name(), spec.service());
    String signedFile = OfflineCaFiles.signedChain(primary.name(), spec.service());
    ObservedCluster.Identity current = IdentityPlanner.identity(primary, spec);
    String signed = context.desired.signedIdentities().get(name);
    if (signed != null && installed(signed, current)) {
      signed = null;
    }
    List<String> reasons = IdentityPlanner.reasons(context, doc, unit, cas);
    if (reasons.isEmpty()) {
      return true;
    }
    String pending = context.desired.pendingIdentities().get(name);
    String address = primary.name() + "/" + spec.service().yaml();
    String before = current == null ? "" : TrustPlanner.describe(current.certificate());
    List<String> others = unit.subList(1, unit.size()).stream().map(ObservedCluster.Node::name).toList();
    if (signed != null) {
      Checked checked = pending == null
          ? new Checked(List.of(), "there is no pending CSR " + pendingFile + " to check it against; delete it, and "
              + "uctrust writes a new CSR")
          : check(signed, pending, pendingFile, cas, primary, spec.service().trustStore(), context.clock.instant());
      if (checked.problem() != null) {
        context.add(Phase.MANUAL, Action.MANUAL, "identity-certificate", address, before, "identity from " + signedFile,
            signedFile + " cannot be installed: " + checked.problem(), signedFile, Impact.NONE, List.of(), List.of());
        return false;
      }
      List<X509Certificate> chain = checked.chain();
      // CAs of the chain that the document does not name (an intermediate in the signed file) are needed as well
      List<X509Certificate> extra = chain.subList(1, chain.size()).stream().filter(c -> !cas.contains(c)).toList();
      IdentityPlanner.issuerTrust(context, doc, extra, signedFile);
      X509Certificate leaf = chain.get(0);
      context.add(Phase.IDENTITY, Action.REPLACE, "identity-certificate", address, before,
          "offline (" + doc.address() + "), serial " + leaf.getSerialNumber().toString(16) + ", issued by "
              + leaf.getIssuerX500Principal().getName() + ", expires " + leaf.getNotAfter().toInstant().toString().substring(0, 10)
              + (others.isEmpty() ? "" : ", distributed to " + String.join(", ", others)),
          String.join("; ", reasons) + "; signed by the offline CA and committed to " + signedFile, signedFile,
          new Impact(IdentityPlanner.restarts(context, spec, unit), Restarts.inTrustList(spec.service()), 0),
          new Operation.InstallIdentity(primary.name(), spec.service(), chain.stream().map(Pem::encode).toList(), others));
      return true;
    }
    if (pending != null) {
      context.add(Phase.IDENTITY, Action.CHECK, "identity-certificate", address, before, "offline (" + doc.address() + ")",
          String.join("; ", reasons) + "; waiting for the offline CA to sign " + pendingFile + " (commit the chain as "
              + signedFile + ")", context.desired.source(doc, "spec.issuer"), Impact.NONE, List.of(), List.of());
      return false;
    }
    CertificateSpec.Hash hash = spec.hash() == null ? CertificateSpec.Hash.SHA256 : spec.hash();
    Set<String> names = IdentityPlanner.names(spec, unit);
    String commonName = IdentityPlanner.commonName(spec, primary);
    boolean multi = unit.size() > 1 || spec.distribution() == CertificateSpec.Distribution.MULTI_SERVER;
    // nothing is installed yet, so nothing restarts: the install, once the chain is committed, does
    context.add(Phase.IDENTITY, Action.REPLACE, "identity-certificate", address, before,
        "CSR for the offline CA to " + pendingFile + " (" + doc.address() + "), " + IdentityPlanner.keyType(spec).name() + " "
            + IdentityPlanner.keySize(spec) + ", " + hash.name() + ", CN " + commonName + ", SAN " + String.join(", ", names)
            + (others.isEmpty() ? "" : ", for " + String.join(", ", others) + " too"),
        String.join("; ", reasons), context.desired.source(doc, "spec.issuer"), Impact.NONE,
        new Operation.IssueIdentity(primary.name(), spec.service(), multi, IdentityPlanner.keyType(spec),
            IdentityPlanner.keySize(spec), hash, commonName, List.copyOf(names), spec.subject(), others,
            new Operation.Issuer(doc.address(), IdentityPlanner.absolute(context, doc))));
    return false;
  }

  private static boolean installed(String signed, ObservedCluster.Identity current) {
    if (current == null) {
      return false;
    }
    try {
      List<X509Certificate> chain = ChainValidator.order(Pem.certificates(signed));
      return !chain.isEmpty() && CertificateFacts.of(chain.get(0)).sha256().equals(current.certificate().sha256());
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** A committed chain leaf to root, ready to install, or why the node would refuse it. */
  record Checked(List<X509Certificate> chain, String problem) {}

  /**
   * The node's checks, in the plan: the leaf is for the pending CSR's key, chains to a CA of
   * {@code spec.issuer.caCertificates} and is valid at {@code now}; the chain is completed to its self-signed root
   * from the file, the document's CAs and the service's trust store on {@code node}.
   */
  static Checked check(String text, String pendingCsr, String pendingFile, List<X509Certificate> cas,
      ObservedCluster.Node node, Store store, Instant now) {
    List<X509Certificate> certificates;
    try {
      certificates = ChainValidator.order(Pem.certificates(text));
    } catch (RuntimeException e) {
      return problem("it is not a PEM certificate");
    }
    if (certificates.isEmpty()) {
      return problem("it holds no certificate");
    }
    Csr csr;
    try {
      csr = Csr.parse(pendingCsr);
    } catch (RuntimeException e) {
      return problem("the pending CSR " + pendingFile + " cannot be read; delete it, and uctrust writes a new CSR");
    }
    if (!certificates.get(0).getPublicKey().equals(csr.publicKey())) {
      return problem("it is not for the key of the pending CSR " + pendingFile + "; replace it with the chain the "
          + "offline CA issued for that CSR");
    }
    if (cas.isEmpty()) {
      return problem("spec.issuer.caCertificates names no CA certificate to check it against");
    }
    ChainValidator.Result result = ChainValidator.validate(certificates, cas, now);
    if (!result.valid()) {
      return problem("it does not chain to a CA of spec.issuer.caCertificates (" + result.reason() + ")");
    }
    Set<X509Certificate> known = new LinkedHashSet<>(certificates);
    known.addAll(cas);
    node.trust().stream().filter(t -> t.store() == store).forEach(t -> known.add(Pem.certificate(t.certificate().pem())));
    List<X509Certificate> chain = new ArrayList<>(result.path());
    // bounded: cross-signed CAs can form a loop
    while (!ChainValidator.selfSigned(chain.get(chain.size() - 1)) && chain.size() < 10) {
      X509Certificate last = chain.get(chain.size() - 1);
      X509Certificate issuer = known.stream().filter(ca -> !chain.contains(ca)
          && ca.getSubjectX500Principal().equals(last.getIssuerX500Principal()) && ChainValidator.signedBy(last, ca)).findFirst().orElse(null);
      if (issuer == null) {
        return problem("its chain ends at " + last.getSubjectX500Principal().getName() + ", whose issuer "
            + last.getIssuerX500Principal().getName() + " is neither in the file, nor in spec.issuer.caCertificates, nor in "
            + store.yaml() + " on " + node.name() + "; name the root CA in spec.issuer.caCertificates");
      }
      chain.add(issuer);
    }
    return new Checked(List.copyOf(chain), null);
  }

  private static Checked problem(String problem) {
    return new Checked(List.of(), problem);
  }

}
