package io.uctrust.gitops;

import io.uctrust.gitops.UnverifiedCommitException.Reason;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.bcpg.KeyIdentifier;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureException;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.bouncycastle.openpgp.api.OpenPGPCertificate.OpenPGPComponentKey;
import org.bouncycastle.openpgp.api.OpenPGPCertificate.OpenPGPUserId;
import org.bouncycastle.openpgp.api.OpenPGPSignature;
import org.bouncycastle.openpgp.api.OpenPGPSignature.OpenPGPDocumentSignature;
import org.eclipse.jgit.lib.GpgConfig.GpgFormat;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.SignatureVerifiers;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.util.RawParseUtils;

/**
 * Decides whether a commit was signed by a key of a {@link TrustedKeys} keyring: the commit's OpenPGP signature
 * ({@code gpgsig} header, as {@code git commit -S} makes it) must match the commit object without that header, and
 * its key (primary key or signing subkey) must be in the keyring and valid when it signed. Anything else is refused
 * with an {@link UnverifiedCommitException} naming the commit and the reason.
 *
 * <p>Not for: SSH- or X.509-signed commits (refused as unsupported), signed tags, or merge tags embedded in a commit
 * (not checked). It checks one commit; which commits must be checked (every new one, or only the tip) is the caller's
 * choice. It never consults a local GnuPG, its trust database or key servers.
 */
public final class CommitSignatureVerifier {
  private static final byte[] GPGSIG = "gpgsig".getBytes(StandardCharsets.US_ASCII);
  private static final int SUBJECT_LENGTH = 72;

  private final TrustedKeys trusted;

  /** A verifier that trusts exactly the keys of {@code trusted}. */
  public CommitSignatureVerifier(TrustedKeys trusted) {
    this.trusted = trusted;
  }

  /**
   * This verifier as the fetcher's check of every fetched commit: an unverified commit refuses the fetch with a
   * {@link GitSourceException} whose cause is the {@link UnverifiedCommitException}; {@code verified} hears of
   * each accepted signature (for a log line).
   */
  public RepositoryFetcher.CommitCheck asCommitCheck(java.util.function.Consumer<VerifiedSignature> verified) {
    return (repository, commit) -> {
      try {
        verified.accept(verify(repository, commit));
      } catch (UnverifiedCommitException e) {
        throw new GitSourceException(e.getMessage() + "; nothing is applied", e);
      } catch (IOException e) {
        throw new GitSourceException("cannot read commit " + commit.abbreviate(7).name() + " to verify its signature: "
            + e.getMessage(), e);
      }
    };
  }

  /**
   * The signature of {@code commit}, verified; {@code commit} may come from any walk of {@code repo}, with or without
   * its body. Throws {@link UnverifiedCommitException} when the commit is not signed, the signature is bad or not
   * OpenPGP, or its key is not trusted or was not valid at signing time; {@link IOException} when the commit cannot
   * be read from {@code repo}.
   */
  public VerifiedSignature verify(Repository repo, RevCommit commit) throws UnverifiedCommitException, IOException {
    RevCommit full = commit.getRawBuffer() != null ? commit : parse(repo, commit);
    String name = name(repo, full);
    byte[] armored = full.getRawGpgSignature();
    if (armored == null) {
      throw new UnverifiedCommitException(full, Reason.NOT_SIGNED, name + " is not signed");
    }
    GpgFormat format = SignatureVerifiers.getFormat(armored);
    if (format == GpgFormat.SSH) {
      throw new UnverifiedCommitException(full, Reason.UNSUPPORTED_FORMAT,
          name + " is SSH-signed; only OpenPGP signatures are verified");
    }
    if (format == GpgFormat.X509) {
      throw new UnverifiedCommitException(full, Reason.UNSUPPORTED_FORMAT,
          name + " is X.509-signed (gpgsm); only OpenPGP signatures are verified");
    }
    List<PGPSignature> signatures = signatures(armored);
    if (format != GpgFormat.OPENPGP || signatures.isEmpty()) {
      throw new UnverifiedCommitException(full, Reason.BAD_SIGNATURE,
          name + " has an unreadable signature (not an OpenPGP signature)");
    }
    byte[] payload = signedPayload(full.getRawBuffer());
    UnverifiedCommitException refusal = null;
    // gpg makes one signature; should a commit carry several, one good signature by a trusted key is enough
    for (PGPSignature signature : signatures) {
      try {
        return check(full, name, signature, payload);
      } catch (UnverifiedCommitException e) {
        refusal = refusal == null ? e : refusal;
      }
    }
    throw refusal;
  }

