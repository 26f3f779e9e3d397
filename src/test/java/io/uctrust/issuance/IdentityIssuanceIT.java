package io.uctrust.issuance;

import static org.assertj.core.api.Assertions.assertThat;

import io.uctrust.cli.Main;
import io.uctrust.desired.TrustStoreSpec.Store;
import io.uctrust.observed.ObservedCluster;
import io.uctrust.pki.CertificateAuthority;
import io.uctrust.pki.CertificateFacts;
import io.uctrust.pki.KeyPairs;
import io.uctrust.pki.Pem;
import io.uctrust.pki.SoftHsm;
import io.uctrust.target.lab.LabCluster;
import io.uctrust.target.lab.LabStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CA-signed identities end to end through {@code uctrust reconcile} (in process) on a fresh lab: ACME identities
 * from the real Pebble server (HTTP-01 answered by uctrust, DNS-01 through a hook script), and a CA whose key is on
 * a SoftHSM token. Exit codes as README documents: apply 0 when every change succeeded, 1 otherwise; dry run 0 in
 * sync. Real time throughout, because Pebble issues from the real now. Needs a JVM of its own (failsafe gives each
 * IT class one, see pom.xml): SoftHSM sees only the tokens that exist when the process first loads it.
 */
class IdentityIssuanceIT {
  /** Pebble's certificate lifetime here, unlike its 5-year default. */
  private static final Duration VALIDITY = Duration.ofDays(9).plusHours(7);
  private static final Clock CLOCK = Clock.systemUTC();
  private static final String PUB = "cucm-pub.example.com";
  private static final String SUB = "cucm-sub1.example.com";
  private static final String IMP = "imp-pub.example.com";

  @TempDir static Path work;
  private static PebbleServer pebble;
  /** Pebble's root (new each start), which ACME documents name because the server sends only the intermediate. */
  private static Path pebbleRoot;

  private static final String TOKEN = "uctrust-it-" + HexFormat.of().toHexDigits(new Random().nextInt());
  private static final String PIN_VARIABLE = "UCTRUST_TEST_PIN";
  // distinctive values, so that finding one in the output cannot be a coincidence
  private static final String PIN = "token-pin-8271";
  private static final String WRONG_PIN = "wrong-pin-5093";
  private static CertificateAuthority tokenRoot;
  private static CertificateAuthority tokenCa;
  /** The token CA's chain (issuing CA, root), which the documents name as caCertificates. */
  private static Path tokenChain;

  @TempDir Path temp;
  private Path desired;
  private Path state;

  private record Run(int code, String out, String err) {}

  @BeforeAll
  static void startPebble() throws Exception {
    pebble = PebbleServer.start(work, VALIDITY);
    pebbleRoot = Files.writeString(work.resolve("pebble-root.pem"), Pem.encode(pebble.root()));
  }

  /** An issuing CA under a root, its key and chain on a fresh SoftHSM token (before this JVM uses the library). */
  @BeforeAll
  static void makeTheTokenCa() throws Exception {
    SoftHsm.freshTokens();
    long slot = SoftHsm.initToken(TOKEN, PIN);
    Instant now = Instant.now();
    tokenRoot = CertificateAuthority.create("CN=Token Root,O=Example", KeyPairs.ec(256), now.minus(Duration.ofDays(1)),
        now.plus(Duration.ofDays(3650)), 1);
    tokenCa = tokenRoot.subordinate("CN=Token Issuing CA,O=Example", KeyPairs.ec(256), now.minus(Duration.ofDays(1)),
        now.plus(Duration.ofDays(1825)), 0);
    SoftHsm.importKey(slot, PIN, "issuing", tokenCa.privateKey(), tokenCa.chain());
    tokenChain = Files.writeString(work.resolve("token-chain.pem"),
        Pem.encode(tokenCa.certificate()) + Pem.encode(tokenRoot.certificate()));
  }

  @AfterAll
  static void stopPebble() throws InterruptedException {
    if (pebble != null) {
      pebble.close();
    }
  }

  @BeforeEach
  void desiredStateWithTheLabCluster() throws IOException {
    desired = Files.createDirectories(temp.resolve("desired"));
    state = temp.resolve("lab");
    Files.copy(Path.of("examples/lab/cluster.yaml"), desired.resolve("cluster.yaml"));
  }

