package io.uctrust.plan;

import io.uctrust.capf.LegacyPhoneModels;
import io.uctrust.desired.Document;
import io.uctrust.desired.PhoneCertificatePolicySpec;
import io.uctrust.desired.PhoneCertificatePolicySpec.AuthenticationMode;
import io.uctrust.desired.SipOAuthSpec.DeviceSecurityMode;
import io.uctrust.desired.TrustStoreSpec;
import io.uctrust.desired.TrustStoreSpec.Store;
import io.uctrust.observed.ObservedCluster;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Plan notes the CAPF guide implies about the phones a policy selects on the live cluster (the validator can
 * only see the YAML): models that cannot verify SHA-256 LSCs, and phones in authenticated or encrypted mode that
 * will not contact CAPF by themselves for an authentication string; and, once per cluster, Cisco's MIC roots
 * still in CallManager-trust.
 *
 * <p>Not for: anything that changes the plan's changes; these are notes.
 */
final class PhoneLints {
  private PhoneLints() {}

  static void check(PlanContext context, Document<PhoneCertificatePolicySpec> doc, AuthenticationMode mode,
      List<ObservedCluster.Phone> selected) {
    if (doc.spec().operation() != PhoneCertificatePolicySpec.Operation.INSTALL_UPGRADE) {
      return;
    }
    List<ObservedCluster.Phone> legacy = selected.stream().filter(p -> LegacyPhoneModels.includes(p.model()))
        .toList();
    if (!legacy.isEmpty()) {
      context.notes.add(doc.address() + " selects " + legacy.size() + " phone(s) of the 7900/8900/9900 series (e.g. "
          + legacy.get(0).name() + ", " + legacy.get(0).model() + "), which cannot verify the SHA-256 signatures of LSCs "
          + "CAPF issues since 11.5(1)SU1");
    }
    if (mode == AuthenticationMode.AUTH_STRING) {
      Map<String, DeviceSecurityMode> profiles = new HashMap<>();
      context.observed.sipOAuth().phoneSecurityProfiles().forEach(p -> profiles.put(p.name(), p.deviceSecurityMode()));
      List<ObservedCluster.Phone> secure = selected.stream().filter(p -> {
        DeviceSecurityMode security = profiles.get(p.securityProfile());
        return security != null && security != DeviceSecurityMode.NON_SECURE;
      }).toList();
      if (!secure.isEmpty()) {
        context.notes.add(doc.address() + " authenticates by string, but " + secure.size() + " selected phone(s) use an "
            + "authenticated or encrypted security profile (e.g. " + secure.get(0).name() + ", " + secure.get(0).securityProfile()
            + "): without a valid LSC they do not register and do not contact CAPF by themselves (the guide's 7942/7962 "
            + "example); use null-string or an existing certificate, or a non-secure profile until the LSC is installed");
      }
    }
  }

  /**
   * Cisco's MIC roots in CallManager-trust, when phones get LSCs and a TrustStore document manages CallManager-trust
   * without removing them (a store the desired state does not name is not uctrust's business).
   */
  static void manufacturingRoots(PlanContext context) {
    List<TrustStoreSpec> callManager = context.documents(context.desired.state().trustStores()).stream()
        .map(Document::spec).filter(s -> s.store() == Store.CALLMANAGER_TRUST).toList();
    boolean installs = context.documents(context.desired.state().phonePolicies()).stream()
        .anyMatch(d -> d.spec().operation() == PhoneCertificatePolicySpec.Operation.INSTALL_UPGRADE);
    if (!installs || callManager.isEmpty() || callManager.stream().anyMatch(s -> Boolean.TRUE.equals(s.removeManufacturingRoots()))) {
      return;
    }
    long nodes = context.observed.nodes().stream().filter(n -> n.trust().stream().anyMatch(t -> t.store() == Store.CALLMANAGER_TRUST
        && TrustStoreSpec.MANUFACTURING_ROOTS.contains(t.certificate().commonName()))).count();
    if (nodes > 0) {
      context.notes.add("CallManager-trust on " + nodes + " node(s) still holds Cisco's MIC roots "
          + String.join(", ", TrustStoreSpec.MANUFACTURING_ROOTS) + "; the CAPF guide recommends removing them once phones "
          + "use LSCs (set removeManufacturingRoots: true in a TrustStore document for CallManager-trust)");
    }
  }
}
