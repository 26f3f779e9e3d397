package io.uctrust.gitops;

import java.time.Instant;
import org.eclipse.jgit.lib.ObjectId;

/**
 * A commit whose OpenPGP signature was checked and is good: made by a key of the trusted keyring that was valid
 * (bound, not expired, not revoked, allowed to sign) when the signature was made.
 *
 * <p>Not for: deciding trust again (it was decided against the keyring the verifier was given), or anything about
 * the commit's author or committer, which are free text and not what was verified.
 *
 * @param commit the commit that was verified
 * @param keyFingerprint the fingerprint of the key that made the signature: the primary key, or the signing subkey
 * @param primaryKeyFingerprint the fingerprint of the certificate's primary key, which identifies the signer
 * @param userId the signer's primary user id at signing time ({@code Alice <alice@example.com>}), or {@code null}
 *     when the certificate has none
 * @param signedAt the signature's creation time, as the signer's clock claimed it
 */
public record VerifiedSignature(ObjectId commit, String keyFingerprint, String primaryKeyFingerprint, String userId,
    Instant signedAt) {

  /** True when a signing subkey, not the primary key, made the signature. */
  public boolean bySubkey() {
    return !keyFingerprint.equals(primaryKeyFingerprint);
  }

  /** One line for logs: {@code signed by Alice <alice@example.com> (key 1FA5..., subkey DEAF...)}. */
  public String describe() {
    return "signed by " + (userId == null ? "a key without user id" : userId) + " (key " + primaryKeyFingerprint
        + (bySubkey() ? ", subkey " + keyFingerprint : "") + ")";
  }
}
