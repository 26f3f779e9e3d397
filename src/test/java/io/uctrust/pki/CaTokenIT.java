package io.uctrust.pki;

import static io.uctrust.pki.CertificateAuthorityTest.END;
import static io.uctrust.pki.CertificateAuthorityTest.START;
import static io.uctrust.pki.OpensslCrossCheckTest.openssl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.uctrust.pki.CaToken.TokenException;
import io.uctrust.pki.CaToken.TokenException.Kind;
import io.uctrust.pki.CertificateAuthority.Profile;
import io.uctrust.pki.OpensslCrossCheckTest.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link CaToken} against real SoftHSM tokens, with every issued certificate checked by the real {@code openssl}.
 * The tokens come from {@link SoftHsm}: all of them are made before anything here uses the library, because
 * SoftHSM sees only the tokens that exist when a process first initialises it. Fails, rather than skips, without
 * SoftHSM: CI is meant to have it.
 */
class CaTokenIT {

  private static final Path LIBRARY = SoftHsm.LIBRARY;
  private static final String PIN = "1234";
  private static final String WRONG_PIN = "975310";
  private static final Instant NOW = START.plus(Duration.ofDays(30));
  // labels unique per run; a token label has at most 32 characters
  private static final String RUN = HexFormat.of().toHexDigits(new Random().nextInt());
  private static final String RSA = "rsa-" + RUN;
  private static final String EC = "ec-" + RUN;
  private static final String MULTI = "multi-" + RUN;
  private static final String FRESH = "fresh-" + RUN;

  private static CertificateAuthority rsaCa;
  private static CertificateAuthority ecCa;
  private static CertificateAuthority issuingB;

  @TempDir Path dir;

