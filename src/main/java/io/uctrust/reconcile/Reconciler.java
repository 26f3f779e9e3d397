package io.uctrust.reconcile;

import io.uctrust.apply.Applier;
import io.uctrust.issuance.IdentitySigners;
import io.uctrust.issuance.OfflineIdentityFolder;
import io.uctrust.apply.Journal;
import io.uctrust.apply.Outcome;
import io.uctrust.cluster.Operation;
import io.uctrust.apply.PhonePace;
import io.uctrust.cluster.ClusterException;
import io.uctrust.cluster.ClusterPort;
import io.uctrust.desired.ClusterSpec;
import io.uctrust.desired.DesiredResolver;
import io.uctrust.desired.Document;
import io.uctrust.desired.ResolvedDesired;
import io.uctrust.gitops.SourceRevision;
import io.uctrust.observed.ObservedCluster;
import io.uctrust.pki.Revocation;
import io.uctrust.plan.Change;
import io.uctrust.plan.Phase;
import io.uctrust.plan.Plan;
import io.uctrust.plan.Planner;
import io.uctrust.target.TargetOptions;
import io.uctrust.target.Targets;
import io.uctrust.target.lab.LabStore;
import io.uctrust.target.snapshot.SnapshotCluster;
import io.uctrust.target.snapshot.SnapshotFile;
import io.uctrust.validate.ValidationOptions;
import io.uctrust.validate.ValidationReport;
import io.uctrust.validate.Validator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The main job, for every cluster of a desired-state folder: load and validate, resolve, observe the
 * cluster, plan, and (unless a dry run) apply exactly that plan while holding the cluster's lock, with a
 * journal so an interrupted apply can be finished. Used by {@code reconcile} and {@code status}.
 */
public final class Reconciler {

  /** A saved plan that no longer matches its inputs, or cannot be read. */
  public static final class StalePlanException extends Exception {
    private static final long serialVersionUID = 1L;

    public StalePlanException(String message) {
      super(message);
    }
  }

  private final Clock clock;
  private final TargetOptions targets;
  private final ValidationOptions validation;
  private final Map<String, String> environment;
  private final Consumer<String> progress;
  private Integer phonesPerMinute;
  private boolean retryFailed;
  private SnapshotFile against;
  private SourceRevision source;
  private UnaryOperator<Plan> narrowing = UnaryOperator.identity();
  private BooleanSupplier stopping = () -> false;
  private Map<String, Revocation> revoked = Map.of();

  public Reconciler(Clock clock, TargetOptions targets, ValidationOptions validation, Map<String, String> environment,
      Consumer<String> progress) {
    this.clock = clock;
    this.targets = targets;
    this.validation = validation;
    this.environment = environment;
    this.progress = progress;
  }

  /**
   * Paces phone operations at {@code perMinute} phones a minute (0: unpaced); null, the default: unpaced for the
   * lab, {@link PhonePace#DEFAULT_PHONES_PER_MINUTE} for a real cluster.
   */
  public Reconciler pacing(Integer perMinute) {
    this.phonesPerMinute = perMinute;
    return this;
  }

  /** Plans CAPF operations again for phones whose last attempt failed with the same settings. */
  public Reconciler retryingFailedPhones(boolean retry) {
    this.retryFailed = retry;
    return this;
  }

  /**
   * Plans against {@code snapshot} instead of the live clusters (dry runs only): no credentials, no network, and nothing
   * of this machine's state: no lab, journal or lock (restarts and checks an interrupted apply owes are the applying
   * machine's to know), no online CA probe (the one recorded with the snapshot stands in), and no CSR files written
   * into the desired-state folder.
   */
  public Reconciler against(SnapshotFile snapshot) {
    this.against = snapshot;
    return this;
  }

  /**
   * Records that the desired state was read from {@code revision} (null: a plain folder): plans carry it, and a
   * saved plan made from another commit is stale.
   */
  public Reconciler readFrom(SourceRevision revision) {
    this.source = revision;
    return this;
  }

  /**
   * Applies only what {@code narrow} keeps of each plan computed for an apply (the controller keeps changes that need a
   * maintenance window out of it); the result holds the narrowed plan. Not for saved plans, which apply as saved.
   */
  public Reconciler narrowing(UnaryOperator<Plan> narrow) {
    this.narrowing = narrow;
    return this;
  }

  /** Plans a CA-signed identity whose certificate is among {@code revocations} (by SHA-256) anew (the OCSP checks). */
  public Reconciler withRevoked(Map<String, Revocation> revocations) {
    this.revoked = Map.copyOf(revocations);
    return this;
  }

