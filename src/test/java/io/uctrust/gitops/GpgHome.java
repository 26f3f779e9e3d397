package io.uctrust.gitops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * An ephemeral GnuPG home for tests, driving the real {@code gpg} binary: keys without passphrase, exports, expiry
 * and revocation, and the environment that makes {@code git commit -S} sign with them. The directory sits directly
 * under /tmp because gpg-agent's socket path must stay short; {@link #close()} stops the agent and removes it.
 */
final class GpgHome implements AutoCloseable {
  private final Path home;
  private final Path userHome;

  private GpgHome(Path home, Path userHome) {
    this.home = home;
    this.userHome = userHome;
  }

  /** A new empty GnuPG home; {@code userHome} is the HOME every process started here gets. */
  static GpgHome create(Path userHome) throws IOException {
    Path home = Files.createTempDirectory(Path.of("/tmp"), "g", PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rwx------")));
    return new GpgHome(home, userHome);
  }

  /** The environment for gpg and git: this GnuPG home, a private HOME, no system git configuration. */
  Map<String, String> environment() {
    Map<String, String> environment = new HashMap<>();
    environment.put("GNUPGHOME", home.toString());
    environment.put("HOME", userHome.toString());
    environment.put("GIT_CONFIG_NOSYSTEM", "1");
    return environment;
  }

  /** Generates a key without passphrase and returns its primary fingerprint; {@code fakedTime} may be null. */
  String generate(String userId, String algorithm, String usage, String expire, String fakedTime)
      throws IOException {
    gpg(fakedTime, "--quick-gen-key", userId, algorithm, usage, expire);
    return fingerprints(userId).get(0);
  }

  /** Adds a subkey to {@code fingerprint}'s key and returns the subkey's fingerprint. */
  String addSubkey(String fingerprint, String algorithm, String usage) throws IOException {
    gpg(null, "--quick-add-key", fingerprint, algorithm, usage, "never");
    List<String> all = fingerprints(fingerprint);
    return all.get(all.size() - 1);
  }

  /** Sets the key's expiry with a self-signature made at {@code fakedTime}. */
  void expire(String fingerprint, String fakedTime, String expiry) throws IOException {
    gpg(fakedTime, "--quick-set-expire", fingerprint, expiry);
  }

  /** Imports the revocation certificate gpg made with the key (reason "no reason": a hard revocation). */
  void revoke(String fingerprint) throws IOException {
    Path certificate = home.resolve("openpgp-revocs.d").resolve(fingerprint + ".rev");
    // gpg disarms the stored certificate with a leading colon so that it is not imported by accident
    String armored = Files.readString(certificate, StandardCharsets.US_ASCII).replace(":-----BEGIN", "-----BEGIN");
    Path armedCopy = home.resolve(fingerprint + ".rev.asc");
    Files.writeString(armedCopy, armored, StandardCharsets.US_ASCII);
    gpg(null, "--import", armedCopy.toString());
  }

  /** Writes the public keys of {@code fingerprints} to {@code file}, ASCII-armored or binary. */
  Path export(Path file, boolean armor, String... fingerprints) throws IOException {
    List<String> arguments = new ArrayList<>(List.of("--output", file.toString()));
    if (armor) {
      arguments.add("--armor");
    }
    arguments.add("--export");
    arguments.addAll(List.of(fingerprints));
    gpg(null, arguments.toArray(String[]::new));
    return file;
  }

  /** Writes the secret key of {@code fingerprint}, armored: what must never be a trusted keys file. */
  Path exportSecret(Path file, String fingerprint) throws IOException {
    gpg(null, "--pinentry-mode", "loopback", "--passphrase", "", "--output", file.toString(), "--armor",
        "--export-secret-keys", fingerprint);
    return file;
  }

  /** A gpg.program for git that signs as if the clock showed {@code fakedTime} (gpg's own option). */
  Path gpgAt(String fakedTime) throws IOException {
    Path script = home.resolve("gpg-at-" + fakedTime.replace("!", ""));
    Files.writeString(script, "#!/bin/sh\nexec gpg --faked-system-time '" + fakedTime + "' \"$@\"\n");
    script.toFile().setExecutable(true);
    return script;
  }

  /** Runs a program with {@link #environment()} in {@code dir}; returns its stdout, fails on a non-zero exit. */
  String run(Path dir, byte[] stdin, String... command) throws IOException {
    Finished finished = execute(dir, stdin, command);
    if (finished.exit() != 0) {
      throw new IOException(String.join(" ", command) + " exited with " + finished.exit() + ": " + finished.errors());
    }
    return finished.output();
  }

  /** The exit code of a program run like {@link #run}, for commands whose failure is the expected outcome. */
  int exitCode(Path dir, String... command) throws IOException {
    return execute(dir, null, command).exit();
  }

  private record Finished(int exit, String output, String errors) {}

  private Finished execute(Path dir, byte[] stdin, String... command) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().putAll(environment());
    Path errors = Files.createTempFile(userHome, "stderr", ".txt");
    builder.redirectError(errors.toFile());
    Process process = builder.start();
    try (var in = process.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin);
      }
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException(String.join(" ", command) + " did not finish in 60 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for " + command[0], e);
    }
    String errorText = Files.readString(errors);
    Files.delete(errors);
    return new Finished(process.exitValue(), output, errorText);
  }

  private List<String> fingerprints(String key) throws IOException {
    String listing = gpg(null, "--with-colons", "--list-keys", key);
    return listing.lines().filter(l -> l.startsWith("fpr:")).map(l -> l.split(":")[9]).toList();
  }

  private String gpg(String fakedTime, String... arguments) throws IOException {
    List<String> command = new ArrayList<>(List.of("gpg", "--batch", "--quiet", "--passphrase", ""));
    if (fakedTime != null) {
      command.addAll(List.of("--faked-system-time", fakedTime));
    }
    command.addAll(Arrays.asList(arguments));
    return run(userHome, null, command.toArray(String[]::new));
  }

  @Override
  public void close() throws IOException {
    run(userHome, null, "gpgconf", "--kill", "all");
    try (Stream<Path> files = Files.walk(home)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    }
  }
}
