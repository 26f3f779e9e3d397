package io.uctrust.gitops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.uctrust.gitops.UnverifiedCommitException.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CommitSignatureVerifier} and {@link TrustedKeys} against one real repository whose commits the real
 * {@code git} signed with keys the real {@code gpg} made in an ephemeral GnuPG home (ed25519, so the whole set is
 * made in well under a second): a trusted key, a trusted key signing with its subkey, an outsider, a key revoked
 * after signing, keys that expired before and after signing, no signature and an SSH signature. Forgeries are
 * commit objects rewritten with {@code git hash-object}, keeping the original {@code gpgsig} header.
 */
class CommitSignatureVerifierTest {
  private static final String UNSIGNED = "unsigned";
  private static final String ALICE = "alice";
  private static final String CAROL = "carol";
  private static final String MALLORY = "mallory";
  private static final String REVOKED = "revoked";
  private static final String EXPIRED = "expired";
  private static final String EXPIRED_LATER = "expired-later";
  private static final String SSH = "ssh";

  @TempDir static Path dir;

  private static GpgHome gpg;
  private static Path work;
  private static Repository repo;
  private static Path armored;
  private static Path binary;
  private static String aliceKey;
  private static String carolKey;
  private static String carolSubkey;
  private static String malloryKey;
  private static String revokedKey;
  private static String expiredKey;
  private static String expiredLaterKey;

  @BeforeAll
  static void signCommits() throws IOException {
    Path home = Files.createDirectories(dir.resolve("home"));
    gpg = GpgHome.create(home);
    aliceKey = gpg.generate("Alice <alice@example.com>", "ed25519", "sign", "never", null);
    carolKey = gpg.generate("Carol <carol@example.com>", "ed25519", "cert", "never", null);
    carolSubkey = gpg.addSubkey(carolKey, "ed25519", "sign");
    malloryKey = gpg.generate("Mallory <mallory@example.com>", "ed25519", "sign", "never", null);
    revokedKey = gpg.generate("Rob <rob@example.com>", "ed25519", "sign", "never", null);
    // made in 2020 without expiry; signs now, and only then gets an expiry in 2020 (below)
    expiredKey = gpg.generate("Eve <eve@example.com>", "ed25519", "sign", "never", "20200101T000000!");
    // expires at the end of 2020 but signs in mid-2020, when it was valid
    expiredLaterKey = gpg.generate("Dave <dave@example.com>", "ed25519", "sign", "2020-12-31", "20200101T000000!");

    work = Files.createDirectories(dir.resolve("work"));
    git("init", "-q", "-b", "main");
    commit(UNSIGNED, "gpg", null);
    commit(ALICE, "gpg", aliceKey);
    commit(CAROL, "gpg", carolKey);
    commit(MALLORY, "gpg", malloryKey);
    commit(REVOKED, "gpg", revokedKey);
    commit(EXPIRED, "gpg", expiredKey);
    commit(EXPIRED_LATER, gpg.gpgAt("20200601T000000!").toString(), expiredLaterKey);
    Path sshKey = home.resolve("id_ed25519");
    gpg.run(home, null, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "sam@example.com", "-f",
        sshKey.toString());
    git("-c", "gpg.format=ssh", "-c", "user.signingkey=" + sshKey, "-c", "user.name=Sam", "-c",
        "user.email=sam@example.com", "commit", "-q", "--allow-empty", "-S", "-m", SSH + " change");
    git("tag", SSH);

    gpg.revoke(revokedKey);
    gpg.expire(expiredKey, "20200601T000000!", "2020-07-01");
    armored = gpg.export(dir.resolve("trusted.asc"), true, aliceKey, carolKey, revokedKey, expiredKey,
        expiredLaterKey);
    binary = gpg.export(dir.resolve("trusted.gpg"), false, aliceKey, carolKey);
    repo = new FileRepositoryBuilder().setGitDir(work.resolve(".git").toFile()).setMustExist(true).build();
  }

