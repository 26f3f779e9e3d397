package io.uctrust.target.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uctrust.cluster.ClusterException;
import io.uctrust.cluster.Operation;
import io.uctrust.desired.PhoneCertificatePolicySpec.AuthenticationMode;
import io.uctrust.desired.PhoneCertificatePolicySpec.KeyOrder;
import io.uctrust.desired.SecretRef;
import io.uctrust.desired.TrustStoreSpec.Store;
import io.uctrust.observed.ObservedCluster;
import io.uctrust.pki.CertificateAuthority;
import io.uctrust.pki.ChainValidator;
import io.uctrust.pki.Csr;
import io.uctrust.pki.KeyPairs;
import io.uctrust.pki.Pem;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lab's phones and CAPF run the CAPF guide's sessions, failures and issuer modes. */
class LabCapfTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC);
  private static final io.uctrust.desired.PhoneCertificatePolicySpec.Operation INSTALL =
      io.uctrust.desired.PhoneCertificatePolicySpec.Operation.INSTALL_UPGRADE;

  @TempDir Path dir;
  private LabStore store;
  private LabCluster lab;
  private String phone;

  @BeforeEach
  void lab() throws IOException, ClusterException {
    store = ServedLabFixture.copyOfSeeded(dir.resolve("lab"));
    lab = LabCluster.existing(store, CLOCK);
    phone = lab.observe().phones().stream().filter(p -> p.lsc() == null && !p.model().matches("Cisco (79|89)\\d\\d.*"))
        .findFirst().orElseThrow().name();
  }

  private void install(AuthenticationMode mode, String authString) throws ClusterException {
    install(mode, authString, KeyOrder.RSA_ONLY, null);
  }

  private void install(AuthenticationMode mode, String authString, KeyOrder order, String completeBy) throws ClusterException {
    lab.perform(new Operation.SetPhoneCapf(List.of(phone), INSTALL, mode, authString == null ? null
        : SecretRef.parse("env:STRING"), order, 2048, 256, completeBy), (ref, subject) -> authString);
  }

  private ObservedCluster.Phone observed() {
    return lab.observe().phones().stream().filter(p -> p.name().equals(phone)).findFirst().orElseThrow();
  }

  private LabState saved() throws ClusterException {
    return store.load();
  }

  private X509Certificate capfCertificate() {
    return Pem.certificate(ServedLabFixture.capfPem(store));
  }

  @Test
  void aPhoneWithANullStringGetsAnLscSignedByTheClustersCapfCa() throws Exception {
    install(AuthenticationMode.NULL_STRING, null);

    ObservedCluster.Phone after = observed();
    assertThat(after.capf().status()).isEqualTo("Upgrade Success");
    assertThat(after.capf().operation()).isEqualTo(io.uctrust.desired.PhoneCertificatePolicySpec.Operation.NONE);
    assertThat(after.lsc().issuer()).isEqualTo(capfCertificate().getSubjectX500Principal().getName());
    X509Certificate lsc = Pem.certificate(saved().phones.stream().filter(p -> p.name.equals(phone)).findFirst().orElseThrow().lscPem);
    assertThat(lsc.getSubjectX500Principal().getName()).isEqualTo("CN=" + phone);
    assertThat(lsc.getSigAlgName()).isEqualTo("SHA256withRSA");
    assertThat(ChainValidator.validate(List.of(lsc), List.of(capfCertificate()), CLOCK.instant()).valid()).isTrue();
  }

  @Test
  void aWrongAuthenticationStringEnteredOnThePhoneFailsTheUpgrade() throws Exception {
    lab.tunePhones(List.of(phone), new LabCluster.PhoneSettings("0000", null, null, null, null));

    install(AuthenticationMode.AUTH_STRING, "4711");

    assertThat(observed().capf().status()).isEqualTo("Upgrade Failed: Invalid Authentication String");
    assertThat(observed().lsc()).isNull();
  }

  @Test
  void theRightAuthenticationStringInstallsTheLsc() throws Exception {
    install(AuthenticationMode.AUTH_STRING, "4711");

    assertThat(observed().capf().status()).isEqualTo("Upgrade Success");
  }

  @Test
  void byExistingCertificateFailsWhenThePhoneHasNeitherAValidLscNorMic() throws Exception {
    LabState state = saved();
    state.phones.stream().filter(p -> p.name.equals(phone)).forEach(p -> p.micNotAfter = CLOCK.instant().minusSeconds(1));
    store.save(state);
    lab = LabCluster.existing(store, CLOCK);

    install(AuthenticationMode.EXISTING_CERTIFICATE_LSC, null);

    assertThat(observed().capf().status()).isEqualTo("Upgrade Failed");
  }

  @Test
  void communicationFailuresAreRetriedThirtySecondsApartAndEachUninstalledLscBecomesStale() throws Exception {
    int staleBefore = lab.observe().staleLscs().size();
    lab.tunePhones(List.of(phone), new LabCluster.PhoneSettings(null, 2, null, null, null));

    install(AuthenticationMode.NULL_STRING, null);
    assertThat(observed().capf().status()).isEqualTo("Operation Pending");
    lab.advanceBy(Duration.ofSeconds(29));
    assertThat(observed().capf().status()).as("no retry before 30 s").isEqualTo("Operation Pending");
    lab.advanceBy(Duration.ofSeconds(1));
    assertThat(observed().capf().status()).isEqualTo("Operation Pending");
    lab.advanceBy(Duration.ofSeconds(30));

    assertThat(observed().capf().status()).isEqualTo("Upgrade Success");
    assertThat(lab.observe().staleLscs()).hasSize(staleBefore + 2)
        .filteredOn(s -> s.phone().equals(phone)).hasSize(2);
  }

  @Test
  void afterThreeRetriesTheUpgradeFailsWithPhoneCommunicationFailure() throws Exception {
    lab.tunePhones(List.of(phone), new LabCluster.PhoneSettings(null, 100, null, null, null));

    install(AuthenticationMode.NULL_STRING, null);
    lab.advanceBy(Duration.ofSeconds(60));
    assertThat(observed().capf().status()).isEqualTo("Operation Pending");
    lab.advanceBy(Duration.ofSeconds(30));

    assertThat(observed().capf().status()).isEqualTo("Upgrade Failed: Phone Communication Failure");
    assertThat(lab.observe().staleLscs()).filteredOn(s -> s.phone().equals(phone)).hasSize(4);
  }

  @Test
  void aPhoneThatLosesPowerMidSessionResumesWithTheAuthenticationModeInItsFlash() throws Exception {
    lab.tunePhones(List.of(phone), new LabCluster.PhoneSettings("4711", null, true, null, null));
    install(AuthenticationMode.AUTH_STRING, "4711");
    assertThat(observed().capf().status()).isEqualTo("Operation Pending");

    // while the phone boots, the cluster's settings change; the phone cannot read them and keeps its flash values
    install(AuthenticationMode.NULL_STRING, null);
    lab.advanceBy(LabCapf.REBOOT);

    assertThat(observed().capf().status()).isEqualTo("Upgrade Success");
    assertThat(lab.describePhone(phone)).anySatisfy(line -> assertThat(line).contains("LSC issued by"));
  }

  @Test
  void anOperationNotDoneByItsCompletionTimeFailsAsLate() throws Exception {
    lab.tunePhones(List.of(phone), new LabCluster.PhoneSettings(null, 1, null, null, null));
    install(AuthenticationMode.NULL_STRING, null, KeyOrder.RSA_ONLY, "2026-12-01T00:00");

    lab.advanceBy(LabCapf.RETRY_INTERVAL);

    assertThat(observed().capf().status()).isEqualTo("Upgrade Failed: User Initiated Request Late/Timedout");
  }

  @Test
  void anIpv6OnlyPhoneCannotReachAnIpv4OnlyCapfAndFailsAfterItsRetries() throws Exception {
    lab.tunePhones(List.of(phone), new LabCluster.PhoneSettings(null, null, null, "IPV6_ONLY", "IPV6"));

    install(AuthenticationMode.NULL_STRING, null);
    lab.advanceBy(Duration.ofSeconds(90));

    assertThat(observed().capf().status()).isEqualTo("Upgrade Failed: Phone Communication Failure");
    assertThat(lab.describePhone(phone)).anySatisfy(line -> assertThat(line).contains("cannot reach CAPF"));
  }

  @Test
  void ecPreferredGivesLegacyModelsAnRsaKey() throws Exception {
    String legacy = lab.observe().phones().stream().filter(p -> p.model().equals("Cisco 7962")).findFirst().orElseThrow().name();
    phone = legacy;
    install(AuthenticationMode.NULL_STRING, null, KeyOrder.EC_PREFERRED, null);

    String pem = saved().phones.stream().filter(p -> p.name.equals(legacy)).findFirst().orElseThrow().lscPem;
    assertThat(Pem.certificate(pem).getPublicKey().getAlgorithm()).isEqualTo("RSA");
  }

  @Test
  void offlineCaCsrsWaitUntilASignedCertificateForTheirKeyIsImported() throws Exception {
    CertificateAuthority offline = CertificateAuthority.create("CN=Offline LSC CA,O=Example", KeyPairs.rsa(2048),
        CLOCK.instant().minus(Duration.ofDays(1)), CLOCK.instant().plus(Duration.ofDays(3650)), 0);
    lab.perform(new Operation.SetServiceParameter("cucm-pub.example.com", LabSeeder.CAPF_SERVICE,
        "Certificate Issuer to Endpoint", "Offline CA", null), (ref, subject) -> "");
    install(AuthenticationMode.NULL_STRING, null);

    ObservedCluster.PendingCsr pending = lab.observe().pendingCsrs().stream().filter(c -> c.phone().equals(phone))
        .findFirst().orElseThrow();
    assertThat(observed().capf().status()).isEqualTo("Operation Pending");
    X509Certificate signed = offline.issue(Csr.parse(pending.pem()), CLOCK.instant(), CLOCK.instant().plus(Duration.ofDays(365)),
        CertificateAuthority.Profile.LSC);
    String chain = Pem.encode(signed) + Pem.encode(offline.certificate());

    assertThatThrownBy(() -> lab.perform(new Operation.ImportPhoneLsc(phone, chain), (ref, subject) -> ""))
        .hasMessageContaining("does not chain to a CA in CAPF-trust");
    lab.perform(new Operation.UploadTrust("cucm-pub.example.com", Store.CAPF_TRUST, Pem.encode(offline.certificate()),
        "offline CA"), (ref, subject) -> "");
    X509Certificate other = offline.issue(Csr.create(KeyPairs.rsa(2048), "CN=" + phone, List.of()), CLOCK.instant(),
        CLOCK.instant().plus(Duration.ofDays(365)), CertificateAuthority.Profile.LSC);
    assertThatThrownBy(() -> lab.perform(new Operation.ImportPhoneLsc(phone, Pem.encode(other)), (ref, subject) -> ""))
        .hasMessageContaining("not for the key of its pending CSR");

    lab.perform(new Operation.ImportPhoneLsc(phone, chain), (ref, subject) -> "");

    assertThat(observed().capf().status()).isEqualTo("Upgrade Success");
    assertThat(observed().lsc().issuer()).isEqualTo("CN=Offline LSC CA,O=Example");
    assertThat(lab.observe().pendingCsrs()).noneMatch(c -> c.phone().equals(phone));
  }

  @Test
  void onlineCaModeSendsTheCsrToTheLabsOnlineCaWhichRefusesEcKeys() throws Exception {
    Path onlineDir = store.dir().resolve("online-ca");
    try (LabOnlineCa online = LabOnlineCa.start(onlineDir, "ca.example.com", InetAddress.getLoopbackAddress(), 0, "CiscoLSC",
        "svc-capf", "secret".toCharArray(), LabOnlineCa.Layout.ISSUED_BY_ROOT, Duration.ofDays(730), CLOCK)) {
      for (var parameter : List.of(List.of("Certificate Issuer to Endpoint", "Online CA"),
          List.of("Online CA Hostname", "ca.example.com"), List.of("Online CA Port", "443"),
          List.of("Online CA Template", "CiscoLSC"), List.of("Online CA Username", "svc-capf"))) {
        lab.perform(new Operation.SetServiceParameter("cucm-pub.example.com", LabSeeder.CAPF_SERVICE, parameter.get(0),
            parameter.get(1), null), (ref, subject) -> "");
      }
      lab.perform(new Operation.SetServiceParameter("cucm-pub.example.com", LabSeeder.CAPF_SERVICE, "Online CA Password",
          null, SecretRef.parse("env:ONLINE")), (ref, subject) -> "secret");

      install(AuthenticationMode.NULL_STRING, null);
      assertThat(observed().capf().status()).as("CAPF does not trust the CA's HTTPS certificate yet")
          .isEqualTo("Upgrade Failed: CA Communication Failure");

      lab.perform(new Operation.UploadTrust("cucm-pub.example.com", Store.CAPF_TRUST, Pem.encode(online.root()), "CA root"),
          (ref, subject) -> "");
      install(AuthenticationMode.NULL_STRING, null);
      assertThat(observed().capf().status()).isEqualTo("Upgrade Success");
      assertThat(observed().lsc().issuer()).isEqualTo(online.signingChain().get(0).getSubjectX500Principal().getName());

      install(AuthenticationMode.NULL_STRING, null, KeyOrder.EC_ONLY, null);
      assertThat(observed().capf().status()).isEqualTo("Upgrade Failed: CA Rejected Connection");
    }
  }
}
