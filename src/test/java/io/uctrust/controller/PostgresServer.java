package io.uctrust.controller;

import static org.assertj.core.api.Assertions.fail;

import com.sun.security.auth.module.UnixSystem;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A test fixture: a real PostgreSQL server of its own (Debian's {@code postgresql} package), made with
 * {@code initdb} in a fresh temp folder and listening only on 127.0.0.1 at a free port (its unix socket in that
 * folder too), with superuser {@link #user()}, whose generated {@link #password()} the server checks
 * (SCRAM-SHA-256), and one empty database, {@link #jdbcUrl()}. Durability is off ({@code fsync},
 * {@code synchronous_commit}, {@code full_page_writes}) because the data lives only as long as the test.
 * {@link #close()} stops the server and deletes the folder. A test class usually gets one through
 * {@link PostgresServerProvider}.
 *
 * <p>initdb and postgres refuse to run as root, so when the test runs as root (CI may), every PostgreSQL
 * program runs through {@code runuser} as {@code postgres} (created by Debian's package), else {@code nobody},
 * which owns the folder. When PostgreSQL is not installed the test is skipped, unless the environment variable
 * {@code CI} is set: CI installs it ({@code .ci/run}), so there a missing server is a failure, not a silent skip.
 *
 * <p>Not for: anything but tests. It is never a production database (a crash loses its data) and never points at
 * an existing data directory.
 */
public final class PostgresServer implements AutoCloseable {
  private static final String USER = "uctrust";
  private static final String DATABASE = "uctrust";
  private static final Path DEBIAN_INSTALLS = Path.of("/usr/lib/postgresql");
  private static final Duration COMMAND_LIMIT = Duration.ofSeconds(60);
  private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
  private static final int START_ATTEMPTS = 5;

  private final Path bin;
  private final Path folder;
  private final Path data;
  private final List<String> runAs;
  private final String password;
  private final Thread shutdownHook = new Thread(this::shutDown, "postgres-server-stop");
  private int port;
  private boolean stopped;

  private PostgresServer(Path bin, Path folder, List<String> runAs, String password) {
    this.bin = bin;
    this.folder = folder;
    this.data = folder.resolve("data");
    this.runAs = runAs;
    this.password = password;
  }

  /**
   * Makes a cluster in a new temp folder, starts it and creates the database. Stops it and deletes the folder
   * when any step fails; skips the test (or fails it, under CI) when PostgreSQL is not installed.
   */
  public static PostgresServer start() throws IOException, InterruptedException, SQLException {
    Path bin = binaries(DEBIAN_INSTALLS, System.getenv());
    List<String> runAs = new ArrayList<>();
    UserPrincipal account = null;
    if (new UnixSystem().getUid() == 0) {
      account = unprivilegedAccount();
      // root's PATH may lack the sbin folders where runuser lives
      String runuser = installed("runuser", System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin");
      if (runuser == null) {
        throw new IOException("running as root, but runuser (util-linux) is not installed: initdb refuses root");
      }
      runAs.addAll(List.of(runuser, "-u", account.getName(), "--"));
    }
    byte[] secret = new byte[24];
    new SecureRandom().nextBytes(secret);
    // in java.io.tmpdir (/tmp: any account may enter it), not JUnit's @TempDir, closed to the unprivileged account
    PostgresServer server = new PostgresServer(bin, Files.createTempDirectory("uctrust-postgres-"), runAs,
        Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
    Runtime.getRuntime().addShutdownHook(server.shutdownHook);
    try {
      server.initialise(account);
      server.startServer();
      server.createDatabase(DATABASE);
      return server;
    } catch (IOException | InterruptedException | SQLException | RuntimeException e) {
      try {
        server.close();
      } catch (IOException | InterruptedException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
  }

  /** {@code jdbc:postgresql://127.0.0.1:PORT/uctrust}: the database made for the test, empty at first. */
  public String jdbcUrl() {
    return jdbcUrl(DATABASE);
  }

  /** The superuser, owner of every database here. */
  public String user() {
    return USER;
  }

  /** The superuser's password, generated for this server. */
  public String password() {
    return password;
  }

  /** The TCP port on 127.0.0.1; the same across {@link #restart()}. */
  public int port() {
    return port;
  }

  /** The temp folder holding the data directory, the socket and the logs; gone after {@link #close()}. */
  public Path folder() {
    return folder;
  }

  /**
   * Creates another empty database (a lowercase SQL identifier), for tests that share this server but want
   * tables of their own, and returns its JDBC URL.
   */
  public String createDatabase(String name) throws SQLException {
    if (!DATABASE_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("database name " + name + ": allowed are [a-z_][a-z0-9_]*, up to 63");
    }
    try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), USER, password);
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    }
    return jdbcUrl(name);
  }

  /**
   * Stops the server (fast: open connections are cut) and starts it again on the same port with the same data,
   * as a database restart looks to its clients.
   */
  public void restart() throws IOException, InterruptedException, SQLException {
    run("pg_ctl restart", pgCtl("restart", "-m", "fast", "-w", "-t", String.valueOf(COMMAND_LIMIT.toSeconds()),
        "-l", folder.resolve("server.log").toString()));
    awaitConnections();
  }

  /** Stops the server ({@code pg_ctl stop -m fast}) and deletes its folder. */
  @Override
  public void close() throws IOException, InterruptedException {
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // the JVM is exiting and the hook stops the server anyway
    }
    stop();
  }

  @Override
  public String toString() {
    return "PostgreSQL at 127.0.0.1:" + port + " in " + folder;
  }

  /**
   * The newest {@code <installs>/VERSION/bin} holding {@code initdb}, else {@code pg_config --bindir} from
   * {@code environment}'s PATH; when neither exists, a skipped test, or a failed one when {@code CI} is set.
   */
  static Path binaries(Path installs, Map<String, String> environment) throws IOException, InterruptedException {
    if (Files.isDirectory(installs)) {
      try (Stream<Path> versions = Files.list(installs)) {
        Path newest = versions
            .filter(v -> v.getFileName().toString().matches("\\d+(\\.\\d+)*"))
            .filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
            .max(Comparator.comparing(v -> v.getFileName().toString(), PostgresServer::compareVersions))
            .orElse(null);
        if (newest != null) {
          return newest.resolve("bin");
        }
      }
    }
    String pgConfig = installed("pg_config", environment.getOrDefault("PATH", "/usr/bin:/bin"));
    if (pgConfig != null) {
      Process process = new ProcessBuilder(pgConfig, "--bindir").redirectError(Redirect.DISCARD).start();
      String bindir = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (process.waitFor() == 0 && Files.isExecutable(Path.of(bindir, "initdb"))) {
        return Path.of(bindir);
      }
    }
    String reason = "PostgreSQL is not installed (no " + installs + "/*/bin/initdb, no pg_config on PATH): the "
        + "controller's integration tests start their own server. Install Debian's postgresql package "
        + "(apt-get install postgresql), as .ci/run does.";
    if (environment.get("CI") != null) {
      return fail(reason + " CI is set, so this fails instead of skipping.");
    }
    return Assumptions.abort(reason);
  }

  private static int compareVersions(String a, String b) {
    String[] left = a.split("\\.");
    String[] right = b.split("\\.");
    for (int i = 0; i < Math.max(left.length, right.length); i++) {
      int order = Integer.compare(i < left.length ? Integer.parseInt(left[i]) : 0,
          i < right.length ? Integer.parseInt(right[i]) : 0);
      if (order != 0) {
        return order;
      }
    }
    return 0;
  }

  private static String installed(String command, String path) {
    for (String folder : path.split(":")) {
      Path candidate = Path.of(folder.isEmpty() ? "." : folder, command);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return null;
  }

  private static UserPrincipal unprivilegedAccount() throws IOException {
    UserPrincipalLookupService accounts = Path.of("/").getFileSystem().getUserPrincipalLookupService();
    try {
      return accounts.lookupPrincipalByName("postgres");
    } catch (UserPrincipalNotFoundException noPostgresAccount) {
      return accounts.lookupPrincipalByName("nobody");
    }
  }

  private void initialise(UserPrincipal account) throws IOException, InterruptedException {
    Path socket = Files.createDirectory(folder.resolve("socket"));
    Path passwordFile = Files.writeString(folder.resolve("superuser-password"), password + "\n");
    Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
    if (account != null) {
      for (Path path : List.of(folder, socket, passwordFile)) {
        Files.setOwner(path, account);
      }
    }
    run("initdb", List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER,
        "--pwfile=" + passwordFile, "-A", "scram-sha-256", "-E", "UTF8", "--locale=C", "--no-instructions",
        "--no-sync"));
    Files.delete(passwordFile);
    // appended settings win over initdb's; the port is given at start, so a taken one can be swapped
    Files.writeString(data.resolve("postgresql.conf"), """

        # uctrust test server: loopback only, no durability (the data lives as long as the test)
        listen_addresses = '127.0.0.1'
        unix_socket_directories = '%s'
        max_connections = 60
        shared_buffers = 32MB
        fsync = off
        synchronous_commit = off
        full_page_writes = off
        """.formatted(socket.toString().replace("'", "''")), StandardOpenOption.APPEND);
  }

  private void startServer() throws IOException, InterruptedException, SQLException {
    Path log = folder.resolve("server.log");
    for (int attempt = 1; ; attempt++) {
      port = freePort();
      try {
        run("pg_ctl start", pgCtl("start", "-w", "-t", String.valueOf(COMMAND_LIMIT.toSeconds()), "-l",
            log.toString(), "-o", "-p " + port));
        break;
      } catch (IOException e) {
        // another process may take the free port before postgres binds it
        if (attempt == START_ATTEMPTS || !Files.exists(log) || !Files.readString(log).contains("already in use")) {
          throw e;
        }
      }
    }
    awaitConnections();
  }

  private void awaitConnections() throws SQLException, InterruptedException {
    Instant limit = Instant.now().plus(COMMAND_LIMIT);
    while (true) {
      try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), USER, password)) {
        return;
      } catch (SQLException notYet) {
        if (Instant.now().isAfter(limit)) {
          throw notYet;
        }
        Thread.sleep(50);
      }
    }
  }

  private synchronized void stop() throws IOException, InterruptedException {
    if (stopped) {
      return;
    }
    stopped = true;
    try {
      if (Files.exists(data.resolve("postmaster.pid"))) {
        run("pg_ctl stop", pgCtl("stop", "-m", "fast", "-w", "-t", String.valueOf(COMMAND_LIMIT.toSeconds())));
      }
    } finally {
      delete(folder);
    }
  }

  private void shutDown() {
    try {
      stop();
    } catch (IOException | InterruptedException e) {
      System.err.println("could not stop " + this + ": " + e.getMessage());
    }
  }

  private String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  private List<String> pgCtl(String action, String... options) {
    List<String> command = new ArrayList<>(List.of(bin.resolve("pg_ctl").toString(), action, "-D", data.toString()));
    command.addAll(List.of(options));
    return command;
  }

  /** Runs a PostgreSQL program as the account that may run it; its output goes to {@code commands.log}. */
  private void run(String what, List<String> command) throws IOException, InterruptedException {
    Path output = folder.resolve("commands.log");
    List<String> full = new ArrayList<>(runAs);
    full.addAll(command);
    Process process = new ProcessBuilder(full).directory(folder.toFile()).redirectErrorStream(true)
        .redirectOutput(Redirect.appendTo(output.toFile())).start();
    if (!process.waitFor(COMMAND_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException(what + " did not finish within " + COMMAND_LIMIT.toSeconds() + " s" + logs());
    }
    if (process.exitValue() != 0) {
      throw new IOException(what + " failed (exit " + process.exitValue() + ")"
          + (runAs.isEmpty() ? "" : " running as " + runAs.get(2)) + logs());
    }
  }

  private String logs() throws IOException {
    StringBuilder logs = new StringBuilder();
    for (String name : List.of("commands.log", "server.log")) {
      Path log = folder.resolve(name);
      if (Files.exists(log)) {
        String text = Files.readString(log);
        logs.append("\n--- ").append(name).append(":\n").append(text.substring(Math.max(0, text.length() - 4000)));
      }
    }
    return logs.toString();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    }
  }

  private static void delete(Path folder) throws IOException {
    if (!Files.exists(folder)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(folder)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
