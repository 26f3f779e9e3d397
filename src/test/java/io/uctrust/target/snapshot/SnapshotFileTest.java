package io.uctrust.target.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uctrust.capf.OnlineCaClient;
import io.uctrust.cluster.ClusterException;
import io.uctrust.cluster.Operation;
import io.uctrust.cluster.SecretRedactor;
import io.uctrust.desired.CertificateSpec;
import io.uctrust.desired.ClusterSpec;
import io.uctrust.desired.Document;
import io.uctrust.observed.ObservedCluster;
import io.uctrust.observed.Snapshots;
import io.uctrust.target.lab.LabCluster;
import io.uctrust.target.lab.LabStore;
import io.uctrust.validate.ValidationOptions;
import io.uctrust.validate.ValidationReport;
import io.uctrust.validate.Validator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The snapshot file: what is written, what reads back, and what is refused, on a real lab's observed state. */
class SnapshotFileTest {

  private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final String SECRET = "recorded-secret-value-17";

  @TempDir static Path shared;
  @TempDir Path temp;

  private static Document<ClusterSpec> cluster;
  private static ObservedCluster observed;

  @BeforeAll
  static void observeALab() throws ClusterException {
    ValidationReport report = new Validator(CLOCK, ValidationOptions.DEFAULTS).validate(Path.of("examples/offline-ca"));
    cluster = report.state().clusters().get(0);
    try (LabCluster lab = LabCluster.open(new LabStore(shared.resolve("lab")), cluster.name(), cluster.spec(), 20, CLOCK,
        Duration.ZERO)) {
      observed = lab.observe();
    }
  }

  private static Snapshot snapshot(ObservedCluster... clusters) {
    List<Snapshot.RecordedCluster> recorded = new ArrayList<>();
    for (ObservedCluster o : clusters) {
      recorded.add(new Snapshot.RecordedCluster(o.name(), "lab", NOW, null, 0, o));
    }
    return new Snapshot(Snapshot.FORMAT, "test", NOW, recorded);
  }

  private static ObservedCluster renamed(ObservedCluster o, String name) {
    return Snapshots.withFingerprint(new ObservedCluster(name, o.nodes(), o.security(), o.enterprise(), o.imAndPresence(),
        o.capf(), o.sipOAuth(), o.monitoring(), o.phones(), o.staleLscs(), o.pendingCsrs(), ""));
  }

