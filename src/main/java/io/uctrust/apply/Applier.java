package io.uctrust.apply;

import io.uctrust.cluster.ClusterException;
import io.uctrust.cluster.ClusterPort;
import io.uctrust.cluster.IdentityPort;
import io.uctrust.cluster.Operation;
import io.uctrust.cluster.SecretResolver;
import io.uctrust.desired.CertificateSpec;
import io.uctrust.pki.CertificateFacts;
import io.uctrust.plan.Action;
import io.uctrust.plan.Change;
import io.uctrust.plan.Phase;
import io.uctrust.plan.Plan;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Executes exactly the changes of a plan, in order, and records one outcome per change in the journal
 * as it goes. A failed change does not stop the apply: changes that do not depend on it still run; an
 * identity waits for the trust of its node, a restart runs when something that needed it succeeded, and
 * phone operations wait for the CAPF and trust changes before them.
 *
 * <p>A new identity is done only when its node serves it: each check after the restarts compares the leaf the
 * node's TLS port serves with the one this apply installed (or, for self-signed identities the node made itself and
 * for an apply resumed after the identity change, the one in the node's identity store), and the store with it. A
 * failed check stops that node's remaining changes, and the phone changes when the identity is one phones talk to
 * (CAPF, CallManager, TVS); its other checks still run, since they change nothing.
 */
public final class Applier {

  private final ClusterPort port;
  private final SecretResolver secrets;
  private final Journal journal;
  private final Consumer<String> progress;
  private final PhonePace pace;
  private IdentitySigner signer = IdentitySigner.NONE;
  private BooleanSupplier stopping = () -> false;
  /** The leaf certificates this apply installed, by node/service (a multi-server one on every node it went to). */
  private final Map<String, X509Certificate> installed = new HashMap<>();
  /** Identities whose change succeeded without installing anything yet (the issuer signs later), by node/service. */
  private final Set<String> pending = new HashSet<>();

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

  /**
   * Stops early when {@code stop} says so, checked before each change: the change running finishes, the remaining ones
   * become {@link Outcome.Status#SKIPPED} ({@link #STOPPED}) without being journalled, and the journal stays open as
   * an interrupted apply, so the next run resumes it (restarts and checks still owed are planned again).
   */
  public Applier stoppingWhen(BooleanSupplier stop) {
    this.stopping = stop;
    return this;
  }

  /** The detail of the changes an apply stopped before (see {@link #stoppingWhen}). */
  public static final String STOPPED = "not run: uctrust is stopping; the next run resumes";

  /** Applies {@code plan}; {@code done} lists changes an interrupted apply of the same plan completed. */
  public List<Outcome> apply(Plan plan, Set<Integer> done) throws IOException {
    journal.start(plan);
    installed.clear();
    pending.clear();
    Map<Integer, Outcome> outcomes = new HashMap<>();
    List<Outcome> ordered = new ArrayList<>();
    int total = plan.changes().size();
    int stoppedBefore = -1;
    for (Change change : plan.changes()) {
      Outcome outcome;
      if (stoppedBefore >= 0 || stopping.getAsBoolean()) {
        // left out of the journal: its record stays that of an apply interrupted here
        stoppedBefore = stoppedBefore >= 0 ? stoppedBefore : change.id();
        ordered.add(new Outcome(change.id(), Outcome.Status.SKIPPED, STOPPED));
        continue;
      }
      if (done.contains(change.id())) {
        outcome = new Outcome(change.id(), Outcome.Status.ALREADY_DONE, "done by the interrupted apply");
      } else if (change.action() == Action.MANUAL || change.action() == Action.CHECK) {
        outcome = new Outcome(change.id(), Outcome.Status.MANUAL, change.reason());
      } else {
        String blocked = blockedBy(change, plan, outcomes, pending);
        outcome = blocked != null ? new Outcome(change.id(), Outcome.Status.SKIPPED, blocked) : run(change);
      }
      outcomes.put(change.id(), outcome);
      ordered.add(outcome);
      journal.record(outcome);
      progress.accept(String.format("[%d/%d] %-8s %s %s: %s%s", change.id(), total, change.action().word(), change.resource(),
          change.address(), outcome.status().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '),
          outcome.detail().isEmpty() ? "" : " (" + outcome.detail() + ")"));
    }
    if (stoppedBefore >= 0) {
      progress.accept("stopped before change #" + stoppedBefore + ": uctrust is stopping; the journal keeps the apply"
          + " for the next run");
    } else {
      journal.finish();
    }
    return ordered;
  }

