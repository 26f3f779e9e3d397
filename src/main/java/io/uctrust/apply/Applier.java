package io.uctrust.apply;

import io.uctrust.cluster.ClusterException;
import io.uctrust.cluster.ClusterPort;
import io.uctrust.cluster.Operation;
import io.uctrust.cluster.SecretResolver;
import io.uctrust.plan.Action;
import io.uctrust.plan.Change;
import io.uctrust.plan.Phase;
import io.uctrust.plan.Plan;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Executes exactly the changes of a plan, in order, and records one outcome per change in the journal
 * as it goes. A failed change does not stop the apply: changes that do not depend on it still run; an
 * identity waits for the trust of its node, a restart runs when something that needed it succeeded, and
 * phone operations wait for the CAPF and trust changes before them.
 */
public final class Applier {

  private final ClusterPort port;
  private final SecretResolver secrets;
  private final Journal journal;
  private final Consumer<String> progress;
  private final PhonePace pace;
  private IdentitySigner signer = IdentitySigner.NONE;

  public Applier(ClusterPort port, SecretResolver secrets, Journal journal, Consumer<String> progress) {
    this(port, secrets, journal, progress, PhonePace.UNPACED);
  }

  /** An applier that paces phone operations at {@code pace} (CAPF sessions load the cluster). */
  public Applier(ClusterPort port, SecretResolver secrets, Journal journal, Consumer<String> progress, PhonePace pace) {
    this.port = port;
    this.secrets = secrets;
    this.journal = journal;
    this.progress = progress;
    this.pace = pace;
  }

  /** Issues CA-signed identities with {@code signer}; without one they fail. */
  public Applier signingWith(IdentitySigner signer) {
    this.signer = signer;
    return this;
  }

  /** Applies {@code plan}; {@code done} lists changes an interrupted apply of the same plan completed. */
  public List<Outcome> apply(Plan plan, Set<Integer> done) throws IOException {
    journal.start(plan);
    Map<Integer, Outcome> outcomes = new HashMap<>();
    List<Outcome> ordered = new ArrayList<>();
    int total = plan.changes().size();
    for (Change change : plan.changes()) {
      Outcome outcome;
      if (done.contains(change.id())) {
        outcome = new Outcome(change.id(), Outcome.Status.ALREADY_DONE, "done by the interrupted apply");
      } else if (change.action() == Action.MANUAL || change.action() == Action.CHECK) {
        outcome = new Outcome(change.id(), Outcome.Status.MANUAL, change.reason());
      } else {
        String blocked = blockedBy(change, plan, outcomes);
        outcome = blocked != null ? new Outcome(change.id(), Outcome.Status.SKIPPED, blocked) : run(change);
      }
      outcomes.put(change.id(), outcome);
      ordered.add(outcome);
      journal.record(outcome);
      progress.accept(String.format("[%d/%d] %-8s %s %s: %s%s", change.id(), total, change.action().word(), change.resource(),
          change.address(), outcome.status().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '),
          outcome.detail().isEmpty() ? "" : " (" + outcome.detail() + ")"));
    }
    journal.finish();
    return ordered;
  }

  private Outcome run(Change change) {
    List<String> results = new ArrayList<>();
    for (Operation operation : change.operations()) {
      try {
        results.add(operation instanceof Operation.IssueIdentity issue ? issue(issue)
            : pace.perform(operation, o -> port.perform(o, secrets), progress));
      } catch (ClusterException e) {
        return new Outcome(change.id(), Outcome.Status.FAILED, e.getMessage()
            + (results.isEmpty() ? "" : " (after " + results.size() + " of " + change.operations().size() + " operations)"));
      } catch (RuntimeException e) {
        return new Outcome(change.id(), Outcome.Status.FAILED, "internal error: " + e.getClass().getSimpleName()
            + (e.getMessage() == null ? "" : ": " + e.getMessage()));
      }
    }
    return new Outcome(change.id(), Outcome.Status.SUCCEEDED, results.size() == 1 ? results.get(0) : results.size() + " operations");
  }

  /**
   * The node makes a key pair and CSR, the issuer signs it, the node installs the chain. The plan's trust changes
   * have put the issuer's CA into the service's trust store first; an issuer whose chain is known only now (ACME)
   * gets any CA certificate still missing uploaded here, because the node refuses an identity it cannot chain.
   */
  private String issue(Operation.IssueIdentity request) throws ClusterException {
    io.uctrust.pki.Csr csr;
    try {
      csr = io.uctrust.pki.Csr.parse(port.requestCsr(request));
    } catch (IllegalArgumentException e) {
      throw new ClusterException(request.node() + " answered with a CSR that cannot be read: " + e.getMessage());
    }
    IdentitySigner.Signed signed = signer.sign(request, csr, secrets);
    if (signed.chain().isEmpty()) {
      return signed.message();
    }
    if (!signed.chain().get(0).getPublicKey().equals(csr.publicKey())) {
      throw new ClusterException("the issuer of " + request.issuer().document() + " returned a certificate for another key");
    }
    List<java.security.cert.X509Certificate> complete = toRoot(request, signed.chain());
    trustIssuers(request, complete);
    List<String> chain = complete.stream().map(io.uctrust.pki.Pem::encode).toList();
    port.perform(new Operation.InstallIdentity(request.node(), request.service(), chain, request.distributeTo()), secrets);
    java.security.cert.X509Certificate leaf = complete.get(0);
    return "installed " + request.service().yaml() + " certificate from " + request.issuer().document() + ", serial "
        + leaf.getSerialNumber().toString(16) + ", expires " + leaf.getNotAfter().toInstant().toString().substring(0, 10);
  }

