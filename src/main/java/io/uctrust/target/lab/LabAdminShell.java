package io.uctrust.target.lab;

import io.uctrust.cluster.ClusterException;
import io.uctrust.cluster.Operation;
import io.uctrust.cluster.SecretResolver;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform admin CLI ({@code admin:} prompt) of one lab node, as one SSH shell session: login banner,
 * prompt, echo of what is typed, CRLF line ends, questions on the line where the CLI waits, and the
 * commands uctrust's {@code AdminCli} sends, backed by the {@link ServedLab}. Changes go through {@link
 * ServedLab#perform} with the same {@link Operation} the in-process lab performs, so a change made over
 * SSH leaves exactly the state the in-process lab would. Each command line first meets the lab's faults
 * ({@code cli:<command line>}).
 *
 * <p>The wording follows the client's test double and the client's parsers; the real CLI's text is not
 * published. {@code utils capf show keep_alive} and {@code utils fips status} are assumed commands.
 *
 * <p>Not for: checking the real CLI's exact wording, or anything but loopback tests of the real-cluster
 * adapter; it is no shell (nothing is executed on the host).
 */
final class LabAdminShell implements Command, Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(LabAdminShell.class);

  static final String BANNER = "\nCommand Line Interface is starting up, please wait ...\n\n"
      + "   Welcome to the Platform Command Line Interface\n\n"
      + "uctrust lab node: %s\n\n";
  static final String UNSUCCESSFUL = "Executed command unsuccessfully";
  static final String RESTART_PREFIX = "utils service restart ";
  /** Service restarts print their progress slowly on a real node; a little delay keeps the client honest. */
  private static final long RESTART_STEP_MILLIS = 20;
  /** An immediate close discards writes still queued in the session: give the echo time to leave. */
  private static final long DROP_GRACE_MILLIS = 200;
  /** The CLI's questions carry no secrets; nothing here resolves one. */
  private static final SecretResolver NO_SECRETS = (ref, subject) -> {
    throw new ClusterException("the admin CLI carries no secrets (asked for " + subject + ")");
  };
  private static final DateTimeFormatter ISSUED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

  private final ServedLab lab;
  private final String node;
  private final LabFaults faults;
  private final ChannelSession channel;
  private InputStream in;
  private OutputStream out;
  private ExitCallback exit;
  private Thread thread;
  private boolean previousWasCr;
  private volatile boolean ended;

  LabAdminShell(ServedLab lab, String node, LabFaults faults, ChannelSession channel) {
    this.lab = lab;
    this.node = node;
    this.faults = faults;
    this.channel = channel;
  }

  @Override
  public void setInputStream(InputStream in) {
    this.in = in;
  }

  @Override
  public void setOutputStream(OutputStream out) {
    this.out = out;
  }

  @Override
  public void setErrorStream(OutputStream err) {
    // The admin CLI writes everything to the terminal: stderr is not used.
  }

  @Override
  public void setExitCallback(ExitCallback callback) {
    this.exit = callback;
  }

  @Override
  public void start(ChannelSession session, Environment env) {
    thread = new Thread(this, "lab-admin-cli-" + node);
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void destroy(ChannelSession session) {
    ended = true;
    if (thread != null) {
      thread.interrupt();
    }
  }

  @Override
  public void run() {
    try {
      print(String.format(Locale.ROOT, BANNER, node));
      while (!ended) {
        print("admin:");
        String line = readLine();
        if (line == null) {
          break;
        }
        String command = line.strip().replaceAll("\\s+", " ");
        if (command.isEmpty()) {
          continue;
        }
        if (command.equals("quit") || command.equals("exit")) {
          break;
        }
        if (!faulted(command)) {
          execute(command);
        }
      }
    } catch (InterruptedException | InterruptedIOException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      if (!ended && channel.isOpen()) {
        LOG.debug("admin CLI of {}: {}", node, e.toString());
      }
    } finally {
      if (!ended) {
        ended = true;
        exit.onExit(0);
      }
    }
  }

  /** Applies the fault for this command, if any; true when the command must not run. */
  private boolean faulted(String command) throws IOException, InterruptedException {
    Optional<LabFaults.Fault> fault = faults.take("cli:" + command);
    if (fault.isEmpty()) {
      return false;
    }
    switch (fault.get().kind()) {
      case DISCONNECT -> {
        Thread.sleep(DROP_GRACE_MILLIS);
        ended = true;
        channel.getSession().close(true);
        return true;
      }
      case DELAY -> {
        Thread.sleep(fault.get().delay().toMillis());
        return false;
      }
      default -> {
        println(UNSUCCESSFUL);
        println("Error: lab fault " + fault.get().kind().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        return true;
      }
    }
  }

  private void execute(String command) throws IOException, InterruptedException {
    switch (command) {
      case "set cli pagination off" -> println("Automatic Pagination is Off");
      case "utils fips status" -> println("The system is operating in "
          + (lab.read(state -> state.fipsMode) ? "FIPS" : "NON-FIPS") + " mode.");
      case "utils capf set keep_alive" -> publisherOnly(command, this::setKeepAlive);
      case "utils capf show keep_alive" -> publisherOnly(command,
          () -> println("CAPF keep alive timer: " + lab.read(state -> state.keepAliveMinutes) + " minutes"));
      case "utils sipOAuth-mode status" -> publisherOnly(command, () -> println("SIP OAuth Mode is "
          + (lab.read(state -> state.sipOAuthMode) ? "Enabled" : "Disabled")));
      case "utils sipOAuth-mode enable" -> publisherOnly(command, () -> setSipOAuth(true));
      case "utils sipOAuth-mode disable" -> publisherOnly(command, () -> setSipOAuth(false));
      case "utils capf stale-lsc list" -> publisherOnly(command, this::listStaleLscs);
      case "utils capf stale-lsc delete all" -> publisherOnly(command, this::deleteStaleLscs);
      // The lab keeps no CSRs CAPF holds without a certificate: always the empty form.
      case "utils capf csr list" -> publisherOnly(command, this::listPendingCsrs);
      default -> {
        if (command.startsWith(RESTART_PREFIX)) {
          restart(command.substring(RESTART_PREFIX.length()));
        } else {
          println(UNSUCCESSFUL);
          println("Invalid command: " + command);
        }
      }
    }
  }

  /** A step of a command that may print and wait. */
  @FunctionalInterface
  private interface Step {
    void run() throws IOException, InterruptedException;
  }

  /** CAPF and SIP OAuth mode are cluster-wide settings kept on the Unified CM publisher. */
  private void publisherOnly(String command, Step step) throws IOException, InterruptedException {
    String role = lab.read(state -> state.nodes.stream().filter(n -> n.name.equals(node)).map(n -> n.role)
        .findFirst().orElse(""));
    if (!role.equals("cucm-publisher")) {
      println(UNSUCCESSFUL);
      println("'" + command + "' is allowed only on the Unified CM publisher; " + node + " is " + role);
      return;
    }
    step.run();
  }

  private void setKeepAlive() throws IOException {
    print("Enter the keepalive time in minutes (5-60): ");
    String value = readAnswer();
    int minutes;
    try {
      minutes = Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      minutes = -1;
    }
    if (minutes < 5 || minutes > 60) {
      println("Invalid value '" + value + "': the keepalive time must be between 5 and 60 minutes");
      println(UNSUCCESSFUL);
      return;
    }
    if (perform(new Operation.SetCapfKeepAlive(minutes))) {
      println("CAPF keep alive timer successfully set to " + minutes + " minutes");
    }
  }

  private void setSipOAuth(boolean enable) throws IOException {
    String state = enable ? "enabled" : "disabled";
    if (lab.read(s -> s.sipOAuthMode) == enable) {
      println("SIP OAuth mode is already " + state);
      return;
    }
    if (enable) {
      println("Enabling SIP OAuth mode requires a restart of the Cisco CallManager service on all nodes.");
      print("Do you want to continue? (yes/no): ");
    } else {
      print("Are you sure you want to disable SIP OAuth mode (y/n)? ");
    }
    String answer = readAnswer().strip();
    if (!answer.equalsIgnoreCase("yes") && !answer.equalsIgnoreCase("y")) {
      println("Operation cancelled");
      return;
    }
    if (perform(new Operation.SetSipOAuthMode(enable))) {
      println("SIP OAuth mode " + state + " successfully.");
      if (enable) {
        println("Restart the Cisco CallManager service on all nodes for the change to take effect.");
      }
    }
  }

  private void listStaleLscs() throws IOException {
    List<Row> rows = lab.read(state -> state.staleLscs.stream()
        .map(l -> new Row(l.phone, l.serial, ISSUED.format(LocalDateTime.ofInstant(l.issued, ZoneOffset.UTC)))).toList());
    table("Stale LSC certificates:", "No stale LSC certificates found", "Serial Number", "Issued On", rows);
  }

  private void listPendingCsrs() throws IOException {
    List<Row> rows = lab.read(state -> state.pendingCsrs.stream()
        .map(c -> new Row(c.phone, c.phone + ".csr", ISSUED.format(LocalDateTime.ofInstant(c.created, ZoneOffset.UTC))))
        .toList());
    table("Pending CSR files:", "No pending CSR files found", "CSR File", "Received On", rows);
  }

  private void table(String title, String none, String second, String third, List<Row> rows) throws IOException {
    if (rows.isEmpty()) {
      println(none);
      return;
    }
    println(title);
    row("Device Name", second, third);
    row("-".repeat(16), "-".repeat(32), "-".repeat(19));
    for (Row row : rows) {
      row(row.device(), row.second(), row.third());
    }
    println("");
    println("Total: " + rows.size());
  }

  private void deleteStaleLscs() throws IOException {
    int count = lab.read(state -> state.staleLscs.size());
    if (count == 0) {
      println("No stale LSC certificates found");
      return;
    }
    println("This will delete " + count + " stale LSC certificates from the system.");
    print("Do you want to continue? (yes/no): ");
    if (!readAnswer().strip().equalsIgnoreCase("yes")) {
      println("Operation cancelled");
      return;
    }
    if (perform(new Operation.DeleteStaleLscs())) {
      println("Deleted " + count + " stale LSC certificates successfully.");
    }
  }

  /** One line of a device table (stale LSCs, pending CSRs). */
  record Row(String device, String second, String third) {}

  private void restart(String service) throws IOException, InterruptedException {
    boolean runsHere = lab.read(state -> state.nodes.stream().filter(n -> n.name.equals(node))
        .anyMatch(n -> n.services.containsKey(service)));
    println("Service Manager is running");
    if (!runsHere) {
      println("Invalid service name: " + service);
      println(UNSUCCESSFUL);
      return;
    }
    println("Do not press Ctrl+C while the service is restarting. If the service has not restarted properly, "
        + "execute the same command again.");
    for (String state : List.of("STOPPING", "STARTING")) {
      Thread.sleep(RESTART_STEP_MILLIS);
      println(service + "[" + state + "]");
    }
    if (perform(new Operation.RestartService(node, service, "admin CLI restart"))) {
      println(service + "[STARTED]");
    }
  }

  /** Performs a change as the in-process lab does; a refusal is printed as the CLI's failure. */
  private boolean perform(Operation operation) throws IOException {
    try {
      lab.perform(operation, NO_SECRETS);
      return true;
    } catch (ClusterException e) {
      println("Error: " + e.getMessage());
      println(UNSUCCESSFUL);
      return false;
    }
  }

  private void row(String device, String serial, String issued) throws IOException {
    println(String.format(Locale.ROOT, "%-20s %-36s %s", device, serial, issued));
  }

  private String readAnswer() throws IOException {
    String answer = readLine();
    if (answer == null) {
      throw new IOException("the client went away instead of answering");
    }
    return answer;
  }

  private void print(String text) throws IOException {
    out.write(text.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private void println(String text) throws IOException {
    print(text + "\n");
  }

  /** A line as a terminal in canonical mode delivers it (CR, LF or CRLF ends it), echoed with CRLF. */
  private String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    while (true) {
      int c = in.read();
      if (c < 0) {
        return null;
      }
      if (c == '\n' && previousWasCr) {
        previousWasCr = false;
        continue;
      }
      previousWasCr = c == '\r';
      if (c == '\r' || c == '\n') {
        break;
      }
      line.write(c);
    }
    String text = line.toString(StandardCharsets.UTF_8);
    print(text + "\n");
    return text;
  }
}