  @AfterAll
  static void stopAgent() throws IOException {
    if (repo != null) {
      repo.close();
    }
    if (gpg != null) {
      gpg.close();
    }
  }

  @Test
  void aCommitSignedByATrustedKeyIsAcceptedAndItsSignerReported() throws Exception {
    RevCommit commit = commit(ALICE);

    VerifiedSignature signature = verifier(armored).verify(repo, commit);

    assertThat(signature.commit()).isEqualTo(commit.getId());
    assertThat(signature.keyFingerprint()).isEqualTo(aliceKey);
    assertThat(signature.primaryKeyFingerprint()).isEqualTo(aliceKey);
    assertThat(signature.userId()).isEqualTo("Alice <alice@example.com>");
    assertThat(signature.bySubkey()).isFalse();
    assertThat(signature.describe()).isEqualTo("signed by Alice <alice@example.com> (key " + aliceKey + ")");
  }

  @Test
  void aBinaryKeyringTrustsWhatItsArmoredExportWould() throws Exception {
    TrustedKeys keys = TrustedKeys.load(binary);

    assertThat(keys.fingerprints()).containsExactly(aliceKey, carolKey);
    assertThat(new CommitSignatureVerifier(keys).verify(repo, commit(ALICE)).userId())
        .isEqualTo("Alice <alice@example.com>");
  }

  @Test
  void aSigningSubkeySignsInTheNameOfItsPrimaryKeysUserId() throws Exception {
    VerifiedSignature signature = verifier(binary).verify(repo, commit(CAROL));

    assertThat(signature.keyFingerprint()).isEqualTo(carolSubkey);
    assertThat(signature.primaryKeyFingerprint()).isEqualTo(carolKey);
    assertThat(signature.userId()).isEqualTo("Carol <carol@example.com>");
    assertThat(signature.describe()).endsWith("(key " + carolKey + ", subkey " + carolSubkey + ")");
  }

  @Test
  void aCommitReadWithoutItsBodyIsReadAgainAndVerified() throws Exception {
    RevCommit bodiless;
    try (RevWalk walk = new RevWalk(repo)) {
      walk.setRetainBody(false);
      bodiless = walk.parseCommit(repo.resolve("refs/tags/" + ALICE));
    }
    assertThat(bodiless.getRawBuffer()).isNull();

    assertThat(verifier(armored).verify(repo, bodiless).keyFingerprint()).isEqualTo(aliceKey);
  }

  @Test
  void anUnsignedCommitIsRefused() throws Exception {
    RevCommit commit = commit(UNSIGNED);

    UnverifiedCommitException refused = refusal(armored, commit);

    assertThat(refused.reason()).isEqualTo(Reason.NOT_SIGNED);
    assertThat(refused.commit()).isEqualTo(commit.getId());
    assertThat(refused).hasMessage("commit " + shortId(commit) + " \"unsigned change\" is not signed");
  }

  @Test
  void aCommitWhoseMessageWasChangedAfterSigningHasABadSignature() throws Exception {
    String signed = git("cat-file", "commit", ALICE);
    ObjectId forged = forge(signed.replace("alice change", "pay mallory"));
    assertThat(gpg.exitCode(work, "git", "verify-commit", forged.name())).as("git verify-commit").isNotZero();

    UnverifiedCommitException refused = refusal(armored, parse(forged));

    assertThat(refused.reason()).isEqualTo(Reason.BAD_SIGNATURE);
    assertThat(refused).hasMessage("commit " + shortId(forged)
        + " \"pay mallory\" has a bad signature (the commit was changed after signing)");
  }

  @Test
  void aCommitWhoseTreeWasSwappedAfterSigningHasABadSignature() throws Exception {
    String signed = git("cat-file", "commit", ALICE);
    String otherTree = commit(UNSIGNED).getTree().name();
    ObjectId forged = forge(signed.replaceFirst("(?m)^tree [0-9a-f]{40}$", "tree " + otherTree));
    assertThat(parse(forged).getTree().name()).isEqualTo(otherTree);

    assertThat(refusal(armored, parse(forged)).reason()).isEqualTo(Reason.BAD_SIGNATURE);
  }

