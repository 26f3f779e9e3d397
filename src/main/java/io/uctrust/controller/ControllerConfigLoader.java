package io.uctrust.controller;

import io.uctrust.desired.ConfigDocument;
import io.uctrust.desired.ConfigDocumentLoader;
import io.uctrust.desired.DesiredState;
import io.uctrust.desired.FieldWalker;
import io.uctrust.desired.SecretRef;
import io.uctrust.desired.SourceMap;
import io.uctrust.diagnostic.Diagnostic;
import io.uctrust.validate.ConstraintChecker;
import io.uctrust.validate.ValidationReport;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Loads {@code controller.yaml} and checks it the way desired state is checked: structure with positions (the
 * desired-state binder), field constraints (Hibernate Validator), then the rules across fields: unique repository and
 * cluster names, every cluster's repository exists, cron expressions and time zones parse, the jitter is shorter than
 * the interval, secrets are references, signed commits have a keyring, the listen address parses. Command-line
 * overrides ({@code --database}, {@code --state-dir}, ...) are applied on top.
 *
 * <p>Never throws for bad input: everything becomes a diagnostic. Not for: checking that repositories, databases or
 * relays are reachable (the controller finds out when it runs).
 */
public final class ControllerConfigLoader {

  /**
   * What loading gave.
   *
   * @param config the configuration; null when {@code report} holds an error
   * @param report every finding, with file, line and column, rendered like {@code uctrust validate}'s
   */
  public record Result(ControllerConfig config, ValidationReport report) {}

  private final Map<String, String> environment;

