package io.uctrust.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A test fixture: SoftHSM tokens for integration tests, in the folder that {@code SOFTHSM2_CONF} (set by failsafe,
 * see pom.xml) names. SoftHSM reads that file from the environment and sees only the tokens that exist when a process
 * first initialises the library, so a test class makes every token it needs ({@link #initToken}) before anything
 * loads the library, {@link #importKey} included; failsafe gives each test class its own JVM for that reason.
 *
 * <p>Not for: unit tests (they run without SOFTHSM2_CONF), or more than one set of tokens per JVM.
 */
public final class SoftHsm {
  private SoftHsm() {}

  /** Debian's SoftHSM PKCS#11 library. */
  public static final Path LIBRARY = Path.of("/usr/lib/softhsm/libsofthsm2.so");
  private static final String SO_PIN = "5678";

  /**
   * Empties the token folder and writes the SoftHSM configuration naming it. Fails, rather than skips, without
   * SoftHSM: CI is meant to have it.
   */
  public static void freshTokens() throws IOException {
    String conf = System.getenv("SOFTHSM2_CONF");
    assertThat(conf).as("SOFTHSM2_CONF is set by failsafe (pom.xml): run this with mvn verify").isNotNull();
    try {
      softhsm("--version");
    } catch (IOException e) {
      fail("softhsm2-util is not installed: .ci/run installs Debian's softhsm2 package (" + e.getMessage() + ")");
    }
    assertThat(LIBRARY).as("Debian's softhsm2 package (.ci/run installs it) provides this library").isRegularFile();
    Path tokens = Path.of(conf).getParent().resolve("tokens");
    deleteTree(tokens);
    Files.createDirectories(tokens);
    Files.writeString(Path.of(conf), "directories.tokendir = " + tokens + "\nobjectstore.backend = file\n"
        + "log.level = ERROR\n");
  }

  /** Initialises a token in the first free slot; returns its slot, which SoftHSM names by the token's serial. */
  public static long initToken(String label, String pin) throws IOException {
    String output = softhsm("--init-token", "--free", "--label", label, "--pin", pin, "--so-pin", SO_PIN);
    Matcher slot = Pattern.compile("reassigned to slot (\\d+)").matcher(output);
    assertThat(slot.find()).as(output).isTrue();
    return Long.parseLong(slot.group(1));
  }

  /** Puts a key with its chain on the token as the JDK does it (keytool -importkeystore does the same). */
  public static void importKey(long slot, String pin, String alias, PrivateKey key, List<X509Certificate> chain)
      throws Exception {
    Provider provider = Security.getProvider("SunPKCS11")
        .configure("--name=import\nlibrary=" + LIBRARY + "\nslot=" + slot + "\n");
    KeyStore store = KeyStore.getInstance("PKCS11", provider);
    store.load(null, pin.toCharArray());
    store.setKeyEntry(alias, key, null, chain.toArray(Certificate[]::new));
  }

  private static String softhsm(String... arguments) throws IOException {
    List<String> command = new ArrayList<>(List.of("softhsm2-util"));
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException("softhsm2-util did not finish in 60 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for softhsm2-util", e);
    }
    assertThat(process.exitValue()).as("softhsm2-util %s: %s", arguments[0], output).isZero();
    return output;
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