  @Test
  void aSignatureHeaderWithoutOpenPgpDataIsABadSignature() throws Exception {
    String signed = git("cat-file", "commit", ALICE);
    String garbled = signed.replaceFirst("(?s)gpgsig .*?-----END PGP SIGNATURE-----\n",
        "gpgsig -----BEGIN PGP SIGNATURE-----\n \n aGVsbG8gd29ybGQ=\n -----END PGP SIGNATURE-----\n");
    ObjectId forged = forge(garbled);

    UnverifiedCommitException refused = refusal(armored, parse(forged));

    assertThat(refused.reason()).isEqualTo(Reason.BAD_SIGNATURE);
    assertThat(refused).hasMessage("commit " + shortId(forged)
        + " \"alice change\" has an unreadable signature (not an OpenPGP signature)");
  }

  @Test
  void aCommitSignedByAKeyOutsideTheKeyringIsRefusedNamingKeyAndKeyring() throws Exception {
    RevCommit commit = commit(MALLORY);

    UnverifiedCommitException refused = refusal(armored, commit);

    assertThat(refused.reason()).isEqualTo(Reason.UNTRUSTED_KEY);
    assertThat(refused).hasMessage("commit " + shortId(commit) + " \"mallory change\" is signed by key "
        + malloryKey + " which is not in " + armored);
  }

  @Test
  void aCommitSignedByAKeyThatWasRevokedIsRefused() throws Exception {
    RevCommit commit = commit(REVOKED);

    UnverifiedCommitException refused = refusal(armored, commit);

    assertThat(refused.reason()).isEqualTo(Reason.INVALID_KEY);
    assertThat(refused).hasMessage("commit " + shortId(commit) + " \"revoked change\" is signed by key "
        + revokedKey + " (Rob <rob@example.com>) which is revoked");
  }

  @Test
  void aCommitSignedAfterItsKeyExpiredIsRefused() throws Exception {
    RevCommit commit = commit(EXPIRED);

    UnverifiedCommitException refused = refusal(armored, commit);

    assertThat(refused.reason()).isEqualTo(Reason.INVALID_KEY);
    assertThat(refused).hasMessageStartingWith("commit " + shortId(commit) + " \"expired change\" is signed by key "
        + expiredKey + " (Eve <eve@example.com>) which had expired when the commit was signed (expired 2020-07-01");
  }

  @Test
  void aSignatureMadeBeforeItsKeyExpiredStillCounts() throws Exception {
    VerifiedSignature signature = verifier(armored).verify(repo, commit(EXPIRED_LATER));

    assertThat(signature.userId()).isEqualTo("Dave <dave@example.com>");
    assertThat(signature.signedAt()).hasToString("2020-06-01T00:00:00Z");
  }

  @Test
  void anSshSignedCommitIsRefusedAsUnsupported() throws Exception {
    RevCommit commit = commit(SSH);

    UnverifiedCommitException refused = refusal(armored, commit);

    assertThat(refused.reason()).isEqualTo(Reason.UNSUPPORTED_FORMAT);
    assertThat(refused).hasMessage("commit " + shortId(commit)
        + " \"ssh change\" is SSH-signed; only OpenPGP signatures are verified");
  }

  @Test
  void aMissingKeyringFileIsRefusedNamingIt() {
    Path missing = dir.resolve("nowhere.asc");

    assertThat(catchThrowableOfType(IOException.class, () -> TrustedKeys.load(missing)))
        .hasMessage("trusted keys file " + missing + " does not exist");
  }

  @Test
  void aDirectoryIsNotAKeyringFile() {
    assertThat(catchThrowableOfType(IOException.class, () -> TrustedKeys.load(dir)))
        .hasMessage("trusted keys file " + dir + " cannot be read: it is a directory");
  }