  /**
   * {@code chain} up to its self-signed root, which a node needs to take the identity (the real one as much as the
   * lab). An ACME server sends the chain without the root: it is taken from the service's trust store on the
   * request's nodes, where {@code spec.issuer.caCertificates} or a TrustStore document put it.
   */
  private List<java.security.cert.X509Certificate> toRoot(Operation.IssueIdentity request,
      List<java.security.cert.X509Certificate> chain) throws ClusterException {
    List<java.security.cert.X509Certificate> complete = new ArrayList<>(chain);
    io.uctrust.desired.TrustStoreSpec.Store store = request.service().trustStore();
    List<String> nodes = new ArrayList<>();
    nodes.add(request.node());
    nodes.addAll(request.distributeTo());
    List<java.security.cert.X509Certificate> trusted = null;
    // bounded: a chain that loops through cross-signed CAs must not keep the applier busy
    while (!selfSigned(complete.get(complete.size() - 1)) && complete.size() < 10) {
      if (trusted == null) {
        trusted = port.observe().nodes().stream().filter(n -> nodes.contains(n.name()))
            .flatMap(n -> n.trust().stream()).filter(t -> t.store() == store)
            .map(t -> io.uctrust.pki.Pem.certificate(t.certificate().pem())).toList();
      }
      java.security.cert.X509Certificate last = complete.get(complete.size() - 1);
      java.security.cert.X509Certificate issuer = trusted.stream()
          .filter(ca -> ca.getSubjectX500Principal().equals(last.getIssuerX500Principal()) && signedBy(last, ca))
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

  private static boolean selfSigned(java.security.cert.X509Certificate certificate) {
    return certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())
        && signedBy(certificate, certificate);
  }

  private static boolean signedBy(java.security.cert.X509Certificate certificate, java.security.cert.X509Certificate issuer) {
    try {
      certificate.verify(issuer.getPublicKey());
      return true;
    } catch (java.security.GeneralSecurityException e) {
      return false;
    }
  }

  private void trustIssuers(Operation.IssueIdentity request, List<java.security.cert.X509Certificate> chain)
      throws ClusterException {
    if (chain.size() < 2) {
      return;
    }
    io.uctrust.desired.TrustStoreSpec.Store store = request.service().trustStore();
    Set<String> nodes = new java.util.LinkedHashSet<>();
    nodes.add(request.node());
    nodes.addAll(request.distributeTo());
    for (io.uctrust.observed.ObservedCluster.Node node : port.observe().nodes()) {
      if (!nodes.contains(node.name())) {
        continue;
      }
      for (java.security.cert.X509Certificate ca : chain.subList(1, chain.size())) {
        String sha256 = io.uctrust.pki.CertificateFacts.of(ca).sha256();
        boolean present = node.trust().stream().anyMatch(t -> t.store() == store && t.certificate().sha256().equals(sha256));
        if (!present) {
          port.perform(new Operation.UploadTrust(node.name(), store, io.uctrust.pki.Pem.encode(ca),
              "issuer of " + request.service().yaml() + " (" + request.issuer().document() + ")"), secrets);
        }
      }
    }
  }

  /** Why {@code change} must not run, or null when it may. */
  private static String blockedBy(Change change, Plan plan, Map<Integer, Outcome> outcomes) {
    if (change.phase() == Phase.RESTART) {
      List<Change> needing = plan.changes().stream().filter(c -> c.impact().restarts().contains(change.address())).toList();
      boolean anySucceeded = needing.isEmpty() || needing.stream().map(c -> outcomes.get(c.id()))
          .anyMatch(o -> o != null && (o.status() == Outcome.Status.SUCCEEDED || o.status() == Outcome.Status.ALREADY_DONE));
      return anySucceeded ? null : "nothing that needed this restart succeeded";
    }
    for (Change before : plan.changes()) {
      if (before.id() >= change.id()) {
        break;
      }
      Outcome outcome = outcomes.get(before.id());
      if (outcome != null && outcome.status() == Outcome.Status.FAILED && dependsOn(change, before)) {
        return "depends on failed change #" + before.id();
      }
    }
    return null;
  }

  /** Identities need the trust of their node; phone operations need CAPF settings and CAPF/CallManager trust. */
  private static boolean dependsOn(Change change, Change before) {
    if (change.phase() == Phase.IDENTITY && before.phase() == Phase.TRUST) {
      return node(change).equals(node(before));
    }
    if (change.phase() == Phase.PHONES) {
      return before.resource().equals("capf-parameter") || before.resource().equals("phone-security-profile")
          || before.phase() == Phase.TRUST && (before.address().contains("/CAPF-trust/")
              || before.address().contains("/CallManager-trust/"));
    }
    return false;
  }

  private static String node(Change change) {
    int slash = change.address().indexOf('/');
    return slash < 0 ? change.address() : change.address().substring(0, slash);
  }
}
