package io.uctrust.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code uctrust bundle} through the CLI, in process, on a copy of {@code examples/lab} and one lab (created by the
 * first run, only read afterwards). The fresh lab has self-signed identities only, so a bundle holds the Example Corp
 * root and issuing CA that the Certificate documents name, and each self-signed identity of the client's services:
 * jabber 2 + 14 (tomcat and tomcat-ECDSA on five nodes, cup-xmpp and cup-xmpp-ECDSA on two), browser 2 + 10,
 * expressway 2 + 10 + 6 (CallManager and CallManager-ECDSA on three nodes) + 4 + 4 (cup and cup-ECDSA on two).
 */
class BundleCommandTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC);

  @TempDir static Path shared;
  private static Path example;
  private static String state;

  @TempDir Path temp;

  private record Run(int code, String out, String err) {}

  @BeforeAll
  static void copyTheExample() throws IOException {
    example = ReconcileCommandTest.copyExample("lab", shared);
    state = shared.resolve("state").toString();
  }

  private static Run run(Clock clock, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(clock, Map.of(), new PrintWriter(out), new PrintWriter(err), args);
    return new Run(code, out.toString(), err.toString());
  }

  private static Run bundle(String... args) {
    String[] all = Stream.concat(Stream.of("bundle", example.toString(), "--state-dir", state, "--phones", "5"),
        Stream.of(args)).toArray(String[]::new);
    return run(CLOCK, all);
  }

  @Test
  void theBundleGoesToStandardOutputByDefaultAndOpensslReadsEveryCertificate() throws Exception {
    Run jabber = bundle("--for", "jabber");

    assertThat(jabber.code()).as(jabber.err()).isZero();
    assertThat(jabber.err()).isEmpty();
    assertThat(jabber.out()).startsWith("# uctrust bundle --for jabber: what jabber clients need to trust for tomcat, "
        + "tomcat-ECDSA, cup-xmpp, cup-xmpp-ECDSA\n# cluster lab; 16 certificates, roots first\n\n"
        + "# CN=Example Corp Root CA,O=Example Corp,C=US\n");
    Path file = temp.resolve("jabber.pem");
    Files.writeString(file, jabber.out(), StandardCharsets.US_ASCII);
    assertThat(opensslCount(file)).isEqualTo(16);
  }

  @Test
  void eachKindOfClientGetsTheCertificatesOfItsServices() throws Exception {
    Run browser = bundle("--for", "browser");
    Run expressway = bundle("--for", "EXPRESSWAY");

    assertThat(browser.code()).as(browser.err()).isZero();
    assertThat(expressway.code()).as(expressway.err()).isZero();
    assertThat(browser.out()).contains("# cluster lab; 12 certificates").doesNotContain("OU=cup-xmpp,");
    assertThat(expressway.out()).contains("# cluster lab; 26 certificates").contains("OU=CallManager,")
        .contains("OU=cup,").doesNotContain("OU=cup-xmpp-s2s");
  }

  @Test
  void withOutTheBundleIsWrittenToTheFileAndItsPathGoesToStandardError() throws Exception {
    Path file = temp.resolve("bundles").resolve("expressway.pem");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "an older bundle\n");

    Run run = bundle("--for", "expressway", "--out", file.toString());

    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).isEqualTo("wrote 26 CA certificate(s) for expressway to " + file + "\n");
    assertThat(Files.readString(file)).startsWith("# uctrust bundle --for expressway");
    assertThat(opensslCount(file)).isEqualTo(26);
    try (Stream<Path> files = Files.list(file.getParent())) {
      assertThat(files).containsExactly(file);
    }
  }

  @Test
  void anUnknownClientIsOneLineAndExitOne() {
    Run run = bundle("--for", "webex");

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).isEqualTo("uctrust: unknown --for value 'webex'; expected jabber, browser or expressway\n");
  }

  @Test
  void anInvalidDesiredStateIsOneLineAndExitOne() throws IOException {
    Path broken = ReconcileCommandTest.copyExample("lab", temp);
    Path file = broken.resolve("certificates.yaml");
    Files.writeString(file, Files.readString(file).replace("service: tomcat", "service: tomcat-rsa"));

    Run run = run(CLOCK, "bundle", broken.toString(), "--for", "jabber", "--state-dir", state);

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).isEqualTo("uctrust: the desired state in " + broken + " is invalid; run 'uctrust validate "
        + broken + "'\n");
  }

  @Test
  void anUnknownClusterIsOneLineAndExitOne() {
    Run run = bundle("--for", "jabber", "--cluster", "production");

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("uctrust: no Cluster document named 'production' in " + example + "\n");
  }

  @Test
  void whenEverythingHasExpiredThereIsNothingToBundleAndTheMessageSaysWhatWasConsidered() throws IOException {
    Path selfSigned = ReconcileCommandTest.copyExample("lab", temp);
    Path file = selfSigned.resolve("certificates.yaml");
    Files.writeString(file, Files.readString(file).replace("""
          issuer:
            type: ca
            keystore: /var/lib/uctrust/ca/corp-issuing-ca.p12
            keystorePassword: env:UCTRUST_CA_PASSWORD
            caCertificates: certs/corp-chain.pem
        """, "  issuer: {type: self-signed}\n"));
    String own = temp.resolve("state").toString();
    Run fresh = run(CLOCK, "bundle", selfSigned.toString(), "--for", "browser", "--state-dir", own, "--phones", "5");
    // the lab's self-signed identities live five years
    Clock later = Clock.fixed(Instant.parse("2032-01-01T00:00:00Z"), ZoneOffset.UTC);

    Run run = run(later, "bundle", selfSigned.toString(), "--for", "browser", "--state-dir", own);

    assertThat(fresh.code()).as(fresh.err()).isZero();
    assertThat(fresh.out()).contains("# cluster lab; 10 certificates");
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("uctrust: warning: left out C=US,ST=Texas,L=Austin,O=Example Corp,OU=tomcat,"
        + "CN=cucm-pub.example.com (tomcat on cucm-pub.example.com): it expired on 2031-11-30")
        .contains("uctrust: nothing to bundle for browser: ")
        .contains("\n  Certificate tomcat (certificates.yaml:5): issuer self-signed, names no CA certificates; its "
            + "identities are taken from the cluster\n")
        .contains("\n  cluster lab: 10 self-signed and 0 CA-signed identities of these services\n");
    assertThat(run.err().lines().filter(l -> l.startsWith("uctrust: warning: left out"))).hasSize(10);
  }

  /** How many certificates {@code openssl storeutl} finds in {@code file}; skipped when openssl is not installed. */
  private static int opensslCount(Path file) throws IOException, InterruptedException {
    Process version;
    try {
      version = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
    } catch (IOException e) {
      version = null;
    }
    assumeThat(version != null && version.waitFor() == 0).as("openssl is installed").isTrue();
    Process process = new ProcessBuilder("openssl", "storeutl", "-noout", "-certs", file.toString())
        .redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(output).isZero();
    Matcher total = Pattern.compile("Total found: (\\d+)").matcher(output);
    assertThat(total.find()).as(output).isTrue();
    return Integer.parseInt(total.group(1));
  }
}
