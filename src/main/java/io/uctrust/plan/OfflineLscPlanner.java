package io.uctrust.plan;

import io.uctrust.cluster.Operation;
import io.uctrust.desired.CapfSpec;
import io.uctrust.desired.CapfSpec.CapfIssuer;
import io.uctrust.desired.Document;
import io.uctrust.desired.ResolvedDesired;
import io.uctrust.observed.ObservedCluster;
import io.uctrust.pki.CertificateFacts;
import io.uctrust.pki.ChainValidator;
import io.uctrust.pki.Csr;
import io.uctrust.pki.Pem;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The offline-CA round trip through the desired-state repository: for each CSR waiting in CAPF whose signed
 * certificate was committed to {@code offline-ca/signed/<phone>.pem}, CAPF's checks run in the plan (the
 * certificate is for the CSR's key, chains to an offline CA that is in CAPF-trust or uploaded by this plan, and is
 * valid now); a good certificate becomes an import, a bad one a manual step naming the phone and the problem.
 * One bad file blocks nothing else.
 *
 * <p>Not for: writing the pending CSRs (the reconciler does, after observing), or signing anything.
 */
final class OfflineLscPlanner {

  void plan(PlanContext context) {
    Document<CapfSpec> capf = context.capf().orElse(null);
    Map<String, String> signed = context.desired.signedLscs();
    if (signed.isEmpty() || context.capfIssuer() != CapfIssuer.OFFLINE_CA) {
      return;
    }
    List<X509Certificate> anchors = anchors(context, capf);
    Instant now = context.clock.instant();
    for (ObservedCluster.PendingCsr pending : context.observed.pendingCsrs()) {
      String text = signed.get(pending.phone());
      if (text == null) {
        continue;
      }
      String file = ResolvedDesired.OFFLINE_SIGNED + "/" + pending.phone() + ".pem";
      String problem = problem(text, pending, anchors, now);
      if (problem != null) {
        context.add(Phase.MANUAL, Action.MANUAL, "phone-lsc", pending.phone(), "CSR waiting for the offline CA",
            "LSC from " + file, file + " cannot be installed: " + problem + "; replace it with the certificate the offline "
                + "CA issued for " + ResolvedDesired.OFFLINE_PENDING + "/" + pending.phone() + ".csr", file, Impact.NONE,
            List.of(pending.phone()), List.of());
        continue;
      }
      X509Certificate leaf = ChainValidator.order(Pem.certificates(text)).get(0);
      context.add(Phase.PHONES, Action.CREATE, "phone-lsc", pending.phone(), "CSR waiting for the offline CA",
          "LSC " + leaf.getSerialNumber().toString(16) + " issued by " + leaf.getIssuerX500Principal().getName() + ", expires "
              + leaf.getNotAfter().toInstant().toString().substring(0, 10),
          "signed by the offline CA and committed to " + file, file, new Impact(List.of(), false, 1),
          List.of(pending.phone()), List.of(new Operation.ImportPhoneLsc(pending.phone(), text)));
    }
  }

  /** Why CAPF would refuse the committed certificate, or null when it accepts it. */
  static String problem(String text, ObservedCluster.PendingCsr pending, List<X509Certificate> anchors, Instant now) {
    List<X509Certificate> chain;
    try {
      chain = ChainValidator.order(Pem.certificates(text));
    } catch (RuntimeException e) {
      return "it is not a PEM certificate";
    }
    if (chain.isEmpty()) {
      return "it holds no certificate";
    }
    if (pending.pem() != null && !chain.get(0).getPublicKey().equals(Csr.parse(pending.pem()).publicKey())) {
      return "it is not for the key of the phone's pending CSR";
    }
    if (anchors.isEmpty()) {
      return "no offline CA certificate of the Capf document is in CAPF-trust";
    }
    ChainValidator.Result result = ChainValidator.validate(chain, anchors, now);
    return result.valid() ? null : "it does not chain to an offline CA in CAPF-trust (" + result.reason() + ")";
  }

  /** The offline CA certificates of the Capf document that are in CAPF-trust now or are uploaded by this plan. */
  private static List<X509Certificate> anchors(PlanContext context, Document<CapfSpec> capf) {
    Set<String> trusted = context.capfTrustAfterPlan();
    List<X509Certificate> anchors = new ArrayList<>();
    if (capf == null || capf.spec().offlineCa() == null) {
      return anchors;
    }
    for (String file : capf.spec().offlineCa().caCertificates()) {
      for (String pem : context.desired.certificates(capf, file)) {
        X509Certificate certificate = Pem.certificate(pem);
        if (trusted.contains(CertificateFacts.of(certificate).sha256())) {
          anchors.add(certificate);
        }
      }
    }
    return anchors;
  }
}
