package io.uctrust.cli;

import io.uctrust.desired.SecretRef;
import io.uctrust.gitops.Checkout;
import io.uctrust.gitops.CommitSignatureVerifier;
import io.uctrust.gitops.GitSource;
import io.uctrust.gitops.GitSourceException;
import io.uctrust.gitops.RepositoryFetcher;
import io.uctrust.gitops.SourceRevision;
import io.uctrust.gitops.TrustedKeys;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Where the desired state comes from, shared by reconcile, status, validate and bundle: the DIR parameter, or a
 * git repository ({@code --repo URL [--ref REF] [--path SUBDIR]}) fetched into the cache below the state folder.
 */
final class SourceMixin {

  @Spec(Spec.Target.MIXEE) CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "DIR",
      description = "Desired-state folder (default: .); not with --repo.")
  Path dir;

  @Option(names = "--repo", paramLabel = "URL",
      description = "Read the desired state from this git repository instead of DIR: https://, ssh://, user@host:path, "
          + "git://, file:// or a path. Fetched each run into a cache (<state-dir>/git, default "
          + "$XDG_STATE_HOME/uctrust/git or ~/.local/state/uctrust/git).")
  String repo;

  @Option(names = "--ref", paramLabel = "REF",
      description = "With --repo: branch, tag or commit SHA, looked up in that order (default: the remote's default branch).")
  String ref;

  @Option(names = "--path", paramLabel = "SUBDIR", description = "With --repo: the desired-state folder inside the repository.")
  String path;

  @Option(names = "--repo-token", paramLabel = "env:NAME|file:PATH",
      description = "With an https --repo: the access token (sent as the password of user x-access-token, or of the "
          + "URL's user name; GitHub and GitLab tokens accept it).")
  String token;

  @Option(names = "--ssh-key", paramLabel = "FILE",
      description = "With an ssh --repo: the private key (unencrypted; default: ~/.ssh/id_*; no agent).")
  Path sshKey;

  @Option(names = "--known-hosts", paramLabel = "FILE",
      description = "With an ssh --repo: the known_hosts file the server's host key must be in (default: "
          + "~/.ssh/known_hosts). Unknown or changed host keys are refused.")
  Path knownHosts;

  @Option(names = "--require-signed-commits",
      description = "With --repo: use the commit only when it is signed (OpenPGP, git commit -S) by a key of --trusted-keys; "
          + "unsigned, changed-after-signing and untrusted commits are refused (exit 1, nothing applied).")
  boolean requireSignedCommits;

  @Option(names = "--trusted-keys", paramLabel = "FILE",
      description = "With --require-signed-commits: the OpenPGP public keys whose signatures count, as written by "
          + "gpg --export [--armor] KEYID...")
  Path trustedKeys;

  /**
   * Opens the desired state: DIR as it is, or the repository fetched and checked out (held until closed).
   *
   * @param stateDir the command's {@code --state-dir} (null: the default cache folder)
   * @param environment where {@code env:} references and {@code XDG_STATE_HOME} are read
   */
  DesiredFolder open(Path stateDir, Map<String, String> environment) throws GitSourceException {
    if (repo == null) {
      String stray = ref != null ? "--ref" : path != null ? "--path" : token != null ? "--repo-token"
          : sshKey != null ? "--ssh-key" : knownHosts != null ? "--known-hosts"
          : requireSignedCommits ? "--require-signed-commits" : trustedKeys != null ? "--trusted-keys" : null;
      if (stray != null) {
        throw new ParameterException(spec.commandLine(), stray + " reads from a repository; add --repo URL");
      }
      return new DesiredFolder(dir == null ? Path.of(".") : dir, Path.of("").toAbsolutePath(), null, null, null);
    }
    if (dir != null) {
      throw new ParameterException(spec.commandLine(),
          "give either DIR or --repo URL, not both (with --repo, --path SUBDIR picks a folder of the repository)");
    }
    SecretRef tokenRef = null;
    if (token != null) {
      tokenRef = SecretRef.parse(token);
      if (tokenRef.source() != SecretRef.Source.ENV && tokenRef.source() != SecretRef.Source.FILE) {
        throw new ParameterException(spec.commandLine(), "--repo-token takes env:NAME or file:PATH, never the token itself");
      }
    }
    if (requireSignedCommits != (trustedKeys != null)) {
      throw new ParameterException(spec.commandLine(), requireSignedCommits
          ? "--require-signed-commits needs --trusted-keys FILE (the keys whose signatures count)"
          : "--trusted-keys is used with --require-signed-commits; add it");
    }
    GitSource source = new GitSource(repo, ref, path, new GitSource.Credentials(tokenRef, sshKey, knownHosts));
    RepositoryFetcher fetcher = new RepositoryFetcher(RepositoryFetcher.cacheRoot(stateDir, environment), environment);
    if (requireSignedCommits) {
      TrustedKeys keys;
      try {
        keys = TrustedKeys.load(trustedKeys);
      } catch (IOException e) {
        throw new GitSourceException(e.getMessage(), e);
      }
      PrintWriter err = spec.commandLine().getErr();
      fetcher.checkingCommits(new CommitSignatureVerifier(keys).asCommitCheck(signature -> err.println(
          "commit " + signature.commit().abbreviate(12).name() + " " + signature.describe())));
    }
    Checkout checkout = fetcher.fetch(source);
    return new DesiredFolder(checkout.folder(), checkout.root(), checkout.revision(), checkout, source);
  }

  /**
   * The desired-state folder a command reads, open until closed.
   *
   * @param dir the folder (or YAML file) to load
   * @param base what paths shown to users are relative to: the working folder, or the repository root
   * @param revision the commit it was read from; null for a plain folder
   * @param checkout the cache checkout to release when done; null for a plain folder
   * @param source the repository and its credentials; null for a plain folder
   */
  record DesiredFolder(Path dir, Path base, SourceRevision revision, Checkout checkout, GitSource source)
      implements AutoCloseable {
    @Override
    public void close() {
      if (checkout != null) {
        checkout.close();
      }
    }
  }
}
