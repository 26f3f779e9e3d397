package io.uctrust.target.cucm.cli;

import io.uctrust.target.cucm.cli.AdminCliException.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.signature.Signature;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.concurrent.atomic.AtomicReference;
import java.time.Duration;
import org.apache.sshd.client.ClientBuilder;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.util.net.SshdSocketAddress;

/**
 * Host key verification against one known_hosts file (OpenSSH format: plain or hashed host names,
 * {@code [host]:port}, {@code @revoked}), read-only: MINA SSHD's verifier with every way of accepting a key
 * the file does not list closed. Unknown, changed and revoked keys are refused and the reason is kept for
 * {@link AdminCli}'s error message (the connection itself only reports "key did not validate").
 *
 * <p>Not for: trust on first use, updating the known_hosts file, or accepting a changed key; none of these
 * exists here and none must be added.
 */
final class KnownHostsVerifier extends KnownHostsServerKeyVerifier {
  private static final Logger LOG = LoggerFactory.getLogger(KnownHostsVerifier.class);

  /** Why a key was refused. */
  enum Reason {
    UNKNOWN,
    CHANGED,
    REVOKED,
    UNREADABLE_FILE
  }

  /** A refused key: what the server presented and, for a changed key, what the file expects. */
  record Rejection(Reason reason, PublicKey presented, PublicKey expected, String entry) {
    String presentedFingerprint() {
      return describe(presented);
    }

    String expectedFingerprint() {
      return describe(expected);
    }
  }

  private final AtomicReference<Rejection> rejection = new AtomicReference<>();
  /** The name the key is verified under when the connection goes elsewhere; null to use the connection's. */
  private final SshdSocketAddress identity;

  KnownHostsVerifier(Path knownHosts) {
    this(knownHosts, null);
  }

  /**
   * A verifier that looks the key up under {@code identity} only (for a connection to another address, see
   * {@link AdminCliSettings#withConnectAddress}); null looks it up under the address connected to.
   */
  KnownHostsVerifier(Path knownHosts, SshdSocketAddress identity) {
    super(RejectAllServerKeyVerifier.INSTANCE, knownHosts);
    this.identity = identity;
  }

  /** The verifier {@code settings} need: under the configured host and port when a connect address is set. */
  static KnownHostsVerifier forSettings(AdminCliSettings settings) {
    return new KnownHostsVerifier(settings.knownHosts(), settings.connectAddress() == null ? null
        : new SshdSocketAddress(settings.host(), settings.port()));
  }

  @Override
  protected Collection<SshdSocketAddress> resolveHostNetworkIdentities(ClientSession session, SocketAddress remote) {
    // With a connect address the address connected to (a loopback port, a tunnel) says nothing about which
    // node answers: only the configured name may vouch for the key, never a line for the connect address.
    return identity == null ? super.resolveHostNetworkIdentities(session, remote) : List.of(identity);
  }

  /** The first refusal of this verifier, or null if it refused nothing. */
  Rejection rejection() {
    return rejection.get();
  }

  /** {@code <key type> <SHA256 fingerprint>} of a public key. */
  static String describe(PublicKey key) {
    return key == null ? "(none)" : KeyUtils.getKeyType(key) + " " + KeyUtils.getFingerPrint(key);
  }

  @Override
  protected boolean acceptUnknownHostKey(ClientSession session, SocketAddress remote, PublicKey serverKey) {
    rejection.compareAndSet(null, new Rejection(Reason.UNKNOWN, serverKey, null, null));
    return false;
  }

  @Override
  public boolean acceptModifiedServerKey(ClientSession session, SocketAddress remote, KnownHostEntry entry,
      PublicKey expected, PublicKey actual) {
    rejection.compareAndSet(null, new Rejection(Reason.CHANGED, actual, expected,
        entry == null ? null : entry.getConfigLine()));
    return false;
  }

  @Override
  protected void handleRevokedKey(ClientSession session, SocketAddress remote, PublicKey serverKey) {
    rejection.compareAndSet(null, new Rejection(Reason.REVOKED, serverKey, null, null));
  }

  @Override
  protected boolean acceptIncompleteHostKeys(ClientSession session, SocketAddress remote, PublicKey serverKey,
      Throwable reason) {
    rejection.compareAndSet(null, new Rejection(Reason.UNREADABLE_FILE, serverKey, null, null));
    return false;
  }

  // ---------------------------------------------------------------- known_hosts file and refusals