  @Test
  void anEmptyKeyringFileIsRefusedNamingIt() throws IOException {
    Path empty = Files.writeString(dir.resolve("empty.asc"), "");

    assertThat(catchThrowableOfType(IOException.class, () -> TrustedKeys.load(empty)))
        .hasMessage("trusted keys file " + empty
            + " holds no OpenPGP public keys (expected the output of gpg --export, armored or binary)");
  }

  @Test
  void aFileWithoutKeysIsRefusedNamingIt() throws IOException {
    Path text = Files.writeString(dir.resolve("notes.txt"), "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5 alice\n");

    assertThat(catchThrowableOfType(IOException.class, () -> TrustedKeys.load(text)))
        .hasMessage("trusted keys file " + text
            + " holds no OpenPGP public keys (expected the output of gpg --export, armored or binary)");
  }

  @Test
  void aTruncatedKeyringIsRefusedNamingIt() throws IOException {
    byte[] whole = Files.readAllBytes(binary);
    Path truncated = Files.write(dir.resolve("truncated.gpg"), Arrays.copyOf(whole, whole.length - 1));

    assertThat(catchThrowableOfType(IOException.class, () -> TrustedKeys.load(truncated)))
        .hasMessage("trusted keys file " + truncated
            + " is not a readable OpenPGP public keyring (damaged, or not the output of gpg --export)");
  }

  @Test
  void aKeyringHoldingASecretKeyIsRefusedWithoutUsingIt() throws IOException {
    Path secret = gpg.exportSecret(dir.resolve("secret.asc"), aliceKey);

    assertThat(catchThrowableOfType(IOException.class, () -> TrustedKeys.load(secret)))
        .hasMessage("trusted keys file " + secret + " holds the secret key " + aliceKey
            + "; export only public keys (gpg --export)");
  }

  private static CommitSignatureVerifier verifier(Path keyring) throws IOException {
    return new CommitSignatureVerifier(TrustedKeys.load(keyring));
  }

  private static UnverifiedCommitException refusal(Path keyring, RevCommit commit) throws IOException {
    CommitSignatureVerifier verifier = verifier(keyring);
    return catchThrowableOfType(UnverifiedCommitException.class, () -> verifier.verify(repo, commit));
  }

  private static void commit(String name, String program, String key) throws IOException {
    Files.writeString(work.resolve(name + ".txt"), name + "\n");
    git("add", name + ".txt");
    if (key == null) {
      git("commit", "-q", "-m", name + " change");
    } else {
      git("-c", "gpg.program=" + program, "-c", "user.signingkey=" + key, "commit", "-q", "-S", "-m",
          name + " change");
    }
    git("tag", name);
  }

  private static RevCommit commit(String tag) throws IOException {
    return parse(repo.resolve("refs/tags/" + tag));
  }

  private static RevCommit parse(ObjectId id) throws IOException {
    try (RevWalk walk = new RevWalk(repo)) {
      return walk.parseCommit(id);
    }
  }

  /** Writes a commit object as given, its gpgsig header included: what someone rewriting history could push. */
  private static ObjectId forge(String object) throws IOException {
    String id = gpg.run(work, object.getBytes(StandardCharsets.UTF_8), "git", "hash-object", "-t", "commit", "-w",
        "--stdin").strip();
    return ObjectId.fromString(id);
  }

  private static String shortId(ObjectId id) throws IOException {
    try (ObjectReader reader = repo.newObjectReader()) {
      return reader.abbreviate(id, 7).name();
    }
  }

  private static String git(String... arguments) throws IOException {
    String[] command = new String[arguments.length + 5];
    command[0] = "git";
    command[1] = "-c";
    command[2] = "user.name=Test";
    command[3] = "-c";
    command[4] = "user.email=test@example.com";
    System.arraycopy(arguments, 0, command, 5, arguments.length);
    return gpg.run(work, null, command);
  }
}
