package io.uctrust.plan;

import io.uctrust.cluster.IdentityPort;
import io.uctrust.cluster.Operation;
import io.uctrust.desired.CertificateSpec;
import io.uctrust.desired.ClusterSpec;
import io.uctrust.desired.Document;
import io.uctrust.desired.ResolvedDesired;
import io.uctrust.observed.ObservedCluster;
import io.uctrust.pki.Revocation;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Computes the plan that brings one cluster from its observed state to its desired state. A pure
 * function of its three inputs: it reads no files, clocks or environment of its own, so the same inputs
 * always give the same plan.
 *
 * <p>Not for: validating the desired state (validate first) or performing anything.
 */
public final class Planner {

  private boolean retryFailed;
  private io.uctrust.capf.OnlineCaClient.Probe onlineCaProbe;
  private Map<String, Revocation> revoked = Map.of();

  /**
   * The certificates known to be revoked, by SHA-256 (the controller's OCSP checks): a CA-signed identity among
   * them is issued anew whatever its expiry. Self-signed identities are left alone, as revocation does not apply.
   */
  public Planner withRevoked(Map<String, Revocation> revoked) {
    this.revoked = Map.copyOf(revoked);
    return this;
  }

  /** The online CA as probed from this machine, for the preflight; without it the preflight is a note. */
  public Planner withOnlineCaProbe(io.uctrust.capf.OnlineCaClient.Probe probe) {
    this.onlineCaProbe = probe;
    return this;
  }

  /**
   * Plans the operation again for phones whose last attempt failed with the policy's own settings; without it
   * such phones are held (a check step lists them), since the same attempt would fail the same way.
   */
  public Planner retryingFailedPhones(boolean retry) {
    this.retryFailed = retry;
    return this;
  }

  /** The plan for {@code cluster} (a Cluster document of {@code desired}) against {@code observed}. */
  public Plan plan(ResolvedDesired desired, Document<ClusterSpec> cluster, ObservedCluster observed, Clock clock) {
    PlanContext context = new PlanContext(desired, cluster, observed, clock);
    context.retryFailedPhones = retryFailed;
    context.onlineCaProbe = onlineCaProbe;
    context.revoked = revoked;
    new TrustPlanner().plan(context);
    new SettingsPlanner().plan(context);
    new OnlineCaPreflight().plan(context);
    new IdentityPlanner().plan(context);
    // after identities: the exchange follows the identity changes this plan drafts
    new TrustExchangePlanner().plan(context);
    new SelfSignedCleanupPlanner().plan(context);
    new CaRotationPlanner().plan(context);
    new PhonePlanner().plan(context);
    new OfflineLscPlanner().plan(context);
    List<Change> ordered = new ArrayList<>(context.drafts);
    ordered.sort(Comparator.comparing(Change::phase));
    ordered.addAll(restarts(ordered, observed));
    ordered.addAll(verifications(ordered, observed));
    ordered.sort(Comparator.comparing(Change::phase));
    List<Change> numbered = new ArrayList<>();
    for (Change change : ordered) {
      numbered.add(change.withId(numbered.size() + 1));
    }
    return new Plan(Plan.FORMAT, cluster.name(), cluster.spec().target().type().name().toLowerCase(java.util.Locale.ROOT),
        clock.instant(), desired.fingerprint(), observed.fingerprint(), numbered, context.notes);
  }

  /**
   * {@code plan} with restarts and served-identity checks owed by an interrupted apply added (unless the plan
   * already has them), in order, renumbered. They are invisible to a fresh comparison: the changes that needed
   * them are already on the cluster.
   */
  public static Plan withOwed(Plan plan, List<Change> owed) {
    List<Change> changes = new ArrayList<>(plan.changes());
    for (Change step : owed) {
      if (changes.stream().noneMatch(c -> c.phase() == step.phase() && c.address().equals(step.address()))) {
        changes.add(step);
      }
    }
    changes.sort(Comparator.comparing(Change::phase));
    List<Change> numbered = new ArrayList<>();
    for (Change change : changes) {
      numbered.add(change.withId(numbered.size() + 1));
    }
    return new Plan(plan.format(), plan.cluster(), plan.target(), plan.createdAt(), plan.desiredFingerprint(),
        plan.observedFingerprint(), numbered, plan.notes(), plan.source());
  }