  /** Stops an apply early when {@code stop} says so, between changes (see {@link Applier#stoppingWhen}). */
  public Reconciler stoppingWhen(BooleanSupplier stop) {
    this.stopping = stop;
    return this;
  }

  /** Plans every cluster (or only {@code only}) without changing anything. */
  public ReconcileResult dryRun(Path dir, String only) {
    return run(dir, only, false, null);
  }

  /** Plans and applies; with {@code saved}, applies that plan instead, if it is still current. */
  public ReconcileResult apply(Path dir, String only, Plan saved) {
    if (against != null) {
      throw new IllegalStateException("a snapshot can only be planned against");
    }
    return run(dir, only, true, saved);
  }

  private ReconcileResult run(Path dir, String only, boolean apply, Plan saved) {
    ValidationReport report = new Validator(clock, validation).validate(dir);
    if (!report.valid()) {
      return new ReconcileResult(report, List.of());
    }
    ResolvedDesired desired;
    try {
      desired = new DesiredResolver().resolve(report.state());
    } catch (IOException e) {
      return new ReconcileResult(report, List.of(new ClusterResult("", null, null, List.of(), e.getMessage(), null)));
    }
    List<ClusterResult> results = new ArrayList<>();
    for (Document<ClusterSpec> cluster : report.state().clusters()) {
      if (only != null && !only.equals(cluster.name())) {
        continue;
      }
      if (saved != null && !saved.cluster().equals(cluster.name())) {
        continue;
      }
      results.add(cluster(desired, cluster, apply, saved));
    }
    if (results.isEmpty()) {
      String wanted = saved != null ? saved.cluster() : only;
      results.add(new ClusterResult(wanted == null ? "" : wanted, null, null, List.of(),
          "no Cluster document named '" + wanted + "' in " + dir, null));
    }
    return new ReconcileResult(report, results);
  }

  private ClusterResult cluster(ResolvedDesired desired, Document<ClusterSpec> cluster, boolean apply, Plan saved) {
    if (against != null) {
      return againstSnapshot(desired, cluster);
    }
    LabStore store = Targets.labStore(cluster.name(), targets);
    Journal journal = new Journal(store.dir().resolve("journal"));
    LabStore.Lock lock = null;
    try {
      if (apply) {
        lock = store.lock();
      }
      try (ClusterPort port = Targets.open(cluster, targets, clock)) {
        ObservedCluster observed = port.observe();
        Optional<Journal.Interrupted> interrupted = journal.interrupted();
        Plan plan;
        Set<Integer> done = new HashSet<>();
        if (saved != null) {
          plan = saved;
          done = checkSaved(saved, source, desired, observed, interrupted);
        } else {
          plan = new Planner().retryingFailedPhones(retryFailed).withRevoked(revoked)
              .withOnlineCaProbe(OnlineCaProber.probe(desired, cluster, targets, store)).plan(desired, cluster, observed, clock);
          List<Change> owed = new ArrayList<>(interrupted.isPresent() ? owed(interrupted.get()) : List.of());
          // a node that did not serve its new certificate is not done: check again until it does
          for (Change failed : journal.failedChecks()) {
            owed.add(new Change(0, Phase.VERIFY, failed.action(), failed.resource(), failed.address(), "", failed.after(),
                "owed: the last apply found the node not serving its new certificate", "", failed.impact(), List.of(),
                failed.operations()));
          }
          if (!owed.isEmpty()) {
            plan = Planner.withOwed(plan, owed);
          }
          plan = plan.withSource(source);
          if (apply) {
            plan = narrowing.apply(plan);
          }
        }
        if (!apply) {
          return new ClusterResult(cluster.name(), observed, plan, List.of(), null, null,
              OfflineCsrFolder.write(desired.state(), observed.pendingCsrs()));
        }
        Secrets secrets = new Secrets(environment);
        OfflineIdentityFolder offline = new OfflineIdentityFolder(desired.state().root());
        List<Outcome> outcomes = plan.inSync() && interrupted.isEmpty() ? List.of()
            : new Applier(port, secrets, journal, progress, pace(cluster)).stoppingWhen(stopping)
                .signingWith(new IdentitySigners(clock, store.dir(), offline)).apply(plan, done);
        installedOffline(plan, outcomes, offline);
        Path strings = secrets.generated().isEmpty() ? null : writeStrings(store.dir(), secrets.generated());
        // phones that got an operation may have sent CSRs for the offline CA in the meantime
        Set<Integer> phoneChanges = new HashSet<>();
        plan.changes().stream().filter(c -> c.phase() == Phase.PHONES).forEach(c -> phoneChanges.add(c.id()));
        boolean phones = outcomes.stream().anyMatch(o -> o.status() == Outcome.Status.SUCCEEDED && phoneChanges.contains(o.change()));
        List<ObservedCluster.PendingCsr> pending = phones ? port.observe().pendingCsrs() : observed.pendingCsrs();
        return new ClusterResult(cluster.name(), observed, plan, outcomes, null, strings,
            OfflineCsrFolder.write(desired.state(), pending));
      }
    } catch (ClusterException | StalePlanException e) {
      return new ClusterResult(cluster.name(), null, null, List.of(), e.getMessage(), null);
    } catch (IOException e) {
      return new ClusterResult(cluster.name(), null, null, List.of(), "journal in " + store.dir() + ": " + e.getMessage(),
          null);
    } finally {
      if (lock != null) {
        try {
          lock.close();
        } catch (IOException e) {
          progress.accept("warning: could not release the lab lock: " + e.getMessage());
        }
      }
    }
  }

