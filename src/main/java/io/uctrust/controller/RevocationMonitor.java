package io.uctrust.controller;

import io.uctrust.observed.ObservedCluster;
import io.uctrust.pki.ChainValidator;
import io.uctrust.pki.OcspChecker;
import io.uctrust.pki.OcspException;
import io.uctrust.pki.Pem;
import io.uctrust.pki.Revocation;
import io.uctrust.pki.RevocationStatus;
import java.io.IOException;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.security.auth.x500.X500Principal;

/**
 * The OCSP revocation check of Unified CM's Certificate Revocation page, run by the controller: asks the OCSP
 * responder (the configured one, or the one each certificate names in its Authority Information Access) about every
 * CA-signed service identity of every node and about the CA certificates above it up to its self-signed root, which
 * is what a node validates when it uses the identity. The issuer each request needs is found in the nodes' trust
 * stores (a node could not use an identity whose chain it does not hold). Self-signed certificates are skipped:
 * revocation does not apply to them. Runs only when OCSP is enabled.
 *
 * <p>Each distinct certificate is asked about once per check, however many nodes share it. A revoked certificate
 * raises {@link NotificationType#CERTIFICATE_REVOKED} (key {@code cluster/node/service/sha256}, or
 * {@code cluster/CA/sha256} for a CA); the report's {@link Report#revoked()} feeds the planner, which re-issues a
 * revoked identity on the next reconcile. Checks that give no verified answer (unreachable or misbehaving
 * responder, or a status the responder does not know) raise one {@link NotificationType#REVOCATION_CHECK_FAILED} per
 * responder listing the certificates; an issuer missing from every trust store raises one per certificate. Once a
 * responder is unreachable, the run's other certificates for it are not asked (each would wait for the timeout).
 * Certificates that name no responder while none is configured are reported as such, without a notification.
 *
 * <p>Not for: phone LSCs (their certificates are not observed, only serials), CRLs, or storing results (the
 * {@link RevokedCertificates} store keeps what the planner needs).
 */
public final class RevocationMonitor {
  private final OcspChecker checker;
  private final Clock clock;

  public RevocationMonitor(OcspChecker checker, Clock clock) {
    this.checker = Objects.requireNonNull(checker, "checker");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * One certificate's check: where it is ({@code node} and {@code service} for an identity; {@code node} null and
   * {@code service} {@code CA} for a CA certificate above identities), its facts, and either the verified status or
   * why there is none ({@code problem}).
   */
  public record Check(String node, String service, ObservedCluster.Certificate certificate, RevocationStatus status,
      String problem) {
    public Check {
      Objects.requireNonNull(service, "service");
      Objects.requireNonNull(certificate, "certificate");
      if ((status == null) == (problem == null)) {
        throw new IllegalArgumentException("a check has either a status or a problem");
      }
    }

    /** Whether the responder said revoked. */
    public boolean revoked() {
      return status != null && status.revoked();
    }
  }

  /** What one run found for {@code cluster}: every check, and the notifications to send. */
  public record Report(String cluster, Instant checkedAt, List<Check> checks, List<Notification> notifications) {
    public Report {
      checks = List.copyOf(checks);
      notifications = List.copyOf(notifications);
    }

    /** The revoked certificates by SHA-256, for {@code Planner.withRevoked}. */
    public Map<String, Revocation> revoked() {
      Map<String, Revocation> revoked = new LinkedHashMap<>();
      checks.stream().filter(Check::revoked).forEach(c -> revoked.putIfAbsent(c.certificate().sha256(),
          Revocation.of(c.certificate().sha256(), c.status(), checkedAt)));
      return revoked;
    }

    /** SHA-256 of the certificates a responder said are good (no longer revoked, if they were). */
    public Set<String> good() {
      Set<String> good = new LinkedHashSet<>();
      checks.stream().filter(c -> c.status() != null && c.status().state() == RevocationStatus.State.GOOD)
          .forEach(c -> good.add(c.certificate().sha256()));
      return good;
    }
  }

  /** What a certificate was asked about in this run: its status or its problem, and the responder asked. */
  private record Answer(RevocationStatus status, String problem, URI responder) {}