  private VerifiedSignature check(RevCommit commit, String name, PGPSignature signature, byte[] payload)
      throws UnverifiedCommitException {
    int type = signature.getSignatureType();
    if (type != PGPSignature.BINARY_DOCUMENT && type != PGPSignature.CANONICAL_TEXT_DOCUMENT) {
      throw new UnverifiedCommitException(commit, Reason.BAD_SIGNATURE,
          name + " has a signature that is not a document signature (type " + type + ")");
    }
    Optional<OpenPGPComponentKey> found = trusted.key(signature.getKeyIdentifiers());
    if (found.isEmpty()) {
      throw new UnverifiedCommitException(commit, Reason.UNTRUSTED_KEY, name + " is signed by key "
          + issuer(signature) + " which is not in " + trusted.source());
    }
    OpenPGPComponentKey key = found.get();
    OpenPGPDocumentSignature document = new OpenPGPDocumentSignature(signature, key);
    boolean correct;
    try {
      signature.init(TrustedKeys.OPENPGP.pgpContentVerifierBuilderProvider(), key.getPGPPublicKey());
      signature.update(payload);
      correct = document.verify();
    } catch (PGPException e) {
      correct = false;
    }
    if (!correct) {
      throw new UnverifiedCommitException(commit, Reason.BAD_SIGNATURE,
          name + " has a bad signature (the commit was changed after signing)");
    }
    Date signedAt = signature.getCreationTime();
    String problem;
    try {
      // bound (primary and subkey), not revoked or expired, flagged for signing, all at signing time
      problem = document.isValid(TrustedKeys.OPENPGP.policy()) ? null : invalidity(key, signedAt);
    } catch (PGPSignatureException e) {
      problem = "whose signature is not acceptable: " + e.getMessage();
    }
    if (problem != null) {
      throw new UnverifiedCommitException(commit, Reason.INVALID_KEY,
          name + " is signed by key " + describe(key, signedAt) + " " + problem);
    }
    OpenPGPCertificate certificate = key.getCertificate();
    return new VerifiedSignature(commit.copy(),
        TrustedKeys.FINGERPRINT.formatHex(key.getPGPPublicKey().getFingerprint()),
        TrustedKeys.FINGERPRINT.formatHex(certificate.getFingerprint()), userId(certificate, signedAt),
        signedAt.toInstant());
  }

  /** Why a correctly made signature by a trusted key still does not count, most telling reason first. */
  private static String invalidity(OpenPGPComponentKey key, Date signedAt) {
    OpenPGPComponentKey primary = key.getCertificate().getPrimaryKey();
    if (primary.getRevocation(signedAt) != null || key.getRevocation(signedAt) != null) {
      return "which is revoked";
    }
    for (OpenPGPComponentKey k : List.of(primary, key)) {
      Date expiry = k.getKeyExpirationDateAt(signedAt);
      if (expiry != null && !expiry.after(signedAt)) {
        return "which had expired when the commit was signed (expired " + expiry.toInstant() + ", signed "
            + signedAt.toInstant() + ")";
      }
    }
    if (!key.isBoundAt(signedAt)) {
      return "which was not a valid key of its certificate when the commit was signed";
    }
    if (!key.isSigningKey(signedAt)) {
      return "which is not allowed to sign (no signing flag)";
    }
    return "which was not valid when the commit was signed";
  }

  /** The signed bytes: the raw commit object without its {@code gpgsig} header, as JGit's own verifier cuts it. */
  private static byte[] signedPayload(byte[] raw) {
    int valueStart = RawParseUtils.headerStart(GPGSIG, raw, 0);
    int start = valueStart - (GPGSIG.length + 1);
    int end = RawParseUtils.nextLfSkippingSplitLines(raw, valueStart); // the LF ending the last continuation line
    if (end < raw.length) {
      end++;
    }
    byte[] payload = new byte[raw.length - (end - start)];
    System.arraycopy(raw, 0, payload, 0, start);
    System.arraycopy(raw, end, payload, start, raw.length - end);
    return payload;
  }

  private static List<PGPSignature> signatures(byte[] armored) {
    List<PGPSignature> signatures = new ArrayList<>();
    try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(armored))) {
      for (Object object : TrustedKeys.OPENPGP.pgpObjectFactory(in)) {
        if (!(object instanceof PGPSignatureList list)) {
          return List.of();
        }
        list.forEach(signatures::add);
      }
    } catch (IOException | RuntimeException e) {
      // BC signals malformed packets with IOExceptions and several runtime exceptions; all make it unreadable
      return List.of();
    }
    return signatures;
  }

  private static RevCommit parse(Repository repo, RevCommit commit) throws IOException {
    try (RevWalk walk = new RevWalk(repo)) {
      return walk.parseCommit(commit);
    }
  }

  /** {@code commit 1a2b3c4 "subject"}, the subject cut short and stripped of control characters. */
  private static String name(Repository repo, RevCommit commit) throws IOException {
    String id;
    try (ObjectReader reader = repo.newObjectReader()) {
      id = reader.abbreviate(commit, 7).name();
    }
    String subject = commit.getShortMessage().replaceAll("\\p{Cntrl}", "?");
    if (subject.length() > SUBJECT_LENGTH) {
      subject = subject.substring(0, SUBJECT_LENGTH - 3) + "...";
    }
    return "commit " + id + " \"" + subject + "\"";
  }

  /** The key a signature claims: its fingerprint when the signature carries one (gpg's do), else its key id. */
  private static String issuer(PGPSignature signature) {
    KeyIdentifier issuer = OpenPGPSignature.getMostExpressiveIdentifier(signature.getKeyIdentifiers());
    if (issuer == null) {
      return "(unnamed)";
    }
    return issuer.getFingerprint() != null ? TrustedKeys.FINGERPRINT.formatHex(issuer.getFingerprint())
        : String.format("%016X", issuer.getKeyId());
  }

  private static String describe(OpenPGPComponentKey key, Date signedAt) {
    OpenPGPCertificate certificate = key.getCertificate();
    String primary = TrustedKeys.FINGERPRINT.formatHex(certificate.getFingerprint());
    String userId = userId(certificate, signedAt);
    String subkey = key.isPrimaryKey() ? ""
        : " (subkey " + TrustedKeys.FINGERPRINT.formatHex(key.getPGPPublicKey().getFingerprint()) + ")";
    return primary + (userId == null ? "" : " (" + userId + ")") + subkey;
  }

  private static String userId(OpenPGPCertificate certificate, Date at) {
    OpenPGPUserId primary = certificate.getPrimaryUserId(at);
    if (primary != null) {
      return primary.getUserId();
    }
    // a revoked or expired certificate has no valid primary user id; its first one still names the signer
    List<OpenPGPUserId> all = certificate.getAllUserIds();
    return all.isEmpty() ? null : all.get(0).getUserId();
  }
}