  static List<KnownHostEntry> readKnownHosts(AdminCliSettings settings) throws AdminCliException {
    Path file = settings.knownHosts();
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new AdminCliException(Kind.KNOWN_HOSTS, "the known_hosts file " + file + " for " + settings.hostAndPort()
          + " does not exist or cannot be read; uctrust verifies every SSH host key against it");
    }
    try {
      return KnownHostEntry.readKnownHostEntries(file);
    } catch (IOException | RuntimeException e) {
      throw new AdminCliException(Kind.KNOWN_HOSTS, "cannot read the known_hosts file " + file + ": " + AdminCli.describe(e),
          e);
    }
  }

  /**
   * The client's host key algorithms with those whose key type the known_hosts file lists for the host
   * first (as OpenSSH does), so a server with several host keys presents the one the file knows.
   */
  static List<NamedFactory<Signature>> preferKnownKeyTypes(List<NamedFactory<Signature>> factories,
      List<KnownHostEntry> known, AdminCliSettings settings) {
    Set<String> types = new HashSet<>();
    for (KnownHostEntry entry : known) {
      AuthorizedKeyEntry key = entry.getKeyEntry();
      if (entry.getMarker() == null && key != null && matches(entry, settings)) {
        types.add(KeyUtils.getCanonicalKeyType(key.getKeyType()));
      }
    }
    if (types.isEmpty()) {
      return factories;
    }
    List<NamedFactory<Signature>> ordered = new ArrayList<>();
    List<NamedFactory<Signature>> others = new ArrayList<>();
    for (NamedFactory<Signature> factory : factories) {
      (types.contains(KeyUtils.getCanonicalKeyType(factory.getName())) ? ordered : others).add(factory);
    }
    ordered.addAll(others);
    return ordered;
  }

  private static boolean matches(KnownHostEntry entry, AdminCliSettings settings) {
    try {
      return entry.isHostMatch(settings.host(), settings.port());
    } catch (RuntimeException e) {
      LOG.debug("known_hosts line '{}' cannot be matched against {}: {}", entry.getConfigLine(),
          settings.hostAndPort(), e.toString());
      return false;
    }
  }

  static Optional<AdminCliException> hostKeyError(AdminCliSettings settings, KnownHostsVerifier verifier) {
    Rejection rejection = verifier.rejection();
    if (rejection == null) {
      return Optional.empty();
    }
    String where = settings.hostAndPort();
    Path file = settings.knownHosts();
    String seen = rejection.presentedFingerprint();
    return Optional.of(switch (rejection.reason()) {
      case UNKNOWN -> new AdminCliException(Kind.HOST_KEY_UNKNOWN, "refused the SSH host key of " + where
          + ": no line of the known_hosts file " + file + " lists it (the server presented " + seen + "). uctrust "
          + "does not trust a host key on first use: confirm this fingerprint on the node itself, then add the key "
          + "to " + file + (settings.connectAddress() == null ? " (for example the matching line of 'ssh-keyscan -p "
          + settings.port() + " " + settings.host() + "')" : " under the name " + settings.host() + " (for example the "
          + "key of 'ssh-keyscan -p " + settings.tcpPort() + " " + settings.tcpHost() + "' with that name in front)"));
      case CHANGED -> new AdminCliException(Kind.HOST_KEY_CHANGED, "refused the SSH host key of " + where
          + ": it CHANGED. The known_hosts file " + file + " expects " + rejection.expectedFingerprint()
          + ", the server presented " + seen + ". Either the node was reinstalled or its keys regenerated, or "
          + "someone is intercepting the connection: check the fingerprint on the node before replacing the line");
      case REVOKED -> new AdminCliException(Kind.HOST_KEY_REVOKED, "refused the SSH host key of " + where + ": "
          + seen + " is marked @revoked in the known_hosts file " + file);
      case UNREADABLE_FILE -> new AdminCliException(Kind.KNOWN_HOSTS, "refused the SSH host key of " + where
          + " (" + seen + "): the known_hosts file " + file + " could not be read while verifying it");
    });
  }

  /**
   * An SSH client that verifies host keys with {@code verifier} only (no agent, no ssh config, no default
   * identities), prefers the key types {@code known} lists for the host, and times out as {@code settings}
   * say; not started.
   */
  static SshClient client(AdminCliSettings settings, KnownHostsVerifier verifier, List<KnownHostEntry> known) {
    SshClient client = ClientBuilder.builder()
        .serverKeyVerifier(verifier)
        .hostConfigEntryResolver(HostConfigEntryResolver.EMPTY)
        .filePasswordProvider(FilePasswordProvider.EMPTY)
        .build();
    client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
    client.setAgentFactory(null);
    client.setSignatureFactories(preferKnownKeyTypes(client.getSignatureFactories(), known, settings));
    Duration longestStep = settings.restartTimeout().compareTo(settings.commandTimeout()) > 0
        ? settings.restartTimeout() : settings.commandTimeout();
    CoreModuleProperties.IDLE_TIMEOUT.set(client, longestStep.plusMinutes(1));
    CoreModuleProperties.IO_CONNECT_TIMEOUT.set(client, settings.connectTimeout());
    CoreModuleProperties.TCP_NODELAY.set(client, true); // an interactive session: no Nagle delay on short lines
    return client;
  }
}
