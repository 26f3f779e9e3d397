package io.uctrust.target.lab;

import com.sun.net.httpserver.HttpHandler;
import io.uctrust.cluster.ClusterException;
import io.uctrust.cluster.IdentityPort;
import io.uctrust.desired.CertificateSpec;
import io.uctrust.desired.Spelling;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code uctrust lab serve}: a lab cluster served over the interfaces of a real one, on one loopback
 * address: HTTPS with AXL, the platform certificate REST API and ControlCenterServices for every node
 * (one port, nodes told apart by TLS SNI), the admin CLI over SSH (one port per node), and each node's
 * service identities on stand-ins for its TLS service ports (SIP TLS, TVS, CAPF, XMPP...; one port per node
 * and service port). Tomcat's 8443 is the interfaces' port, whose certificates come from the lab's serving CA,
 * so tomcat identities are not served to {@code target: cucm} clients. Everything a
 * client needs is written to {@code <stateDir>/serve/}: the CA bundle to trust ({@code ca.pem}), the
 * known_hosts file, the password of every interface ({@code password}, mode 0600; any user name), and
 * the {@code --connect-to} routes ({@code connect-to}, one per line).
 *
 * <p>Not for: anything but tests and demonstrations on one machine; it binds loopback addresses only.
 */
public final class LabServer implements AutoCloseable {

  private final ServedLab lab;
  private final LabHttpsServer https;
  private final LabSshServer ssh;
  private final LabTlsPorts servicePorts;
  private final Path serveDir;
  private final List<String> routes;

  private LabServer(ServedLab lab, LabHttpsServer https, LabSshServer ssh, LabTlsPorts servicePorts, Path serveDir,
      List<String> routes) {
    this.lab = lab;
    this.https = https;
    this.ssh = ssh;
    this.servicePorts = servicePorts;
    this.serveDir = serveDir;
    this.routes = routes;
  }

  /**
   * Serves the existing lab in {@code store} on {@code bind} (a loopback address) with the given HTTPS
   * port (0: any) and faults.
   */
  public static LabServer start(LabStore store, InetAddress bind, int httpsPort, LabFaults faults,
      java.time.Clock clock) throws ClusterException {
    if (!bind.isLoopbackAddress()) {
      throw new ClusterException("lab serve binds loopback addresses only (got " + bind.getHostAddress() + ")");
    }
    ServedLab lab = ServedLab.open(store, clock);
    LabHttpsServer https = null;
    LabSshServer ssh = null;
    LabTlsPorts servicePorts = new LabTlsPorts(bind, lab::servedOn);
    try {
      Path serveDir = store.dir().resolve("serve");
      Files.createDirectories(serveDir);
      String password = password(serveDir.resolve("password"));
      Map<String, HttpHandler> axl = Map.of("/axl/", new LabAxlService(lab, faults, password));
      https = LabHttpsServer.start(lab, new InetSocketAddress(bind, httpsPort), axl, faults, password);
      ssh = LabSshServer.start(lab, bind, faults, password);
      String address = bind.getHostAddress().contains(":") ? "[" + bind.getHostAddress() + "]" : bind.getHostAddress();
      List<String> routes = new ArrayList<>();
      routes.add(":8443:" + address + ":" + https.port());
      routes.add(":443:" + address + ":" + https.port());
      new LinkedHashMap<>(ssh.ports()).forEach((node, port) -> routes.add(node + ":22:" + address + ":" + port));
      for (Map.Entry<String, List<IdentityPort>> node : servicePorts(lab).entrySet()) {
        for (IdentityPort port : node.getValue()) {
          routes.add(node.getKey() + ":" + port.port() + ":" + address + ":" + servicePorts.port(node.getKey(), port));
        }
      }
      Files.write(serveDir.resolve("connect-to"), routes, StandardCharsets.UTF_8);
      return new LabServer(lab, https, ssh, servicePorts, serveDir, List.copyOf(routes));
    } catch (IOException | RuntimeException | ClusterException e) {
      servicePorts.close();
      if (ssh != null) {
        ssh.close();
      }
      if (https != null) {
        https.close();
      }
      lab.close();
      throw new ClusterException("cannot serve the lab in " + store.dir() + ": " + e.getMessage());
    }
  }

  /** The TLS service ports of each node (by its identities), but 8443, which the interfaces' server has. */
  private static Map<String, List<IdentityPort>> servicePorts(ServedLab lab) {
    return lab.read(state -> {
      Map<String, List<IdentityPort>> ports = new LinkedHashMap<>();
      for (LabState.Node node : state.nodes) {
        ports.put(node.name, node.identities.keySet().stream()
            .flatMap(s -> Spelling.Of.find(CertificateSpec.Service.class, s).flatMap(IdentityPort::of).stream())
            .filter(p -> p.port() != 8443).distinct().toList());
      }
      return ports;
    });
  }

  /** The password every interface accepts (from {@code serve/password}, created once). */
  private static String password(Path file) throws IOException {
    if (Files.exists(file)) {
      return Files.readString(file, StandardCharsets.UTF_8).strip();
    }
    byte[] random = new byte[16];
    new SecureRandom().nextBytes(random);
    String password = HexFormat.of().formatHex(random);
    LabFiles.create(file, LabFiles.PRIVATE);
    Files.writeString(file, password + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
    return password;
  }

  public String cluster() {
    return lab.name();
  }

  public int httpsPort() {
    return https.port();
  }

  /** SSH port of each node. */
  public Map<String, Integer> sshPorts() {
    return ssh.ports();
  }

  /** {@code --connect-to} routes that send a real-cluster client here. */
  public List<String> connectTo() {
    return routes;
  }

  public Path trustBundle() {
    return https.trustBundle();
  }

  public Path knownHosts() {
    return ssh.knownHosts();
  }

  public Path passwordFile() {
    return serveDir.resolve("password");
  }

  @Override
  public void close() {
    servicePorts.close();
    ssh.close();
    https.close();
    lab.close();
  }
}