  @BeforeAll
  static void makeTokens() throws Exception {
    SoftHsm.freshTokens();

    long rsaSlot = initToken(RSA);
    long ecSlot = initToken(EC);
    long multiSlot = initToken(MULTI);
    long freshSlot = initToken(FRESH);

    rsaCa = CertificateAuthority.create("CN=Token RSA CA,O=Example", KeyPairs.rsa(2048), START, END, 0);
    ecCa = CertificateAuthority.create("CN=Token EC CA,O=Example", KeyPairs.ec(256), START, END, 0);
    CertificateAuthority root = CertificateAuthority.create("CN=Root,O=Example", KeyPairs.ec(256), START, END, 1);
    CertificateAuthority issuingA = root.subordinate("CN=Issuing A,O=Example", KeyPairs.ec(256), START, END, 0);
    issuingB = root.subordinate("CN=Issuing B,O=Example", KeyPairs.ec(256), START, END, 0);
    var serverKeys = KeyPairs.ec(256);
    X509Certificate server = issuingA.issue(Csr.create(serverKeys, "CN=server.example.com", List.of()), START, END,
        Profile.SERVER);

    importKey(rsaSlot, "capf-rsa", rsaCa);
    importKey(ecSlot, "capf-ec", ecCa);
    importKey(multiSlot, "issuing-a", issuingA);
    importKey(multiSlot, "issuing-b", issuingB);
    importKey(multiSlot, "server", serverKeys.getPrivate(), List.of(server, issuingA.certificate()));
    importKey(freshSlot, "ca", ecCa);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"RSA", "EC"})
  void aCaOnATokenIssuesCertificatesThatOpensslVerifies(String keyType) throws IOException {
    String label = "RSA".equals(keyType) ? RSA : EC;
    CertificateAuthority expected = "RSA".equals(keyType) ? rsaCa : ecCa;

    CertificateAuthority ca = CaToken.load(LIBRARY, label, PIN.toCharArray(), null);

    assertThat(ca.certificate()).isEqualTo(expected.certificate());
    // a handle to the key on the token: the key itself cannot be read
    assertThat(ca.privateKey().getClass().getName()).startsWith("sun.security.pkcs11.");
    assertThat(ca.privateKey().getEncoded()).isNull();
    assertVerifiedByOpenssl(ca, "first.pem");
    // a second load in the same process shares the token's login with the first CA, and both keep signing
    CertificateAuthority again = CaToken.load(LIBRARY, label, PIN.toCharArray(), null);
    assertVerifiedByOpenssl(again, "second.pem");
    assertVerifiedByOpenssl(ca, "third.pem");
  }

  @Test
  void aWrongPinIsRefusedBeforeAndAfterTheTokenWasOpenedWithoutShowingThePin() {
    // the token is logged in by the import: the first load logs that out, so the token itself checks the PIN
    TokenException first = loadFails(FRESH, WRONG_PIN, null);
    CertificateAuthority ca = CaToken.load(LIBRARY, FRESH, PIN.toCharArray(), null);
    // now the process is logged in, and the PIN is checked against the one that logged it in
    TokenException later = loadFails(FRESH, WRONG_PIN, null);

    assertThat(ca.certificate()).isEqualTo(ecCa.certificate());
    for (TokenException e : List.of(first, later)) {
      assertThat(e.kind()).isEqualTo(Kind.WRONG_PIN);
      assertThat(e.getMessage()).contains("'" + FRESH + "'").contains(LIBRARY.getFileName().toString());
      for (Throwable t = e; t != null; t = t.getCause()) {
        assertThat(String.valueOf(t.getMessage())).doesNotContain(WRONG_PIN);
      }
    }
    assertThat(first.getMessage()).contains("CKR_PIN_INCORRECT");
  }

  @Test
  void anUnknownTokenLabelIsNamedWithTheTokensThereAre() {
    TokenException e = loadFails("nope-" + RUN, PIN, null);

    assertThat(e.kind()).isEqualTo(Kind.NO_TOKEN);
    assertThat(e.getMessage()).contains("no token labelled 'nope-" + RUN + "'").contains("'" + RSA + "'")
        .contains("'" + MULTI + "'");
  }

  @Test
  void aMissingLibraryOrOneThatIsNoPkcs11LibraryIsNamed() throws IOException {
    Path missing = dir.resolve("libmissing.so");
    Path notALibrary = Files.writeString(dir.resolve("libtext.so"), "not a shared object\n");

    TokenException absent = catchThrowableOfType(TokenException.class,
        () -> CaToken.load(missing, RSA, PIN.toCharArray(), null));
    TokenException text = catchThrowableOfType(TokenException.class,
        () -> CaToken.load(notALibrary, RSA, PIN.toCharArray(), null));

    assertThat(absent.kind()).isEqualTo(Kind.NO_LIBRARY);
    assertThat(absent.getMessage()).isEqualTo("the PKCS#11 library " + missing + " does not exist");
    assertThat(text.kind()).isEqualTo(Kind.NO_LIBRARY);
    assertThat(text.getMessage()).startsWith("the PKCS#11 library " + notALibrary.toRealPath()
        + " cannot be loaded or initialised: ");
  }

  @Test
  void aTokenWithSeveralKeysNeedsTheAliasAndAnUnknownOneListsThem() {
    TokenException unknown = loadFails(MULTI, PIN, "issuing-c");
    TokenException none = loadFails(MULTI, PIN, null);
    CertificateAuthority named = CaToken.load(LIBRARY, MULTI, PIN.toCharArray(), "issuing-b");

    assertThat(unknown.kind()).isEqualTo(Kind.NO_KEY);
    assertThat(unknown.getMessage()).isEqualTo("token '" + MULTI + "' has no private key with a certificate under "
        + "alias 'issuing-c'; its keys: 'issuing-a', 'issuing-b', 'server'");
    assertThat(none.kind()).isEqualTo(Kind.NO_KEY);
    assertThat(none.getMessage()).isEqualTo("token '" + MULTI + "' has 3 private keys, 'issuing-a', 'issuing-b', "
        + "'server': name the CA's alias");
    assertThat(named.certificate()).isEqualTo(issuingB.certificate());
    assertThat(named.chain()).hasSize(2);
  }

  @Test
  void aKeyWhoseCertificateIsNoCaIsRefused() {
    TokenException e = loadFails(MULTI, PIN, "server");

    assertThat(e.kind()).isEqualTo(Kind.NOT_A_CA);
    assertThat(e.getMessage()).isEqualTo("key 'server' on token '" + MULTI + "' is not a usable CA: "
        + "CN=server.example.com is not a CA certificate allowed to sign certificates");
  }

  private void assertVerifiedByOpenssl(CertificateAuthority ca, String leafFile) throws IOException {
    Csr csr = Csr.create(KeyPairs.ec(256), "CN=cucm-pub.example.com", List.of());
    X509Certificate leaf = ca.issue(csr, START, START.plus(Duration.ofDays(365)), Profile.SERVER);
    Files.writeString(dir.resolve("ca.pem"), Pem.encode(ca.certificate()));
    Files.writeString(dir.resolve(leafFile), Pem.encode(leaf));

    Run verify = openssl(dir, "verify", "-x509_strict", "-attime", Long.toString(NOW.getEpochSecond()),
        "-CAfile", "ca.pem", leafFile);

    assertThat(verify.exit()).as(verify.output()).isZero();
    assertThat(verify.output()).isEqualTo(leafFile + ": OK\n");
  }

  private static TokenException loadFails(String label, String pin, String alias) {
    TokenException e = catchThrowableOfType(TokenException.class,
        () -> CaToken.load(LIBRARY, label, pin.toCharArray(), alias));
    assertThat(e).as("loading token %s", label).isNotNull();
    return e;
  }

  private static long initToken(String label) throws IOException {
    return SoftHsm.initToken(label, PIN);
  }

  private static void importKey(long slot, String alias, CertificateAuthority ca) throws Exception {
    importKey(slot, alias, ca.privateKey(), ca.chain());
  }

  private static void importKey(long slot, String alias, java.security.PrivateKey key, List<X509Certificate> chain)
      throws Exception {
    SoftHsm.importKey(slot, PIN, alias, key, chain);
  }
}
