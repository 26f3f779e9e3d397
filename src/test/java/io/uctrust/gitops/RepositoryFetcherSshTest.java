package io.uctrust.gitops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.command.CommandFactory;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.UploadPack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fetching over ssh through JGit's Apache MINA transport from a real SSH server on loopback (Apache SSHD, serving
 * {@code git-upload-pack} with JGit's UploadPack), with a client key made by {@code ssh-keygen}: host keys are
 * checked strictly against the given known_hosts file.
 */
class RepositoryFetcherSshTest {

  @TempDir Path temp;

  private SshServer server;
  private KeyPair hostKey;
  private GitRunner git;
  private Path clientKey;
  private String url;
  private String sha;

  @BeforeEach
  void serverWithARepository() throws Exception {
    git = new GitRunner(temp.resolve("home"));
    Path repositories = Files.createDirectories(temp.resolve("srv"));
    Path bare = git.bare(repositories.resolve("desired.git"));
    Path work = git.cloneOf(bare, temp.resolve("work"));
    sha = git.commit(work, "over ssh", Map.of("capf.yaml", "kind: Capf\n"));
    git.git(work, "push", "-q", "origin", "HEAD");

    clientKey = temp.resolve("id_ed25519");
    new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "uctrust test", "-f", clientKey.toString())
        .inheritIO().start().waitFor();
    PublicKey authorized = PublicKeyEntry.parsePublicKeyEntry(Files.readString(temp.resolve("id_ed25519.pub")).strip())
        .resolvePublicKey(null, Map.of(), PublicKeyEntryResolver.FAILING);

    hostKey = KeyUtils.generateKeyPair(KeyPairProvider.ECDSA_SHA2_NISTP256, 256);
    server = SshServer.setUpDefaultServer();
    server.setHost("127.0.0.1");
    server.setPort(0);
    server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
    server.setPasswordAuthenticator(null);
    server.setPublickeyAuthenticator((user, key, session) -> "git".equals(user) && KeyUtils.compareKeys(authorized, key));
    server.setCommandFactory(new UploadPackFactory(repositories));
    server.start();
    url = "ssh://git@127.0.0.1:" + server.getPort() + "/desired.git";
  }

  @AfterEach
  void stop() throws IOException {
    if (server != null) {
      server.stop(true);
    }
  }

  private Path knownHosts(PublicKey key) throws IOException {
    Path file = temp.resolve("known_hosts");
    Files.writeString(file, "[127.0.0.1]:" + server.getPort() + " " + PublicKeyEntry.toString(key) + "\n");
    return file;
  }

  private RepositoryFetcher fetcher() {
    return new RepositoryFetcher(temp.resolve("cache"), Map.of());
  }

  @Test
  void aKnownHostAndTheGivenKeyFetch() throws Exception {
    GitSource source = GitSource.of(url).reachedWith(new GitSource.Credentials(null, clientKey, knownHosts(hostKey.getPublic())));

    try (Checkout checkout = fetcher().fetch(source)) {
      assertThat(checkout.revision().commit()).isEqualTo(sha);
      assertThat(checkout.folder().resolve("capf.yaml")).hasContent("kind: Capf");
    }
  }

  @Test
  void anUnknownHostKeyIsRefused() throws Exception {
    Path empty = Files.writeString(temp.resolve("known_hosts"), "# nothing known\n");
    GitSource source = GitSource.of(url).reachedWith(new GitSource.Credentials(null, clientKey, empty));

    assertThatThrownBy(() -> fetcher().fetch(source)).isInstanceOf(GitSourceException.class)
        .hasMessage("the ssh host key of " + url + " is refused: the host is not in " + empty
            + "; add its key after checking the key's fingerprint");
    assertThat(Files.readString(empty)).isEqualTo("# nothing known\n");
  }

  @Test
  void aChangedHostKeyIsRefused() throws Exception {
    KeyPair other = KeyUtils.generateKeyPair(KeyPairProvider.ECDSA_SHA2_NISTP256, 256);
    Path knownHosts = knownHosts(other.getPublic());
    GitSource source = GitSource.of(url).reachedWith(new GitSource.Credentials(null, clientKey, knownHosts));

    assertThatThrownBy(() -> fetcher().fetch(source)).isInstanceOf(GitSourceException.class)
        .hasMessageStartingWith("the ssh host key of " + url + " is refused: it differs from the key " + knownHosts
            + " lists for the host");
  }

  @Test
  void aKeyTheServerDoesNotAcceptFailsAuthentication() throws Exception {
    Path stranger = temp.resolve("stranger");
    new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", stranger.toString()).inheritIO().start().waitFor();
    GitSource source = GitSource.of(url).reachedWith(new GitSource.Credentials(null, stranger, knownHosts(hostKey.getPublic())));

    assertThatThrownBy(() -> fetcher().fetch(source)).isInstanceOf(GitSourceException.class)
        .hasMessageStartingWith("authentication to " + url + " failed");
  }

  @Test
  void aMissingKnownHostsFileIsRefusedBeforeConnecting() {
    Path missing = temp.resolve("no_known_hosts");
    GitSource source = GitSource.of(url).reachedWith(new GitSource.Credentials(null, clientKey, missing));

    assertThatThrownBy(() -> fetcher().fetch(source)).isInstanceOf(GitSourceException.class)
        .hasMessageStartingWith("the known_hosts file " + missing + " cannot be read");
  }

  /** Serves {@code git-upload-pack '/NAME'} from the repositories below a folder, as a git host's SSH server does. */
  private record UploadPackFactory(Path repositories) implements CommandFactory {
    @Override
    public Command createCommand(ChannelSession channel, String command) throws IOException {
      List<String> words = CommandFactory.split(command);
      if (words.size() != 2 || !words.get(0).equals("git-upload-pack")) {
        throw new IOException("only git-upload-pack is served, not " + command);
      }
      Path repository = repositories.resolve(words.get(1).replaceFirst("^/", "")).normalize();
      if (!repository.startsWith(repositories)) {
        throw new IOException("outside the served folder: " + command);
      }
      return new UploadPackCommand(repository);
    }
  }

  /** One upload-pack session on its own thread. */
  private static final class UploadPackCommand implements Command {
    private final Path repository;
    private InputStream in;
    private OutputStream out;
    private OutputStream err;
    private ExitCallback exit;
    private Thread thread;

    UploadPackCommand(Path repository) {
      this.repository = repository;
    }

    @Override
    public void setInputStream(InputStream in) {
      this.in = in;
    }

    @Override
    public void setOutputStream(OutputStream out) {
      this.out = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {
      this.err = err;
    }

    @Override
    public void setExitCallback(ExitCallback callback) {
      this.exit = callback;
    }

    @Override
    public void start(ChannelSession channel, Environment env) {
      thread = new Thread(() -> {
        try (Repository repo = new FileRepositoryBuilder().setGitDir(repository.toFile()).setMustExist(true).build()) {
          new UploadPack(repo).upload(in, out, err);
          out.flush();
          exit.onExit(0);
        } catch (IOException | RuntimeException e) {
          try {
            err.write((e + "\n").getBytes(StandardCharsets.UTF_8));
            err.flush();
          } catch (IOException ignored) {
            e.addSuppressed(ignored);
          }
          exit.onExit(1, String.valueOf(e.getMessage()));
        }
      }, "upload-pack");
      thread.start();
    }

    @Override
    public void destroy(ChannelSession channel) {
      if (thread != null) {
        thread.interrupt();
      }
    }
  }
}