  /** Checks {@code cluster} under {@code settings}; an empty report when OCSP is not enabled. */
  public Report check(ObservedCluster cluster, MonitoringSettings settings) {
    Instant now = clock.instant();
    if (!settings.ocspEnabled()) {
      return new Report(cluster.name(), now, List.of(), List.of());
    }
    Map<String, Answer> answers = new HashMap<>();
    Map<URI, String> unreachable = new HashMap<>();
    List<Check> checks = new ArrayList<>();
    Map<String, ObservedCluster.Certificate> cas = new LinkedHashMap<>();
    List<Notification> notifications = new ArrayList<>();
    for (ObservedCluster.Node node : cluster.nodes()) {
      for (ObservedCluster.Identity identity : node.identities()) {
        ObservedCluster.Certificate c = identity.certificate();
        X509Certificate leaf = identity.selfSigned() ? null : parse(c);
        if (leaf == null || ChainValidator.selfSigned(leaf)) {
          continue;
        }
        String service = identity.service().yaml();
        Answer answer = answers.computeIfAbsent(c.sha256(), s -> ask(leaf, cluster, node, settings, unreachable));
        checks.add(new Check(node.name(), service, c, answer.status(), answer.problem()));
        // the CAs above it, each once per run, whichever node's trust store holds them
        X509Certificate child = leaf;
        for (int depth = 0; depth < 10; depth++) {
          ObservedCluster.Certificate issuer = issuer(child, cluster, node);
          X509Certificate parent = issuer == null ? null : parse(issuer);
          if (parent == null || ChainValidator.selfSigned(parent) || cas.containsKey(issuer.sha256())) {
            break;
          }
          cas.put(issuer.sha256(), issuer);
          Answer ca = answers.computeIfAbsent(issuer.sha256(), s -> ask(parent, cluster, node, settings, unreachable));
          checks.add(new Check(null, "CA", issuer, ca.status(), ca.problem()));
          child = parent;
        }
      }
    }
    for (Check check : checks) {
      if (check.revoked()) {
        notifications.add(revoked(cluster, check, settings));
      }
    }
    notifications.addAll(failures(cluster, checks, answers, settings));
    return new Report(cluster.name(), now, checks, notifications);
  }

  private Answer ask(X509Certificate certificate, ObservedCluster cluster, ObservedCluster.Node node,
      MonitoringSettings settings, Map<URI, String> unreachable) {
    String subject = certificate.getSubjectX500Principal().getName();
    ObservedCluster.Certificate issuer = issuer(certificate, cluster, node);
    URI responder;
    try {
      responder = settings.ocspResponder() != null ? settings.ocspResponder()
          : OcspChecker.responderOf(certificate).orElse(null);
    } catch (OcspException e) {
      return new Answer(null, e.getMessage(), null);
    }
    if (issuer == null) {
      return new Answer(null, "its issuer " + certificate.getIssuerX500Principal().getName() + " is in no trust store "
          + "of the cluster, so the OCSP request cannot name it", null);
    }
    if (responder != null && unreachable.containsKey(responder)) {
      return new Answer(null, "not asked: " + responder + " was unreachable for " + unreachable.get(responder)
          + " in this run", responder);
    }
    try {
      RevocationStatus status = checker.check(certificate, parse(issuer), settings.ocspResponder());
      if (status.state() == RevocationStatus.State.UNKNOWN) {
        return new Answer(null, "the responder does not know " + subject + " (status unknown)", responder);
      }
      return new Answer(status, null, responder);
    } catch (OcspException e) {
      if (e.getCause() instanceof IOException && responder != null) {
        unreachable.put(responder, subject);
      }
      return new Answer(null, e.getMessage(), responder);
    }
  }

  /**
   * The certificate in a trust store of the cluster that issued {@code child}: the node's own stores first, then
   * any node's; by name and signature, so a namesake with another key is not taken.
   */
  private static ObservedCluster.Certificate issuer(X509Certificate child, ObservedCluster cluster,
      ObservedCluster.Node first) {
    List<ObservedCluster.Node> order = new ArrayList<>();
    order.add(first);
    cluster.nodes().stream().filter(n -> n != first).forEach(order::add);
    for (ObservedCluster.Node node : order) {
      for (ObservedCluster.TrustEntry entry : node.trust()) {
        ObservedCluster.Certificate candidate = entry.certificate();
        if (!named(candidate.subject(), child.getIssuerX500Principal())) {
          continue;
        }
        X509Certificate parsed = parse(candidate);
        if (parsed != null && ChainValidator.signedBy(child, parsed)) {
          return candidate;
        }
      }
    }
    return null;
  }

