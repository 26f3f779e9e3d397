package io.uctrust.reconcile;

import io.uctrust.cluster.ClusterException;
import io.uctrust.cluster.ClusterPort;
import io.uctrust.cluster.SecretRedactor;
import io.uctrust.desired.ClusterSpec;
import io.uctrust.desired.DesiredResolver;
import io.uctrust.desired.Document;
import io.uctrust.desired.ResolvedDesired;
import io.uctrust.target.TargetOptions;
import io.uctrust.target.Targets;
import io.uctrust.target.lab.LabStore;
import io.uctrust.target.snapshot.Snapshot;
import io.uctrust.target.snapshot.SnapshotFile;
import io.uctrust.validate.ValidationOptions;
import io.uctrust.validate.ValidationReport;
import io.uctrust.validate.Validator;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code uctrust snapshot save}: observes every cluster of a desired state (or one) through its target, as the
 * reconciler does, probes its online CA from here as a dry run would, and writes it all to one snapshot file with the
 * desired state's secrets redacted, so a CI job can plan against it without credentials.
 *
 * <p>Not for: planning (the reconciler plans against the file) or anything that changes a cluster. All or nothing:
 * when any cluster cannot be observed, no file is written.
 */
public final class SnapshotRecorder {

  /**
   * What saving gave: the validation of the desired state, the snapshot as written (null when nothing was), and the
   * errors that kept it from being written.
   */
  public record Saved(ValidationReport validation, Snapshot written, List<String> errors) {
    public Saved {
      errors = List.copyOf(errors);
    }
  }

  private final Clock clock;
  private final TargetOptions targets;
  private final ValidationOptions validation;
  private final Map<String, String> environment;
  private final String version;

  /** {@code environment} resolves the target's credentials and the secrets to redact; {@code version} is uctrust's. */
  public SnapshotRecorder(Clock clock, TargetOptions targets, ValidationOptions validation, Map<String, String> environment,
      String version) {
    this.clock = clock;
    this.targets = targets;
    this.validation = validation;
    this.environment = environment;
    this.version = version;
  }

  /** Observes the clusters of {@code dir} (or only {@code only}) and writes them to {@code out}. */
  public Saved save(Path dir, String only, Path out) {
    ValidationReport report = new Validator(clock, validation).validate(dir);
    if (!report.valid()) {
      return new Saved(report, null, List.of());
    }
    ResolvedDesired desired;
    try {
      desired = new DesiredResolver().resolve(report.state());
    } catch (IOException e) {
      return new Saved(report, null, List.of(e.getMessage()));
    }
    List<Snapshot.RecordedCluster> clusters = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (Document<ClusterSpec> cluster : report.state().clusters()) {
      if (only != null && !only.equals(cluster.name())) {
        continue;
      }
      LabStore store = Targets.labStore(cluster.name(), targets);
      try (ClusterPort port = Targets.open(cluster, targets, clock)) {
        clusters.add(new Snapshot.RecordedCluster(cluster.name(),
            cluster.spec().target().type().name().toLowerCase(Locale.ROOT), clock.instant(),
            OnlineCaProber.record(desired, cluster, targets, store), 0, port.observe()));
      } catch (ClusterException e) {
        errors.add("cluster " + cluster.name() + ": " + e.getMessage());
      }
    }
    if (clusters.isEmpty() && errors.isEmpty()) {
      errors.add("no Cluster document named '" + only + "' in " + dir);
    }
    if (!errors.isEmpty()) {
      return new Saved(report, null, errors);
    }
    try {
      Snapshot written = SnapshotFile.write(out, new Snapshot(Snapshot.FORMAT, version, clock.instant(), clusters),
          SecretRedactor.of(report.state(), environment));
      return new Saved(report, written, List.of());
    } catch (IOException e) {
      return new Saved(report, null, List.of("cannot write " + out + ": " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : " " + e.getMessage())));
    }
  }
}
