package io.uctrust.plan;

import static io.uctrust.plan.PlanFixture.IMP;
import static io.uctrust.plan.PlanFixture.IMS;
import static io.uctrust.plan.PlanFixture.PUB;
import static io.uctrust.plan.PlanFixture.SUB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.uctrust.apply.Applier;
import io.uctrust.apply.Journal;
import io.uctrust.apply.Outcome;
import io.uctrust.cluster.ClusterException;
import io.uctrust.cluster.Operation;
import io.uctrust.desired.ResolvedDesired;
import io.uctrust.desired.TrustStoreSpec.Store;
import io.uctrust.diagnostic.Diagnostic;
import io.uctrust.observed.ObservedCluster;
import io.uctrust.target.lab.LabCluster;
import io.uctrust.validate.ValidationOptions;
import io.uctrust.validate.ValidationReport;
import io.uctrust.validate.Validator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The reconciler's central property: for any valid desired state, applying the plan and planning again
 * gives an empty plan (but for phone operations and the trust that follows from identities the plan replaced, which
 * follow-up applies settle), and applying the same plan a second time is harmless. Desired states are drawn
 * at random (reproducibly: each case names its seed) over every kind and most fields, validated, planned
 * against a fresh copy of one seeded lab, applied through the {@link Applier} with a journal, and planned
 * again.
 *
 * <p>The generator also draws overlapping {@code mraActivation} entries (the first one wins) and the longest
 * {@code renewBefore} validation accepts for a self-signed identity: both once kept plans from converging.
 */
class ConvergenceTest {

  /** First seed; {@code -Ductrust.convergence.seed=N} starts elsewhere. */
  private static final long BASE_SEED = Long.getLong("uctrust.convergence.seed", 20261201L);
  /** Number of cases; {@code -Ductrust.convergence.cases=300} searches further (about 0.3 s a case). */
  private static final int CASES = Integer.getInteger("uctrust.convergence.cases", 40);
  /** Phones kept from the seeded lab: enough for every selector to select some, small enough to save quickly. */
  private static final int PHONES = 160;

  private static final Map<String, Integer> SEEN = new java.util.concurrent.ConcurrentSkipListMap<>();
  private static final java.util.concurrent.atomic.AtomicInteger CASES_RUN = new java.util.concurrent.atomic.AtomicInteger();

  private static byte[] trimmed;
  private static List<ObservedCluster.Phone> phones;

  @TempDir Path temp;

  static Stream<Long> seeds() {
    return LongStream.range(0, CASES).mapToObj(i -> BASE_SEED + i);
  }

