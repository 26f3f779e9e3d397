package io.uctrust.target.cucm.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

/**
 * A real MINA SSHD server on 127.0.0.1 whose shell imitates the Unified CM platform admin CLI: login
 * banner, {@code admin:} prompt, echo of what is typed, CRLF line ends, and the commands uctrust uses with
 * prompts and output written for this test (the real CLI's text is not published; see the assumptions in
 * {@link AdminCliTest}). State (keepalive, SIP OAuth mode, stale LSCs, pending CSRs) changes as the real
 * commands would change it. Tests can replace any command's behaviour with {@link #on}.
 *
 * <p>Not for: checking the real CLI's exact wording.
 */
final class FakeAdminCliServer implements AutoCloseable {
  static final String BANNER = "\nCommand Line Interface is starting up, please wait ...\n\n"
      + "   Welcome to the Platform Command Line Interface\n\n"
      + "VMware Installation:\n\t2 vCPU: Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz\n\tDisk 1: 110GB, Partitions aligned\n"
      + "\t8192 Mbytes RAM\n\n";

  /** Replaces a command's behaviour. */
  @FunctionalInterface
  interface Action {
    void run(Terminal terminal) throws IOException, InterruptedException;
  }

  /** A stale LSC or pending CSR row. */
  record Row(String device, String second, String third) {}

  private final SshServer sshd;
  private final KeyPair[] hostKeys;
  final List<String> commands = new CopyOnWriteArrayList<>();
  final List<String> answers = new CopyOnWriteArrayList<>();
  final List<String> problems = new CopyOnWriteArrayList<>();
  final Map<String, Action> overrides = new ConcurrentHashMap<>();
  volatile String terminalType;
  volatile PublicKey authorizedKey;
  volatile int keepAlive = 15;
  volatile boolean sipOAuth;
  volatile boolean fips;
  final List<Row> staleLscs = new CopyOnWriteArrayList<>(List.of(
      new Row("SEP001122334455", "6f1a2b3c4d5e6f708192a3b4c5d6e7f8", "2024-03-11 09:14:02"),
      new Row("SEPAABBCCDDEEFF", "0a1b2c3d4e5f60718293a4b5c6d7e8f9", "2024-05-02 17:40:55"),
      new Row("CSFJSMITH", "7d8e9fa0b1c2d3e4f5061728394a5b6c", "2024-06-20 08:01:13")));
  final List<Row> csrs = new CopyOnWriteArrayList<>(List.of(
      new Row("SEP0CD0F8A1B2C3", "SEP0CD0F8A1B2C3.csr", "2024-07-01 10:22:45")));

  FakeAdminCliServer(String user, String password, KeyPair... hostKeys) throws IOException {
    this.hostKeys = hostKeys.clone();
    sshd = SshServer.setUpDefaultServer();
    sshd.setHost("127.0.0.1");
    sshd.setPort(0);
    sshd.setKeyPairProvider(KeyPairProvider.wrap(hostKeys));
    sshd.setPasswordAuthenticator((u, p, session) -> user.equals(u) && password.equals(p));
    sshd.setPublickeyAuthenticator((u, key, session) -> user.equals(u) && authorizedKey != null
        && KeyUtils.compareKeys(authorizedKey, key));
    sshd.setShellFactory(Shell::new);
    CoreModuleProperties.TCP_NODELAY.set(sshd, true);
    sshd.start();
  }

  int port() {
    return sshd.getPort();
  }

  /** The known_hosts line for this server's first host key. */
  String knownHostsLine() {
    return knownHostsLine(hostKeys[0].getPublic());
  }

  /** A known_hosts line naming {@code name} (as for port 22) with {@code key}. */
  static String knownHostsLine(String name, PublicKey key) {
    return name + " " + PublicKeyEntry.toString(key);
  }

  /** A known_hosts line naming this server with {@code key}. */
  String knownHostsLine(PublicKey key) {
    return "[127.0.0.1]:" + port() + " " + PublicKeyEntry.toString(key);
  }

  void on(String command, Action action) {
    overrides.put(command, action);
  }

  @Override
  public void close() {
    try {
      sshd.stop(true);
    } catch (IOException e) {
      problems.add("stopping the server: " + e);
    }
  }