  /** Whether the RFC 2253 name {@code subject} is {@code name}, compared as X.500 names (case, spacing). */
  private static boolean named(String subject, X500Principal name) {
    try {
      return new X500Principal(subject).equals(name);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static X509Certificate parse(ObservedCluster.Certificate certificate) {
    if (certificate.pem() == null) {
      return null;
    }
    try {
      return Pem.certificate(certificate.pem());
    } catch (RuntimeException e) {
      return null; // not a certificate this check can use; the node's own checks report it
    }
  }

  private Notification revoked(ObservedCluster cluster, Check check, MonitoringSettings settings) {
    ObservedCluster.Certificate c = check.certificate();
    RevocationStatus status = check.status();
    boolean ca = check.node() == null;
    String key = cluster.name() + "/" + (ca ? "CA" : check.node() + "/" + check.service()) + "/" + c.sha256();
    String what = ca ? "CA certificate " + c.commonName() : check.service() + " of " + check.node();
    String text = (ca ? "The CA certificate " + c.subject() + ", which issued identities of " + cluster.name()
        + ", is " : "The " + check.service() + " identity certificate " + c.subject() + " of " + check.node() + " is ")
        + status.describe() + ". " + (ca ? "Identities it issued must be re-issued under another CA."
            : "The next reconcile issues a new one when the desired state manages this identity.");
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("cluster", cluster.name());
    if (!ca) {
      facts.put("node", check.node());
    }
    facts.put("service", check.service());
    facts.put("subject", c.subject());
    facts.put("sha256", c.sha256());
    facts.put("revokedAt", status.revokedAt().toString());
    facts.put("reason", status.reason() == null ? "" : status.reason().word());
    facts.put("responder", String.valueOf(status.responder()));
    return Notification.of(NotificationType.CERTIFICATE_REVOKED, key, what + " is revoked", text, facts,
        settings.frequency(), clock);
  }

  /**
   * One notification per responder whose checks failed, listing each certificate once; one per certificate whose
   * check asked no responder (issuer missing, unreadable extension).
   */
  private List<Notification> failures(ObservedCluster cluster, List<Check> checks, Map<String, Answer> answers,
      MonitoringSettings settings) {
    Map<URI, Map<String, String>> byResponder = new LinkedHashMap<>();
    List<Notification> notifications = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (Check check : checks) {
      Answer answer = answers.get(check.certificate().sha256());
      if (check.problem() == null || !seen.add(check.certificate().sha256())) {
        continue;
      }
      ObservedCluster.Certificate c = check.certificate();
      if (answer.responder() != null) {
        byResponder.computeIfAbsent(answer.responder(), r -> new LinkedHashMap<>()).put(c.subject() + " (sha256 "
            + c.sha256() + ")", check.problem());
        continue;
      }
      String where = check.node() == null ? "CA" : check.node() + "/" + check.service();
      Map<String, String> facts = new LinkedHashMap<>();
      facts.put("cluster", cluster.name());
      facts.put("certificate", where);
      facts.put("subject", c.subject());
      facts.put("sha256", c.sha256());
      notifications.add(Notification.of(NotificationType.REVOCATION_CHECK_FAILED,
          cluster.name() + "/" + where + "/" + c.sha256(), "revocation of " + (check.node() == null
              ? "CA certificate " + c.commonName() : check.service() + " of " + check.node()) + " cannot be checked",
          "Cannot check " + c.subject() + ": " + check.problem() + ".", facts, settings.frequency(), clock));
    }
    byResponder.forEach((responder, problems) -> {
      StringBuilder text = new StringBuilder();
      problems.forEach((certificate, problem) -> text.append("- ").append(certificate).append(": ").append(problem)
          .append('\n'));
      Map<String, String> facts = new LinkedHashMap<>();
      facts.put("cluster", cluster.name());
      facts.put("responder", responder.toString());
      facts.put("certificates", Integer.toString(problems.size()));
      notifications.add(Notification.of(NotificationType.REVOCATION_CHECK_FAILED,
          cluster.name() + "/responder/" + responder, "OCSP checks at " + responder + " failed for "
              + (problems.size() == 1 ? "1 certificate" : problems.size() + " certificates") + " of " + cluster.name(),
          text.toString(), facts, settings.frequency(), clock));
    });
    return notifications;
  }
}