  @Test
  void anHttp01TomcatIdentityFromPebbleIsInstalledAfterItsChainIsTrustedAndTheNextDryRunIsInSync() throws Exception {
    certificate("tomcat", "single-node", PUB, acme(http01()));

    Run apply = reconcile();
    ObservedCluster observed = lab().observe();
    // the next run removes the self-signed tomcat the CA-signed one left in tomcat-trust, where its chain now is
    Run cleanup = reconcile();
    Run again = reconcile("--dry-run");

    assertThat(apply.code()).as(apply.out() + apply.err()).isZero();
    X509Certificate intermediate = pebble.intermediate();
    ObservedCluster.Certificate tomcat = identity(observed, PUB, "tomcat");
    assertThat(tomcat.issuer()).isEqualTo(intermediate.getSubjectX500Principal().getName());
    assertThat(tomcat.dnsNames()).containsExactly(PUB);
    // Pebble ends it a second before notBefore + its configured period (X.509 notAfter is inclusive)
    assertThat(Duration.between(tomcat.notBefore(), tomcat.notAfter())).isBetween(VALIDITY.minusSeconds(1), VALIDITY);
    // the lab refuses an identity whose CAs are not in the service's trust store, so these came first
    assertThat(trusted(observed, PUB, Store.TOMCAT_TRUST)).contains(sha256(intermediate), sha256(pebble.root()));
    assertThat(apply.err()).containsSubsequence("create   trust-certificate " + PUB + "/tomcat-trust/",
        "replace  identity-certificate " + PUB + "/tomcat: succeeded");
    assertThat(lab().events()).anyMatch(e -> e.contains(PUB + "  restart Cisco Tomcat"));
    assertThat(cleanup.code()).as(cleanup.out() + cleanup.err()).isZero();
    assertThat(cleanup.err()).contains("delete   trust-certificate " + PUB + "/tomcat-trust/" + PUB + ": succeeded");
    assertThat(again.code()).as(again.out()).isZero();
    assertThat(again.out()).contains("In sync.");
  }

  @Test
  void aMultiServerTomcatIdentityFromPebbleGoesToBothUnifiedCmNodes() throws Exception {
    certificate("tomcat", "multi-server", PUB + ", " + SUB, acme(http01()));

    Run apply = reconcile();

    assertThat(apply.code()).as(apply.out() + apply.err()).isZero();
    ObservedCluster observed = lab().observe();
    ObservedCluster.Certificate pub = identity(observed, PUB, "tomcat");
    assertThat(identity(observed, SUB, "tomcat").sha256()).isEqualTo(pub.sha256());
    assertThat(pub.issuer()).isEqualTo(pebble.intermediate().getSubjectX500Principal().getName());
    assertThat(pub.dnsNames()).containsExactlyInAnyOrder(PUB, SUB);
    assertThat(trusted(observed, SUB, Store.TOMCAT_TRUST)).contains(sha256(pebble.intermediate()));
    assertThat(lab().events()).anyMatch(e -> e.contains(PUB + "  restart Cisco Tomcat"))
        .anyMatch(e -> e.contains(SUB + "  restart Cisco Tomcat"));
    // the next run removes the self-signed tomcat certificates left behind in tomcat-trust
    assertThat(reconcile().code()).isZero();
    assertThat(reconcile("--dry-run").code()).isZero();
  }

  @Test
  void aDns01CupXmppIdentityFromPebbleIsIssuedThroughTheHookScript() throws Exception {
    Path calls = temp.resolve("calls.log");
    certificate("cup-xmpp", "single-node", IMP, acme("""
        challenge: dns-01
        dnsHook: %s""".formatted(pebble.dnsHook(temp, calls, 0))));

    Run apply = reconcile();

    assertThat(apply.code()).as(apply.out() + apply.err()).isZero();
    ObservedCluster.Certificate xmpp = identity(lab().observe(), IMP, "cup-xmpp");
    assertThat(xmpp.issuer()).isEqualTo(pebble.intermediate().getSubjectX500Principal().getName());
    assertThat(xmpp.dnsNames()).contains(IMP);
    List<String> lines = Files.readAllLines(calls);
    assertThat(lines).filteredOn(l -> l.startsWith("add ")).extracting(l -> l.split(" ")[1])
        .containsExactlyInAnyOrderElementsOf(xmpp.dnsNames().stream().map(n -> "_acme-challenge." + n).toList());
    assertThat(lines).filteredOn(l -> l.startsWith("remove ")).hasSameSizeAs(xmpp.dnsNames());
    assertThat(lab().events()).anyMatch(e -> e.contains(IMP + "  restart Cisco XCP Router"));
    assertThat(reconcile("--dry-run").code()).isZero();
  }

