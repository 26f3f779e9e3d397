package io.uctrust.desired;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.hibernate.validator.constraints.Range;

/** CAPF operations on a selection of phones: which phones, what operation, how they authenticate. */
@Doc("CAPF operations on phones chosen by selector: which phones, which operation, how they authenticate and which key they generate.")
public record PhoneCertificatePolicySpec(
    @Doc("Which phones the policy applies to; every criterion given must match.") @NotNull @Valid Selector selector,
    @Doc("Certificate Operation: install-upgrade, delete, troubleshoot or none (No Pending Operation).")
        @NotNull Operation operation,
    @Doc("Authentication Mode, and the authentication string when the mode needs one.") @Valid Authentication authentication,
    @Doc("Key Order and key sizes the phone generates.") @Valid PhoneKey key,
    @Doc(value = "Operation Completes By, local time of the cluster, as YYYY-MM-DDTHH:MM; later operations fail as User Initiated Request Late/Timedout.",
        example = "\"2026-12-31T18:00\"")
        @Pattern(regexp = "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}$", message = "must be a local date and time such as 2026-12-31T18:00")
        String completeBy) {

  /** Certificate Operation. */
  public enum Operation {
    INSTALL_UPGRADE,
    DELETE,
    TROUBLESHOOT,
    NONE
  }

  /** Authentication Mode. */
  public enum AuthenticationMode {
    AUTH_STRING,
    NULL_STRING,
    EXISTING_CERTIFICATE_LSC,
    EXISTING_CERTIFICATE_MIC
  }

  /** Key Order. */
  public enum KeyOrder {
    RSA_ONLY,
    EC_ONLY,
    EC_PREFERRED
  }

  /** Selects phones from the cluster's snapshot. */
  @Doc("Selects phones. Criteria combine with AND; each list matches any of its entries.")
  public record Selector(
      @Doc("Select every phone of the cluster (must be the only criterion).") Boolean all,
      @Doc("Device pool names.") List<@Size(min = 1, max = 50) String> devicePools,
      @Doc("Phone models as Unified CM names them, such as \"Cisco 8865\".") List<@Size(min = 1, max = 100) String> models,
      @Doc("Device names: SEP and 12 hexadecimal digits.")
          List<@Pattern(regexp = NamePatterns.PHONE_NAME, message = NamePatterns.PHONE_NAME_MESSAGE) String> names,
      @Doc("Select by the phone's LSC.") @Valid LscCriterion lsc) {

    public Selector {
      devicePools = devicePools == null ? List.of() : List.copyOf(devicePools);
      models = models == null ? List.of() : List.copyOf(models);
      names = names == null ? List.of() : List.copyOf(names);
    }
  }

  /** LSC-based selection. */
  @Doc("Selects phones by their LSC: expiring within N days, or missing.")
  public record LscCriterion(
      @Doc("The LSC expires within this many days (expired ones included).") @Range(min = 1, max = 3650) Integer expiresWithinDays,
      @Doc("The phone has no LSC.") Boolean missing) {}

  /** Authentication Mode and string. */
  @Doc("How phones authenticate to CAPF.")
  public record Authentication(
      @Doc("auth-string (By Authentication String), null-string (By Null String), existing-certificate-lsc or existing-certificate-mic (By Existing Certificate, precedence to LSC or MIC).")
          @NotNull AuthenticationMode mode,
      @Doc("auth-string: the string as env:NAME or file:PATH, or generate-unique for a random 4-10 digit string per phone.")
          @Secret(allowGenerate = true) SecretRef string) {}

  /** Phone key generation. */
  @Doc("Key the phone generates; the private key never leaves the phone.")
  public record PhoneKey(
      @Doc("rsa-only, ec-only or ec-preferred (EC Preferred, RSA Backup).") KeyOrder order,
      @Doc("RSA key size: 512, 1024, 2048 (default), 3072 or 4096.") @OneOf({512, 1024, 2048, 3072, 4096}) Integer rsaSize,
      @Doc("EC key size: 256, 384 or 521.") @OneOf({256, 384, 521}) Integer ecSize) {}
}
