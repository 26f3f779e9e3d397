package io.uctrust.issuance;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The operator's command that publishes and withdraws DNS-01 TXT records, run as {@code <hook...> add|remove
 * <record-name> <value>}. Exit code 0 is success; anything else, or not finishing in time, is a failure
 * reported with the exit code and the first line the hook wrote to standard error. Its standard output is
 * discarded and its standard input is empty.
 *
 * <p>Not for: commands that need secrets on their command line (the command line shows in process lists), or
 * anything but DNS-01.
 */
final class DnsHook {
  static final String CHALLENGE = AcmeSettings.Challenge.DNS_01.type();
  private static final int MAX_LINE = 200;

  private final List<String> command;

  DnsHook(List<String> command) {
    this.command = List.copyOf(command);
  }

  /**
   * Runs {@code <hook...> <action> <recordName> <value>} and waits for it at most {@code limit}.
   *
   * @throws AcmeIssuanceException naming {@code domain}, when the hook cannot start, fails or overruns
   * @throws InterruptedException when interrupted while waiting (the hook is killed)
   */
  void run(String action, String domain, String recordName, String value, Duration limit)
      throws AcmeIssuanceException, InterruptedException {
    List<String> line = new ArrayList<>(command);
    line.addAll(List.of(action, recordName, value));
    String shown = String.join(" ", command) + " " + action + " " + recordName;
    Process process;
    try {
      process = new ProcessBuilder(line).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      process.getOutputStream().close();
    } catch (IOException e) {
      throw new AcmeIssuanceException("cannot run the DNS-01 hook '" + shown + "' for " + domain + ": "
          + e.getMessage(), domain, CHALLENGE, e);
    }
    // drained on its own thread so that a chatty hook cannot block on a full pipe while we wait for it
    FutureTask<String> firstErrorLine = new FutureTask<>(() -> firstLine(process));
    Thread drain = new Thread(firstErrorLine, "dns-01-hook-stderr");
    drain.setDaemon(true);
    drain.start();
    try {
      if (!process.waitFor(Math.max(1, limit.toMillis()), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new AcmeIssuanceException("the DNS-01 hook '" + shown + "' for " + domain
            + " did not finish within " + limit.toSeconds() + " s", domain, CHALLENGE, null);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      throw e;
    }
    int exit = process.exitValue();
    if (exit != 0) {
      String error = errorLine(firstErrorLine);
      throw new AcmeIssuanceException("the DNS-01 hook '" + shown + "' for " + domain + " exited with code "
          + exit + (error.isEmpty() ? " and no error output" : ": " + error), domain, CHALLENGE, null);
    }
  }

  /** The first non-blank line of the hook's standard error (shortened), reading the rest to its end. */
  private static String firstLine(Process process) throws IOException {
    String first = "";
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (first.isEmpty() && !line.isBlank()) {
          first = line.strip();
        }
      }
    }
    return first.length() > MAX_LINE ? first.substring(0, MAX_LINE) + "..." : first;
  }

  private static String errorLine(FutureTask<String> firstErrorLine) throws InterruptedException {
    try {
      // the hook has exited; a grandchild still holding its stderr open must not hold us up
      return firstErrorLine.get(2, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      return "";
    }
  }
}
