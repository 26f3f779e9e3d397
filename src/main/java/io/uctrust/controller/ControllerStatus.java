package io.uctrust.controller;

import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the controller reports about itself at one moment: its instance, whether it is ready, and per cluster
 * the mode, the repository and commit it follows, the last run, drift, the next run and the certificates with
 * their expiry. The scheduler core fills it; the HTTP side only renders it ({@code /api/status}, {@code /readyz},
 * the status page and its timeline).
 *
 * <p>A plain immutable snapshot. Not for: live state (take a new one per request), or holding secrets, keys or
 * anything a reader of {@code /api/status} must not see: everything here is published without authentication.
 *
 * @param instance the controller instance id (one per process; several may share a database)
 * @param startedAt when this instance started
 * @param ready whether it can do its work (database reachable, repositories fetched once, ...)
 * @param notReadyReasons why not, one short sentence each; empty when ready
 * @param clusters the clusters it manages, in configuration order
 */
public record ControllerStatus(
    String instance, Instant startedAt, boolean ready, List<String> notReadyReasons, List<Cluster> clusters) {

  /** The JSON format name written with {@code /api/status}; fields are only ever added within a version. */
  public static final String FORMAT = "uctrust.controller-status/v1";

  public ControllerStatus {
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(startedAt, "startedAt");
    notReadyReasons = List.copyOf(notReadyReasons);
    clusters = List.copyOf(clusters);
  }

  /**
   * One managed cluster.
   *
   * @param name the cluster's name (as in its Cluster document)
   * @param mode apply changes or only report them
   * @param suspended scheduled runs are paused (webhooks and schedules queue nothing)
   * @param repository where its desired state comes from; null for a local folder
   * @param lastRun the most recent finished run; null before the first
   * @param lastSuccessfulSync when a run last ended with the cluster as desired; null if never
   * @param drift planned changes not applied (by the last run)
   * @param nextRun when the next scheduled run is due; null when none is scheduled
   * @param notificationStartDays days before expiry when notifications start (Monitoring document, default 30)
   * @param certificates every certificate uctrust watches on the cluster
   */
  public record Cluster(
      String name,
      Mode mode,
      boolean suspended,
      Repository repository,
      Run lastRun,
      Instant lastSuccessfulSync,
      int drift,
      Instant nextRun,
      int notificationStartDays,
      List<Certificate> certificates) {
    public Cluster {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(mode, "mode");
      certificates = List.copyOf(certificates);
    }
  }

  /** Whether the controller changes a cluster or only reports what it would change. */
  public enum Mode {
    APPLY("apply"),
    REPORT("report");

    private final String label;

    Mode(String label) {
      this.label = label;
    }

    /** The name used in JSON and on the status page. */
    @JsonValue
    public String label() {
      return label;
    }
  }

  /**
   * The git repository a cluster's desired state comes from.
   *
   * @param name the repository's name in the controller's configuration
   * @param url its clone URL (no credentials in it)
   * @param lastSeen the newest commit fetched; null before the first fetch
   */
  public record Repository(String name, String url, Commit lastSeen) {
    public Repository {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(url, "url");
    }
  }

  /**
   * A commit.
   *
   * @param sha its full id
   * @param subject the first line of its message
   */
  public record Commit(String sha, String subject) {
    public Commit {
      Objects.requireNonNull(sha, "sha");
      Objects.requireNonNull(subject, "subject");
    }
  }

  /**
   * A finished reconcile run.
   *
   * @param commit the commit it reconciled; null for a local folder
   * @param startedAt when it started
   * @param duration how long it took
   * @param outcome how it ended
   * @param changes what it planned and did
   */
  public record Run(Commit commit, Instant startedAt, Duration duration, RunOutcome outcome, Changes changes) {
    public Run {
      Objects.requireNonNull(startedAt, "startedAt");
      Objects.requireNonNull(duration, "duration");
      Objects.requireNonNull(outcome, "outcome");
      Objects.requireNonNull(changes, "changes");
    }
  }

  /** How a reconcile run ended; also the {@code outcome} label of the run metrics. */
  public enum RunOutcome {
    /** Changes were planned and all of them applied. */
    SUCCEEDED("succeeded"),
    /** The run or at least one change failed. */
    FAILED("failed"),
    /** Changes were planned and not applied (report mode, or suspended apply). */
    DRIFT_ONLY("drift-only"),
    /** Nothing to change. */
    IN_SYNC("in-sync");

    private final String label;

    RunOutcome(String label) {
      this.label = label;
    }

    /** The name used in JSON, metrics and on the status page. */
    @JsonValue
    public String label() {
      return label;
    }
  }

  /**
   * The changes of one run.
   *
   * @param planned changes the plan held
   * @param applied changes that succeeded
   * @param failed changes that failed
   */
  public record Changes(int planned, int applied, int failed) {}

  /**
   * A certificate on a cluster and when it expires.
   *
   * @param node the node (identity and trust) or phone (LSC) holding it
   * @param store the trust store or service (tomcat-trust, tomcat, CallManager, ...) or {@code LSC}
   * @param kind identity, trust entry or phone LSC
   * @param subject the subject distinguished name, as the certificate has it (untrusted text: escape it)
   * @param sha256 the SHA-256 fingerprint, lower-case hex
   * @param notAfter the end of its validity
   * @param revoked whether the last revocation check found it revoked
   */
  public record Certificate(
      String node, String store, CertificateKind kind, String subject, String sha256, Instant notAfter, boolean revoked) {
    public Certificate {
      Objects.requireNonNull(node, "node");
      Objects.requireNonNull(store, "store");
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(subject, "subject");
      Objects.requireNonNull(sha256, "sha256");
      Objects.requireNonNull(notAfter, "notAfter");
    }
  }

  /** What a certificate is to the cluster. */
  public enum CertificateKind {
    IDENTITY("identity"),
    TRUST("trust"),
    LSC("lsc");

    private final String label;

    CertificateKind(String label) {
      this.label = label;
    }

    /** The name used in JSON, metrics and on the status page. */
    @JsonValue
    public String label() {
      return label;
    }
  }
}
