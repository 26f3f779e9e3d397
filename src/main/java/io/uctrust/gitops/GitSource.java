package io.uctrust.gitops;

import io.uctrust.desired.SecretRef;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the desired state lives in git: a repository URL, the ref to check out and the folder in it, with
 * what it takes to reach the repository. A value as the user gave it; {@link RepositoryFetcher} checks it.
 *
 * <p>Not for: holding a secret. The token is a reference ({@code env:NAME} or {@code file:PATH}) read only
 * while fetching; the URL must not carry a password.
 *
 * @param url the repository: {@code https://}, {@code http://}, {@code ssh://}, {@code user@host:path},
 *     {@code git://}, {@code file://} or a plain path
 * @param ref a branch, tag or (abbreviated) commit SHA, looked up in that order; null: the remote's default branch
 * @param path the desired-state folder inside the repository, relative and without {@code ..}; null: the root
 * @param credentials how to authenticate; never null ({@link Credentials#NONE} when nothing is given)
 */
public record GitSource(String url, String ref, String path, Credentials credentials) {

  /**
   * What reaches a repository that needs it.
   *
   * @param token https only: a reference to the token sent as the password of user {@code x-access-token} (or of
   *     the URL's user name), which GitHub and GitLab tokens both accept; null: none
   * @param sshKey ssh only: the private key file (unencrypted; nothing prompts for a passphrase); null: the
   *     default identities in {@code ~/.ssh}
   * @param knownHosts ssh only: the known_hosts file the server's host key must be in; null: {@code
   *     ~/.ssh/known_hosts}
   */
  public record Credentials(SecretRef token, Path sshKey, Path knownHosts) {
    /** No token, the default ssh identities and known_hosts file. */
    public static final Credentials NONE = new Credentials(null, null, null);
  }

  public GitSource {
    Objects.requireNonNull(url, "url");
    credentials = credentials == null ? Credentials.NONE : credentials;
  }

  /** The default branch of {@code url}, at the repository root, without credentials. */
  public static GitSource of(String url) {
    return new GitSource(url, null, null, Credentials.NONE);
  }

  /** This source at {@code ref} (null: the default branch). */
  public GitSource at(String ref) {
    return new GitSource(url, ref, path, credentials);
  }

  /** This source with the desired state in {@code subfolder} (null: the root). */
  public GitSource in(String subfolder) {
    return new GitSource(url, ref, subfolder, credentials);
  }

  /** This source reached with {@code with}. */
  public GitSource reachedWith(Credentials with) {
    return new GitSource(url, ref, path, with);
  }
}