  @Test
  void aCaOnASoftHsmTokenIssuesTheIdentityAndOpensslVerifiesItWithTheChain() throws Exception {
    certificate("tomcat", "single-node", PUB, token());

    Run apply = run(Map.of(PIN_VARIABLE, PIN));
    // the next run removes the self-signed tomcat left behind in tomcat-trust; then nothing is left to do
    Run cleanup = reconcile();
    Run again = reconcile("--dry-run");

    assertThat(apply.code()).as(apply.out() + apply.err()).isZero();
    ObservedCluster.Certificate tomcat = identity(lab().observe(), PUB, "tomcat");
    assertThat(tomcat.issuer()).isEqualTo(tokenCa.certificate().getSubjectX500Principal().getName());
    Files.writeString(temp.resolve("root.pem"), Pem.encode(tokenRoot.certificate()));
    Files.writeString(temp.resolve("issuing.pem"), Pem.encode(tokenCa.certificate()));
    Files.writeString(temp.resolve("leaf.pem"), tomcat.pem());
    String verify = openssl(temp, "verify", "-x509_strict", "-CAfile", "root.pem", "-untrusted", "issuing.pem", "leaf.pem");
    assertThat(verify).isEqualTo("leaf.pem: OK\n");
    assertThat(lab().events()).anyMatch(e -> e.contains(PUB + "  restart Cisco Tomcat"));
    assertThat(cleanup.code()).as(cleanup.out() + cleanup.err()).isZero();
    assertThat(again.code()).as(again.out()).isZero();
  }

  @Test
  void aWrongTokenPinFailsTheIdentityNamingItsReferenceButNeverItsValue() throws Exception {
    certificate("tomcat", "single-node", PUB, token());

    Run apply = run(Map.of(PIN_VARIABLE, WRONG_PIN));

    assertThat(apply.code()).isEqualTo(1);
    assertThat(apply.out()).contains("failed: Certificate/tomcat: the PIN of token '" + TOKEN + "'")
        .contains("is wrong or locked (CKR_PIN_INCORRECT); the PIN is env:" + PIN_VARIABLE);
    assertThat(identity(lab().observe(), PUB, "tomcat").issuer()).as("left self-signed")
        .isEqualTo(identity(lab().observe(), PUB, "tomcat").subject());
    StringBuilder everything = new StringBuilder(apply.out()).append(apply.err());
    try (Stream<Path> journal = Files.walk(state.resolve("journal"))) {
      for (Path file : journal.filter(Files::isRegularFile).toList()) {
        everything.append(Files.readString(file));
      }
    }
    assertThat(everything.toString()).doesNotContain(WRONG_PIN).doesNotContain(PIN);
  }

  /** An acme issuer of this Pebble with {@code challenge} lines; the root Pebble does not send is named. */
  private static String acme(String challenge) {
    return """
        type: acme
        directory: %s
        directoryTrust: %s
        caCertificates: %s
        %s""".formatted(pebble.directory(), pebble.serverTrust(), pebbleRoot, challenge);
  }

  /** HTTP-01, answered by uctrust on the port Pebble asks for every name (challtestsrv resolves all to 127.0.0.1). */
  private static String http01() {
    return "challenge: http-01\nhttp01Listen: \"127.0.0.1:" + pebble.httpPort() + "\"";
  }

  /** A ca issuer whose key is on the SoftHSM token, its PIN from the environment. */
  private static String token() {
    return """
        type: ca
        pkcs11: {library: %s, token: %s, pin: env:%s}
        caCertificates: %s""".formatted(SoftHsm.LIBRARY, TOKEN, PIN_VARIABLE, tokenChain);
  }

  private void certificate(String service, String distribution, String nodes, String issuer) throws IOException {
    Files.writeString(desired.resolve("certificate.yaml"), """
        apiVersion: uctrust/v1
        kind: Certificate
        metadata: {name: %1$s}
        spec:
          service: %1$s
          distribution: %2$s
          nodes: [%3$s]
          issuer:
        %4$s
        """.formatted(service, distribution, nodes, issuer.indent(4).stripTrailing()));
  }

  private Run reconcile(String... options) {
    return run(Map.of(), options);
  }

  private Run run(Map<String, String> environment, String... options) {
    List<String> args = new ArrayList<>(List.of("reconcile", desired.toString(), "--state-dir",
        state.toString(), "--phones", "20"));
    args.addAll(List.of(options));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(CLOCK, environment, new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));
    return new Run(code, out.toString(), err.toString());
  }

  private LabCluster lab() throws Exception {
    return LabCluster.existing(new LabStore(state), CLOCK);
  }

  private static ObservedCluster.Certificate identity(ObservedCluster observed, String node, String service) {
    return observed.nodes().stream().filter(n -> n.name().equals(node)).findFirst().orElseThrow()
        .identities().stream().filter(i -> i.service().yaml().equals(service)).findFirst().orElseThrow().certificate();
  }

  private static List<String> trusted(ObservedCluster observed, String node, Store store) {
    return observed.nodes().stream().filter(n -> n.name().equals(node)).findFirst().orElseThrow()
        .trust().stream().filter(t -> t.store() == store).map(t -> t.certificate().sha256()).toList();
  }

  private static String openssl(Path dir, String... arguments) throws Exception {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("openssl finished").isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    return output;
  }

  private static String sha256(X509Certificate certificate) {
    return CertificateFacts.of(certificate).sha256();
  }
}
