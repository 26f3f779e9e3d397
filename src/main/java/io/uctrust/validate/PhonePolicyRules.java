package io.uctrust.validate;

import io.uctrust.desired.DesiredState;
import io.uctrust.desired.Document;
import io.uctrust.desired.PhoneCertificatePolicySpec;
import io.uctrust.desired.PhoneCertificatePolicySpec.AuthenticationMode;
import io.uctrust.desired.PhoneCertificatePolicySpec.KeyOrder;
import io.uctrust.desired.PhoneCertificatePolicySpec.Operation;
import io.uctrust.desired.PhoneCertificatePolicySpec.Selector;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;

/**
 * Phone CAPF policy rules from the CAPF guide: a selector that selects something; an operation with an
 * authentication mode, and a string for auth-string; key settings that fit the key order; a completion
 * time that is real and not already past; warnings for models that cannot verify SHA-256 LSCs.
 */
final class PhonePolicyRules implements Rule {

  @Override
  public void check(DesiredState state, RuleContext context) {
    for (Document<PhoneCertificatePolicySpec> doc : state.phonePolicies()) {
      PhoneCertificatePolicySpec spec = doc.spec();
      selector(doc, spec.selector(), context);
      operation(doc, spec, context);
      key(doc, spec, context);
      completeBy(doc, spec, context);
    }
  }

  private static void selector(Document<?> doc, Selector selector, RuleContext context) {
    if (selector == null) {
      return;
    }
    boolean criteria = !selector.devicePools().isEmpty() || !selector.models().isEmpty() || !selector.names().isEmpty()
        || selector.lsc() != null;
    if (Boolean.TRUE.equals(selector.all()) && criteria) {
      context.error(doc, "spec.selector.all", "selector", "all: true selects every phone; it cannot be combined with other criteria",
          null);
    } else if (!Boolean.TRUE.equals(selector.all()) && !criteria) {
      context.error(doc, "spec.selector", "selector", "the selector selects nothing",
          "give devicePools, models, names or lsc, or all: true for every phone");
    }
    if (selector.lsc() != null) {
      boolean expiring = selector.lsc().expiresWithinDays() != null;
      boolean missing = Boolean.TRUE.equals(selector.lsc().missing());
      if (expiring && missing) {
        context.error(doc, "spec.selector.lsc", "selector", "give lsc.expiresWithinDays or lsc.missing, not both",
            "use two policies to renew expiring LSCs and install missing ones");
      } else if (!expiring && !missing) {
        context.error(doc, "spec.selector.lsc", "selector", "lsc needs expiresWithinDays or missing: true", null);
      }
    }
    for (int i = 0; i < selector.models().size(); i++) {
      String model = selector.models().get(i);
      if (io.uctrust.capf.LegacyPhoneModels.includes(model)) {
        context.warning(doc, "spec.selector.models[" + i + "]", "sha256-lsc", "'" + model + "' phones (7900/8900/9900 series) "
            + "cannot verify SHA-256 signed LSCs, which CAPF issues from 11.5(1)SU1", "check the phone firmware before renewing");
      }
    }
  }

  private static void operation(Document<?> doc, PhoneCertificatePolicySpec spec, RuleContext context) {
    if (spec.operation() == null) {
      return;
    }
    if (spec.operation() == Operation.NONE) {
      if (spec.authentication() != null || spec.key() != null || spec.completeBy() != null) {
        context.warning(doc, "spec.operation", "ignored", "with operation none (No Pending Operation) the CAPF fields "
            + "authentication, key and completeBy are not set", "CAPF fields change only together with an operation");
      }
      return;
    }
    if (spec.authentication() == null) {
      context.error(doc, "spec.operation", "authentication", "operation " + io.uctrust.desired.Spelling.Of.yaml(spec.operation())
          + " needs spec.authentication (the mode phones use to authenticate to CAPF)", null);
      return;
    }
    AuthenticationMode mode = spec.authentication().mode();
    if (mode == AuthenticationMode.AUTH_STRING && spec.authentication().string() == null) {
      context.error(doc, "spec.authentication", "authentication", "mode auth-string needs spec.authentication.string",
          "env:NAME, file:PATH or generate-unique");
    }
    if (mode != null && mode != AuthenticationMode.AUTH_STRING && spec.authentication().string() != null) {
      context.warning(doc, "spec.authentication.string", "ignored", "the authentication string is used only with mode auth-string",
          null);
    }
    if (mode == AuthenticationMode.EXISTING_CERTIFICATE_MIC) {
      context.warning(doc, "spec.authentication.mode", "mic", "authenticating by MIC trusts Cisco's manufacturing roots",
          "the CAPF guide recommends using MICs only to install LSCs, then LSCs");
    }
  }

  private static void key(Document<?> doc, PhoneCertificatePolicySpec spec, RuleContext context) {
    if (spec.key() == null || spec.key().order() == null) {
      return;
    }
    if (spec.key().order() == KeyOrder.EC_ONLY && spec.key().rsaSize() != null) {
      context.warning(doc, "spec.key.rsaSize", "ignored", "rsaSize is not used with key order ec-only", null);
    }
    if (spec.key().order() == KeyOrder.RSA_ONLY && spec.key().ecSize() != null) {
      context.warning(doc, "spec.key.ecSize", "ignored", "ecSize is not used with key order rsa-only", null);
    }
  }

  private static void completeBy(Document<?> doc, PhoneCertificatePolicySpec spec, RuleContext context) {
    if (spec.completeBy() == null || !spec.completeBy().matches("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}$")) {
      return;
    }
    try {
      LocalDateTime deadline = LocalDateTime.parse(spec.completeBy());
      if (deadline.isBefore(LocalDateTime.now(context.clock()))) {
        context.warning(doc, "spec.completeBy", "deadline-passed", "completeBy " + spec.completeBy() + " has passed; "
            + "operations will fail as User Initiated Request Late/Timedout", "move the deadline");
      }
    } catch (DateTimeParseException e) {
      context.error(doc, "spec.completeBy", "format", "spec.completeBy: '" + spec.completeBy() + "' is not a real date and time",
          null);
    }
  }
}
