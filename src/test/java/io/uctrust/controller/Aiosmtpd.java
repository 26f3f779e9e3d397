package io.uctrust.controller;

import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assumptions.assumeThat;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A test fixture: Debian's aiosmtpd SMTP server ({@code /usr/bin/python3 -m aiosmtpd}, package python3-aiosmtpd)
 * on 127.0.0.1, started as a process with the given arguments, writing what it accepts to a Maildir. Skips the
 * test when /usr/bin/python3 cannot import aiosmtpd.
 *
 * <p>Not for: anything but tests.
 */
final class Aiosmtpd implements AutoCloseable {
  static final String PYTHON = "/usr/bin/python3";
  private static final Duration START_LIMIT = Duration.ofSeconds(20);

  private final Process process;
  private final Path maildir;

  private Aiosmtpd(Process process, Path maildir) {
    this.process = process;
    this.maildir = maildir;
  }

  /** Skips the calling test unless /usr/bin/python3 has aiosmtpd. */
  static void assumeInstalled() throws Exception {
    boolean installed;
    try {
      Process probe = new ProcessBuilder(PYTHON, "-c", "import aiosmtpd").redirectErrorStream(true).start();
      probe.getInputStream().readAllBytes();
      installed = probe.waitFor() == 0;
    } catch (IOException e) {
      installed = false;
    }
    assumeThat(installed).as("/usr/bin/python3 has aiosmtpd (Debian python3-aiosmtpd)").isTrue();
  }

  /**
   * Runs {@code /usr/bin/python3 <arguments>} in {@code dir}, which must make an SMTP server on 127.0.0.1:{@code
   * port} that delivers to {@code maildir}; waits until the port accepts connections.
   */
  static Aiosmtpd start(Path dir, int port, Path maildir, List<String> arguments) throws Exception {
    List<String> command = new ArrayList<>(List.of(PYTHON));
    command.addAll(arguments);
    Path log = Files.createTempFile(dir, "aiosmtpd", ".log");
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    Aiosmtpd server = new Aiosmtpd(process, maildir);
    Instant limit = Instant.now().plus(START_LIMIT);
    while (Instant.now().isBefore(limit) && process.isAlive()) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return server;
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    server.close();
    return fail("aiosmtpd did not listen on 127.0.0.1:" + port + "; its log:\n" + Files.readString(log));
  }

  /** A TCP port on loopback that nothing listens on right now. */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** The messages in the Maildir, in no particular order. */
  List<MimeMessage> messages() throws Exception {
    Path fresh = maildir.resolve("new");
    if (!Files.isDirectory(fresh)) {
      return List.of();
    }
    List<MimeMessage> messages = new ArrayList<>();
    try (Stream<Path> files = Files.list(fresh)) {
      for (Path file : files.toList()) {
        try (InputStream in = Files.newInputStream(file)) {
          messages.add(new MimeMessage(Session.getInstance(new Properties()), in));
        }
      }
    }
    return messages;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
