package io.uctrust.plan;

import io.uctrust.cluster.Operation;
import io.uctrust.desired.CapfSpec;
import io.uctrust.desired.CapfSpec.CapfIssuer;
import io.uctrust.desired.CertificateSpec;
import io.uctrust.desired.Document;
import io.uctrust.desired.PhoneCertificatePolicySpec;
import io.uctrust.desired.PhoneCertificatePolicySpec.AuthenticationMode;
import io.uctrust.desired.PhoneCertificatePolicySpec.KeyOrder;
import io.uctrust.desired.PhoneCertificatePolicySpec.Selector;
import io.uctrust.desired.SipOAuthSpec;
import io.uctrust.desired.Spelling;
import io.uctrust.observed.ObservedCluster;
import io.uctrust.pki.Pem;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
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
    Set<String> issuers = lscIssuers(context);
    for (Document<PhoneCertificatePolicySpec> doc : context.documents(context.desired.state().phonePolicies())) {
      policy(context, doc, claimed, issuers);
    }
    PhoneLints.manufacturingRoots(context);
    Map<String, String> onboarded = new HashMap<>();
    for (Document<SipOAuthSpec> doc : context.documents(context.desired.state().sipOAuth())) {
      for (int i = 0; i < doc.spec().mraActivation().size(); i++) {
        mra(context, doc, i, onboarded);
      }
    }
  }

  /** How many phone names a change's reason lists before "and N more". */
  static final int NAMES_SHOWN = 5;

  /**
   * Subjects (RFC 2253) of the CAs whose LSCs count as "from the right issuer" for the issuer mode the desired
   * state sets (or the cluster has): the cluster's CAPF certificate, or the configured online/offline CA
   * certificates. Null when any issuer is accepted (no certificate to compare with).
   */
  static Set<String> lscIssuers(PlanContext context) {
    Document<CapfSpec> capf = context.capf().orElse(null);
    CapfIssuer issuer = context.capfIssuer();
    List<String> files = new ArrayList<>();
    if (issuer == CapfIssuer.CISCO_CAPF) {
      Set<String> subjects = new HashSet<>();
      context.publisher().ifPresent(p -> p.identities().stream().filter(i -> i.service() == CertificateSpec.Service.CAPF)
          .forEach(i -> subjects.add(i.certificate().subject())));
      return subjects.isEmpty() ? null : subjects;
    }
    if (capf == null) {
      return null;
    }
    if (issuer == CapfIssuer.ONLINE_CA && capf.spec().onlineCa() != null && capf.spec().onlineCa().caCertificate() != null) {
      files.add(capf.spec().onlineCa().caCertificate());
    } else if (issuer == CapfIssuer.OFFLINE_CA && capf.spec().offlineCa() != null) {
      files.addAll(capf.spec().offlineCa().caCertificates());
    }
    Set<String> subjects = new HashSet<>();
    for (String file : files) {
      for (String pem : context.desired.certificates(capf, file)) {
        Pem.certificates(pem).forEach(c -> subjects.add(c.getSubjectX500Principal().getName()));
      }
    }
    return subjects.isEmpty() ? null : subjects;
  }

  private static void policy(PlanContext context, Document<PhoneCertificatePolicySpec> doc, Map<String, String> claimed,
      Set<String> issuers) {
    PhoneCertificatePolicySpec spec = doc.spec();
    Instant now = context.clock.instant();
    KeyOrder order = spec.key() != null && spec.key().order() != null ? spec.key().order() : KeyOrder.RSA_ONLY;
    int rsa = spec.key() != null && spec.key().rsaSize() != null ? spec.key().rsaSize() : 2048;
    int ec = spec.key() != null && spec.key().ecSize() != null ? spec.key().ecSize() : 256;
    AuthenticationMode mode = spec.authentication() == null ? AuthenticationMode.NULL_STRING : spec.authentication().mode();
    Duration window = spec.selector().lsc() != null && spec.selector().lsc().expiresWithinDays() != null
        ? Duration.ofDays(spec.selector().lsc().expiresWithinDays()) : Duration.ZERO;
    List<String> touched = new ArrayList<>();
    List<String> held = new ArrayList<>();
    List<String> why = new ArrayList<>();
    List<String> heldWhy = new ArrayList<>();
    List<String> overlaps = new ArrayList<>();
    List<ObservedCluster.Phone> selected = new ArrayList<>();
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
      selected.add(phone);
      String missing = unsatisfied(spec, mode, order, rsa, ec, phone, now.plus(window), issuers);
      if (missing != null && !context.retryFailedPhones && failedWithSameSettings(phone, spec, mode, order, rsa, ec)) {
        if (held.size() < NAMES_SHOWN) {
          heldWhy.add(phone.name() + " (" + phone.capf().status() + ")");
        }
        held.add(phone.name());
        continue;
      }
      if (missing != null) {
        touched.add(phone.name());
        if (why.size() < NAMES_SHOWN) {
          why.add(phone.name() + " (" + missing + ")");
        }
        if (example == null) {
          example = phone;
        }
      }
    }
    if (!overlaps.isEmpty()) {
      context.notes.add(doc.address() + " also selects " + overlaps.size() + " phone(s) that an earlier policy claims, e.g. "
          + overlaps.get(0) + "; the earlier policy applies to them");
    }
    PhoneLints.check(context, doc, mode, selected);
    if (!held.isEmpty()) {
      context.add(Phase.MANUAL, Action.CHECK, "phone-capf", doc.address() + " (" + held.size() + " failed phone"
          + (held.size() == 1 ? "" : "s") + ")", "failed", capfText(spec.operation()), "the last attempt with these settings "
          + "failed: " + String.join(", ", heldWhy) + (held.size() > heldWhy.size() ? " and " + (held.size() - heldWhy.size())
          + " more" : "") + "; fix the cause (see 'uctrust lab phone' in the lab, the phone's CAPF status on a cluster) and "
          + "run 'uctrust reconcile --retry-failed'", context.desired.source(doc, "spec.selector"), Impact.NONE, held, List.of());
    }
    if (touched.isEmpty()) {
      return;
    }
    if (spec.completeBy() != null && LocalDateTime.parse(spec.completeBy()).toInstant(ZoneOffset.UTC).isBefore(now)) {
      context.notes.add(doc.address() + ": completeBy " + spec.completeBy() + " has passed; " + touched.size()
          + " selected phone(s) are not in the desired state (e.g. " + why.get(0) + ") and are left alone until completeBy "
          + "is moved");
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
    String names = String.join(", ", why) + (touched.size() > why.size() ? " and " + (touched.size() - why.size()) + " more" : "");
    context.add(Phase.PHONES, Action.UPDATE, "phone-capf", doc.address() + " (" + touched.size() + " phone"
        + (touched.size() == 1 ? "" : "s") + ")", example == null ? "" : before(example, now), after,
        "selected by " + doc.address() + " and not yet in that state: " + names, context.desired.source(doc, "spec.selector"),
        new Impact(List.of(), false, touched.size()), touched, operations);
  }

  /** The phone's last attempt failed, and it had the settings the policy sets: the same attempt would fail again. */
  static boolean failedWithSameSettings(ObservedCluster.Phone phone, PhoneCertificatePolicySpec spec, AuthenticationMode mode,
      KeyOrder order, int rsa, int ec) {
    ObservedCluster.PhoneCapf capf = phone.capf();
    return capf.status() != null && capf.status().contains("Failed") && capf.authenticationMode() == mode
        && capf.keyOrder() == order && capf.rsaSize() == rsa && capf.ecSize() == ec
        && Objects.equals(capf.completeBy(), spec.completeBy());
  }

  /**
   * Null when {@code phone} already satisfies the policy: the same operation is pending with the same settings
   * (in progress, or waiting for an offline CA), or the operation's result is in place (a fresh LSC from the right
   * issuer, no LSC after delete, a troubleshoot done). Else why not, in a few words. A phone whose last attempt
   * failed is not satisfied: the change sets the operation again.
   */
  static String unsatisfied(PhoneCertificatePolicySpec spec, AuthenticationMode mode, KeyOrder order, int rsa, int ec,
      ObservedCluster.Phone phone, Instant freshUntil, Set<String> issuers) {
    ObservedCluster.PhoneCapf capf = phone.capf();
    if (spec.operation() == PhoneCertificatePolicySpec.Operation.NONE) {
      return capf.operation() == PhoneCertificatePolicySpec.Operation.NONE ? null : capfText(capf.operation()) + " pending";
    }
    boolean sameSettings = capf.authenticationMode() == mode && capf.keyOrder() == order && capf.rsaSize() == rsa
        && capf.ecSize() == ec && Objects.equals(capf.completeBy(), spec.completeBy());
    if (capf.operation() == spec.operation() && sameSettings) {
      return null;
    }
    boolean failed = capf.status() != null && capf.status().contains("Failed");
    if (capf.operation() == PhoneCertificatePolicySpec.Operation.NONE && !failed) {
      switch (spec.operation()) {
        case INSTALL_UPGRADE:
          if (phone.lsc() != null && phone.lsc().notAfter().isAfter(freshUntil)
              && (issuers == null || phone.lsc().issuer() == null || issuers.contains(phone.lsc().issuer()))) {
            return null;
          }
          break;
        case DELETE:
          if (phone.lsc() == null) {
            return null;
          }
          break;
        default:
          if ("Troubleshoot Success".equals(capf.status())) {
            return null;
          }
      }
    }
    if (failed) {
      return capf.status();
    }
    if (capf.operation() != PhoneCertificatePolicySpec.Operation.NONE) {
      return capfText(capf.operation()) + " pending with other settings";
    }
    if (spec.operation() != PhoneCertificatePolicySpec.Operation.INSTALL_UPGRADE) {
      return spec.operation() == PhoneCertificatePolicySpec.Operation.DELETE ? "has an LSC" : "not troubleshot";
    }
    if (phone.lsc() == null) {
      return "no LSC";
    }
    return issuers != null && phone.lsc().issuer() != null && !issuers.contains(phone.lsc().issuer())
        ? "LSC from " + phone.lsc().issuer() : "LSC expires " + phone.lsc().notAfter().toString().substring(0, 10);
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