  private ClusterResult againstSnapshot(ResolvedDesired desired, Document<ClusterSpec> cluster) {
    try (SnapshotCluster port = against.open(cluster)) {
      ObservedCluster observed = port.observe();
      Plan plan = new Planner().retryingFailedPhones(retryFailed)
          .withOnlineCaProbe(OnlineCaProber.recorded(desired, cluster, port.recorded().onlineCaProbe()))
          .plan(desired, cluster, observed, clock).withTarget(port.describe()).withSource(source);
      return new ClusterResult(cluster.name(), observed, plan, List.of(), null, null);
    } catch (ClusterException e) {
      return new ClusterResult(cluster.name(), null, null, List.of(), e.getMessage(), null);
    }
  }

  /**
   * Removes the pending CSR of every offline identity this apply installed, so {@code offline-ca/pending/} lists
   * only what still waits; the signed chain stays, and the planner sees that its leaf is installed.
   */
  private void installedOffline(Plan plan, List<Outcome> outcomes, OfflineIdentityFolder offline) {
    Set<Integer> succeeded = new HashSet<>();
    outcomes.stream().filter(o -> o.status() == Outcome.Status.SUCCEEDED).forEach(o -> succeeded.add(o.change()));
    for (Change change : plan.changes()) {
      if (succeeded.contains(change.id())) {
        for (io.uctrust.cluster.Operation operation : change.operations()) {
          if (operation instanceof io.uctrust.cluster.Operation.InstallIdentity install) {
            try {
              offline.installed(install.node(), install.service());
            } catch (IOException e) {
              // the identity is installed all the same; a CSR left behind is only untidy
              progress.accept("warning: could not remove the pending CSR of " + install.node() + "/"
                  + install.service().yaml() + ": " + e.getMessage());
            }
          }
        }
      }
    }
  }

  private PhonePace pace(Document<ClusterSpec> cluster) {
    int perMinute = phonesPerMinute != null ? phonesPerMinute
        : cluster.spec().target().type() == ClusterSpec.TargetType.LAB ? 0 : PhonePace.DEFAULT_PHONES_PER_MINUTE;
    return perMinute == 0 ? PhonePace.UNPACED : new PhonePace(perMinute, clock, d -> Thread.sleep(d.toMillis()));
  }

  /**
   * A saved plan applies only to the inputs it was made from. After an interrupted apply of the very same
   * plan the cluster has changed by that apply's own work, so then the journal's record is what counts.
   */
  private static Set<Integer> checkSaved(Plan saved, SourceRevision source, ResolvedDesired desired,
      ObservedCluster observed, Optional<Journal.Interrupted> interrupted) throws StalePlanException {
    String madeFrom = saved.source() == null ? null : saved.source().commit();
    String now = source == null ? null : source.commit();
    if (!java.util.Objects.equals(madeFrom, now)) {
      String was = madeFrom == null ? "a plain folder" : "commit " + madeFrom;
      String is = now == null ? "the desired state is now a plain folder"
          : madeFrom != null && saved.source().url().equals(source.url()) ? source.url() + " is now at commit " + now
          : "the desired state is now commit " + now + " of " + source.url();
      throw new StalePlanException("the saved plan is stale: it was made from " + was + ", and " + is
          + "; make a new plan with 'reconcile --dry-run --out FILE'");
    }
    if (!saved.desiredFingerprint().equals(desired.fingerprint())) {
      throw new StalePlanException("the saved plan is stale: the desired state changed since it was made; "
          + "make a new plan with 'reconcile --dry-run --out FILE'");
    }
    boolean resuming = interrupted.isPresent() && interrupted.get().plan().createdAt().equals(saved.createdAt())
        && interrupted.get().plan().observedFingerprint().equals(saved.observedFingerprint());
    if (resuming) {
      Set<Integer> done = new HashSet<>();
      interrupted.get().outcomes().values().stream()
          .filter(o -> o.status() == Outcome.Status.SUCCEEDED || o.status() == Outcome.Status.ALREADY_DONE)
          .forEach(o -> done.add(o.change()));
      return done;
    }
    if (!saved.observedFingerprint().equals(observed.fingerprint())) {
      throw new StalePlanException("the saved plan is stale: the cluster changed since it was made; "
          + "make a new plan with 'reconcile --dry-run --out FILE'");
    }
    return Set.of();
  }

