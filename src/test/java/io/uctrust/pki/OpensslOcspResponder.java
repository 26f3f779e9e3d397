package io.uctrust.pki;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A test fixture: the real {@code openssl ocsp} responder answering from an {@link OpensslCa}'s database, signing
 * with the given certificate and key. OpenSSL 3.0 takes only a port number, so it listens on every interface (the
 * tests reach it on 127.0.0.1); it is stopped by {@link #close()}.
 *
 * <p>Not for: anything but tests.
 */
public final class OpensslOcspResponder implements AutoCloseable {
  private static final Duration START_LIMIT = Duration.ofSeconds(20);

  private final Process process;
  private final int port;

  private OpensslOcspResponder(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /**
   * Starts a responder for {@code ca} on {@code port}, signing with {@code signer} and {@code key}, with the
   * further openssl options {@code options} (such as {@code -nmin 1}); waits until it listens.
   */
  public static OpensslOcspResponder start(OpensslCa ca, int port, Path signer, Path key, String... options)
      throws Exception {
    List<String> command = new ArrayList<>(List.of("openssl", "ocsp", "-index", "index.txt", "-port",
        Integer.toString(port), "-rsigner", signer.toAbsolutePath().toString(), "-rkey",
        key.toAbsolutePath().toString(), "-CA", ca.certificate().toAbsolutePath().toString(), "-ignore_err"));
    command.addAll(List.of(options));
    Path log = Files.createTempFile(ca.dir(), "ocsp", ".log");
    Process process = new ProcessBuilder(command).directory(ca.dir().toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    OpensslOcspResponder responder = new OpensslOcspResponder(process, port);
    try {
      responder.waitUntilListening(log);
      return responder;
    } catch (Exception | AssertionError e) {
      responder.close();
      throw e;
    }
  }

  /** A TCP port on loopback that nothing listens on right now. */
  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** The responder's URL. */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + port + "/");
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }

  /**
   * Waits for the responder's own word that it listens: a probe connection would not do, since openssl 3.0's
   * responder hangs on a connection closed without a request and then answers nobody.
   */
  private void waitUntilListening(Path log) throws Exception {
    Instant limit = Instant.now().plus(START_LIMIT);
    while (Instant.now().isBefore(limit) && process.isAlive()) {
      if (Files.readString(log).contains("waiting for OCSP client connections")) {
        return;
      }
      Thread.sleep(50);
    }
    fail("openssl ocsp did not listen on port " + port + "; its log:\n" + Files.readString(log));
  }
}
