package io.uctrust.gitops;

import io.uctrust.cluster.ClusterException;
import io.uctrust.cluster.SecretReader;
import io.uctrust.desired.SecretRef;
import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.eclipse.jgit.api.TransportCommand;
import org.eclipse.jgit.transport.CredentialItem;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.SshConfigStore;
import org.eclipse.jgit.transport.SshConstants;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;

/**
 * How one fetch reaches its remote: the kind of URL, the token for https, and for ssh a JGit Apache MINA
 * session factory with only the given key, only the given known_hosts file and strict host key checking (an
 * unknown or changed host key is refused). Nothing ever prompts: no credentials provider asks, no agent is
 * used, no {@code ~/.ssh/config} is read. Also turns JGit's transport errors into one-line messages.
 *
 * <p>Not for: more than one fetch (close it after), or showing the token: it lives only in the credentials
 * provider and is scrubbed from every message.
 */
final class RemoteAccess implements AutoCloseable {

  /** Seconds a connection or read may take before the remote counts as unreachable. */
  static final int TIMEOUT_SECONDS = 60;

  /** The user name sent with a token when the URL names none; GitHub and GitLab tokens both accept it. */
  static final String TOKEN_USER = "x-access-token";

  /** Supplies no credentials and never asks anyone. */
  private static final CredentialsProvider NOTHING = new CredentialsProvider() {
    @Override
    public boolean isInteractive() {
      return false;
    }

    @Override
    public boolean supports(CredentialItem... items) {
      return false;
    }

    @Override
    public boolean get(URIish uri, CredentialItem... items) {
      return false;
    }
  };

  /** The kinds of URL uctrust fetches from. */
  enum Kind { LOCAL, GIT, HTTPS, HTTP, SSH }

  private final String url;
  private final Kind kind;
  private final String token;
  private final Path knownHosts;
  private final SshdSessionFactory ssh;

  private RemoteAccess(String url, Kind kind, String token, Path knownHosts, SshdSessionFactory ssh) {
    this.url = url;
    this.kind = kind;
    this.token = token;
    this.knownHosts = knownHosts;
    this.ssh = ssh;
  }

  /** Checks that the credentials fit the URL and prepares them; the token is read here. */
  static RemoteAccess of(GitSource source, Map<String, String> environment) throws GitSourceException {
    String url = source.url();
    URIish uri = uri(url);
    Kind kind = kind(uri, url);
    GitSource.Credentials credentials = source.credentials();
    String token = null;
    if (credentials.token() != null) {
      if (kind == Kind.HTTP) {
        throw new GitSourceException("a token is sent only over https, and " + url + " is plain http");
      }
      if (kind != Kind.HTTPS) {
        throw new GitSourceException("a token is used only with https URLs, not with " + url);
      }
      token = token(credentials.token(), url, environment);
    }
    if (kind != Kind.SSH && (credentials.sshKey() != null || credentials.knownHosts() != null)) {
      throw new GitSourceException("an ssh key and known_hosts file are used only with ssh URLs, not with " + url);
    }
    if (kind != Kind.SSH) {
      return new RemoteAccess(url, kind, token, null, null);
    }
    Path home = Path.of(System.getProperty("user.home"));
    Path knownHosts = credentials.knownHosts() != null ? credentials.knownHosts()
        : home.resolve(SshConstants.SSH_DIR).resolve(SshConstants.KNOWN_HOSTS);
    if (!Files.isReadable(knownHosts)) {
      throw new GitSourceException("the known_hosts file " + knownHosts + " cannot be read; host keys are always "
          + "verified: add the server's key to it (ssh-keyscan, after checking the key's fingerprint)");
    }
    Path key = credentials.sshKey();
    if (key != null && !Files.isReadable(key)) {
      throw new GitSourceException("the ssh key file " + key + " cannot be read");
    }
    return new RemoteAccess(url, kind, null, knownHosts, sshSessions(home, key, knownHosts));
  }