  /**
   * Restarts and served-identity checks an interrupted apply still owed: some change needing a restart was done, the
   * restart was not; an identity was replaced, the check that its node serves it did not succeed.
   */
  static List<Change> owed(Journal.Interrupted interrupted) {
    List<Change> owed = new ArrayList<>();
    for (Change change : interrupted.plan().changes()) {
      if (change.phase() == Phase.VERIFY) {
        Outcome outcome = interrupted.outcomes().get(change.id());
        boolean checked = outcome != null && outcome.status() == Outcome.Status.SUCCEEDED;
        boolean replaced = interrupted.plan().changes().stream()
            .filter(c -> c.phase() == Phase.IDENTITY && c.operations().stream().anyMatch(op -> change.operations().stream()
                .anyMatch(v -> v instanceof Operation.VerifyServedIdentity check && check.checks(op))))
            .map(c -> interrupted.outcomes().get(c.id()))
            .anyMatch(o -> o != null && (o.status() == Outcome.Status.SUCCEEDED || o.status() == Outcome.Status.ALREADY_DONE));
        if (!checked && replaced) {
          owed.add(new Change(0, Phase.VERIFY, change.action(), change.resource(), change.address(), "", change.after(),
              "owed by an interrupted apply: " + change.reason(), "", change.impact(), List.of(), change.operations()));
        }
        continue;
      }
      if (change.phase() != Phase.RESTART) {
        continue;
      }
      Outcome outcome = interrupted.outcomes().get(change.id());
      boolean restarted = outcome != null && outcome.status() == Outcome.Status.SUCCEEDED;
      boolean needed = interrupted.plan().changes().stream()
          .filter(c -> c.impact().restarts().contains(change.address()))
          .map(c -> interrupted.outcomes().get(c.id()))
          .anyMatch(o -> o != null && o.status() == Outcome.Status.SUCCEEDED);
      if (!restarted && needed) {
        owed.add(new Change(0, Phase.RESTART, change.action(), change.resource(), change.address(), "", "",
            "owed by an interrupted apply: " + change.reason(), "", change.impact(), List.of(), change.operations()));
      }
    }
    return owed;
  }

  private Path writeStrings(Path dir, Map<String, String> generated) throws IOException {
    Path folder = dir.resolve("authentication-strings");
    Files.createDirectories(folder);
    Path file = folder.resolve(clock.instant().toString().replace(':', '-') + ".csv");
    StringBuilder csv = new StringBuilder("device,authentication string\n");
    generated.forEach((phone, value) -> csv.append(phone).append(',').append(value).append('\n'));
    Files.writeString(file, "", StandardCharsets.UTF_8);
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system
    }
    Files.writeString(file, csv, StandardCharsets.UTF_8);
    return file;
  }

  /** The status of every cluster (or only {@code only}): what it has now and its drift. */
  public List<ClusterStatus> status(Path dir, String only, List<String> errors) {
    ReconcileResult dry = dryRun(dir, only);
    if (!dry.validation().valid()) {
      errors.add("the desired state in " + dir + " is invalid; run 'uctrust validate " + dir + "'");
      return List.of();
    }
    List<ClusterStatus> statuses = new ArrayList<>();
    for (Document<ClusterSpec> cluster : dry.validation().state().clusters()) {
      ClusterResult result = dry.clusters().stream().filter(r -> r.cluster().equals(cluster.name())).findFirst().orElse(null);
      if (result == null) {
        continue;
      }
      if (result.error() != null) {
        errors.add("cluster " + cluster.name() + ": " + result.error());
        continue;
      }
      statuses.add(ClusterStatus.of(result.observed(), result.plan(), clock));
    }
    return statuses;
  }
}
