package io.uctrust.cli;

import io.uctrust.cluster.ClusterException;
import io.uctrust.cluster.SecretReader;
import io.uctrust.desired.ClusterSpec;
import io.uctrust.desired.Document;
import io.uctrust.desired.SecretRef;
import io.uctrust.observed.ObservedCluster;
import io.uctrust.target.Targets;
import io.uctrust.target.lab.LabCluster;
import io.uctrust.target.lab.LabFaults;
import io.uctrust.target.lab.LabOnlineCa;
import io.uctrust.target.lab.LabServer;
import io.uctrust.target.lab.LabStore;
import io.uctrust.validate.ValidationOptions;
import io.uctrust.validate.ValidationReport;
import io.uctrust.validate.ValidationTextRenderer;
import io.uctrust.validate.Validator;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code uctrust lab show|init|reset|serve|online-ca}: inspect and manage the embedded lab cluster, serve it over
 * a real cluster's interfaces, and run the lab's online CA.
 */
@Command(name = "lab", mixinStandardHelpOptions = true, subcommandsRepeatable = false,
    description = "Inspect and manage the embedded lab cluster of a Cluster document with target type lab.")
final class LabCommand {

  /** The folder under a lab's state folder where its online CA lives. */
  static final String ONLINE_CA_DIR = "online-ca";

  @Spec CommandSpec spec;

  private final Clock clock;
  private final Map<String, String> environment;

  /** {@code environment} is where {@code env:} secrets (the online CA's password) come from. */
  LabCommand(Clock clock, Map<String, String> environment) {
    this.clock = clock;
    this.environment = environment;
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Summarize the lab: nodes, trust stores, phones, recent events.")
  int show(@Mixin TargetMixin target,
      @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "Desired-state folder (default: .)") Path dir) {
    PrintWriter out = spec.commandLine().getOut();
    try {
      LabStore store = store(target, dir);
      LabCluster lab = LabCluster.existing(store, clock);
      ObservedCluster o = lab.observe();
      Instant now = clock.instant();
      out.println("Lab cluster " + o.name() + " in " + store.dir());
      for (ObservedCluster.Node node : o.nodes()) {
        out.printf("  %-28s %-16s %2d identities, %3d trust entries, %d services%n", node.name(),
            node.role().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'), node.identities().size(), node.trust().size(),
            node.services().size());
      }
      long lsc = o.phones().stream().filter(p -> p.lsc() != null).count();
      long expired = o.phones().stream().filter(p -> p.lsc() != null && p.lsc().notAfter().isBefore(now)).count();
      long soon = o.phones().stream().filter(p -> p.lsc() != null && !p.lsc().notAfter().isBefore(now)
          && p.lsc().notAfter().isBefore(now.plus(Duration.ofDays(30)))).count();
      long pending = o.phones().stream().filter(p -> "Operation Pending".equals(p.capf().status())).count();
      out.printf("  phones: %d (%d with an LSC: %d expired, %d expiring within 30 days; %d without; %d operations pending)%n",
          o.phones().size(), lsc, expired, soon, o.phones().size() - lsc, pending);
      out.println("  CAPF: issuer " + o.capf().issuer().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')
          + ", keepalive " + o.capf().keepAliveMinutes() + " min; SIP OAuth " + (o.sipOAuth().enabled() ? "on" : "off"));
      List<String> events = lab.events();
      out.println("  events: " + events.size() + (events.isEmpty() ? "" : ", latest:"));
      events.subList(Math.max(0, events.size() - 10), events.size()).forEach(e -> out.println("    " + e));
      return ExitCode.OK;
    } catch (ClusterException | IllegalArgumentException e) {
      spec.commandLine().getErr().println("uctrust: " + e.getMessage());
      return ExitCode.INVALID;
    }
  }