  /** Sets credentials, transport and timeout on a JGit fetch (or any transport command). */
  void configure(TransportCommand<?, ?> command) {
    command.setTimeout(TIMEOUT_SECONDS);
    if (token != null) {
      String user;
      try {
        user = new URIish(url).getUser();
      } catch (URISyntaxException e) {
        throw new IllegalStateException("checked in of()", e);
      }
      command.setCredentialsProvider(new UsernamePasswordCredentialsProvider(user == null ? TOKEN_USER : user, token));
    } else {
      // one that answers nothing: JGit would otherwise use CredentialsProvider.getDefault(), which may prompt
      command.setCredentialsProvider(NOTHING);
    }
    if (ssh != null) {
      command.setTransportConfigCallback(transport -> {
        if (transport instanceof SshTransport sshTransport) {
          sshTransport.setSshSessionFactory(ssh);
        }
      });
    }
  }

  /** The one-line message for a failed transport, naming the URL and never the token. */
  GitSourceException failure(Throwable e) {
    String cause = scrub(cause(e));
    String lower = cause.toLowerCase(Locale.ROOT);
    if (kind == Kind.SSH && (lower.contains("server key did not validate") || lower.contains("host key"))) {
      return new GitSourceException("the ssh host key of " + url + " is refused: " + (listed()
          ? "it differs from the key " + knownHosts + " lists for the host (changed key, or someone in between)"
          : "the host is not in " + knownHosts + "; add its key after checking the key's fingerprint"));
    }
    if (lower.contains("not authorized") || lower.contains("authentication") || lower.contains("auth fail")
        || lower.contains("no more authentication methods") || lower.contains("401") || lower.contains("403")) {
      return new GitSourceException("authentication to " + url + " failed: " + cause);
    }
    return new GitSourceException("cannot reach " + url + ": " + cause);
  }

  /** Whether the known_hosts file has an entry for the URL's host and port (so its key changed). */
  private boolean listed() {
    try {
      URIish uri = new URIish(url);
      int port = uri.getPort() > 0 ? uri.getPort() : SshConstants.SSH_DEFAULT_PORT;
      return KnownHostEntry.readKnownHostEntries(knownHosts).stream().anyMatch(e -> e.isHostMatch(uri.getHost(), port));
    } catch (URISyntaxException | java.io.IOException | RuntimeException e) {
      // the refusal stands either way; only its explanation is less precise
      return false;
    }
  }

  /** {@code text} with the token (if any) replaced. */
  String scrub(String text) {
    return token == null || token.isEmpty() ? text : text.replace(token, "<redacted>");
  }

  @Override
  public void close() {
    if (ssh != null) {
      ssh.close();
    }
  }

  static URIish uri(String url) throws GitSourceException {
    if (url.isBlank()) {
      throw new GitSourceException("the repository URL is empty");
    }
    URIish uri;
    try {
      uri = new URIish(url);
    } catch (URISyntaxException e) {
      throw new GitSourceException("not a repository URL: " + url + " (" + e.getReason() + ")");
    }
    if (uri.getPass() != null) {
      throw new GitSourceException("the repository URL must not carry a password; give a token as a reference "
          + "(env:NAME or file:PATH) instead");
    }
    return uri;
  }

  static Kind kind(URIish uri, String url) throws GitSourceException {
    String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
    if (scheme == null) {
      return uri.getHost() != null ? Kind.SSH : Kind.LOCAL;
    }
    return switch (scheme) {
      case "file" -> Kind.LOCAL;
      case "git" -> Kind.GIT;
      case "https" -> Kind.HTTPS;
      case "http" -> Kind.HTTP;
      case "ssh", "git+ssh", "ssh+git" -> Kind.SSH;
      default -> throw new GitSourceException("unsupported repository URL " + url
          + "; use https://, ssh://, user@host:path, git://, file:// or a path");
    };
  }

  private static String token(SecretRef ref, String url, Map<String, String> environment) throws GitSourceException {
    if (ref.source() != SecretRef.Source.ENV && ref.source() != SecretRef.Source.FILE) {
      throw new GitSourceException("the token for " + url + " must be a reference, env:NAME or file:PATH");
    }
    try {
      return new SecretReader(environment).read(ref, null);
    } catch (ClusterException e) {
      throw new GitSourceException("cannot read the token for " + url + ": " + e.getMessage());
    }
  }

