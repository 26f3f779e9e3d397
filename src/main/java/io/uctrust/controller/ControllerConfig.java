package io.uctrust.controller;

import io.uctrust.desired.ConfigKind;
import io.uctrust.desired.SecretRef;
import io.uctrust.gitops.GitSource;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The controller's configuration after loading and checking ({@link ControllerConfigLoader}): the spec as written, the
 * file it came from, and the values that have defaults or command-line overrides resolved (state folder, database,
 * listen address). Paths written in the file are relative to its folder.
 *
 * <p>Not for: configurations that did not pass {@link ControllerConfigLoader} (the accessors assume every rule held),
 * or secret values: secrets stay references, read where they are used.
 *
 * @param file the configuration file, absolute
 * @param name its {@code metadata.name}
 * @param spec the spec as written
 * @param stateDir the state folder: the spec's, {@code --state-dir}, or the default
 * @param database where the database is and how to log in
 * @param listen the HTTP address
 */
public record ControllerConfig(Path file, String name, ControllerSpec spec, Path stateDir, Database database,
    InetSocketAddress listen) {

  /** The configuration document's kind ({@code kind: Controller}), for loading and its JSON Schema. */
  public static final ConfigKind KIND = new ConfigKind("Controller", ControllerSpec.Metadata.class, ControllerSpec.class);

  /** The HTTP address when none is configured. */
  public static final String DEFAULT_LISTEN = "127.0.0.1:9400";

  /** The time between runs when none is configured. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(10);

  public ControllerConfig {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(stateDir, "stateDir");
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(listen, "listen");
  }

  /**
   * The database to use.
   *
   * @param url its JDBC URL
   * @param user the login user; null: none
   * @param password the login password as a reference; null: none
   */
  public record Database(String url, String user, SecretRef password, Duration checkinInterval, Duration lease) {
    /** Quartz's cluster check-in when not configured. */
    public static final Duration DEFAULT_CHECKIN = Duration.ofSeconds(5);

    /** A cluster lease's length when not configured. */
    public static final Duration DEFAULT_LEASE = Duration.ofMinutes(2);

    public Database {
      Objects.requireNonNull(url, "url");
      checkinInterval = checkinInterval == null ? DEFAULT_CHECKIN : checkinInterval;
      lease = lease == null ? DEFAULT_LEASE : lease;
    }

    /** A database with the default check-in and lease. */
    public Database(String url, String user, SecretRef password) {
      this(url, user, password, null, null);
    }

    /** The embedded H2 database in {@code stateDir}. */
    public static Database defaultFor(Path stateDir) {
      return new Database("jdbc:h2:file:" + stateDir.resolve("controller").resolve("uctrust"), null, null);
    }
  }

  /**
   * What the command line overrides (each null when not given).
   *
   * @param databaseUrl {@code --database}
   * @param databaseUser {@code --database-user}
   * @param databasePassword {@code --database-password}
   * @param stateDir {@code --state-dir}
   */
  public record Overrides(String databaseUrl, String databaseUser, SecretRef databasePassword, Path stateDir) {
    /** Nothing overridden. */
    public static final Overrides NONE = new Overrides(null, null, null, null);
  }

  /** The folder the file's relative paths are relative to. */
  public Path folder() {
    return file.getParent();
  }

  /** {@code path} as written in the file, resolved against its folder; null stays null. */
  public Path resolve(String path) {
    return path == null ? null : folder().resolve(path).normalize();
  }

  /** The clusters, in configuration order. */
  public List<ControllerSpec.Cluster> clusters() {
    return spec.clusters();
  }

  /** The cluster named {@code name}. */
  public Optional<ControllerSpec.Cluster> cluster(String name) {
    return spec.clusters().stream().filter(c -> c.name().equals(name)).findFirst();
  }

  /** The repository of {@code cluster}. */
  public ControllerSpec.Repository repository(ControllerSpec.Cluster cluster) {
    return spec.repositories().stream().filter(r -> r.name().equals(cluster.repository())).findFirst()
        .orElseThrow(() -> new IllegalStateException("no repository " + cluster.repository()));
  }

  /** Apply or report. */
  public static ControllerStatus.Mode mode(ControllerSpec.Cluster cluster) {
    return cluster.mode() == null ? ControllerStatus.Mode.APPLY : cluster.mode();
  }

  /** The time between runs. */
  public static Duration interval(ControllerSpec.Cluster cluster) {
    return cluster.interval() == null ? DEFAULT_INTERVAL : cluster.interval().duration();
  }

  /** How far a run may move from its interval either way: the configured jitter, or a tenth of the interval. */
  public static Duration jitter(ControllerSpec.Cluster cluster) {
    return cluster.jitter() == null ? interval(cluster).dividedBy(10) : cluster.jitter().duration();
  }

  /** Whether the configuration suspends it (the database may suspend it too). */
  public static boolean suspended(ControllerSpec.Cluster cluster) {
    return Boolean.TRUE.equals(cluster.suspended());
  }

  /** Its maintenance windows. */
  public static MaintenanceSchedule windows(ControllerSpec.Cluster cluster) {
    return MaintenanceSchedule.of(cluster.maintenanceWindows());
  }

  /** Where its desired state is in git, with the repository's credentials (paths resolved). */
  public GitSource source(ControllerSpec.Cluster cluster) {
    ControllerSpec.Repository repository = repository(cluster);
    String path = cluster.path() != null ? cluster.path() : repository.path();
    return new GitSource(repository.url(), repository.ref(), path, new GitSource.Credentials(
        repository.token() == null ? null : secret(repository.token()), resolve(repository.sshKey()),
        resolve(repository.knownHosts())));
  }

  /** {@code ref} with a relative {@code file:} path made absolute against the file's folder. */
  public SecretRef secret(SecretRef ref) {
    if (ref.source() == SecretRef.Source.FILE) {
      return new SecretRef(SecretRef.Source.FILE, folder().resolve(ref.reference()).normalize().toString());
    }
    return ref;
  }

  /** The folder of its apply journal and lock, and for a lab target the lab itself. */
  public Path clusterState(String cluster) {
    return stateDir.resolve("lab").resolve(cluster);
  }

  /** The folder of its own clone of its repository (a clone per cluster, so clusters never wait for each other). */
  public Path gitCache(String cluster) {
    return stateDir.resolve("controller").resolve("git").resolve(cluster);
  }
}
