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
        results.add(operation instanceof Operation.IssueIdentity issue
            ? new IdentityInstaller(port, signer, secrets).install(issue)
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
