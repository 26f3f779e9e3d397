package io.uctrust.gitops;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code git daemon} on loopback serving every repository below a folder over git://, for tests. Close it
 * to stop the daemon and the children it forked. Not for: anything but tests (it exports everything).
 */
public final class GitDaemon implements AutoCloseable {
  private static final String BINARY = "/usr/lib/git-core/git-daemon";

  private final Process process;
  private final int port;

  private GitDaemon(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts a daemon for {@code base} and waits until it accepts connections. */
  public static GitDaemon start(GitRunner git, Path base) throws IOException, InterruptedException {
    IOException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      int port = freePort();
      ProcessBuilder builder = new ProcessBuilder(List.of(BINARY, "--reuseaddr", "--base-path=" + base, "--export-all",
          "--listen=127.0.0.1", "--port=" + port)).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD);
      git.environment(builder.environment());
      Process process = builder.start();
      GitDaemon daemon = new GitDaemon(process, port);
      if (daemon.awaitListening()) {
        return daemon;
      }
      daemon.close();
      last = new IOException("git daemon did not listen on 127.0.0.1:" + port);
    }
    throw last;
  }

  /** The git:// URL of repository {@code name} below the base folder. */
  public String url(String name) {
    return "git://127.0.0.1:" + port + "/" + name;
  }

  private boolean awaitListening() throws InterruptedException {
    for (int i = 0; i < 200 && process.isAlive(); i++) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return true;
      } catch (IOException e) {
        TimeUnit.MILLISECONDS.sleep(50);
      }
    }
    return false;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** Stops the daemon and the per-connection processes it forked. */
  @Override
  public void close() throws InterruptedException {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
