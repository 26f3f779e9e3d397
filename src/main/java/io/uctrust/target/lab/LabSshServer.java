package io.uctrust.target.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.SshServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin CLI of every node of a served lab over SSH (Apache MINA SSHD): one listening port per node on
 * the given (loopback) address, each port's shell a {@link LabAdminShell} of that node. All nodes present
 * one ECDSA P-256 host key, kept in {@code <lab folder>/serve/ssh_host_key} (0600, created once and
 * reused, so a client's known_hosts stays valid across restarts), and {@code serve/known_hosts} lists it
 * under every node's name as for port 22: a client connecting to {@code 127.0.0.1:<port>} that verifies
 * under the node's name (see {@code AdminCliSettings.withConnectAddress}) accepts it. Login: password
 * authentication, any non-empty user name, the one password given; public keys are refused.
 *
 * <p>Not for: anything reachable from other hosts (bind a loopback address), or as an SSH server of any
 * kind: the shell runs nothing on this host.
 */
public final class LabSshServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LabSshServer.class);

  static final String SERVE_DIR = "serve";
  static final String HOST_KEY_FILE = "ssh_host_key";
  static final String KNOWN_HOSTS_FILE = "known_hosts";

  private final Map<String, SshServer> servers;
  private final Map<String, Integer> ports;
  private final Path knownHosts;

  private LabSshServer(Map<String, SshServer> servers, Map<String, Integer> ports, Path knownHosts) {
    this.servers = servers;
    this.ports = ports;
    this.knownHosts = knownHosts;
  }

  /**
   * Starts one SSH server per node of {@code lab} on {@code bind}, ports chosen by the system; writes
   * {@code serve/known_hosts}. Throws if the host key cannot be read or written or a server cannot listen.
   */
  public static LabSshServer start(ServedLab lab, InetAddress bind, LabFaults faults, String password)
      throws IOException {
    Objects.requireNonNull(lab, "lab");
    Objects.requireNonNull(bind, "bind");
    Objects.requireNonNull(faults, "faults");
    if (password == null || password.isEmpty()) {
      throw new IllegalArgumentException("the lab's admin CLI needs a non-empty password");
    }
    Path serve = lab.store().dir().resolve(SERVE_DIR);
    Files.createDirectories(serve);
    KeyPair hostKey = hostKey(serve.resolve(HOST_KEY_FILE));
    List<String> nodes = lab.read(state -> state.nodes.stream().map(n -> n.name).toList());
    byte[] expected = password.getBytes(StandardCharsets.UTF_8);

    Map<String, SshServer> servers = new LinkedHashMap<>();
    Map<String, Integer> ports = new LinkedHashMap<>();
    try {
      for (String node : nodes) {
        SshServer sshd = SshServer.setUpDefaultServer();
        sshd.setHost(bind.getHostAddress());
        sshd.setPort(0);
        sshd.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        // Constant-time comparison: the lab's password is a test secret, but the habit costs nothing.
        sshd.setPasswordAuthenticator((user, given, session) -> user != null && !user.isEmpty() && given != null
            && MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8)));
        sshd.setPublickeyAuthenticator(null);
        sshd.setShellFactory(channel -> new LabAdminShell(lab, node, faults, channel));
        CoreModuleProperties.TCP_NODELAY.set(sshd, true); // an interactive session: no Nagle delay on short lines
        servers.put(node, sshd);
        sshd.start();
        ports.put(node, sshd.getPort());
        LOG.info("admin CLI of {} on {}:{}", node, bind.getHostAddress(), sshd.getPort());
      }
      Path knownHosts = serve.resolve(KNOWN_HOSTS_FILE);
      writeKnownHosts(knownHosts, nodes, hostKey);
      return new LabSshServer(servers, Map.copyOf(ports), knownHosts);
    } catch (IOException | RuntimeException e) {
      stopAll(servers);
      throw e;
    }
  }

  /** Node name to the port its admin CLI listens on. */
  public Map<String, Integer> ports() {
    return ports;
  }

  /** The known_hosts file listing the host key under every node's name. */
  public Path knownHosts() {
    return knownHosts;
  }

  /** Stops every node's server and drops their sessions. */
  @Override
  public void close() {
    stopAll(servers);
  }

  private static void stopAll(Map<String, SshServer> servers) {
    for (SshServer sshd : servers.values()) {
      try {
        sshd.stop(true);
      } catch (IOException | RuntimeException e) {
        LOG.debug("stopping an SSH server failed: {}", e.toString());
      }
    }
  }

  /** The persisted host key, created on first use. */
  static KeyPair hostKey(Path file) throws IOException {
    if (Files.exists(file)) {
      LabFiles.restrict(file);
      try (InputStream in = Files.newInputStream(file)) {
        Iterable<KeyPair> keys = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(file.toString()), in,
            FilePasswordProvider.EMPTY);
        Iterator<KeyPair> it = keys == null ? null : keys.iterator();
        if (it == null || !it.hasNext()) {
          throw new IOException("the lab's SSH host key " + file + " holds no key; delete it to create a new one");
        }
        return it.next();
      } catch (GeneralSecurityException e) {
        throw new IOException("the lab's SSH host key " + file + " cannot be read (" + e.getMessage()
            + "); delete it to create a new one", e);
      }
    }
    KeyPair key;
    try {
      key = KeyUtils.generateKeyPair(KeyPairProvider.ECDSA_SHA2_NISTP256, 256);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot generate an SSH host key: " + e.getMessage(), e);
    }
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(temp);
    // Created 0600 before the key is written, so the private key is never readable by others.
    LabFiles.create(temp, LabFiles.PRIVATE);
    try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(key, "uctrust lab serve", null, out);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot write the SSH host key " + file + ": " + e.getMessage(), e);
    }
    move(temp, file);
    return key;
  }

  private static void writeKnownHosts(Path file, List<String> nodes, KeyPair hostKey) throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add("# uctrust lab serve: the admin CLI host key of every lab node, under the node's name as for port 22");
    String key = PublicKeyEntry.toString(hostKey.getPublic());
    for (String node : nodes) {
      lines.add(node + " " + key);
    }
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(temp, lines, StandardCharsets.UTF_8);
    move(temp, file);
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