  @Command(name = "init", mixinStandardHelpOptions = true,
      description = "Create the lab of the Cluster document in DIR (use --phones N for a larger population).")
  int init(@Mixin TargetMixin target,
      @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "Desired-state folder (default: .)") Path dir) {
    return create(target, dir, false);
  }

  @Command(name = "reset", mixinStandardHelpOptions = true,
      description = "Delete the lab and create it again as a fresh cluster (everything applied to it is lost).")
  int reset(@Mixin TargetMixin target,
      @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "Desired-state folder (default: .)") Path dir) {
    return create(target, dir, true);
  }

  @Command(name = "serve", mixinStandardHelpOptions = true,
      description = {"Serve the lab over the interfaces of a real cluster on loopback: HTTPS (AXL, platform certificate REST, "
          + "ControlCenterServices; nodes told apart by TLS SNI) and SSH (the admin CLI, one port per node), until stopped "
          + "(Ctrl-C).",
          "A Cluster document with target type cucm then reaches it with the printed --connect-to options; the trust "
              + "bundle, known_hosts and password files are written to <state-dir>/serve/. Creates the lab from the Cluster "
              + "document in DIR when it does not exist yet."})
  int serve(@Mixin TargetMixin target,
      @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "Desired-state folder (default: none; "
          + "needed only to create the lab)") Path dir,
      @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
          description = "Loopback address to listen on (default: ${DEFAULT-VALUE}).") String bind,
      @Option(names = "--port", paramLabel = "PORT", defaultValue = "0",
          description = "HTTPS port (default: any free port; SSH ports are always chosen freely).") int port,
      @Option(names = "--fault", paramLabel = "REQUEST=KIND[*TIMES][@MSms]",
          description = "Inject a fault, e.g. axl:updatePhone=throttle*2, platform:POST trust/certificates=server-error, "
              + "ccs:*=delay@5000ms, cli:utils sipOAuth-mode enable=disconnect. Repeatable.") List<String> faults) {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    LabFaults injected = LabFaults.none();
    try {
      for (String fault : faults == null ? List.<String>of() : faults) {
        injected.add(LabFaults.parse(fault));
      }
      Optional<StateFolder> folder = stateFolder(target, dir);
      if (folder.isEmpty()) {
        return ExitCode.INVALID;
      }
      LabStore store = folder.get().store();
      if (folder.get().cluster() != null && !store.exists()) {
        try (LabStore.Lock lock = store.lock()) {
          LabCluster.create(store, folder.get().cluster().name(), folder.get().cluster().spec(), target.phones, clock);
        }
      }
      InetAddress address = InetAddress.getByName(bind);
      LabServer server = LabServer.start(store, address, port, injected, clock);
      java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        server.close();
        err.print("served:\n" + io.uctrust.target.lab.LabHttpsServer.TRAFFIC.summary());
        err.flush();
        stopped.countDown();
      }, "uctrust-lab-serve-stop"));
      out.println("Serving lab cluster " + server.cluster() + " from " + store.dir() + " on " + address.getHostAddress());
      out.println("  HTTPS (AXL, platform REST, ControlCenterServices): port " + server.httpsPort());
      server.sshPorts().forEach((node, sshPort) -> out.println("  SSH admin CLI of " + node + ": port " + sshPort));
      out.println("  trust:      file:" + server.trustBundle());
      out.println("  knownHosts: file:" + server.knownHosts());
      out.println("  password:   file:" + server.passwordFile() + "  (any user name)");
      out.println("Reach it with:");
      out.println("  " + String.join(" ", server.connectTo().stream().map(r -> "--connect-to " + r).toList()));
      out.println("Stop with Ctrl-C.");
      out.flush();
      stopped.await();
      return ExitCode.OK;
    } catch (ClusterException | IllegalArgumentException | java.io.IOException e) {
      err.println("uctrust: " + e.getMessage());
      return ExitCode.INVALID;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExitCode.OK;
    }
  }

  @Command(name = "phone", mixinStandardHelpOptions = true,
      description = {"Show simulated phones, or change what the lab's phones do in their next CAPF session: the string the "
          + "user enters, communication or power failures, IP addressing. For trying the failure paths of the CAPF guide.",
          "With no setting option, prints each phone's CAPF fields, LSC, MIC and session."})
  int phone(@Mixin TargetMixin target,
      @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "Desired-state folder (default: .)") Path dir,
      @Option(names = "--phone", paramLabel = "NAME", required = true, description = "Device name (SEP...). Repeatable.")
          List<String> names,
      @Option(names = "--entered-string", paramLabel = "DIGITS",
          description = "What the user types for By Authentication String ('' = the string set on the cluster).") String entered,
      @Option(names = "--communication-failures", paramLabel = "N",
          description = "The next N installation attempts fail (4 or more: the operation fails after 3 retries).") Integer failures,
      @Option(names = "--power-failure", negatable = true,
          description = "The phone loses power once in the middle of its next CAPF session.") Boolean power,
      @Option(names = "--ip-mode", paramLabel = "MODE", description = "ipv4-only, ipv6-only or dual-stack.") String ipMode,
      @Option(names = "--addresses", paramLabel = "FAMILY", description = "ipv4, ipv6 or both.") String addresses) {
    PrintWriter out = spec.commandLine().getOut();
    try {
      LabStore store = store(target, dir);
      try (LabStore.Lock lock = store.lock()) {
        LabCluster lab = LabCluster.existing(store, clock);
        if (entered != null || failures != null || power != null || ipMode != null || addresses != null) {
          lab.tunePhones(names, new LabCluster.PhoneSettings(entered, failures, power, constant(ipMode), constant(addresses)));
        }
        for (String name : names) {
          lab.describePhone(name).forEach(out::println);
        }
      }
      return ExitCode.OK;
    } catch (ClusterException | IllegalArgumentException | java.io.IOException e) {
      spec.commandLine().getErr().println("uctrust: " + e.getMessage());
      return ExitCode.INVALID;
    }
  }

  @Command(name = "advance", mixinStandardHelpOptions = true,
      description = "Move the lab's time forward (e.g. 90s, 15m, 2h): phones retry failed installations, operations pass "
          + "their completion time. Only the lab's phones and CAPF see this time.")
  int advance(@Mixin TargetMixin target,
      @Parameters(index = "0", paramLabel = "DURATION", description = "How far, as 30s, 15m, 2h or 1d.") String duration,
      @Parameters(index = "1", arity = "0..1", paramLabel = "DIR", description = "Desired-state folder (default: .)") Path dir) {
    try {
      Duration by = io.uctrust.desired.TimeAmount.parse(duration).duration();
      LabStore store = store(target, dir);
      try (LabStore.Lock lock = store.lock()) {
        LabCluster lab = LabCluster.existing(store, clock);
        lab.advanceBy(by);
        spec.commandLine().getOut().println("lab time is now " + lab.now());
      }
      return ExitCode.OK;
    } catch (ClusterException | IllegalArgumentException | java.io.IOException e) {
      spec.commandLine().getErr().println("uctrust: " + e.getMessage());
      return ExitCode.INVALID;
    }
  }

  /** A kebab-case option value as a constant name (ipv4-only -> IPV4_ONLY). */
  private static String constant(String value) {
    return value == null ? null : value.strip().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
  }

  @Command(name = "online-ca", mixinStandardHelpOptions = true,
      description = {"Run the lab's online CA until stopped (Ctrl-C): a Microsoft AD CS as Cisco's CAPF reaches it in "
          + "online CA mode (HTTPS web enrollment under /certsrv/, HTTP Basic, one certificate template, RSA keys only).",
          "Its CA lives in <state-dir>/online-ca/ and is kept across starts; ca-root.pem, ca-chain.pem and https.pem "
              + "there are what CAPF-trust needs. The lab's state folder is found as for 'lab serve'."})
  int onlineCa(@Mixin TargetMixin target,
      @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "Desired-state folder naming the lab "
          + "(default: none; give --state-dir instead)") Path dir,
      @Option(names = "--hostname", required = true, paramLabel = "HOST",
          description = "The CA's host name (Online CA Hostname): CN and DNS name of its HTTPS certificate.") String hostname,
      @Option(names = "--port", paramLabel = "PORT", defaultValue = "0",
          description = "HTTPS port (default: any free port).") int port,
      @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
          description = "Loopback address to listen on (default: ${DEFAULT-VALUE}).") String bind,
      @Option(names = "--template", required = true, paramLabel = "NAME",
          description = "The one certificate template it issues (Online CA Template).") String template,
      @Option(names = "--username", required = true, paramLabel = "USER",
          description = "HTTP Basic user name (Online CA Username).") String username,
      @Option(names = "--password", required = true, paramLabel = "env:NAME|file:PATH",
          description = "HTTP Basic password (Online CA Password), from an environment variable or a file.")
      String password,
      @Option(names = "--layout", paramLabel = "LAYOUT", defaultValue = "issued-by-root",
          converter = LayoutConverter.class, description = "same (the HTTPS certificate is the root and signs), "
              + "issued-by-root (default: the root signs and issued the HTTPS certificate), intermediate (an "
              + "intermediate signs, the root issued the HTTPS certificate), sibling (an intermediate signs, a second "
              + "one issued the HTTPS certificate). Fixed when the CA is first created.") LabOnlineCa.Layout layout,
      @Option(names = "--validity-days", paramLabel = "N", defaultValue = "730",
          description = "Validity of issued certificates in days (default: ${DEFAULT-VALUE}).") int validityDays,
      @Option(names = "--export", paramLabel = "DIR",
          description = "Also copy ca-root.pem, ca-chain.pem and https.pem into DIR (such as a desired-state "
              + "folder's certs/).") Path export) {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      if (validityDays < 1) {
        err.println("uctrust: --validity-days must be at least 1 (got " + validityDays + ")");
        return ExitCode.INVALID;
      }
      SecretRef reference = SecretRef.parse(password);
      if (reference.source() != SecretRef.Source.ENV && reference.source() != SecretRef.Source.FILE) {
        // a password on the command line would be visible to every user of the machine
        err.println("uctrust: --password must be env:NAME or file:PATH, not the password itself");
        return ExitCode.INVALID;
      }
      char[] secret = new SecretReader(environment).read(reference, null).toCharArray();
      Optional<StateFolder> folder = stateFolder(target, dir);
      if (folder.isEmpty()) {
        return ExitCode.INVALID;
      }
      InetAddress address = InetAddress.getByName(bind);
      LabOnlineCa ca = LabOnlineCa.start(folder.get().store().dir().resolve(ONLINE_CA_DIR), hostname, address, port,
          template, username, secret, layout, Duration.ofDays(validityDays), clock);
      // the CA keeps its own copy; this one is not needed any longer
      java.util.Arrays.fill(secret, '\0');
      java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        ca.close();
        stopped.countDown();
      }, "uctrust-lab-online-ca-stop"));
      if (export != null) {
        java.nio.file.Files.createDirectories(export);
        for (Path file : List.of(ca.rootPem(), ca.chainPem(), ca.httpsPem())) {
          java.nio.file.Files.copy(file, export.resolve(file.getFileName()),
              java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
      String host = address.getHostAddress().contains(":") ? "[" + address.getHostAddress() + "]"
          : address.getHostAddress();
      out.println("Online CA " + hostname + " at https://" + host + ":" + ca.port() + "/certsrv/ (template "
          + template + ")");
      out.println("  CA root:           " + ca.rootPem());
      out.println("  signing chain:     " + ca.chainPem());
      out.println("  HTTPS certificate: " + ca.httpsPem());
      out.println("  endpoint: " + ca.endpointFile());
      if (export != null) {
        out.println("  exported to:       " + export);
      }
      out.println("Stop with Ctrl-C.");
      out.flush();
      stopped.await();
      return ExitCode.OK;
    } catch (ClusterException | IllegalArgumentException | java.io.IOException e) {
      err.println("uctrust: " + e.getMessage());
      return ExitCode.INVALID;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExitCode.OK;
    }
  }

  /** Reads {@code same}, {@code issued-by-root}, {@code intermediate} or {@code sibling}. */
  static final class LayoutConverter implements ITypeConverter<LabOnlineCa.Layout> {
    @Override
    public LabOnlineCa.Layout convert(String value) {
      for (LabOnlineCa.Layout layout : LabOnlineCa.Layout.values()) {
        if (layout.name().replace('_', '-').equalsIgnoreCase(value)) {
          return layout;
        }
      }
      throw new TypeConversionException("'" + value + "' is not one of same, issued-by-root, intermediate, sibling");
    }
  }

  /** A lab's state folder and, when found through a desired-state folder, the Cluster document naming it. */
  private record StateFolder(LabStore store, Document<ClusterSpec> cluster) {}

  /**
   * The lab state folder of {@code serve} and {@code online-ca}: that of the one Cluster document in DIR (any
   * target type), else {@code --state-dir}; empty after saying why there is none.
   */
  private Optional<StateFolder> stateFolder(TargetMixin target, Path dir) {
    if (dir != null) {
      Optional<Document<ClusterSpec>> cluster = cluster(target, dir, true);
      return cluster.map(c -> new StateFolder(Targets.labStore(c.name(), target.options()), c));
    }
    if (target.stateDir != null) {
      return Optional.of(new StateFolder(new LabStore(target.stateDir), null));
    }
    spec.commandLine().getErr().println("uctrust: give --state-dir with an existing lab, or a folder with a Cluster "
        + "document");
    return Optional.empty();
  }

  private int create(TargetMixin target, Path dir, boolean replace) {
    PrintWriter err = spec.commandLine().getErr();
    Optional<Document<ClusterSpec>> cluster = cluster(target, dir == null ? Path.of(".") : dir);
    if (cluster.isEmpty()) {
      return ExitCode.INVALID;
    }
    LabStore store = Targets.labStore(cluster.get().name(), target.options());
    try (LabStore.Lock lock = store.lock()) {
      if (store.exists() && !replace) {
        err.println("uctrust: a lab already exists in " + store.dir() + "; 'uctrust lab reset' replaces it");
        return ExitCode.INVALID;
      }
      store.delete();
      LabCluster.create(store, cluster.get().name(), cluster.get().spec(), target.phones, clock);
      spec.commandLine().getOut().println((replace ? "reset" : "created") + " lab cluster " + cluster.get().name() + " with "
          + target.phones + " phones in " + store.dir());
      return ExitCode.OK;
    } catch (ClusterException | java.io.IOException e) {
      err.println("uctrust: " + e.getMessage());
      return ExitCode.INVALID;
    }
  }

  private LabStore store(TargetMixin target, Path dir) {
    if (target.stateDir != null) {
      return new LabStore(target.stateDir);
    }
    Optional<Document<ClusterSpec>> cluster = cluster(target, dir == null ? Path.of(".") : dir);
    if (cluster.isEmpty()) {
      throw new IllegalArgumentException("give --state-dir, or a folder with a valid Cluster document");
    }
    return Targets.labStore(cluster.get().name(), target.options());
  }

  private Optional<Document<ClusterSpec>> cluster(TargetMixin target, Path dir) {
    return cluster(target, dir, false);
  }

  /** The one Cluster document of DIR with target type lab (or, for serving, any target type). */
  private Optional<Document<ClusterSpec>> cluster(TargetMixin target, Path dir, boolean anyTarget) {
    ValidationReport report = new Validator(clock, ValidationOptions.DEFAULTS).validate(dir);
    if (!report.valid()) {
      spec.commandLine().getOut().print(new ValidationTextRenderer(Terminal.colour(), Path.of("").toAbsolutePath()).render(report));
      return Optional.empty();
    }
    List<Document<ClusterSpec>> labs = report.state().clusters().stream()
        .filter(c -> anyTarget || c.spec().target().type() == ClusterSpec.TargetType.LAB)
        .filter(c -> target.cluster == null || c.name().equals(target.cluster)).toList();
    if (labs.size() != 1) {
      spec.commandLine().getErr().println("uctrust: " + (labs.isEmpty() ? "no Cluster document with target type lab"
          : "several lab clusters; choose one with --cluster") + " in " + dir);
      return Optional.empty();
    }
    return Optional.of(labs.get(0));
  }
}