  static KeyPair ecKey(int bits) {
    try {
      return KeyUtils.generateKeyPair("ecdsa-sha2-nistp" + bits, bits);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** What an action sees: the terminal of one shell. */
  interface Terminal {
    void print(String text) throws IOException;

    void println(String text) throws IOException;

    String readLine(boolean echo) throws IOException;

    /** Drops the whole SSH connection at once, after what was printed so far has had time to arrive. */
    void drop() throws IOException, InterruptedException;

    /** Blocks until the shell is destroyed. */
    void hang() throws InterruptedException;
  }

  /** One admin CLI session: a thread reading lines from the channel and answering like the CLI. */
  private final class Shell implements Command, Runnable, Terminal {
    private final ChannelSession channel;
    private InputStream in;
    private OutputStream out;
    private ExitCallback exit;
    private Thread thread;
    private boolean previousWasCr;
    private volatile boolean ended;

    Shell(ChannelSession channel) {
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
      terminalType = env.getEnv().get(Environment.ENV_TERM);
      thread = new Thread(this, "fake-admin-cli");
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
        print(BANNER);
        while (!ended) {
          print("admin:");
          String line = readLine(true);
          if (line == null) {
            break;
          }
          String command = line.strip().replaceAll("\\s+", " ");
          if (command.isEmpty()) {
            continue;
          }
          commands.add(command);
          if (command.equals("quit") || command.equals("exit")) {
            break;
          }
          Action override = overrides.get(command);
          if (override != null) {
            override.run(this);
          } else {
            builtin(command);
          }
        }
      } catch (InterruptedException | InterruptedIOException e) {
        Thread.currentThread().interrupt();
      } catch (IOException e) {
        if (!ended && channel.isOpen()) {
          problems.add("shell I/O: " + e);
        }
      } finally {
        if (!ended) {
          exit.onExit(0);
        }
      }
    }

    private void builtin(String command) throws IOException, InterruptedException {
      switch (command) {
        case "set cli pagination off" -> println("Automatic Pagination is Off");
        case "utils capf set keep_alive" -> keepAlive();
        case "utils capf show keep_alive" -> println("CAPF keep alive timer: " + keepAlive + " minutes");
        case "utils fips status" -> println("The system is operating in " + (fips ? "FIPS" : "NON-FIPS") + " mode.");
        case "utils sipOAuth-mode status" -> println("SIP OAuth Mode is " + (sipOAuth ? "Enabled" : "Disabled"));
        case "utils sipOAuth-mode enable" -> sipOAuthEnable();
        case "utils sipOAuth-mode disable" -> sipOAuthDisable();
        case "utils capf stale-lsc list" -> table("Stale LSC certificates:", "No stale LSC certificates found",
            "Serial Number", "Issued On", staleLscs);
        case "utils capf stale-lsc delete all" -> deleteStaleLscs();
        case "utils capf csr list" -> table("Pending CSR files:", "No pending CSR files found", "CSR File",
            "Received On", csrs);
        case "utils create report security" -> report();
        default -> {
          if (command.startsWith("utils service restart ")) {
            restart(command.substring("utils service restart ".length()));
          } else {
            println("Executed command unsuccessfully");
            println("Invalid command: " + command);
          }
        }
      }
    }

    private void keepAlive() throws IOException {
      print("Enter the keepalive time in minutes (5-60): ");
      String value = readAnswer(true);
      int minutes;
      try {
        minutes = Integer.parseInt(value.strip());
      } catch (NumberFormatException e) {
        minutes = -1;
      }
      if (minutes < 5 || minutes > 60) {
        println("Invalid value '" + value + "': the keepalive time must be between 5 and 60 minutes");
        println("Executed command unsuccessfully");
        return;
      }
      keepAlive = minutes;
      println("CAPF keep alive timer successfully set to " + minutes + " minutes");
    }

    private void sipOAuthEnable() throws IOException {
      if (sipOAuth) {
        println("SIP OAuth mode is already enabled");
        return;
      }
      println("Enabling SIP OAuth mode requires a restart of the Cisco CallManager service on all nodes.");
      print("Do you want to continue? (yes/no): ");
      String answer = readAnswer(true).strip();
      if (answer.equalsIgnoreCase("yes") || answer.equalsIgnoreCase("y")) {
        sipOAuth = true;
        println("SIP OAuth mode enabled successfully.");
        println("Restart the Cisco CallManager service on all nodes for the change to take effect.");
      } else {
        println("Operation cancelled");
      }
    }

    private void sipOAuthDisable() throws IOException {
      if (!sipOAuth) {
        println("SIP OAuth mode is already disabled");
        return;
      }
      print("Are you sure you want to disable SIP OAuth mode (y/n)? ");
      String answer = readAnswer(true).strip();
      if (answer.equalsIgnoreCase("y")) {
        sipOAuth = false;
        println("SIP OAuth mode disabled successfully.");
      } else {
        println("Operation cancelled");
      }
    }

    private void table(String title, String none, String second, String third, List<Row> rows) throws IOException {
      if (rows.isEmpty()) {
        println(none);
        return;
      }
      println(title);
      println(String.format("%-20s %-36s %s", "Device Name", second, third));
      println(String.format("%-20s %-36s %s", "-".repeat(16), "-".repeat(32), "-".repeat(19)));
      for (Row row : new ArrayList<>(rows)) {
        println(String.format("%-20s %-36s %s", row.device(), row.second(), row.third()));
      }
      println("");
      println("Total: " + rows.size());
    }

    private void deleteStaleLscs() throws IOException {
      int count = staleLscs.size();
      if (count == 0) {
        println("No stale LSC certificates found");
        return;
      }
      println("This will delete " + count + " stale LSC certificates from the system.");
      print("Do you want to continue? (yes/no): ");
      String answer = readAnswer(true).strip();
      if (!answer.equalsIgnoreCase("yes")) {
        println("Operation cancelled");
        return;
      }
      staleLscs.clear();
      println("Deleted " + count + " stale LSC certificates successfully.");
    }

    private void report() throws IOException {
      println("This command collects the security diagnostic reports into platform/log.");
      print("Continue (y/n)? ");
      String answer = readAnswer(true).strip();
      if (!answer.equalsIgnoreCase("y")) {
        println("Cancelled");
        return;
      }
      println("Collecting security report...");
      println("Output is in file: platform/log/security_report_20240502.tar");
    }

    private void restart(String service) throws IOException, InterruptedException {
      switch (service) {
        case "Cisco Tomcat", "Cisco CallManager", "Cisco Certificate Authority Proxy Function",
            "Cisco Intercluster Sync Agent" -> {
          println("Do not press Ctrl+C while the service is restarting. If the service has not restarted properly, "
              + "execute the same command again.");
          println("Service Manager is running");
          for (String state : List.of("STOPPING", "STOPPING", "STARTING", "STARTING", "STARTED")) {
            Thread.sleep(30);
            println(service + "[" + state + "]");
          }
        }
        case "Cisco XCP Router" -> {
          println("Restarting " + service + " ...");
          Thread.sleep(50);
          println("Service Restarted");
        }
        case "Cisco DirSync" -> {
          println("Service Manager is running");
          println(service + "[STOPPING]");
          println(service + "[NOTRUNNING]");
        }
        default -> {
          println("Service Manager is running");
          println("Invalid service name: " + service);
          println("Executed command unsuccessfully");
        }
      }
    }

    private String readAnswer(boolean echo) throws IOException {
      String answer = readLine(echo);
      if (answer == null) {
        throw new IOException("the client went away instead of answering");
      }
      answers.add(answer);
      return answer;
    }

    @Override
    public void print(String text) throws IOException {
      out.write(text.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
    }

    @Override
    public void println(String text) throws IOException {
      print(text + "\n");
    }

    /** A line as a terminal in canonical mode delivers it; echoed with CRLF when {@code echo}. */
    @Override
    public String readLine(boolean echo) throws IOException {
      StringBuilder line = new StringBuilder();
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
        line.append((char) c);
      }
      if (echo) {
        print(line + "\n");
      }
      return line.toString();
    }

    @Override
    public void drop() throws IOException, InterruptedException {
      // An immediate close discards writes still queued in the session: give them time to leave.
      Thread.sleep(200);
      ended = true;
      channel.getSession().close(true);
    }

    @Override
    public void hang() throws InterruptedException {
      while (!ended) {
        Thread.sleep(10_000);
      }
    }
  }
}