  /** The seeded lab with {@link #PHONES} phones and three stale LSCs, made once. */
  private static synchronized byte[] trimmedState() {
    if (trimmed == null) {
      ObjectNode state = (ObjectNode) PlanFixture.JSON.readTree(PlanFixture.seededState());
      ArrayNode all = (ArrayNode) state.get("phones");
      while (all.size() > PHONES) {
        all.remove(all.size() - 1);
      }
      PlanFixture.staleLscs(state, 3);
      trimmed = PlanFixture.JSON.writeValueAsBytes(state);
    }
    return trimmed.clone();
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void applyingThePlanLeavesNothingToDoAndApplyingItAgainIsHarmless(long seed) throws IOException {
    Generated generated = null;
    ValidationReport report = null;
    List<String> rejected = new ArrayList<>();
    for (int attempt = 0; attempt < 8; attempt++) {
      Path dir = temp.resolve("desired-" + attempt);
      // Nearby seeds give java.util.Random correlated first draws: scramble them first.
      generated = new Generator(new Random(new SplittableRandom(seed * 31 + attempt).nextLong()), dir).generate();
      report = new Validator(PlanFixture.CLOCK, ValidationOptions.DEFAULTS).validate(dir);
      if (report.valid()) {
        break;
      }
      rejected.add(report.diagnostics().stream().filter(Diagnostic::isError).map(d -> d.message())
          .collect(Collectors.joining("; ")));
    }
    CASES_RUN.incrementAndGet();
    assertThat(report.valid()).as("seed %d: no valid desired state in 8 attempts: %s", seed, rejected).isTrue();
    String context = "seed " + seed + " (regenerated " + rejected.size() + " times" + (rejected.isEmpty() ? "" : ": "
        + rejected) + ")\n" + generated.describe();
    ResolvedDesired desired = new io.uctrust.desired.DesiredResolver().resolve(report.state());

    LabCluster lab = PlanFixture.lab(temp.resolve("lab"), trimmedState(), state -> { });
    for (Operation upload : generated.preUploads()) {
      try {
        lab.perform(upload, PlanFixture.SECRETS);
      } catch (ClusterException e) {
        throw new AssertionError(context, e);
      }
    }

    Plan plan = PlanFixture.plan(desired, lab.observe());
    plan.changes().forEach(c -> SEEN.merge(kind(c), 1, Integer::sum));
    assertOnlySucceeded(apply(lab, plan, "first"), plan, "first apply", context);
    Plan again = PlanFixture.plan(desired, lab.observe());
    // The simulated phones run their CAPF sessions: an LSC deleted by one policy can make a phone match another
    // policy's "LSC missing" selector, so phone changes may follow for a round or two. Trust that follows from the
    // identities the plan replaced (their exchange with the other kind of node, the removal of self-signed
    // certificates a CA-signed one left behind) can only be planned once they are on the nodes. Nothing else may.
    assertThat(again.changes()).as("plan after applying the plan; %s\nplan was:\n%s", context, render(plan))
        .allSatisfy(c -> followsTheFirstApply(c, Set.of()));
    Set<String> exchanged = new java.util.HashSet<>();
    for (int round = 0; round < 3 && !again.inSync(); round++) {
      exchanged.addAll(exchangeUploads(again));
      assertOnlySucceeded(apply(lab, again, "follow-up-" + round), again, "follow-up apply", context);
      again = PlanFixture.plan(desired, lab.observe());
    }
    assertThat(again.inSync()).as("in sync after follow-up applies; %s\nplan:\n%s", context, render(again)).isTrue();

    // The second apply replaces the same identities again: what the follow-ups exchanged for them is stale now, and
    // pruning takes it away.
    assertOnlySucceeded(apply(lab, plan, "second"), plan, "second apply of the same plan", context);
    Plan third = PlanFixture.plan(desired, lab.observe());
    assertThat(third.changes()).as("plan after applying the plan twice; %s", context)
        .allSatisfy(c -> followsTheFirstApply(c, exchanged));
  }

  /**
   * Phone operations, trust derived from identities the previous apply replaced, removals of what an earlier exchange
   * uploaded ({@code exchanged}, SHA-256 fingerprints), and the restarts they need.
   */
  private static void followsTheFirstApply(Change change, Set<String> exchanged) {
    boolean staleExchange = change.action() == Action.DELETE && change.operations().stream()
        .allMatch(op -> op instanceof Operation.RemoveTrust r && exchanged.contains(r.sha256()));
    assertThat(change.resource().equals("phone-capf") || change.phase() == Phase.RESTART || staleExchange
        || change.reason().endsWith("(" + TrustExchangePlanner.SEED + ")")
        || change.reason().endsWith("(" + SelfSignedCleanupPlanner.SEED + ")"))
        .as("%s %s: %s", change.resource(), change.address(), change.reason()).isTrue();
  }

  /** SHA-256 fingerprints of what the exchange uploads in {@code plan}. */
  private static Set<String> exchangeUploads(Plan plan) {
    Set<String> uploads = new java.util.HashSet<>();
    plan.changes().stream().filter(c -> c.reason().endsWith("(" + TrustExchangePlanner.SEED + ")"))
        .flatMap(c -> c.operations().stream()).forEach(op -> {
          if (op instanceof Operation.UploadTrust u) {
            uploads.add(io.uctrust.observed.Snapshots.certificate(u.pem()).sha256());
          }
        });
    return uploads;
  }

  /** What kind of change {@code change} is, for the generator's coverage check. */
  private static String kind(Change change) {
    String kind = change.resource() + "/" + change.action().word();
    if (change.resource().equals("trust-certificate") && change.action() == Action.DELETE) {
      kind += change.reason().contains("sets prune") ? " (prune)" : " (manufacturing root)";
    }
    return kind;
  }

  @AfterAll
  static void theGeneratorReachedEveryKindOfChange() {
    if (CASES_RUN.get() < CASES) {
      return; // a single case was run
    }
    assertThat(SEEN.keySet()).as("kinds of change in the first plans of %d cases: %s", CASES, SEEN).containsAll(List.of(
        "trust-certificate/create", "trust-certificate/delete (prune)", "trust-certificate/delete (manufacturing root)",
        "enterprise-parameter/update", "im-and-presence-setting/update", "capf-parameter/update", "service/activate",
        "capf-keepalive/update", "stale-lsc/delete", "sip-oauth-mode/update", "sip-oauth-ports/update",
        "expressway-c/create", "phone-security-profile/create", "phone-security-profile/update",
        "monitoring-setting/update", "identity-certificate/replace", "service/restart", "phone-capf/update",
        "phone-mra-activation/update"));
  }

  private List<Outcome> apply(LabCluster lab, Plan plan, String journal) throws IOException {
    return new Applier(lab, PlanFixture.SECRETS, new Journal(temp.resolve("journal-" + journal)), line -> { })
        .signingWith(new io.uctrust.issuance.IdentitySigners(PlanFixture.CLOCK, temp.resolve("state"))).apply(plan, Set.of());
  }

  private static byte[] keystore;

  /** A real CA keystore (made once per JVM) beside the generated state; PlanFixture.SECRETS opens it. */
  private static synchronized byte[] keystoreBytes() throws IOException {
    if (keystore == null) {
      Path file = Files.createTempDirectory("uctrust-ca").resolve("ca.p12");
      io.uctrust.pki.CaKeyStore.save(file, io.uctrust.pki.CertificateAuthority.create("CN=Convergence CA",
          io.uctrust.pki.KeyPairs.rsa(2048), PlanFixture.NOW.minus(java.time.Duration.ofDays(1)),
          PlanFixture.NOW.plus(java.time.Duration.ofDays(3650)), 0), "fixed-secret-11".toCharArray());
      keystore = Files.readAllBytes(file);
    }
    return keystore;
  }

  private static void assertOnlySucceeded(List<Outcome> outcomes, Plan plan, String what, String context) {
    assertThat(outcomes).hasSameSizeAs(plan.changes());
    List<Outcome> failed = outcomes.stream().filter(o -> o.status() != Outcome.Status.SUCCEEDED).toList();
    if (!failed.isEmpty()) {
      fail(what + ": " + failed + "\n" + context + "\nplan:\n" + render(plan));
    }
  }

  private static String render(Plan plan) {
    return plan.changes().stream().map(c -> "  " + c.id() + " " + c.phase() + " " + c.action().word() + " " + c.resource()
        + " " + c.address() + ": " + c.before() + " -> " + c.after() + " (" + c.reason() + ")").collect(Collectors.joining("\n"));
  }

  // ------------------------------------------------------------------------------------------ generator

  /** A generated desired state: its files (for the failure message) and trust entries to put on the lab first. */
  record Generated(Map<String, String> files, List<Operation> preUploads) {
    String describe() {
      return files.entrySet().stream().map(e -> "--- " + e.getKey() + "\n" + e.getValue()).collect(Collectors.joining())
          + "--- pre-uploaded: " + preUploads.stream().map(o -> {
            Operation.UploadTrust u = (Operation.UploadTrust) o;
            return u.node() + "/" + u.store().yaml() + "/" + u.description();
          }).toList();
    }
  }

  /** Draws a desired state that is valid by construction for the four-node lab cluster. */
  static final class Generator {
    private static final List<String> CUCM = List.of(PUB, SUB);
    private static final List<String> IM = List.of(IMP, IMS);
    private static final List<String> ALL = List.of(PUB, SUB, IMP, IMS);
    private static final List<String> POOLS = List.of("HQ", "Branch-East", "Branch-West", "Remote-Workers");
    private static final List<String> MODELS = List.of("Cisco 8865", "Cisco 8845", "Cisco 8851", "Cisco 7841", "Cisco 7821",
        "Cisco 8832");
    private static final int POOL_CAS = 4;

    private final Random r;
    private final Path dir;
    private final Map<String, String> files = new LinkedHashMap<>();
    private final List<String> trust = new ArrayList<>();
    private final List<Operation> preUploads = new ArrayList<>();
    private final List<String> pems = new ArrayList<>();
    private int trustDocs;

    Generator(Random random, Path dir) {
      this.r = random;
      this.dir = dir;
    }

    Generated generate() throws IOException {
      for (int i = 0; i < POOL_CAS + 2; i++) {
        String pem = PlanFixture.writeCa(dir, "certs/ca" + i + ".pem", "Pool CA " + i);
        pems.add(pem);
      }
      boolean sipEnabled = false;
      boolean sip = chance(0.6);
      if (sip) {
        sipEnabled = r.nextBoolean();
      }
      String issuer = pick(List.of("none", "cisco-capf", "offline-ca", "online-ca", "unset"));
      Imp imp = chance(0.6) ? imp() : null;

      cluster(sipEnabled, imp);
      randomTrustStores();
      if (!issuer.equals("none")) {
        capf(issuer);
      }
      certificates(imp);
      policies(issuer.equals("online-ca"));
      if (sip) {
        sipOAuth(sipEnabled);
      }
      if (chance(0.6)) {
        monitoring();
      }
      preUploads();
      if (!trust.isEmpty()) {
        write("truststores.yaml", String.join("---\n", trust));
      }
      return new Generated(files, preUploads);
    }

    // ------------------------------------------------------------------------------------------ helpers

    private boolean chance(double p) {
      return r.nextDouble() < p;
    }

    private <T> T pick(List<T> values) {
      return values.get(r.nextInt(values.size()));
    }

    /** A random non-empty subset of {@code values}, in their order. */
    private <T> List<T> subset(List<T> values) {
      List<T> out = new ArrayList<>();
      while (out.isEmpty()) {
        for (T value : values) {
          if (r.nextBoolean()) {
            out.add(value);
          }
        }
      }
      return out;
    }

    private static String flow(List<String> values) {
      return values.stream().map(v -> "\"" + v + "\"").collect(Collectors.joining(", ", "[", "]"));
    }

    /** The generated state's CA keystore, as a path relative to its YAML files. */
    private String caKeystore() throws IOException {
      Path file = dir.resolve("ca/ca.p12");
      if (!Files.exists(file)) {
        Files.createDirectories(file.getParent());
        Files.write(file, keystoreBytes());
      }
      return "ca/ca.p12";
    }

    private void write(String name, String yaml) throws IOException {
      files.put(name, yaml);
      PlanFixture.write(dir, name, yaml);
    }

    private static String header(String kind, String name) {
      return "apiVersion: uctrust/v1\nkind: " + kind + "\nmetadata: {name: " + name + "}\nspec:\n";
    }

    // ------------------------------------------------------------------------------------------ cluster

    record Imp(String xmppDomain, List<String> hosted, boolean useDomain, boolean wildcards) {}

    private Imp imp() {
      String domain = chance(0.8) ? "example.com" : null;
      List<String> hosted = chance(0.6) ? subset(List.of("example.com", "example.org")) : List.of();
      return new Imp(domain, hosted, r.nextBoolean(), r.nextBoolean());
    }

    private void cluster(boolean sipEnabled, Imp imp) throws IOException {
      StringBuilder extra = new StringBuilder();
      if (chance(0.7)) {
        extra.append("enterpriseParameters:\n");
        if (chance(0.6)) {
          extra.append("  enableIpv6: ").append(r.nextBoolean()).append('\n');
        }
        if (sipEnabled ? chance(0.7) : chance(0.5)) {
          extra.append("  oauthWithRefreshLoginFlow: ").append(sipEnabled || r.nextBoolean()).append('\n');
        }
        if (chance(0.5)) {
          extra.append("  certificateValidityCheck: {enabled: ").append(r.nextBoolean()).append(", frequencyDays: ")
              .append(1 + r.nextInt(30)).append("}\n");
        }
        if (extra.toString().equals("enterpriseParameters:\n")) {
          extra.append("  enableIpv6: false\n");
        }
      }
      if (imp != null) {
        extra.append("imAndPresence:\n");
        if (imp.xmppDomain() != null) {
          extra.append("  xmppDomain: ").append(imp.xmppDomain()).append('\n');
        }
        if (!imp.hosted().isEmpty()) {
          extra.append("  hostedDomains: ").append(flow(imp.hosted())).append('\n');
        }
        extra.append("  useDomainNameForXmppSan: ").append(imp.useDomain()).append('\n');
        extra.append("  enableWildcardsInXmppFederationCertificates: ").append(imp.wildcards()).append('\n');
        if (chance(0.5)) {
          extra.append("  sipTrunkSecurityProfile: \"IMP Trunk ").append(r.nextInt(3)).append("\"\n");
        }
      }
      if (chance(0.3)) {
        extra.append("security: {mixedMode: false, fipsMode: false}\n");
      }
      PlanFixture.cluster(dir, extra.toString());
      files.put("cluster.yaml", extra.toString());
    }

    // ------------------------------------------------------------------------------------- trust stores

    private static final List<String> CUCM_STORES = List.of("CallManager-trust", "CAPF-trust", "Phone-Edge-trust",
        "TVS-trust", "Phone-trust", "Phone-VPN-trust", "ITL-Recovery-trust");
    private static final List<String> ALL_STORES = List.of("tomcat-trust", "ipsec-trust");
    private static final List<String> IM_STORES = List.of("cup-trust", "cup-xmpp-trust");

    private static List<String> nodesOf(String store) {
      return ALL_STORES.contains(store) ? ALL : IM_STORES.contains(store) ? IM : CUCM;
    }

    private void trustStore(String store, List<String> certificates, boolean allNodes, boolean prune,
        boolean removeRoots) {
      StringBuilder doc = new StringBuilder(header("TrustStore", "trust-" + trustDocs++));
      doc.append("  store: ").append(store).append('\n');
      if (allNodes) {
        if (r.nextBoolean()) {
          doc.append("  nodes: all\n");
        }
      } else {
        doc.append("  nodes: ").append(flow(subset(nodesOf(store)))).append('\n');
      }
      if (!certificates.isEmpty()) {
        doc.append("  certificates:\n");
        for (String file : certificates) {
          doc.append("    - {file: ").append(file).append(chance(0.5) ? ", description: \"" + file + " CA\"" : "")
              .append("}\n");
        }
      }
      if (prune) {
        doc.append("  prune: true\n");
      }
      if (removeRoots) {
        doc.append("  removeManufacturingRoots: true\n");
      }
      trust.add(doc.toString());
    }

    private void randomTrustStores() {
      int count = r.nextInt(5);
      for (int i = 0; i < count; i++) {
        String store = pick(chance(0.5) ? List.of("CallManager-trust", "tomcat-trust", "CAPF-trust")
            : Stream.of(CUCM_STORES, ALL_STORES, IM_STORES).flatMap(List::stream).toList());
        List<String> certificates = new ArrayList<>();
        for (int c = 0; c < POOL_CAS; c++) {
          if (chance(0.35)) {
            certificates.add("certs/ca" + c + ".pem");
          }
        }
        trustStore(store, certificates, chance(0.6), chance(0.5),
            store.equals("CallManager-trust") && chance(0.4));
      }
    }

    /** Trust the rules require: {@code file} in each of {@code stores} on every node holding it (or the publisher). */
    private void require(String file, String... stores) {
      for (String store : stores) {
        trustStore(store, List.of(file), true, false, false);
      }
    }

    /** Entries uctrust put on the lab in an earlier run: pool CAs 4 and 5 (never listed) and some listed ones. */
    private void preUploads() {
      int count = r.nextInt(5);
      List<Store> stores = List.of(Store.CALLMANAGER_TRUST, Store.TOMCAT_TRUST, Store.CAPF_TRUST, Store.CUP_TRUST);
      for (int i = 0; i < count; i++) {
        Store store = pick(stores);
        String node = pick(nodesOf(store.yaml()));
        int ca = r.nextInt(POOL_CAS + 2);
        preUploads.add(new Operation.UploadTrust(node, store, pems.get(ca), "Pool CA " + ca));
      }
    }

    // --------------------------------------------------------------------------------------------- CAPF

    private void capf(String issuer) throws IOException {
      StringBuilder doc = new StringBuilder(header("Capf", "capf"));
      if (!issuer.equals("unset")) {
        doc.append("  issuer: ").append(issuer).append('\n');
      }
      if (chance(0.5)) {
        doc.append("  certificateValidityDays: ").append(pick(List.of(1, 365, 730, 1825, 1 + r.nextInt(1825)))).append('\n');
      }
      if (chance(0.5)) {
        doc.append("  keepAliveMinutes: ").append(5 + r.nextInt(56)).append('\n');
      }
      if (chance(0.5) || doc.toString().endsWith("spec:\n")) {
        doc.append("  deleteStaleLscs: ").append(r.nextBoolean()).append('\n');
      }
      if (issuer.equals("online-ca")) {
        String root = "certs/ca" + r.nextInt(POOL_CAS) + ".pem";
        doc.append("  onlineCa:\n")
            .append("    hostname: ca.example.com\n")
            .append("    port: ").append(pick(List.of(443, 8443))).append('\n')
            .append("    template: ").append(pick(List.of("CiscoLSC", "LSC2"))).append('\n')
            .append("    type: microsoft-ca\n")
            .append("    username: ").append(pick(List.of("svc-capf", "capf"))).append('\n')
            .append("    password: env:UCTRUST_ONLINE_CA_PASSWORD\n")
            .append("    caCertificate: ").append(root).append('\n');
        require(root, "CAPF-trust", "CallManager-trust");
      } else if (issuer.equals("offline-ca") && chance(0.5)) {
        String root = "certs/ca" + r.nextInt(POOL_CAS) + ".pem";
        doc.append("  offlineCa: {caCertificates: [").append(root).append("]}\n");
        require(root, "CAPF-trust", "CallManager-trust");
      }
      write("capf.yaml", doc.toString());
    }

    // --------------------------------------------------------------------------------------- identities

    private record Identity(String service, List<String> nodes, boolean ecdsa, boolean xmpp, boolean federation) {}

    private static final List<Identity> IDENTITIES = List.of(
        new Identity("tomcat", ALL, false, false, false),
        new Identity("tomcat-ECDSA", ALL, true, false, false),
        new Identity("CallManager", CUCM, false, false, false),
        new Identity("CallManager-ECDSA", CUCM, true, false, false),
        new Identity("TVS", CUCM, false, false, false),
        new Identity("CAPF", List.of(PUB), false, false, false),
        new Identity("ipsec", ALL, false, false, false),
        new Identity("cup", IM, false, false, false),
        new Identity("cup-ECDSA", IM, true, false, false),
        new Identity("cup-xmpp", IM, false, true, false),
        new Identity("cup-xmpp-ECDSA", IM, true, true, false),
        new Identity("cup-xmpp-s2s", IM, false, true, true),
        new Identity("cup-xmpp-s2s-ECDSA", IM, true, true, true));

    private void certificates(Imp imp) throws IOException {
      List<Identity> pool = new ArrayList<>(IDENTITIES);
      Collections.shuffle(pool, r);
      int count = r.nextInt(4);
      List<String> docs = new ArrayList<>();
      for (Identity identity : pool.subList(0, count)) {
        StringBuilder doc = new StringBuilder(header("Certificate", identity.service().toLowerCase()));
        doc.append("  service: ").append(identity.service()).append('\n');
        doc.append("  nodes: ").append(chance(0.4) ? "all" : flow(subset(identity.nodes()))).append('\n');
        if (chance(0.3)) {
          doc.append("  commonName: uc.example.com\n");
        }
        List<String> names = new ArrayList<>();
        if (chance(0.5)) {
          names.addAll(subset(List.of("uc.example.com", "alt.example.com")));
        }
        if (identity.xmpp()) {
          names.add("example.com");
          if (identity.federation() && imp != null && imp.wildcards()) {
            List<String> domains = imp.hosted().isEmpty() && imp.xmppDomain() != null ? List.of(imp.xmppDomain())
                : imp.hosted();
            domains.forEach(d -> names.add("*." + d));
          }
        }
        if (!names.isEmpty()) {
          doc.append("  subjectAltNames: ").append(flow(names)).append('\n');
        }
        if (chance(0.5)) {
          doc.append("  key: ").append(identity.ecdsa() ? "{type: ec, size: " + pick(List.of(256, 384, 521)) + "}"
              : "{type: rsa, size: " + pick(List.of(1024, 2048)) + "}").append('\n');
        }
        if (chance(0.4)) {
          doc.append("  hash: ").append(pick(List.of("sha256", "sha384", "sha512"))).append('\n');
        }
        boolean ca = !chance(0.85);
        int renewal = r.nextInt(3);
        if (renewal == 1) {
          String longest = "260w"; // the longest renewBefore validation accepts for a 1825-day self-signed identity
          doc.append("  renewBefore: ").append(pick(ca ? List.of("30d", "60d", "2w") : List.of("30d", "60d", "2w", "1000d",
              longest))).append('\n');
        } else if (renewal == 2) {
          doc.append("  renewBeforePercent: ").append(1 + r.nextInt(99)).append('\n');
        }
        doc.append("  issuer: ").append(!ca ? "{type: self-signed}"
            : "{type: ca, keystore: " + caKeystore() + ", keystorePassword: env:CA_PASSWORD}").append('\n');
        docs.add(doc.toString());
      }
      if (!docs.isEmpty()) {
        write("certificates.yaml", String.join("---\n", docs));
      }
    }

    // --------------------------------------------------------------------------------------- phone policies

    private void policies(boolean onlineCa) throws IOException {
      int count = r.nextInt(4);
      List<String> docs = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        StringBuilder doc = new StringBuilder(header("PhoneCertificatePolicy", "policy-" + i));
        doc.append("  selector:\n").append(selector());
        String operation = pick(List.of("install-upgrade", "install-upgrade", "delete", "troubleshoot", "none"));
        doc.append("  operation: ").append(operation).append('\n');
        if (!operation.equals("none")) {
          String mode = pick(List.of("auth-string", "null-string", "existing-certificate-lsc", "existing-certificate-mic"));
          doc.append("  authentication: {mode: ").append(mode);
          if (mode.equals("auth-string")) {
            doc.append(", string: ").append(pick(List.of("env:PHONE_AUTH", "generate-unique", "file:/etc/uctrust/auth")));
          }
          doc.append("}\n");
          if (chance(0.6)) {
            String order = onlineCa ? "rsa-only" : pick(List.of("rsa-only", "ec-only", "ec-preferred"));
            doc.append("  key: {order: ").append(order);
            if (!order.equals("ec-only") && r.nextBoolean()) {
              doc.append(", rsaSize: ").append(pick(List.of(512, 1024, 2048, 3072, 4096)));
            }
            if (!order.equals("rsa-only") && r.nextBoolean()) {
              doc.append(", ecSize: ").append(pick(List.of(256, 384, 521)));
            }
            doc.append("}\n");
          }
          if (chance(0.3)) {
            doc.append("  completeBy: \"2027-0").append(1 + r.nextInt(9)).append("-1").append(r.nextInt(10))
                .append("T18:00\"\n");
          }
        }
        docs.add(doc.toString());
      }
      if (!docs.isEmpty()) {
        write("phones.yaml", String.join("---\n", docs));
      }
    }

    private String selector() {
      if (chance(0.1)) {
        return "    all: true\n";
      }
      StringBuilder s = new StringBuilder();
      while (s.length() == 0) {
        if (chance(0.5)) {
          s.append("    devicePools: ").append(flow(subset(POOLS))).append('\n');
        }
        if (chance(0.5)) {
          s.append("    models: ").append(flow(subset(MODELS))).append('\n');
        }
        if (chance(0.2)) {
          List<String> names = new ArrayList<>();
          for (int i = 0; i < 1 + r.nextInt(5); i++) {
            names.add(phones().get(r.nextInt(phones().size())).name());
          }
          s.append("    names: ").append(flow(names.stream().distinct().toList())).append('\n');
        }
        if (chance(0.4)) {
          s.append(r.nextBoolean() ? "    lsc: {missing: true}\n"
              : "    lsc: {expiresWithinDays: " + pick(List.of(1, 30, 90, 400, 1 + r.nextInt(3650))) + "}\n");
        }
      }
      return s.toString();
    }

    // ------------------------------------------------------------------------------------------ SIP OAuth

    private static final Set<String> SOFT_CLIENTS = Set.of("Cisco Dual Mode for iPhone", "Cisco Jabber for Tablet");

    private void sipOAuth(boolean enabled) throws IOException {
      StringBuilder doc = new StringBuilder(header("SipOAuth", "sip-oauth"));
      doc.append("  enabled: ").append(enabled).append('\n');
      if (chance(0.5)) {
        doc.append("  ports:\n");
        List<Integer> ports = List.of(5090, 5091, 5095, 5096, 6000, 6001, 40000);
        for (String node : subset(CUCM)) {
          int phone = pick(ports);
          int mra = pick(ports.stream().filter(p -> p != phone).toList());
          doc.append("    - {node: ").append(node);
          if (chance(0.8)) {
            doc.append(", phone: ").append(phone);
          }
          if (chance(0.8)) {
            doc.append(", mra: ").append(mra);
          }
          doc.append("}\n");
        }
      }
      if (chance(0.5)) {
        doc.append("  expresswayC:\n");
        for (String host : subset(List.of("expc1.example.com", "expc2.example.com"))) {
          doc.append("    - {host: ").append(chance(0.2) ? host.toUpperCase() : host);
          if (chance(0.6)) {
            doc.append(", description: \"Edge ").append(r.nextInt(3)).append('"');
          }
          doc.append(", subjectNames: ").append(flow(subset(List.of(host, "expc.example.com", "edge.example.com"))));
          if (chance(0.4)) {
            String ca = "certs/ca" + r.nextInt(POOL_CAS) + ".pem";
            doc.append(", caCertificate: ").append(ca);
            require(ca, "tomcat-trust", "CallManager-trust");
          }
          doc.append("}\n");
        }
      }
      List<String> oauthProfiles = new ArrayList<>();
      if (chance(0.6)) {
        doc.append("  phoneSecurityProfiles:\n");
        int count = 1 + r.nextInt(3);
        boolean phoneOAuth = false;
        for (int i = 0; i < count; i++) {
          if (chance(0.5)) {
            String type = pick(List.of("Cisco 8865", "Cisco 8845", "Cisco 7841", "Cisco Dual Mode for iPhone"));
            String name = type + " - OAuth " + i;
            oauthProfiles.add(name);
            phoneOAuth |= !SOFT_CLIENTS.contains(type);
            doc.append("    - {name: \"").append(name).append("\", phoneType: \"").append(type)
                .append("\", deviceSecurityMode: encrypted, transport: tls, oauth: true");
            if (chance(0.3)) {
              doc.append(", digestAuthentication: false, tftpEncryptedConfig: false");
            }
          } else {
            String model = pick(MODELS);
            String name = chance(0.5) ? model + " - Standard SIP Non-Secure Profile" : model + " - Custom " + i;
            if (doc.indexOf("\"" + name + "\"") >= 0) {
              continue;
            }
            doc.append("    - {name: \"").append(name).append("\", phoneType: \"").append(model).append('"')
                .append(", deviceSecurityMode: ").append(pick(List.of("non-secure", "authenticated", "encrypted")))
                .append(", transport: ").append(pick(List.of("tcp", "udp", "tls", "tcp-udp")));
            if (chance(0.3)) {
              doc.append(", protocol: ").append(pick(List.of("sip", "sccp")));
            }
            if (chance(0.3)) {
              doc.append(", digestAuthentication: ").append(r.nextBoolean());
            }
            if (chance(0.3)) {
              doc.append(", tftpEncryptedConfig: ").append(r.nextBoolean());
            }
          }
          if (chance(0.4)) {
            doc.append(", description: \"Profile ").append(i).append('"');
          }
          doc.append("}\n");
        }
        if (enabled && phoneOAuth) {
          require("certs/ca" + r.nextInt(POOL_CAS) + ".pem", "Phone-Edge-trust");
        }
      }
      if (chance(0.5)) {
        // Entries select disjoint phones: overlapping entries flap (see PlannerTest).
        List<String> pools = new ArrayList<>(POOLS);
        Collections.shuffle(pools, r);
        doc.append("  mraActivation:\n");
        int entries = 1 + r.nextInt(2);
        for (int i = 0; i < entries; i++) {
          String profile = !oauthProfiles.isEmpty() && chance(0.7) ? oauthProfiles.get(r.nextInt(oauthProfiles.size()))
              : "MRA OAuth " + i;
          doc.append("    - {devicePools: [\"").append(pools.get(r.nextBoolean() ? 0 : i)).append("\"]");
          if (chance(0.4)) {
            doc.append(", models: ").append(flow(subset(MODELS)));
          }
          doc.append(", serviceDomain: mra").append(i).append(".example.com, securityProfile: \"").append(profile)
              .append("\"}\n");
        }
      }
      write("sip-oauth.yaml", doc.toString());
    }

    // ----------------------------------------------------------------------------------------- monitoring

    private void monitoring() throws IOException {
      StringBuilder doc = new StringBuilder(header("Monitoring", "monitoring"));
      if (chance(0.8)) {
        doc.append("  certificateMonitor:\n");
        doc.append("    notificationStartDays: ").append(pick(List.of(30, 1 + r.nextInt(365)))).append('\n');
        if (chance(0.7)) {
          doc.append("    frequency: ").append(pick(List.of("1h", "12h", "1d", "2d", "1w"))).append('\n');
        }
        if (chance(0.7)) {
          doc.append("    lscMonitoring: ").append(r.nextBoolean()).append('\n');
        }
        if (chance(0.5)) {
          boolean enabled = r.nextBoolean();
          doc.append("    email: {enabled: ").append(enabled);
          if (enabled || chance(0.5)) {
            doc.append(", to: ").append(flow(subset(List.of("uc-admins@example.com", "pki@example.com"))));
          }
          doc.append("}\n");
        }
      }
      if (chance(0.5) || doc.toString().endsWith("spec:\n")) {
        boolean enabled = r.nextBoolean();
        doc.append("  revocation:\n    ocsp: {enabled: ").append(enabled);
        if (enabled || chance(0.5)) {
          if (r.nextBoolean()) {
            doc.append(", responder: configured, uri: \"http://ocsp").append(r.nextInt(3)).append(".example.com/\"");
          } else {
            doc.append(", responder: from-certificate");
          }
        }
        if (chance(0.6)) {
          doc.append(", checkEvery: ").append(pick(List.of("5m", "1h", "24h", "2d")));
        }
        doc.append("}\n");
      }
      write("monitoring.yaml", doc.toString());
    }
  }

  /** The phones of the trimmed lab, for name selectors. */
  private static synchronized List<ObservedCluster.Phone> phones() {
    if (phones == null) {
      Path dir = null;
      try {
        dir = Files.createTempDirectory("uctrust-convergence-phones");
        phones = PlanFixture.lab(dir.resolve("lab"), trimmedState(), state -> { }).observe().phones();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } finally {
        PlanFixture.delete(dir);
      }
    }
    return phones;
  }
}
