package io.uctrust.target.cucm.cli;

import io.uctrust.target.cucm.cli.AdminCliException.Kind;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.sshd.client.ClientBuilder;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelShell;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.channel.Channel;
import org.apache.sshd.common.channel.ChannelListener;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.core.CoreModuleProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session with the platform admin CLI ({@code admin:} prompt) of one Unified CM node over SSH (MINA SSHD):
 * typed methods for the few things uctrust does only there (CAPF keepalive, SIP OAuth mode, stale LSCs,
 * pending CSRs, service restarts, FIPS status) and {@link #run} for any other command.
 *
 * <p>The server's host key must be listed in the known_hosts file of the settings; an unknown, changed or
 * revoked key is refused with the fingerprint seen ({@link AdminCliException.Kind#HOST_KEY_UNKNOWN} and so
 * on); there is no trust on first use and no way to turn verification off. The user's {@code ~/.ssh}
 * (config, keys, agent) is not used. The session is an interactive shell with a pseudo-terminal: a
 * command is sent as a line, its output collected until the next {@code admin:} prompt, and questions it
 * asks on the way are answered from a table of (text in the question, answer). Every step (command to
 * question, answer to next question, last answer to prompt) has its own timeout.
 *
 * <p>Output is read strictly: output the readers do not recognise is an error ({@link
 * AdminCliException.Kind#UNRECOGNISED_OUTPUT}) whose message holds the command and the transcript, never a
 * guess. The transcript and every message have the password, the key passphrase and values registered
 * with {@link #redact} replaced by {@code <redacted>}. After a timeout or a dropped connection the state of
 * the CLI is unknown: the session is closed and every later call fails; connect again.
 *
 * <p>Commands from several threads are serialized (the command methods are synchronized): one command at
 * a time per session. Not for: IM and Presence or Unity Connection commands beyond {@link #run}, file
 * transfers, or uctrust's own command line (that is {@code io.uctrust.cli}).
 */
public final class AdminCli implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AdminCli.class);

  /** The allowed range of {@code utils capf set keep_alive}, in minutes. */
  public static final int MIN_KEEP_ALIVE_MINUTES = 5;
  public static final int MAX_KEEP_ALIVE_MINUTES = 60;

  static final String KEEP_ALIVE_COMMAND = "utils capf set keep_alive";
  static final String SIP_OAUTH_COMMAND = "utils sipOAuth-mode";
  static final String STALE_LSC_LIST_COMMAND = "utils capf stale-lsc list";
  static final String STALE_LSC_DELETE_COMMAND = "utils capf stale-lsc delete all";
  static final String CSR_LIST_COMMAND = "utils capf csr list";
  static final String RESTART_COMMAND = "utils service restart ";
  static final String KEEP_ALIVE_SHOW_COMMAND = "utils capf show keep_alive";
  static final String FIPS_STATUS_COMMAND = "utils fips status";
  static final String PAGINATION_OFF_COMMAND = "set cli pagination off";

  /** Raw characters kept per session; older text is dropped. */
  static final int TRANSCRIPT_LIMIT = 512 * 1024;
  /** Characters of transcript put in an error message (the end of the command's exchange). */
  static final int MESSAGE_TRANSCRIPT_CHARS = 6000;
  /** More answers than this for one command means the CLI keeps asking. */
  static final int MAX_ANSWERS = 10;

  /** Confirmation questions and the answer that goes on. */
  private static final Map<String, String> CONFIRMATIONS = ordered(
      "(yes/no)", "yes", "[yes/no]", "yes", "(y/n)", "y", "[y/n]", "y", "yes/no", "yes", "y/n", "y",
      "continue?", "yes", "proceed?", "yes", "are you sure", "yes");

  private static final Pattern SUCCESS = Pattern.compile(
      "(?i)\\b(?:success|successful|successfully|succeeded|updated|set to|changed to)\\b");
  private static final Pattern NUMBER = Pattern.compile("(?<![\\d-])(\\d+)(?!\\d)");
  private static final Pattern MINUTES = Pattern.compile("(?i)(?<![\\d-])(\\d+)\\s*(?:minutes?|mins?)\\b");
  private static final Pattern FIPS_OFF = Pattern.compile(
      "(?i)\\bnon[- ]?fips\\b|\\bfips\\b.*\\bdisabled\\b|\\bnot\\s+(?:operating|running)\\s+in\\s+fips\\b");
  private static final Pattern FIPS_ON = Pattern.compile(
      "(?i)\\b(?:operating|running)\\s+in\\s+fips\\s+mode\\b|\\bfips\\b.*\\benabled\\b");
  private static final Pattern SERVICE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._()/-]{0,99}");
  private static final Pattern SERVICE_RESTARTED = Pattern.compile(
      "(?i)\\bservice\\s+restarted\\b|\\brestarted\\s+successfully\\b");

  private final AdminCliSettings settings;
  private final String username;
  private final SshClient client;
  private final ClientSession session;
  private final ChannelShell channel;
  private final ShellOutput output;
  private final OutputStream input;
  private final Redaction redaction;
  private final String where;
  private volatile String unusable;
  private volatile boolean closed;

  private AdminCli(AdminCliSettings settings, String username, SshClient client, ClientSession session,
      ChannelShell channel, ShellOutput output, Redaction redaction) {
    this.settings = settings;
    this.username = username;
    this.client = client;
    this.session = session;
    this.channel = channel;
    this.output = output;
    this.input = channel.getInvertedIn();
    this.redaction = redaction;
    this.where = settings.describe();
  }

  // ---------------------------------------------------------------- connecting

  /**
   * Connects, verifies the host key, logs in, opens the shell, waits for the first {@code admin:} prompt
   * and turns CLI pagination off ({@code set cli pagination off}, whose answer is not checked). The caller
   * closes the returned session.
   */
  public static AdminCli connect(AdminCliSettings settings, AdminCliCredentials credentials)
      throws AdminCliException {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(credentials, "credentials");
    Redaction redaction = new Redaction();
    credentials.addSecretsTo(redaction);
    String where = settings.describe();
    List<KnownHostEntry> known = KnownHostsVerifier.readKnownHosts(settings);
    List<KeyPair> keys = credentials.loadKeyPairs();

    KnownHostsVerifier verifier = KnownHostsVerifier.forSettings(settings);
    SshClient client = KnownHostsVerifier.client(settings, verifier, known);
    client.start();

    ClientSession session;
    try {
      session = client.connect(credentials.username(), settings.tcpHost(), settings.tcpPort())
          .verify(settings.connectTimeout()).getClientSession();
    } catch (IOException | RuntimeException e) {
      stopQuietly(client);
      throw KnownHostsVerifier.hostKeyError(settings, verifier).orElseGet(() -> new AdminCliException(Kind.CONNECT,
          "cannot open an SSH connection to " + where + ": " + redaction.apply(describe(e)), e));
    }

    try {
      String password = credentials.passwordText();
      if (password != null) {
        session.addPasswordIdentity(password);
      }
      keys.forEach(session::addPublicKeyIdentity);
      session.auth().verify(settings.authTimeout());
    } catch (IOException | RuntimeException e) {
      stopQuietly(client);
      throw KnownHostsVerifier.hostKeyError(settings, verifier).orElseGet(() -> new AdminCliException(Kind.AUTHENTICATION,
          "SSH login as '" + credentials.username() + "' to " + where + " failed ("
              + (credentials.keyFile().isPresent() ? "key " + credentials.keyFile().get() : "password")
              + " refused, or the user is not a platform administrator): " + redaction.apply(describe(e)), e));
    }

    ShellOutput output = new ShellOutput(TRANSCRIPT_LIMIT);
    ChannelShell channel;
    try {
      channel = session.createShellChannel();
      channel.setPtyType("vt100");
      channel.setPtyColumns(240);
      channel.setPtyLines(1000);
      channel.setRedirectErrorStream(true);
      channel.setOut(output);
      channel.addChannelListener(new ChannelListener() {
        @Override
        public void channelClosed(Channel closedChannel, Throwable reason) {
          output.markClosed();
        }
      });
      channel.open().verify(settings.promptTimeout());
    } catch (IOException | RuntimeException e) {
      stopQuietly(client);
      throw new AdminCliException(Kind.CONNECT, "logged in to " + where + " but could not open a shell: "
          + redaction.apply(describe(e)), e);
    }

    AdminCli cli = new AdminCli(settings, credentials.username(), client, session, channel, output, redaction);
    try {
      cli.converse(null, Map.of(), settings.promptTimeout());
      String pagination = cli.converse(PAGINATION_OFF_COMMAND, Map.of(), settings.commandTimeout()).output();
      LOG.debug("{}: '{}' answered: {}", where, PAGINATION_OFF_COMMAND, redaction.apply(pagination));
    } catch (AdminCliException e) {
      cli.close();
      throw e;
    }
    LOG.debug("{}: admin CLI session open as {}", where, credentials.username());
    return cli;
  }

  // ---------------------------------------------------------------- typed commands

  /**
   * {@code utils capf set keep_alive}: answers the CLI's question for the value with {@code minutes}
   * (5..60, checked before anything is sent) and checks that the CLI reports success (and, if it names a
   * number, this one).
   */
  public synchronized void setCapfKeepAlive(int minutes) throws AdminCliException {
    if (minutes < MIN_KEEP_ALIVE_MINUTES || minutes > MAX_KEEP_ALIVE_MINUTES) {
      throw new IllegalArgumentException("the CAPF keepalive must be " + MIN_KEEP_ALIVE_MINUTES + ".."
          + MAX_KEEP_ALIVE_MINUTES + " minutes (got " + minutes + ")");
    }
    String value = Integer.toString(minutes);
    Exchange exchange = converse(KEEP_ALIVE_COMMAND,
        ordered("keepalive", value, "keep_alive", value, "keep alive", value, "minutes", value),
        settings.commandTimeout());
    List<String> lines = answerLines(exchange);
    refuseOnErrorLine(exchange, lines);
    if (exchange.questions().isEmpty()) {
      throw unrecognised(exchange, "the CLI did not ask for the keepalive value");
    }
    String success = lines.stream().filter(line -> SUCCESS.matcher(line).find()).reduce((a, b) -> b)
        .orElseThrow(() -> unrecognised(exchange, "no line says the keepalive was set"));
    List<Integer> numbers = new ArrayList<>();
    Matcher number = NUMBER.matcher(success);
    while (number.find()) {
      numbers.add(Integer.parseInt(number.group(1)));
    }
    if (!numbers.isEmpty() && !numbers.contains(minutes)) {
      throw failure(Kind.NOT_APPLIED, exchange, "the CLI reports a keepalive of " + numbers + ", not " + minutes
          + " minutes");
    }
    LOG.debug("{}: CAPF keepalive set to {} minutes", where, minutes);
  }

  /** {@code utils sipOAuth-mode status}: whether SIP OAuth mode is enabled. */
  public synchronized boolean sipOAuthMode() throws AdminCliException {
    Exchange exchange = converse(SIP_OAUTH_COMMAND + " status", Map.of(), settings.commandTimeout());
    List<String> lines = CliText.lines(exchange.output());
    refuseOnErrorLine(exchange, lines);
    Set<Boolean> states = new HashSet<>();
    for (String line : lines) {
      if (line.toLowerCase(Locale.ROOT).contains("oauth")) {
        boolean enabled = CliText.hasWord(line, "enabled");
        boolean disabled = CliText.hasWord(line, "disabled");
        if (enabled != disabled) {
          states.add(enabled);
        }
      }
    }
    if (states.size() != 1) {
      throw unrecognised(exchange, states.isEmpty() ? "no line says whether SIP OAuth mode is enabled or disabled"
          : "the output says both enabled and disabled");
    }
    return states.iterator().next();
  }

  /**
   * {@code utils fips status}: whether the node runs in FIPS mode ("The system is operating in FIPS mode."
   * or "... in NON-FIPS mode."). Exactly one line must say which; anything else is {@link
   * AdminCliException.Kind#UNRECOGNISED_OUTPUT} with the transcript, never a guess.
   */
  public synchronized boolean fipsMode() throws AdminCliException {
    Exchange exchange = converse(FIPS_STATUS_COMMAND, Map.of(), settings.commandTimeout());
    List<String> lines = CliText.lines(exchange.output());
    refuseOnErrorLine(exchange, lines);
    Set<Boolean> states = new HashSet<>();
    for (String line : lines) {
      // "NON-FIPS" also contains "FIPS": the negative reading is checked first and wins for its line.
      if (FIPS_OFF.matcher(line).find()) {
        states.add(false);
      } else if (FIPS_ON.matcher(line).find()) {
        states.add(true);
      }
    }
    if (states.size() != 1) {
      throw unrecognised(exchange, states.isEmpty() ? "no line says whether the system operates in FIPS mode"
          : "the output says both FIPS and non-FIPS mode");
    }
    return states.iterator().next();
  }

  /**
   * {@code utils capf show keep_alive}: the CAPF keepalive in minutes. The command is ASSUMED: Cisco
   * documents only {@code utils capf set keep_alive}; the lab's server implements this read ("CAPF keep
   * alive timer: 15 minutes"), and a real CLI without it answers with an error, reported as {@link
   * AdminCliException.Kind#REFUSED}. The output must name exactly one number of minutes in 5..60.
   */
  public synchronized int capfKeepAlive() throws AdminCliException {
    Exchange exchange = converse(KEEP_ALIVE_SHOW_COMMAND, Map.of(), settings.commandTimeout());
    List<String> lines = CliText.lines(exchange.output());
    refuseOnErrorLine(exchange, lines);
    List<Integer> values = new ArrayList<>();
    for (String line : lines) {
      String lower = line.toLowerCase(Locale.ROOT);
      if (lower.contains("keepalive") || lower.contains("keep alive") || lower.contains("keep_alive")) {
        Matcher minutes = MINUTES.matcher(line);
        while (minutes.find()) {
          values.add(Integer.parseInt(minutes.group(1)));
        }
      }
    }
    if (values.size() != 1) {
      throw unrecognised(exchange, values.isEmpty() ? "no line names the keepalive in minutes"
          : "several keepalive values " + values);
    }
    int minutes = values.get(0);
    if (minutes < MIN_KEEP_ALIVE_MINUTES || minutes > MAX_KEEP_ALIVE_MINUTES) {
      throw unrecognised(exchange, "a keepalive of " + minutes + " minutes is outside " + MIN_KEEP_ALIVE_MINUTES + ".."
          + MAX_KEEP_ALIVE_MINUTES);
    }
    return minutes;
  }

  /**
   * {@code utils sipOAuth-mode enable|disable}, confirming if asked, then reads the status back: the CLI
   * must report success (or that the mode already was so) and the status must match. The guides require a
   * restart of Cisco CallManager on the affected nodes afterwards; that is the caller's step.
   */
  public synchronized void setSipOAuthMode(boolean enabled) throws AdminCliException {
    String state = enabled ? "enabled" : "disabled";
    Exchange exchange = converse(SIP_OAUTH_COMMAND + (enabled ? " enable" : " disable"), CONFIRMATIONS,
        settings.commandTimeout());
    List<String> lines = answerLines(exchange);
    refuseOnErrorLine(exchange, lines);
    boolean recognised = lines.stream().anyMatch(line -> SUCCESS.matcher(line).find()
        || CliText.hasWord(line, "already") || CliText.hasWord(line, state));
    if (!recognised) {
      throw unrecognised(exchange, "no line says SIP OAuth mode was " + state);
    }
    boolean now = sipOAuthMode();
    if (now != enabled) {
      throw failure(Kind.NOT_APPLIED, exchange, "the CLI accepted the command but the status still says SIP OAuth "
          + "mode is " + (now ? "enabled" : "disabled"));
    }
    LOG.info("{}: SIP OAuth mode {}", where, state);
  }

  /** {@code utils capf stale-lsc list}: the stale LSCs, in the CLI's order. */
  public synchronized List<StaleLsc> staleLscs() throws AdminCliException {
    return deviceTable(STALE_LSC_LIST_COMMAND).stream()
        .map(row -> new StaleLsc(row.get(CliText.deviceColumn(row)), row)).toList();
  }

  /**
   * Deletes all stale LSCs ({@code utils capf stale-lsc delete all}, confirming if asked) and lists them
   * again to check none is left. Returns how many were listed before; nothing is run when there are none.
   */
  public synchronized int deleteStaleLscs() throws AdminCliException {
    List<StaleLsc> before = staleLscs();
    if (before.isEmpty()) {
      return 0;
    }
    Exchange exchange = converse(STALE_LSC_DELETE_COMMAND, CONFIRMATIONS, settings.commandTimeout());
    List<String> lines = answerLines(exchange);
    refuseOnErrorLine(exchange, lines);
    boolean recognised = lines.stream().anyMatch(line -> SUCCESS.matcher(line).find()
        || line.toLowerCase(Locale.ROOT).contains("deleted"));
    if (!recognised) {
      throw unrecognised(exchange, "no line says the stale LSCs were deleted");
    }
    List<StaleLsc> after = staleLscs();
    if (!after.isEmpty()) {
      throw failure(Kind.NOT_APPLIED, exchange, after.size() + " stale LSCs are still listed after the deletion");
    }
    LOG.info("{}: deleted {} stale LSCs", where, before.size());
    return before.size();
  }

  /** {@code utils capf csr list}: the CSRs CAPF holds without a certificate, in the CLI's order. */
  public synchronized List<PendingCsr> pendingCsrs() throws AdminCliException {
    return deviceTable(CSR_LIST_COMMAND).stream()
        .map(row -> new PendingCsr(row.get(CliText.deviceColumn(row)), row)).toList();
  }

  /**
   * {@code utils service restart <name>} (for example "Cisco Tomcat", which ControlCenterServices cannot
   * restart), confirming if asked, waiting up to the restart timeout per step. Succeeds when the last
   * status line of the service says {@code [STARTED]}, or a line says "Service Restarted"; another final
   * status ({@code [STOPPED]}, {@code [NOTRUNNING]}) or an error line is a refusal.
   */
  public synchronized void restartService(String name) throws AdminCliException {
    Objects.requireNonNull(name, "name");
    if (!SERVICE_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("not a service name: '" + name + "' (letters, digits, spaces and ._()/- "
          + "only)");
    }
    LOG.info("{}: restarting {}", where, name);
    Exchange exchange = converse(RESTART_COMMAND + name, CONFIRMATIONS, settings.restartTimeout());
    List<String> lines = answerLines(exchange);
    refuseOnErrorLine(exchange, lines);
    Pattern status = Pattern.compile("(?i)^\\s*" + Pattern.quote(name) + "\\s*\\[\\s*([A-Za-z _-]+?)\\s*\\]\\s*$");
    String last = null;
    for (String line : lines) {
      Matcher matcher = status.matcher(line);
      if (matcher.matches()) {
        last = matcher.group(1).toUpperCase(Locale.ROOT);
      }
    }
    if (last != null) {
      if (!last.equals("STARTED")) {
        throw failure(Kind.REFUSED, exchange, name + " ended in state [" + last + "], not [STARTED]");
      }
    } else if (lines.stream().noneMatch(line -> SERVICE_RESTARTED.matcher(line).find())) {
      throw unrecognised(exchange, "no line says " + name + " is [STARTED] or the service restarted");
    }
    LOG.info("{}: {} restarted", where, name);
  }

  /**
   * Runs any command and returns its output (without the echoed command and the prompt, lines joined with
   * {@code \n}). {@code answers} maps text that identifies a question (matched without regard to case in
   * the line where the CLI waits) to the line to answer; answers that are secrets must be registered with
   * {@link #redact} first. The output is not interpreted: an error line is returned like any other.
   */
  public synchronized String run(String command, Map<String, String> answers) throws AdminCliException {
    Objects.requireNonNull(answers, "answers");
    answers.forEach((question, answer) -> {
      if (question == null || question.isBlank()) {
        throw new IllegalArgumentException("a question key must be non-blank");
      }
      checkLine(Objects.requireNonNull(answer, "answer"), "an answer");
    });
    return converse(command, answers, settings.commandTimeout()).output();
  }

  /** {@link #run(String, Map)} for a command that asks nothing. */
  public synchronized String run(String command) throws AdminCliException {
    return run(command, Map.of());
  }

  /** Registers a secret (an answer to send, a value the CLI may print): it is redacted from now on. */
  public void redact(CharSequence secret) {
    redaction.add(secret);
  }

  /** The session's transcript so far, terminal codes removed, secrets redacted (older text may be dropped). */
  public String transcript() {
    return redaction.apply(CliText.normalize(output.since(0)));
  }

  /** Whether commands can still be sent (not closed, no earlier timeout or disconnect). */
  public boolean isUsable() {
    return !closed && unusable == null && !output.isClosed();
  }

  public AdminCliSettings settings() {
    return settings;
  }

  /** Closes the shell, the SSH session and the client's threads. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    channel.close(true);
    session.close(true);
    stopQuietly(client);
  }

  @Override
  public String toString() {
    return "AdminCli[" + username + "@" + where + (isUsable() ? "" : ", closed") + "]";
  }

  // ---------------------------------------------------------------- conversation

  /**
   * What one command did: the command (null for the login banner), its output, the questions it asked
   * (the line the CLI waited on) and where its text starts in the session output.
   */
  private record Exchange(String command, String output, List<String> questions, long start) {}

  /**
   * Sends {@code command} (or, when null, only waits for the login prompt) and reads until the prompt,
   * answering questions from {@code answers}; each step gets {@code stepTimeout}.
   */
  private Exchange converse(String command, Map<String, String> answers, Duration stepTimeout)
      throws AdminCliException {
    if (command != null) {
      checkLine(command, "a command");
      if (command.isBlank()) {
        throw new IllegalArgumentException("the command is blank");
      }
    }
    ensureUsable(command);
    // The login banner may have arrived already: the login exchange starts at the beginning of the session.
    long start = command == null ? 0 : output.position();
    long stepStart = start;
    String lastSent = command;
    if (command != null) {
      LOG.debug("{}: sending '{}'", where, redaction.apply(command));
      send(command, command, start);
    }
    List<String> questions = new ArrayList<>();
    long quietNanos = settings.quietPeriod().toNanos();
    long deadline = System.nanoTime() + stepTimeout.toNanos();
    long seen = start;
    while (true) {
      ShellOutput.Wake wake;
      try {
        wake = output.awaitQuiet(seen, deadline, quietNanos);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw broken(Kind.TIMEOUT, command, start, "interrupted while waiting for the CLI", e);
      }
      seen = output.position();
      String step = CliText.normalize(output.since(stepStart));
      if (CliText.endsWithPrompt(step)) {
        String text = CliText.normalize(output.since(start));
        String out = command == null ? "" : redaction.apply(CliText.commandOutput(text, command));
        return new Exchange(command, out, List.copyOf(questions), start);
      }
      if (wake == ShellOutput.Wake.CLOSED) {
        throw broken(Kind.DISCONNECTED, command, start, command == null
            ? "the SSH connection to " + where + " closed before the admin: prompt appeared"
            : "the SSH connection to " + where + " closed while '" + redaction.apply(command) + "' was running; "
                + "whether it took effect is unknown", null);
      }
      String waitingOn = CliText.lastLine(step).strip();
      if (wake == ShellOutput.Wake.DEADLINE) {
        throw broken(Kind.TIMEOUT, command, start, timeoutMessage(command, stepTimeout, questions, waitingOn), null);
      }
      Optional<Map.Entry<String, String>> answer = waitingOn.isEmpty() || (lastSent != null
          && CliText.isEcho(waitingOn, lastSent)) ? Optional.empty() : answerFor(waitingOn, answers);
      if (answer.isPresent()) {
        if (questions.size() >= MAX_ANSWERS) {
          throw broken(Kind.UNANSWERED_QUESTION, command, start, "'" + redaction.apply(command) + "' kept asking "
              + "questions (" + MAX_ANSWERS + " answered; the last: '" + redaction.apply(waitingOn) + "')", null);
        }
        questions.add(waitingOn);
        lastSent = answer.get().getValue();
        stepStart = output.position();
        LOG.debug("{}: answering '{}'", where, redaction.apply(waitingOn));
        send(lastSent, command, start);
        seen = stepStart;
        deadline = System.nanoTime() + stepTimeout.toNanos();
      }
    }
  }

  private String timeoutMessage(String command, Duration stepTimeout, List<String> questions, String waitingOn) {
    StringBuilder message = new StringBuilder();
    if (command == null) {
      message.append("no admin: prompt from ").append(where).append(" within ").append(stepTimeout.toMillis())
          .append(" ms after login");
    } else {
      message.append('\'').append(redaction.apply(command)).append("' did not return to the admin: prompt of ")
          .append(where).append(" within ").append(stepTimeout.toMillis()).append(" ms");
      if (!questions.isEmpty()) {
        message.append(" after the answer to '").append(redaction.apply(questions.get(questions.size() - 1)))
            .append('\'');
      }
      message.append("; whether it took effect is unknown, and the session was closed");
    }
    if (!waitingOn.isEmpty()) {
      message.append(". The CLI waits after '").append(redaction.apply(waitingOn))
          .append("': if that is a question, give an answer for it");
    }
    return message.toString();
  }

  private static Optional<Map.Entry<String, String>> answerFor(String question, Map<String, String> answers) {
    String lower = question.toLowerCase(Locale.ROOT);
    return answers.entrySet().stream().filter(entry -> lower.contains(entry.getKey().toLowerCase(Locale.ROOT)))
        .findFirst();
  }

  /** Types {@code line} and Enter (a newline, as scripts for this CLI do; the terminal maps it like CR). */
  private void send(String line, String command, long commandStart) throws AdminCliException {
    try {
      input.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      input.flush();
    } catch (IOException e) {
      throw broken(Kind.DISCONNECTED, command, commandStart, "cannot send to the admin CLI of " + where
          + ": the connection is closed", e);
    }
  }

  private void ensureUsable(String command) throws AdminCliException {
    if (closed) {
      throw new IllegalStateException("the admin CLI session to " + where + " is closed");
    }
    if (unusable != null) {
      throw new AdminCliException(Kind.DISCONNECTED, "cannot run '" + redaction.apply(String.valueOf(command))
          + "': the admin CLI session to " + where + " is no longer usable (" + unusable + "); connect again");
    }
    if (output.isClosed()) {
      unusable = "the connection closed";
      throw new AdminCliException(Kind.DISCONNECTED, "cannot run '" + redaction.apply(String.valueOf(command))
          + "': the SSH connection to " + where + " is closed; connect again");
    }
  }

  /** An error after which the CLI's state is unknown: the session is closed. */
  private AdminCliException broken(Kind kind, String command, long start, String message, Throwable cause) {
    AdminCliException error = new AdminCliException(kind, message, command == null ? null
        : redaction.apply(command), transcriptSince(start), cause);
    unusable = kind.name().toLowerCase(Locale.ROOT).replace('_', ' ') + " during '"
        + (command == null ? "login" : redaction.apply(command)) + "'";
    channel.close(true);
    session.close(true);
    stopQuietly(client);
    return error;
  }

  private AdminCliException failure(Kind kind, Exchange exchange, String reason) {
    String command = redaction.apply(exchange.command());
    return new AdminCliException(kind, "'" + command + "' on " + where + ": " + redaction.apply(reason), command,
        transcriptSince(exchange.start()), null);
  }

  private AdminCliException unrecognised(Exchange exchange, String reason) {
    return failure(Kind.UNRECOGNISED_OUTPUT, exchange, "output not recognised: " + reason);
  }

  private void refuseOnErrorLine(Exchange exchange, List<String> lines) throws AdminCliException {
    Optional<String> refusal = CliText.refusal(lines);
    if (refusal.isPresent()) {
      throw failure(Kind.REFUSED, exchange, "the CLI reports a failure: '" + refusal.get().strip() + "'");
    }
  }

  /** The output lines that are not questions the exchange answered (those end with the echoed answer). */
  private static List<String> answerLines(Exchange exchange) {
    List<String> lines = new ArrayList<>();
    for (String line : CliText.lines(exchange.output())) {
      String trimmed = line.strip();
      if (exchange.questions().stream().noneMatch(question -> trimmed.startsWith(question))) {
        lines.add(line);
      }
    }
    return lines;
  }

  private List<Map<String, String>> deviceTable(String command) throws AdminCliException {
    Exchange exchange = converse(command, Map.of(), settings.commandTimeout());
    List<String> lines = CliText.lines(exchange.output());
    refuseOnErrorLine(exchange, lines);
    try {
      return CliText.deviceTable(lines);
    } catch (CliText.Unrecognised e) {
      throw unrecognised(exchange, e.getMessage());
    }
  }

  /** The redacted, normalized transcript from {@code start}, its last {@value #MESSAGE_TRANSCRIPT_CHARS} chars. */
  private String transcriptSince(long start) {
    String text = redaction.apply(CliText.normalize(output.since(start)));
    boolean cut = output.truncatedBefore(start);
    if (text.length() > MESSAGE_TRANSCRIPT_CHARS) {
      text = text.substring(text.length() - MESSAGE_TRANSCRIPT_CHARS);
      int newline = text.indexOf('\n');
      text = newline >= 0 ? text.substring(newline + 1) : text;
      cut = true;
    }
    return (cut ? "[... earlier output left out ...]\n" : CliText.PROMPT) + text;
  }

  private static void checkLine(String text, String what) {
    Objects.requireNonNull(text, what);
    if (text.chars().anyMatch(c -> Character.isISOControl(c))) {
      throw new IllegalArgumentException(what + " must be one line without control characters");
    }
  }

  private static Map<String, String> ordered(String... pairs) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return Collections.unmodifiableMap(map);
  }

  static String describe(Throwable e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }

  private static void stopQuietly(SshClient client) {
    try {
      client.stop();
    } catch (RuntimeException e) {
      LOG.debug("stopping the SSH client failed: {}", e.toString());
    }
  }
}