  @Test
  void aSnapshotReadsBackToTheVeryObservedStateWithTheLiveFingerprint() throws Exception {
    Path file = temp.resolve("snapshots/branch.json");

    Snapshot written = SnapshotFile.write(file, snapshot(observed), SecretRedactor.KEYS_ONLY);
    SnapshotFile read = SnapshotFile.read(file);

    assertThat(read.snapshot()).isEqualTo(written);
    assertThat(read.snapshot().clusters().get(0).observed()).isEqualTo(observed);
    assertThat(read.snapshot().clusters().get(0).observed().fingerprint()).isEqualTo(observed.fingerprint());
    assertThat(read.snapshot().clusters().get(0).redacted()).isZero();
    assertThat(observed.nodes().get(0).trust()).allSatisfy(t -> assertThat(t.certificate().pem()).isNotNull());
    assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
    try (var files = Files.list(file.getParent())) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("branch.json");
    }
  }

  @Test
  void aRecordedOnlineCaProbeReadsBackAsTheSameProbe() throws Exception {
    String pem = observed.nodes().get(0).trust().get(0).certificate().pem();
    OnlineCaClient.Probe probe = new OnlineCaClient.Probe(true, List.of("192.0.2.50"),
        List.of(io.uctrust.pki.Pem.certificate(pem)), null);
    Snapshot.RecordedCluster recorded = new Snapshot.RecordedCluster(observed.name(), "lab", NOW,
        Snapshot.RecordedProbe.of("ca.example.com", 443, probe), 0, observed);
    Path file = temp.resolve("probe.json");

    SnapshotFile.write(file, new Snapshot(Snapshot.FORMAT, "test", NOW, List.of(recorded)), SecretRedactor.KEYS_ONLY);
    Snapshot.RecordedProbe read = SnapshotFile.read(file).snapshot().clusters().get(0).onlineCaProbe();

    assertThat(read.host()).isEqualTo("ca.example.com");
    assertThat(read.probe()).isEqualTo(probe);
  }

  @Test
  void aSecretInTheObservedStateNeverReachesTheFileAndTheFingerprintFollowsWhatWasWritten() throws Exception {
    ObservedCluster.Node first = observed.nodes().get(0);
    ObservedCluster.TrustEntry entry = first.trust().get(0);
    List<ObservedCluster.TrustEntry> trust = new ArrayList<>(first.trust());
    trust.set(0, new ObservedCluster.TrustEntry(entry.store(), entry.certificate(), "uploaded with " + SECRET, entry.owner()));
    List<ObservedCluster.Node> nodes = new ArrayList<>(observed.nodes());
    nodes.set(0, new ObservedCluster.Node(first.name(), first.role(), first.identities(), trust, first.services()));
    ObservedCluster leaky = Snapshots.withFingerprint(new ObservedCluster(observed.name(), nodes, observed.security(),
        observed.enterprise(), observed.imAndPresence(), observed.capf(), observed.sipOAuth(), observed.monitoring(),
        observed.phones(), observed.staleLscs(), observed.pendingCsrs(), ""));
    Path file = temp.resolve("leaky.json");

    Snapshot written = SnapshotFile.write(file, snapshot(leaky), new SecretRedactor(Set.of(SECRET)));

    assertThat(Files.readString(file)).doesNotContain(SECRET).contains("uploaded with " + SecretRedactor.REDACTED);
    Snapshot.RecordedCluster read = SnapshotFile.read(file).snapshot().clusters().get(0);
    assertThat(read.redacted()).isEqualTo(1);
    assertThat(written.clusters().get(0).redacted()).isEqualTo(1);
    assertThat(read.observed().fingerprint()).isNotEqualTo(leaky.fingerprint())
        .isEqualTo(Snapshots.withFingerprint(read.observed()).fingerprint());
  }

  @Test
  void thePortOfARecordedClusterObservesItAndRefusesEverythingElse() throws Exception {
    Path file = temp.resolve("port.json");
    SnapshotFile.write(file, snapshot(observed), SecretRedactor.KEYS_ONLY);

    try (SnapshotCluster port = SnapshotFile.read(file).open(cluster)) {
      assertThat(port.observe()).isEqualTo(observed);
      assertThat(port.describe()).isEqualTo("snapshot " + file + " observed " + NOW);
      String node = observed.nodes().get(0).name();
      assertThatThrownBy(() -> port.perform(new Operation.RestartService(node, "Cisco Tomcat", "test"), null))
          .isInstanceOf(ClusterException.class).hasMessageStartingWith("a snapshot cannot perform RestartService");
      assertThatThrownBy(() -> port.identity(node, CertificateSpec.Service.TOMCAT))
          .hasMessageStartingWith("a snapshot cannot read the identity store of " + node);
      assertThatThrownBy(() -> port.servedChain(node, CertificateSpec.Service.TOMCAT, CertificateSpec.KeyType.RSA))
          .hasMessageStartingWith("a snapshot cannot connect to " + node);
    }
  }

  @Test
  void aSnapshotOfOtherClustersOrAnotherTargetIsAnErrorNamingTheFile() throws Exception {
    Path others = temp.resolve("others.json");
    SnapshotFile.write(others, snapshot(renamed(observed, "hq"), renamed(observed, "dc2")), SecretRedactor.KEYS_ONLY);
    Path cucm = temp.resolve("cucm.json");
    SnapshotFile.write(cucm, new Snapshot(Snapshot.FORMAT, "test", NOW,
        List.of(new Snapshot.RecordedCluster(observed.name(), "cucm", NOW, null, 0, observed))), SecretRedactor.KEYS_ONLY);

    assertThatThrownBy(() -> SnapshotFile.read(others).open(cluster)).isInstanceOf(ClusterException.class)
        .hasMessage("snapshot " + others + " has no cluster 'branch' (it holds: hq, dc2); record it with 'uctrust snapshot "
            + "save --cluster branch'");
    assertThatThrownBy(() -> SnapshotFile.read(cucm).open(cluster)).isInstanceOf(ClusterException.class)
        .hasMessageContaining("snapshot " + cucm + " recorded cluster 'branch' through target cucm, but its Cluster "
            + "document now says lab");
  }

  @Test
  void aFileThatIsNotAnUneditedSnapshotOfThisFormatIsRefusedNamingTheFile() throws Exception {
    Path good = temp.resolve("good.json");
    SnapshotFile.write(good, snapshot(observed), SecretRedactor.KEYS_ONLY);
    String json = Files.readString(good);
    String phone = observed.phones().get(0).name();

    assertThat(refusal("garbage.json", "{ not json")).startsWith("snapshot ").contains("garbage.json")
        .contains("is not a readable uctrust snapshot");
    assertThat(refusal("plan.json", "{\"format\": \"uctrust.plan/v1\"}")).contains("plan.json")
        .contains("is not a uctrust snapshot");
    assertThat(refusal("newer.json", json.replace(Snapshot.FORMAT, "uctrust.snapshot/v2"))).contains("newer.json")
        .contains("has format uctrust.snapshot/v2, newer than this uctrust reads (uctrust.snapshot/v1)");
    assertThat(refusal("edited.json", json.replace("\"" + phone + "\"", "\"SEP000000000001\"")))
        .contains("edited.json").contains("was changed after it was recorded");
    assertThat(refusal("empty.json", "{\"format\": \"uctrust.snapshot/v1\", \"clusters\": []}")).contains("holds no cluster");
    assertThatThrownBy(() -> SnapshotFile.read(temp.resolve("missing.json")))
        .hasMessageStartingWith("cannot read snapshot " + temp.resolve("missing.json"));
  }

  @Test
  void aCertificateWhosePemNoLongerMatchesItsFactsIsRefused() throws Exception {
    Path good = temp.resolve("good.json");
    SnapshotFile.write(good, snapshot(observed), SecretRedactor.KEYS_ONLY);
    ObservedCluster.Certificate first = observed.nodes().get(0).trust().get(0).certificate();
    ObservedCluster.Certificate other = observed.nodes().get(0).identities().stream().map(ObservedCluster.Identity::certificate)
        .filter(c -> !c.sha256().equals(first.sha256())).findFirst().orElseThrow();
    String json = Files.readString(good);
    String swapped = json.replace(escaped(first.pem()), escaped(other.pem()));

    assertThat(swapped).isNotEqualTo(json);
    assertThat(refusal("swapped.json", swapped)).contains("the PEM text of certificate " + first.sha256()
        + " does not match its facts");
  }

  private static String escaped(String pem) {
    return pem.replace("\r", "\\r").replace("\n", "\\n");
  }

  private String refusal(String name, String content) throws IOException {
    Path file = temp.resolve(name);
    Files.writeString(file, content);
    try {
      SnapshotFile.read(file);
    } catch (SnapshotFile.UnreadableSnapshotException e) {
      return e.getMessage();
    }
    throw new AssertionError(name + " was read");
  }
}
