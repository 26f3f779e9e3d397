package io.uctrust.cli;

import io.uctrust.gitops.GitSourceException;
import io.uctrust.reconcile.ClientBundle;
import io.uctrust.reconcile.ClientBundler;
import io.uctrust.validate.ValidationOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code uctrust bundle}: the CA certificates a kind of client needs to trust, as PEM. Not for: changing the
 * cluster or the desired-state folder; it only reads both (a lab is created on first use, as by {@code status}).
 */
@Command(name = "bundle", mixinStandardHelpOptions = true,
    description = {"Write, as PEM, what jabber, browser or expressway clients need to trust for the service identities "
        + "of the clusters in DIR.",
        "For group policy or an upload to Expressway-C: the root and intermediate CAs named by the "
        + "issuer.caCertificates of Certificate documents, the self-signed identities of the cluster, and the issuers "
        + "of its CA-signed ones found in its trust stores. Expired certificates are left out with a warning. The "
        + "bundle's header names the services of the kind of client."},
    footer = {"", "Exit codes: 0 bundle written, 1 invalid input, nothing to bundle or error."})
final class BundleCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin TargetMixin target;

  @Mixin SourceMixin source;

  // a string, not the enum: a wrong value gets one line that lists the right ones
  @Option(names = "--for", required = true, paramLabel = "CLIENT", description = "jabber, browser or expressway")
  String client;

  @Option(names = "--out", paramLabel = "FILE",
      description = "Write the bundle to FILE (replaced atomically) instead of standard output.")
  Path out;

  private final Clock clock;
  private final Map<String, String> environment;

  BundleCommand(Clock clock, Map<String, String> environment) {
    this.clock = clock;
    this.environment = environment;
  }

  @Override
  public Integer call() {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter stderr = spec.commandLine().getErr();
    Optional<ClientBundle.Client> kind = ClientBundle.Client.of(client);
    if (kind.isEmpty()) {
      stderr.println("uctrust: unknown --for value '" + client + "'; expected " + ClientBundle.Client.labels());
      return ExitCode.INVALID;
    }
    ClientBundle bundle;
    try (SourceMixin.DesiredFolder desired = source.open(target.stateDir, environment)) {
      bundle = new ClientBundler(clock, target.options(environment), ValidationOptions.DEFAULTS)
          .bundle(desired.dir(), target.cluster, kind.get());
    } catch (ClientBundler.BundleException | GitSourceException e) {
      stderr.println("uctrust: " + e.getMessage());
      return ExitCode.INVALID;
    }
    bundle.warnings().forEach(w -> stderr.println("uctrust: warning: " + w));
    if (bundle.empty()) {
      stderr.println("uctrust: nothing to bundle for " + kind.get().label() + ": no Certificate document or "
          + "identity of its services yields a certificate that is still valid; considered:");
      bundle.considered().forEach(c -> stderr.println("  " + c));
      return ExitCode.INVALID;
    }
    if (out == null) {
      stdout.print(bundle.pem());
      stdout.flush();
      return ExitCode.OK;
    }
    try {
      write(out, bundle.pem());
    } catch (IOException e) {
      stderr.println("uctrust: cannot write " + out + ": " + e.getMessage());
      return ExitCode.INVALID;
    }
    stderr.println("wrote " + bundle.entries().size() + " CA certificate(s) for " + kind.get().label() + " to " + out);
    return ExitCode.OK;
  }

  /** Writes {@code text} next to {@code file} and moves it into place, so readers never see half a bundle. */
  private static void write(Path file, String text) throws IOException {
    Path absolute = file.toAbsolutePath();
    Path temporary = absolute.resolveSibling("." + absolute.getFileName() + "." + ProcessHandle.current().pid()
        + ".tmp");
    try {
      Files.writeString(temporary, text, StandardCharsets.US_ASCII);
      Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }
}
