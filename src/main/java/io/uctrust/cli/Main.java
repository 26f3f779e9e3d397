package io.uctrust.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.Map;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/** Entry point: runs the command line and exits with its code. */
public final class Main {
  private Main() {}

  static {
    // Hibernate Validator logs through jboss-logging, which would pick java.util.logging and print INFO
    // lines to users; route it to slf4j-simple, which shows warnings only.
    System.setProperty("org.jboss.logging.provider", "slf4j");
  }

  public static void main(String[] args) {
    System.exit(run(Clock.systemUTC(), System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true),
        args));
  }

  /** Runs uctrust with the given clock and streams and the process environment; returns the exit code. */
  public static int run(Clock clock, PrintWriter out, PrintWriter err, String... args) {
    return run(clock, System.getenv(), out, err, args);
  }

  /** Runs uctrust with the given clock, environment (where env: secrets come from) and streams. */
  public static int run(Clock clock, Map<String, String> environment, PrintWriter out, PrintWriter err, String... args) {
    CommandLine commandLine = commandLine(clock, environment);
    commandLine.setOut(out);
    commandLine.setErr(err);
    commandLine.setParameterExceptionHandler((ex, arguments) -> {
      ex.getCommandLine().getErr().println("uctrust: " + ex.getMessage());
      ex.getCommandLine().getErr().println("Run '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
      return ExitCode.INVALID;
    });
    commandLine.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
      cmd.getErr().println("uctrust: internal error: " + ex.getClass().getSimpleName()
          + (ex.getMessage() == null ? "" : ": " + ex.getMessage()));
      if (System.getenv("UCTRUST_DEBUG") != null) {
        LoggerFactory.getLogger(Main.class).error("internal error", ex);
      } else {
        cmd.getErr().println("Set UCTRUST_DEBUG=1 for details, and please report it.");
      }
      return ExitCode.INVALID;
    });
    int code = commandLine.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /** uctrust's command line, for running or only parsing (what CI examples run must parse). */
  static CommandLine commandLine(Clock clock, Map<String, String> environment) {
    CommandLine commandLine = new CommandLine(new UctrustCommand(), new CommandFactory(clock, environment));
    commandLine.setCaseInsensitiveEnumValuesAllowed(true);
    return commandLine;
  }

  /** Creates commands with the injected clock. */
  private record CommandFactory(Clock clock, Map<String, String> environment) implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> type) throws Exception {
      if (type == ValidateCommand.class) {
        return type.cast(new ValidateCommand(clock, environment));
      }
      if (type == DiffCommand.class) {
        return type.cast(new DiffCommand(clock));
      }
      if (type == ReconcileCommand.class) {
        return type.cast(new ReconcileCommand(clock, environment));
      }
      if (type == StatusCommand.class) {
        return type.cast(new StatusCommand(clock, environment));
      }
      if (type == BundleCommand.class) {
        return type.cast(new BundleCommand(clock, environment));
      }
      if (type == SnapshotCommand.class) {
        return type.cast(new SnapshotCommand(clock, environment));
      }
      if (type == ControllerCommand.class) {
        return type.cast(new ControllerCommand(clock, environment));
      }
      if (type == ControllerCommand.Suspend.class) {
        return type.cast(new ControllerCommand.Suspend(environment));
      }
      if (type == ControllerCommand.Resume.class) {
        return type.cast(new ControllerCommand.Resume(environment));
      }
      if (type == LabCommand.class) {
        return type.cast(new LabCommand(clock, environment));
      }
      return CommandLine.defaultFactory().create(type);
    }
  }
}
