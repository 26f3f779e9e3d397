package io.uctrust.plan;

import io.uctrust.cluster.Operation;
import io.uctrust.desired.Document;
import io.uctrust.desired.PhoneCertificatePolicySpec;
import io.uctrust.desired.PhoneCertificatePolicySpec.AuthenticationMode;
import io.uctrust.desired.PhoneCertificatePolicySpec.KeyOrder;
import io.uctrust.desired.PhoneCertificatePolicySpec.Selector;
import io.uctrust.desired.SipOAuthSpec;
import io.uctrust.desired.Spelling;
import io.uctrust.observed.ObservedCluster;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Phone changes: CAPF operations chosen by PhoneCertificatePolicy selectors, and MRA activation-code
 * onboarding. A phone already in the desired state (the same operation pending with the same settings,
 * or nothing to do) is not touched, so re-running is idempotent. When two policies select a phone, the
 * first in file order wins and the plan says so.
 */
final class PhonePlanner {

  /** Phones per operation: large policies become several operations, each a unit of progress. */
  static final int BATCH = 500;

  void plan(PlanContext context) {
    Map<String, String> claimed = new HashMap<>();
    for (Document<PhoneCertificatePolicySpec> doc : context.documents(context.desired.state().phonePolicies())) {
      policy(context, doc, claimed);
    }
    Map<String, String> onboarded = new HashMap<>();
    for (Document<SipOAuthSpec> doc : context.documents(context.desired.state().sipOAuth())) {
      for (int i = 0; i < doc.spec().mraActivation().size(); i++) {
        mra(context, doc, i, onboarded);
      }
    }
  }

  private static void policy(PlanContext context, Document<PhoneCertificatePolicySpec> doc, Map<String, String> claimed) {
    PhoneCertificatePolicySpec spec = doc.spec();
    Instant now = context.clock.instant();
    KeyOrder order = spec.key() != null && spec.key().order() != null ? spec.key().order() : KeyOrder.RSA_ONLY;
    int rsa = spec.key() != null && spec.key().rsaSize() != null ? spec.key().rsaSize() : 2048;
    int ec = spec.key() != null && spec.key().ecSize() != null ? spec.key().ecSize() : 256;
    AuthenticationMode mode = spec.authentication() == null ? AuthenticationMode.NULL_STRING : spec.authentication().mode();
    List<String> touched = new ArrayList<>();
    List<String> overlaps = new ArrayList<>();
    ObservedCluster.Phone example = null;
    for (ObservedCluster.Phone phone : context.observed.phones()) {
      if (!selects(spec.selector(), phone, now)) {
        continue;
      }
      String first = claimed.putIfAbsent(phone.name(), doc.name());
      if (first != null) {
        overlaps.add(phone.name() + " (" + first + ")");
        continue;
      }
      ObservedCluster.PhoneCapf capf = phone.capf();
      boolean satisfied = capf.operation() == spec.operation() && (spec.operation() == PhoneCertificatePolicySpec.Operation.NONE
          || capf.authenticationMode() == mode && capf.keyOrder() == order && capf.rsaSize() == rsa && capf.ecSize() == ec
          && Objects.equals(capf.completeBy(), spec.completeBy()));
      if (!satisfied) {
        touched.add(phone.name());
        if (example == null) {
          example = phone;
        }
      }
    }
    if (!overlaps.isEmpty()) {
      context.notes.add(doc.address() + " also selects " + overlaps.size() + " phone(s) that an earlier policy claims, e.g. "
          + overlaps.get(0) + "; the earlier policy applies to them");
    }
    if (touched.isEmpty()) {
      return;
    }
    List<Operation> operations = new ArrayList<>();
    for (int i = 0; i < touched.size(); i += BATCH) {
      operations.add(new Operation.SetPhoneCapf(touched.subList(i, Math.min(touched.size(), i + BATCH)), spec.operation(),
          mode, spec.authentication() == null ? null : context.desired.secret(doc, spec.authentication().string()), order, rsa, ec,
          spec.completeBy()));
    }
    String after = capfText(spec.operation()) + ", " + modeText(mode) + ", " + Spelling.Of.yaml(order)
        + (order == KeyOrder.EC_ONLY ? " EC " + ec : " RSA " + rsa) + (spec.completeBy() == null ? "" : ", by " + spec.completeBy())
        + (spec.authentication() != null && spec.authentication().string() != null
            ? ", authentication string " + spec.authentication().string() : "");
    context.add(Phase.PHONES, Action.UPDATE, "phone-capf", doc.address() + " (" + touched.size() + " phone"
        + (touched.size() == 1 ? "" : "s") + ")", example == null ? "" : before(example, now), after,
        "selected by " + doc.address() + " and not yet in that state", context.desired.source(doc, "spec.selector"),
        new Impact(List.of(), false, touched.size()), touched, operations);
  }

