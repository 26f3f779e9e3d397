package io.uctrust.cli;

import io.uctrust.cluster.ClusterException;
import io.uctrust.cluster.SecretReader;
import io.uctrust.controller.Controller;
import io.uctrust.controller.ControllerConfig;
import io.uctrust.controller.ControllerConfigLoader;
import io.uctrust.controller.ControllerDatabase;
import io.uctrust.controller.ControllerScheduler;
import io.uctrust.controller.ControllerSpec;
import io.uctrust.controller.ControllerStartException;
import io.uctrust.desired.SecretRef;
import io.uctrust.validate.ValidationTextRenderer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import org.quartz.SchedulerException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code uctrust controller}: runs the controller until SIGTERM or SIGINT (or only checks its configuration with
 * {@code --check}); {@code controller suspend|resume CLUSTER} pause and resume a cluster through the database.
 */
@Command(name = "controller", mixinStandardHelpOptions = true,
    description = {"Run the controller: keep each configured cluster converged with its desired state in git (mode "
        + "apply) or report its drift (mode report), on a schedule, with run history, notifications and an HTTP side "
        + "(health, metrics, status, git webhook). Runs until SIGTERM or SIGINT, which stop it gracefully: running "
        + "applies finish their current change, the next start resumes them."},
    subcommands = {ControllerCommand.Suspend.class, ControllerCommand.Resume.class},
    footer = {"", "Exit codes: 0 stopped by a signal, or --check found the configuration valid; 1 invalid "
        + "configuration or it cannot start."})