  /** @param environment where {@code XDG_STATE_HOME} is read for the default state folder */
  public ControllerConfigLoader(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  /** Loads and checks {@code file}, with {@code overrides} from the command line. */
  public Result load(Path file, ControllerConfig.Overrides overrides) {
    Path absolute = file.toAbsolutePath().normalize();
    ConfigDocument<ControllerSpec.Metadata, ControllerSpec> document = new ConfigDocumentLoader()
        .load(absolute, ControllerConfig.KIND, ControllerSpec.Metadata.class, ControllerSpec.class);
    List<Diagnostic> diagnostics = new ArrayList<>(document.diagnostics());
    ConstraintChecker constraints = new ConstraintChecker();
    diagnostics.addAll(constraints.check(document.sourceMap(), "metadata", document.metadata()));
    diagnostics.addAll(constraints.check(document.sourceMap(), "spec", document.spec()));
    ControllerSpec spec = document.spec();
    InetSocketAddress listen = null;
    if (spec != null) {
      Rules rules = new Rules(document.sourceMap(), diagnostics);
      rules.check(spec, overrides);
      listen = rules.listen;
    }
    List<Diagnostic> sorted = new ArrayList<>(new LinkedHashSet<>(diagnostics));
    sorted.sort(Comparator.comparingInt((Diagnostic d) -> d.location().line())
        .thenComparingInt(d -> d.location().column()).thenComparing(Diagnostic::message));
    ValidationReport report = new ValidationReport(absolute.getParent(), 1, 1, sorted,
        new DesiredState(absolute.getParent(), List.of()));
    if (!report.valid() || spec == null || document.metadata() == null) {
      return new Result(null, report);
    }
    Path stateDir = overrides.stateDir() != null ? overrides.stateDir().toAbsolutePath().normalize()
        : spec.stateDir() != null ? absolute.getParent().resolve(spec.stateDir()).normalize()
        : io.uctrust.target.TargetOptions.defaultStateDir(environment);
    ControllerConfig.Database database = database(spec.database(), overrides, stateDir);
    return new Result(new ControllerConfig(absolute, document.metadata().name(), spec, stateDir, database, listen),
        report);
  }

  private static ControllerConfig.Database database(ControllerSpec.Database configured,
      ControllerConfig.Overrides overrides, Path stateDir) {
    String url = configured != null && configured.url() != null ? configured.url()
        : ControllerConfig.Database.defaultFor(stateDir).url();
    String user = configured == null ? null : configured.user();
    SecretRef password = configured == null ? null : configured.password();
    return new ControllerConfig.Database(
        overrides.databaseUrl() != null ? overrides.databaseUrl() : url,
        overrides.databaseUser() != null ? overrides.databaseUser() : user,
        overrides.databasePassword() != null ? overrides.databasePassword() : password,
        configured == null || configured.checkinInterval() == null ? null : configured.checkinInterval().duration(),
        configured == null || configured.lease() == null ? null : configured.lease().duration());
  }

  /** The rules across fields, reporting into one list. */
  private static final class Rules {
    private final SourceMap at;
    private final List<Diagnostic> out;
    private InetSocketAddress listen;

    Rules(SourceMap at, List<Diagnostic> out) {
      this.at = at;
      this.out = out;
    }

    void check(ControllerSpec spec, ControllerConfig.Overrides overrides) {
      listen(spec.listen());
      Map<String, Integer> repositories = unique(spec.repositories().stream().map(ControllerSpec.Repository::name)
          .toList(), "spec.repositories", "repository");
      unique(spec.clusters().stream().map(ControllerSpec.Cluster::name).toList(), "spec.clusters", "cluster");
      for (int i = 0; i < spec.repositories().size(); i++) {
        repository(spec.repositories().get(i), "spec.repositories[" + i + "]");
      }
      for (int i = 0; i < spec.clusters().size(); i++) {
        cluster(spec.clusters().get(i), "spec.clusters[" + i + "]", repositories);
      }
      FieldWalker.walk(spec, "spec", (path, value) -> {
        if (value instanceof SecretRef ref && ref.isLiteral()) {
          error(path, "literal-secret", path + " holds a literal secret; the configuration must not contain secrets",
              "write env:NAME (from the service's EnvironmentFile) or file:PATH");
        }
      });
      if (spec.database() != null && spec.database().lease() != null
          && spec.database().lease().duration().compareTo(Duration.ofSeconds(3)) < 0) {
        error("spec.database.lease", "range", "spec.database.lease: " + spec.database().lease()
            + " is too short; it must be at least 3s (it is renewed every third of it)", null);
      }
      if (overrides.databasePassword() != null && overrides.databasePassword().isLiteral()) {
        error("spec.database.password", "literal-secret", "--database-password holds a literal secret",
            "write env:NAME or file:PATH");
      }
      if (overrides.databaseUrl() != null && !overrides.databaseUrl().matches("^jdbc:(h2|postgresql):.+$")) {
        error("spec.database.url", "format", "--database must be a jdbc:h2: or jdbc:postgresql: URL", null);
      }
      ControllerSpec.Mail mail = spec.notifications() == null ? null : spec.notifications().email();
      if (mail != null && mail.username() != null && mail.password() == null) {
        error("spec.notifications.email", "required", "spec.notifications.email: username " + mail.username()
            + " needs a password", "add password: env:NAME or file:PATH, or remove username");
      }
    }

    private void listen(String text) {
      String value = text == null ? ControllerConfig.DEFAULT_LISTEN : text;
      try {
        listen = ControllerHttpServer.Settings.parseListen(value);
      } catch (IllegalArgumentException e) {
        if (!at.failedNear("spec.listen")) {
          error("spec.listen", "format", "spec.listen: " + e.getMessage(), null);
        }
      }
    }

    private Map<String, Integer> unique(List<String> names, String path, String what) {
      Map<String, Integer> first = new HashMap<>();
      for (int i = 0; i < names.size(); i++) {
        String name = names.get(i);
        if (name == null) {
          continue;
        }
        Integer earlier = first.putIfAbsent(name, i);
        if (earlier != null) {
          error(path + "[" + i + "].name", "duplicate-name", "duplicate " + what + " name '" + name + "' (also "
              + path + "[" + earlier + "])", "give each " + what + " its own name");
        }
      }
      return first;
    }

    private void repository(ControllerSpec.Repository repository, String path) {
      if (Boolean.TRUE.equals(repository.requireSignedCommits()) && repository.trustedKeys() == null) {
        error(path + ".requireSignedCommits", "required", path + ": requireSignedCommits needs trustedKeys",
            "add trustedKeys: the keyring of the keys that sign commits (gpg --export KEY > keys.gpg)");
      }
      if (repository.trustedKeys() != null && !Boolean.TRUE.equals(repository.requireSignedCommits())) {
        out.add(Diagnostic.warning("unused", at.locate(path + ".trustedKeys"), path
            + ": trustedKeys has no effect without requireSignedCommits: true", "add requireSignedCommits: true"));
      }
    }

    private void cluster(ControllerSpec.Cluster cluster, String path, Map<String, Integer> repositories) {
      if (cluster.repository() != null && !repositories.containsKey(cluster.repository())) {
        error(path + ".repository", "unknown-repository", path + ".repository: no repository named '"
            + cluster.repository() + "'", repositories.isEmpty() ? "add it to spec.repositories"
            : "defined: " + String.join(", ", repositories.keySet().stream().sorted().toList()));
      }
      if (cluster.interval() != null && cluster.jitter() != null
          && cluster.jitter().duration().compareTo(cluster.interval().duration()) >= 0) {
        error(path + ".jitter", "range", path + ".jitter: " + cluster.jitter() + " must be shorter than the interval ("
            + cluster.interval() + ")", null);
      } else if (cluster.interval() == null && cluster.jitter() != null
          && cluster.jitter().duration().compareTo(ControllerConfig.DEFAULT_INTERVAL) >= 0) {
        error(path + ".jitter", "range", path + ".jitter: " + cluster.jitter()
            + " must be shorter than the interval (default 10m)", null);
      }
      for (int i = 0; i < cluster.maintenanceWindows().size(); i++) {
        window(cluster.maintenanceWindows().get(i), path + ".maintenanceWindows[" + i + "]");
      }
    }

    private void window(ControllerSpec.MaintenanceWindow window, String path) {
      ZoneId zone = ZoneId.systemDefault();
      if (window.timeZone() != null) {
        try {
          zone = ZoneId.of(window.timeZone());
        } catch (DateTimeException e) {
          error(path + ".timeZone", "format", path + ".timeZone: '" + window.timeZone() + "' is not a time zone",
              "an IANA name such as Europe/Zurich or UTC");
        }
      }
      if (window.cron() != null && !at.failedNear(path + ".cron")) {
        try {
          new MaintenanceSchedule.Window(window.cron(), java.time.Duration.ofSeconds(1), zone);
        } catch (IllegalArgumentException e) {
          error(path + ".cron", "cron", path + ".cron: '" + window.cron() + "' is not a Quartz cron expression: "
              + e.getMessage(), "seconds minutes hours day-of-month month day-of-week [year], with '?' in one of the "
              + "day fields, such as '0 0 22 ? * SAT'");
        }
      }
    }

    private void error(String path, String code, String message, String hint) {
      out.add(Diagnostic.error(code, at.locate(path), message, hint));
    }
  }
}