  private Outcome run(Change change) {
    List<String> results = new ArrayList<>();
    for (Operation operation : change.operations()) {
      try {
        if (operation instanceof Operation.IssueIdentity issue) {
          IdentityInstaller.Installed done = new IdentityInstaller(port, signer, secrets).install(issue);
          for (String node : nodes(issue)) {
            if (done.leaf() != null) {
              installed.put(node + "/" + issue.service().yaml(), done.leaf());
            } else {
              pending.add(node + "/" + issue.service().yaml());
            }
          }
          results.add(done.message());
        } else if (operation instanceof Operation.VerifyServedIdentity check) {
          results.add(verify(check));
        } else {
          results.add(pace.perform(operation, o -> port.perform(o, secrets), progress));
        }
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

  private static List<String> nodes(Operation.IssueIdentity issue) {
    List<String> nodes = new ArrayList<>();
    nodes.add(issue.node());
    nodes.addAll(issue.distributeTo());
    return nodes;
  }

  /**
   * The node serves the expected leaf on the service's TLS port, and its identity store holds the same: the plan's
   * fingerprint if it has one, else the certificate this apply installed, else the one in the store (a self-signed
   * identity the node made, or an apply resumed after the identity change). Fails saying what is served instead.
   */
  private String verify(Operation.VerifyServedIdentity check) throws ClusterException {
    String where = check.node() + ":" + IdentityPort.of(check.service()).map(IdentityPort::port).orElse(0) + " ("
        + check.service().yaml() + ")";
    X509Certificate stored = port.identity(check.node(), check.service());
    String inStore = CertificateFacts.of(stored).sha256();
    X509Certificate ours = installed.get(check.node() + "/" + check.service().yaml());
    String expected = check.sha256() != null ? check.sha256() : ours != null ? CertificateFacts.of(ours).sha256() : inStore;
    String whose = check.sha256() != null ? "the plan's" : ours != null ? "installed by this apply" : "in the identity store";
    List<X509Certificate> chain = port.servedChain(check.node(), check.service(), check.keyType());
    if (chain.isEmpty()) {
      throw new ClusterException(where + " answered the handshake without a certificate");
    }
    CertificateFacts leaf = CertificateFacts.of(chain.get(0));
    String served = leaf.sha256();
    if (!served.equals(expected)) {
      String store = inStore.equals(expected) ? "the identity store holds the expected one, so the service has not "
          + "picked it up: restart it and reconcile again"
          : inStore.equals(served) ? "the identity store holds the served one too"
          : "the identity store holds sha256 " + prefix(inStore);
      throw new ClusterException(where + " serves CN " + leaf.commonName() + " (sha256 "
          + prefix(served) + "), not the expected certificate (sha256 " + prefix(expected) + ", " + whose + "); " + store);
    }
    if (!inStore.equals(expected)) {
      throw new ClusterException(where + " serves the expected certificate (sha256 " + prefix(expected) + "), but its "
          + "identity store holds sha256 " + prefix(inStore) + ", which it would serve after its next restart");
    }
    return "serves the new certificate CN " + leaf.commonName() + " (sha256 " + prefix(served)
        + (chain.size() > 1 ? ", chain of " + chain.size() : "") + ") on " + where;
  }

  private static String prefix(String sha256) {
    return sha256.substring(0, Math.min(16, sha256.length()));
  }

  /** Why {@code change} must not run, or null when it may. */
  private static String blockedBy(Change change, Plan plan, Map<Integer, Outcome> outcomes, Set<String> pending) {
    if (change.phase() == Phase.VERIFY) {
      return nothingToCheck(change, plan, outcomes, pending);
    }
    String stopped = notServing(change, plan, outcomes);
    if (stopped != null) {
      return stopped;
    }
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

  /**
   * Why a check has nothing to check: the last identity change before it for its node and service did not succeed,
   * or installed nothing yet. Null when it runs, also when the plan has no such change (a check owed by an interrupted
   * apply).
   */
  private static String nothingToCheck(Change check, Plan plan, Map<Integer, Outcome> outcomes, Set<String> pending) {
    Operation.VerifyServedIdentity op = check.operations().stream().filter(Operation.VerifyServedIdentity.class::isInstance)
        .map(Operation.VerifyServedIdentity.class::cast).findFirst().orElse(null);
    if (op == null) {
      return null;
    }
    Change making = null;
    for (Change before : plan.changes()) {
      if (before.id() < check.id() && before.phase() == Phase.IDENTITY && before.operations().stream().anyMatch(op::checks)) {
        making = before;
      }
    }
    if (making == null) {
      return null;
    }
    Outcome outcome = outcomes.get(making.id());
    if (outcome == null || outcome.status() != Outcome.Status.SUCCEEDED && outcome.status() != Outcome.Status.ALREADY_DONE) {
      return "nothing new to check: change #" + making.id() + " did not succeed";
    }
    if (pending.contains(op.node() + "/" + op.service().yaml())) {
      return "nothing was installed yet by change #" + making.id();
    }
    return null;
  }

  /**
   * Why {@code change} must not run after a failed check: it is on the node that does not serve its new certificate,
   * or it is a phone change and the certificate is one phones talk to. Null when no such check failed.
   */
  private static String notServing(Change change, Plan plan, Map<Integer, Outcome> outcomes) {
    for (Change before : plan.changes()) {
      if (before.id() >= change.id()) {
        break;
      }
      Outcome outcome = outcomes.get(before.id());
      if (before.phase() != Phase.VERIFY || outcome == null || outcome.status() != Outcome.Status.FAILED) {
        continue;
      }
      String node = node(before);
      boolean phonesNeedIt = before.operations().stream().anyMatch(o -> o instanceof Operation.VerifyServedIdentity v
          && PHONE_FACING.contains(v.service()));
      if (node.equals(node(change)) || change.phase() == Phase.PHONES && phonesNeedIt) {
        return node + " does not serve its new certificate (change #" + before.id() + ")";
      }
    }
    return null;
  }

  /** Identities phones connect to: a phone change cannot succeed while one of them is not served. */
  private static final Set<CertificateSpec.Service> PHONE_FACING = Set.of(CertificateSpec.Service.CAPF,
      CertificateSpec.Service.CALLMANAGER, CertificateSpec.Service.CALLMANAGER_ECDSA, CertificateSpec.Service.TVS);

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

  /** The node of an address: node/..., service@node, or a bare node name. */
  private static String node(Change change) {
    String address = change.address();
    int slash = address.indexOf('/');
    if (slash >= 0) {
      return address.substring(0, slash);
    }
    int at = address.lastIndexOf('@');
    return at < 0 ? address : address.substring(at + 1);
  }
}