  /**
   * One check per new identity and node that has it (multi-server: every node of the group), node by node in
   * cluster order: the node serves it over TLS after its restarts. Identities with no TLS port (ipsec) are not
   * checked. The expected certificate is known only when the apply has installed it.
   */
  private static List<Change> verifications(List<Change> changes, ObservedCluster observed) {
    record New(String node, CertificateSpec.Service service, CertificateSpec.KeyType keyType, String sha256) {}
    List<New> identities = new ArrayList<>();
    for (Change change : changes) {
      if (change.phase() != Phase.IDENTITY || change.action() != Action.REPLACE) {
        continue;
      }
      for (Operation operation : change.operations()) {
        if (operation instanceof Operation.RegenerateSelfSigned op) {
          identities.add(new New(op.node(), op.service(), op.keyType(), null));
        } else if (operation instanceof Operation.IssueIdentity op
            && op.issuer().settings().type() != CertificateSpec.IssuerType.OFFLINE) {
          // an offline issuance only writes the CSR: nothing new is served until the signed chain is installed
          identities.add(new New(op.node(), op.service(), op.keyType(), null));
          op.distributeTo().forEach(node -> identities.add(new New(node, op.service(), op.keyType(), null)));
        } else if (operation instanceof Operation.InstallIdentity op) {
          // a chain the plan already holds (offline CA): the expected leaf is known now
          java.security.cert.X509Certificate leaf = io.uctrust.pki.Pem.certificate(op.chain().get(0));
          CertificateSpec.KeyType type = "EC".equals(leaf.getPublicKey().getAlgorithm()) ? CertificateSpec.KeyType.EC
              : CertificateSpec.KeyType.RSA;
          String sha256 = io.uctrust.pki.CertificateFacts.of(leaf).sha256();
          identities.add(new New(op.node(), op.service(), type, sha256));
          op.distributeTo().forEach(node -> identities.add(new New(node, op.service(), type, sha256)));
        }
      }
    }
    List<Change> checks = new ArrayList<>();
    for (ObservedCluster.Node node : observed.nodes()) {
      identities.stream().filter(i -> i.node().equals(node.name()) && IdentityPort.of(i.service()).isPresent()).distinct()
          .forEach(i -> checks.add(new Change(0, Phase.VERIFY, Action.VERIFY, "served-identity",
              node.name() + "/" + i.service().yaml(), "", "TLS port " + IdentityPort.of(i.service()).get().port()
                  + " serves the new certificate", "the node must serve the new certificate after its restart", "",
              Impact.NONE, List.of(), List.of(new Operation.VerifyServedIdentity(node.name(), i.service(), i.keyType(),
                  i.sha256())))));
    }
    return checks;
  }

  /**
   * One restart per service and node, node by node in cluster order, for every restart the changes
   * need; each says which changes need it.
   */
  private static List<Change> restarts(List<Change> changes, ObservedCluster observed) {
    Map<String, Set<String>> needs = new LinkedHashMap<>();
    for (Change change : changes) {
      for (String restart : change.impact().restarts()) {
        needs.computeIfAbsent(restart, r -> new LinkedHashSet<>()).add(change.resource() + " " + change.address());
      }
    }
    List<Change> restarts = new ArrayList<>();
    for (ObservedCluster.Node node : observed.nodes()) {
      List<String> services = new ArrayList<>();
      needs.keySet().stream().filter(k -> k.endsWith("@" + node.name())).forEach(k -> services.add(k.substring(0, k.indexOf('@'))));
      // Tomcat last: on a real node the management APIs run inside it.
      services.sort(Comparator.comparing((String s) -> s.equals(Restarts.TOMCAT)));
      for (String service : services) {
        Set<String> why = needs.get(service + "@" + node.name());
        String reason = "needed after " + (why.size() == 1 ? why.iterator().next() : why.size() + " changes: "
            + String.join("; ", why.stream().limit(3).toList()) + (why.size() > 3 ? "; ..." : ""));
        restarts.add(new Change(0, Phase.RESTART, Action.RESTART, "service", service + "@" + node.name(), "", "", reason, "",
            Impact.NONE, List.of(), List.of(new Operation.RestartService(node.name(), service, reason))));
      }
    }
    return restarts;
  }
}