  static boolean selects(Selector selector, ObservedCluster.Phone phone, Instant now) {
    if (Boolean.TRUE.equals(selector.all())) {
      return true;
    }
    if (!selector.devicePools().isEmpty() && !selector.devicePools().contains(phone.devicePool())) {
      return false;
    }
    if (!selector.models().isEmpty() && !selector.models().contains(phone.model())) {
      return false;
    }
    if (!selector.names().isEmpty() && !selector.names().contains(phone.name())) {
      return false;
    }
    if (selector.lsc() != null) {
      if (Boolean.TRUE.equals(selector.lsc().missing())) {
        return phone.lsc() == null;
      }
      Integer days = selector.lsc().expiresWithinDays();
      return days != null && phone.lsc() != null && phone.lsc().notAfter().isBefore(now.plus(Duration.ofDays(days)));
    }
    return true;
  }

  private static String before(ObservedCluster.Phone phone, Instant now) {
    String lsc = phone.lsc() == null ? "no LSC" : phone.lsc().notAfter().isBefore(now)
        ? "LSC expired " + phone.lsc().notAfter().toString().substring(0, 10)
        : "LSC expires " + phone.lsc().notAfter().toString().substring(0, 10);
    return "e.g. " + phone.name() + ": " + capfText(phone.capf().operation()) + ", " + lsc;
  }

  static String capfText(PhoneCertificatePolicySpec.Operation operation) {
    return switch (operation) {
      case INSTALL_UPGRADE -> "Install/Upgrade";
      case DELETE -> "Delete";
      case TROUBLESHOOT -> "Troubleshoot";
      case NONE -> "No Pending Operation";
    };
  }

  static String modeText(AuthenticationMode mode) {
    return switch (mode) {
      case AUTH_STRING -> "By Authentication String";
      case NULL_STRING -> "By Null String";
      case EXISTING_CERTIFICATE_LSC -> "By Existing Certificate (precedence to LSC)";
      case EXISTING_CERTIFICATE_MIC -> "By Existing Certificate (precedence to MIC)";
    };
  }

  private static void mra(PlanContext context, Document<SipOAuthSpec> doc, int index, Map<String, String> onboarded) {
    SipOAuthSpec.MraActivation entry = doc.spec().mraActivation().get(index);
    Set<String> pools = new HashSet<>(entry.devicePools());
    Set<String> models = new HashSet<>(entry.models());
    List<String> touched = new ArrayList<>();
    List<String> overlaps = new ArrayList<>();
    String self = doc.address() + " mraActivation[" + index + "]";
    for (ObservedCluster.Phone phone : context.observed.phones()) {
      boolean selected = (pools.isEmpty() || pools.contains(phone.devicePool()))
          && (models.isEmpty() || models.contains(phone.model())) && !(pools.isEmpty() && models.isEmpty());
      if (!selected) {
        continue;
      }
      String first = onboarded.putIfAbsent(phone.name(), self);
      if (first != null) {
        overlaps.add(phone.name() + " (" + first + ")");
        continue;
      }
      boolean done = phone.mra().allowActivationCodeViaMra() && entry.serviceDomain().equals(phone.mra().serviceDomain())
          && entry.securityProfile().equals(phone.securityProfile());
      if (!done) {
        touched.add(phone.name());
      }
    }
    if (!overlaps.isEmpty()) {
      context.notes.add(self + " also selects " + overlaps.size() + " phone(s) that an earlier entry onboards, e.g. "
          + overlaps.get(0) + "; the earlier entry applies to them");
    }
    if (touched.isEmpty()) {
      return;
    }
    List<Operation> operations = new ArrayList<>();
    for (int i = 0; i < touched.size(); i += BATCH) {
      operations.add(new Operation.SetPhoneMra(touched.subList(i, Math.min(touched.size(), i + BATCH)), entry.serviceDomain(),
          entry.securityProfile()));
    }
    context.add(Phase.PHONES, Action.UPDATE, "phone-mra-activation", doc.address() + " mraActivation[" + index + "] ("
        + touched.size() + " phones)", "", "Allow Activation Code via MRA, service domain " + entry.serviceDomain()
        + ", profile " + entry.securityProfile(), "selected by " + doc.address(),
        context.desired.source(doc, "spec.mraActivation[" + index + "]"), new Impact(List.of(), false, touched.size()),
        touched, operations);
  }
}