final class ControllerCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin Settings settings;

  @Option(names = "--check", description = "Only check the configuration (with file:line:column for every problem).")
  boolean check;

  private final Clock clock;
  private final Map<String, String> environment;

  ControllerCommand(Clock clock, Map<String, String> environment) {
    this.clock = clock;
    this.environment = environment;
  }

  /** The options every controller command takes: the configuration file and what the command line overrides. */
  static final class Settings {
    @Option(names = "--config", paramLabel = "FILE", description = "The controller's configuration (kind: Controller).")
    Path config;

    @Option(names = "--database", paramLabel = "JDBC_URL",
        description = "The database instead of the configured one: jdbc:h2:file:PATH or jdbc:postgresql://HOST:PORT/DB "
            + "(several instances on one PostgreSQL database share the work).")
    String database;

    @Option(names = "--database-user", paramLabel = "USER", description = "The database user.")
    String databaseUser;

    @Option(names = "--database-password", paramLabel = "env:NAME|file:PATH",
        description = "The database password, as a reference; never the password itself.")
    String databasePassword;

    @Option(names = "--state-dir", paramLabel = "DIR",
        description = "The state folder instead of the configured one (git clones, journals, labs, the H2 database).")
    Path stateDir;

    /** The configuration, or null after printing why not (to {@code err}). */
    ControllerConfig load(String command, Map<String, String> environment, PrintWriter err) {
      if (config == null) {
        err.println("uctrust: " + command + " needs --config FILE (the controller's configuration, kind: Controller)");
        return null;
      }
      SecretRef password = databasePassword == null ? null : SecretRef.parse(databasePassword);
      if (password != null && password.isLiteral()) {
        err.println("uctrust: --database-password takes env:NAME or file:PATH, never the password itself");
        return null;
      }
      ControllerConfigLoader.Result loaded = new ControllerConfigLoader(environment)
          .load(config, new ControllerConfig.Overrides(database, databaseUser, password, stateDir));
      if (loaded.config() == null || !loaded.report().diagnostics().isEmpty()) {
        err.print(new ValidationTextRenderer(Terminal.colour(), Path.of("").toAbsolutePath()).render(loaded.report()));
        err.flush();
      }
      return loaded.config();
    }
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ControllerConfig config = settings.load("controller", environment, err);
    if (config == null) {
      return ExitCode.INVALID;
    }
    if (check) {
      out.println("valid: " + settings.config + " (" + config.clusters().size() + " cluster"
          + (config.clusters().size() == 1 ? "" : "s") + ", " + config.spec().repositories().size() + " repositor"
          + (config.spec().repositories().size() == 1 ? "y" : "ies") + ")");
      return ExitCode.OK;
    }
    // the controller reports its steps; the rest of uctrust stays quiet (warnings only)
    System.setProperty("org.slf4j.simpleLogger.log.io.uctrust.controller", "info");
    Controller controller;
    try {
      controller = Controller.start(config, Controller.Options.defaults(), environment, clock);
    } catch (ControllerStartException e) {
      err.println("uctrust: controller: " + e.getMessage());
      return ExitCode.INVALID;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      controller.stop();
      out.flush();
      err.flush();
      // a graceful stop on SIGTERM is a success; without this the JVM would report the signal (143)
      Runtime.getRuntime().halt(ExitCode.OK);
    }, "uctrust-controller-stop"));
    out.println("uctrust controller " + config.name() + " running (instance " + controller.instance() + "), http://"
        + controller.address().getHostString() + ":" + controller.address().getPort() + "/; stop with SIGTERM or Ctrl-C");
    out.flush();
    try {
      controller.awaitStopped();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      controller.stop();
    }
    return ExitCode.OK;
  }

  /** {@code controller suspend}/{@code resume}: what both do. */
  abstract static class Pause implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin Settings settings;

    /** For options written before the subcommand ({@code controller --config FILE suspend lab}). */
    @ParentCommand ControllerCommand parent;

    @Parameters(index = "0", paramLabel = "CLUSTER", description = "The cluster (its name in the configuration).")
    String cluster;

    private final Map<String, String> environment;

    Pause(Map<String, String> environment) {
      this.environment = environment;
    }

    abstract String verb();

    abstract void apply(ControllerScheduler scheduler) throws SchedulerException;

    abstract String done(ControllerConfig config, ControllerSpec.Cluster configured);

    @Override
    public Integer call() {
      PrintWriter err = spec.commandLine().getErr();
      if (settings.config == null && parent != null && parent.settings.config != null) {
        settings = parent.settings;
      }
      ControllerConfig config = settings.load("controller " + verb(), environment, err);
      if (config == null) {
        return ExitCode.INVALID;
      }
      ControllerSpec.Cluster configured = config.cluster(cluster).orElse(null);
      if (configured == null) {
        err.println("uctrust: no cluster '" + cluster + "' in " + settings.config + "; configured: "
            + String.join(", ", config.clusters().stream().map(ControllerSpec.Cluster::name).toList()));
        return ExitCode.INVALID;
      }
      String password;
      try {
        password = config.database().password() == null ? null
            : new SecretReader(environment).read(config.secret(config.database().password()), null);
      } catch (ClusterException e) {
        err.println("uctrust: database password: " + e.getMessage());
        return ExitCode.INVALID;
      }
      try (ControllerDatabase database = ControllerDatabase.open(config.database().url(), config.database().user(),
          password)) {
        if (database.schemaVersion() == 0) {
          err.println("uctrust: " + ControllerDatabase.redacted(config.database().url()) + " has no controller tables "
              + "yet; start the controller once first");
          return ExitCode.INVALID;
        }
        ControllerScheduler scheduler = ControllerScheduler.create(database, ControllerScheduler.Settings.DEFAULTS);
        try {
          if (!scheduler.knows(cluster)) {
            err.println("uctrust: the database has no job for cluster " + cluster + " yet; start the controller with it"
                + " configured first");
            return ExitCode.INVALID;
          }
          apply(scheduler);
        } finally {
          // Quartz hands out the running scheduler of this process, if there is one: leave that one running
          if (!scheduler.quartz().isStarted()) {
            scheduler.shutdown(false);
          }
        }
      } catch (SQLException | SchedulerException e) {
        err.println("uctrust: controller " + verb() + ": " + e.getMessage());
        return ExitCode.INVALID;
      }
      spec.commandLine().getOut().println(done(config, configured));
      return ExitCode.OK;
    }
  }

  /** {@code uctrust controller suspend CLUSTER}. */
  @Command(name = "suspend", mixinStandardHelpOptions = true,
      description = "Suspend a cluster: no scheduled or webhook runs on any controller instance of the database, until "
          + "'uctrust controller resume'. A run in progress finishes.",
      footer = {"", "Exit codes: 0 suspended, 1 invalid configuration, unknown cluster or database error."})
  static final class Suspend extends Pause {
    Suspend(Map<String, String> environment) {
      super(environment);
    }

    @Override
    String verb() {
      return "suspend";
    }

    @Override
    void apply(ControllerScheduler scheduler) throws SchedulerException {
      scheduler.suspend(cluster);
    }

    @Override
    String done(ControllerConfig config, ControllerSpec.Cluster configured) {
      return "cluster " + cluster + " suspended: no runs on any controller instance until 'uctrust controller resume "
          + cluster + "'";
    }
  }

  /** {@code uctrust controller resume CLUSTER}. */
  @Command(name = "resume", mixinStandardHelpOptions = true,
      description = "Resume a suspended cluster; a run missed while suspended runs now.",
      footer = {"", "Exit codes: 0 resumed, 1 invalid configuration, unknown cluster or database error."})
  static final class Resume extends Pause {
    Resume(Map<String, String> environment) {
      super(environment);
    }

    @Override
    String verb() {
      return "resume";
    }

    @Override
    void apply(ControllerScheduler scheduler) throws SchedulerException {
      scheduler.resume(cluster);
    }

    @Override
    String done(ControllerConfig config, ControllerSpec.Cluster configured) {
      return "cluster " + cluster + " resumed" + (ControllerConfig.suspended(configured)
          ? "; note: " + settings.config + " says 'suspended: true', so the next controller start suspends it again"
          : "");
    }
  }
}