  private static SshdSessionFactory sshSessions(Path home, Path key, Path knownHosts) {
    Map<String, List<String>> options = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    options.put(SshConstants.STRICT_HOST_KEY_CHECKING, List.of(SshConstants.YES));
    options.put(SshConstants.USER_KNOWN_HOSTS_FILE, List.of(knownHosts.toAbsolutePath().toString()));
    // the global file (/etc/ssh/ssh_known_hosts) must not vouch for a host either: only the given file counts
    options.put(SshConstants.GLOBAL_KNOWN_HOSTS_FILE, List.of(knownHosts.toAbsolutePath().toString()));
    options.put(SshConstants.BATCH_MODE, List.of(SshConstants.YES));
    options.put(SshConstants.PREFERRED_AUTHENTICATIONS, List.of("publickey"));
    options.put(SshConstants.CONNECT_TIMEOUT, List.of(Integer.toString(TIMEOUT_SECONDS)));
    if (key != null) {
      options.put(SshConstants.IDENTITY_FILE, List.of(key.toAbsolutePath().toString()));
      options.put(SshConstants.IDENTITIES_ONLY, List.of(SshConstants.YES));
    }
    SshConfigStore.HostConfig config = new FixedHostConfig(options);
    SshConfigStore store = new SshConfigStore() {
      @Override
      public HostConfig lookup(String hostName, int port, String userName) {
        return config;
      }

      @Override
      public HostConfig lookupDefault(String hostName, int port, String userName) {
        return config;
      }
    };
    File homeDir = home.toFile();
    return new SshdSessionFactoryBuilder()
        .setHomeDirectory(homeDir)
        .setSshDirectory(new File(homeDir, SshConstants.SSH_DIR))
        .setConfigStoreFactory((h, configFile, localUser) -> store)
        .setDefaultKnownHostsFiles(sshDir -> List.of(knownHosts.toAbsolutePath()))
        .setPreferredAuthentications("publickey")
        .build(null);
  }

  /**
   * What went wrong, from the deepest cause: JGit's wrapper messages repeat the URL ("url: ...", "Invalid remote:
   * origin: url: ..."), which the caller's message names once already.
   */
  private String cause(Throwable e) {
    Throwable deepest = e;
    while (deepest.getCause() != null && deepest.getCause() != deepest) {
      deepest = deepest.getCause();
    }
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof java.security.cert.CertificateException || t instanceof java.security.cert.CertPathValidatorException
          || t instanceof java.security.cert.CertPathBuilderException) {
        return "its TLS certificate is not trusted (" + deepest.getMessage() + ")";
      }
    }
    if (deepest instanceof java.net.UnknownHostException) {
      return "unknown host " + deepest.getMessage();
    }
    if (deepest instanceof java.net.SocketTimeoutException || deepest instanceof java.io.InterruptedIOException) {
      return "no answer within " + TIMEOUT_SECONDS + " s";
    }
    String message = deepest.getMessage() != null ? deepest.getMessage()
        : e.getMessage() != null ? e.getMessage() : deepest.getClass().getSimpleName();
    for (String prefix : List.of("Invalid remote: origin: ", "Invalid remote: ", url + ": ")) {
      int at = message.indexOf(prefix);
      if (at >= 0 && message.substring(0, at).isBlank()) {
        message = message.substring(at + prefix.length());
      }
    }
    message = message.strip().replace('\n', ' ');
    return message.endsWith(".") ? message.substring(0, message.length() - 1) : message;
  }

  /** The same options for every host: the session factory is made for one URL. */
  private record FixedHostConfig(Map<String, List<String>> values) implements SshConfigStore.HostConfig {
    @Override
    public String getValue(String key) {
      List<String> list = values.get(key);
      return list == null || list.isEmpty() ? null : list.get(0);
    }

    @Override
    public List<String> getValues(String key) {
      return values.getOrDefault(key, List.of());
    }

    @Override
    public Map<String, String> getOptions() {
      Map<String, String> single = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      values.forEach((k, v) -> {
        if (v.size() == 1 && !multi(k)) {
          single.put(k, v.get(0));
        }
      });
      return single;
    }

    @Override
    public Map<String, List<String>> getMultiValuedOptions() {
      Map<String, List<String>> multi = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      values.forEach((k, v) -> {
        if (multi(k)) {
          multi.put(k, v);
        }
      });
      return multi;
    }

    private static boolean multi(String key) {
      return key.equalsIgnoreCase(SshConstants.IDENTITY_FILE) || key.equalsIgnoreCase(SshConstants.USER_KNOWN_HOSTS_FILE)
          || key.equalsIgnoreCase(SshConstants.GLOBAL_KNOWN_HOSTS_FILE);
    }
  }
}
