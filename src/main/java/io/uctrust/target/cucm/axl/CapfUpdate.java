package io.uctrust.target.cucm.axl;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * The CAPF fields {@code updatePhone} sets on one phone: the certificate operation and how the phone
 * authenticates to CAPF, with the optional key settings, authentication string, deadline ("operation
 * completes by") and security profile. Values are AXL's texts (see the constants); {@code null} leaves a
 * field out of the request. Following the reference, key settings, string and deadline may only go with
 * an operation other than {@value #NO_PENDING_OPERATION}.
 *
 * <p>{@link #toString()} never shows the authentication string. Not for: keeping the string after the
 * request (resolve it from its secret reference when the operation runs).
 */
public record CapfUpdate(String certificateOperation, String authenticationMode, String authenticationString,
    Integer keySize, String keyOrder, Integer ecKeySize, String upgradeFinishTime, String securityProfileName) {

  public static final String NO_PENDING_OPERATION = "No Pending Operation";
  public static final String INSTALL_UPGRADE = "Install/Upgrade";
  public static final String DELETE = "Delete";
  public static final String TROUBLESHOOT = "Troubleshoot";

  public static final String BY_AUTHENTICATION_STRING = "By Authentication String";
  public static final String BY_NULL_STRING = "By Null String";
  public static final String BY_EXISTING_LSC = "By Existing Certificate (precedence to LSC)";
  public static final String BY_EXISTING_MIC = "By Existing Certificate (precedence to MIC)";

  /** How {@code upgradeFinishTime} is written: {@code YYYY:MM:DD:HH:MM} (cluster local time). */
  public static final DateTimeFormatter FINISH_TIME = DateTimeFormatter.ofPattern("uuuu:MM:dd:HH:mm");

  public CapfUpdate {
    Objects.requireNonNull(certificateOperation, "certificateOperation");
    Objects.requireNonNull(authenticationMode, "authenticationMode");
    if (NO_PENDING_OPERATION.equals(certificateOperation)
        && (authenticationString != null || keySize != null || keyOrder != null || ecKeySize != null
            || upgradeFinishTime != null)) {
      throw new IllegalArgumentException("CAPF key settings, authentication string and deadline can only be changed "
          + "together with an operation other than " + NO_PENDING_OPERATION);
    }
    if (BY_AUTHENTICATION_STRING.equals(authenticationMode) && authenticationString == null
        && !NO_PENDING_OPERATION.equals(certificateOperation)) {
      throw new IllegalArgumentException(BY_AUTHENTICATION_STRING + " needs an authentication string");
    }
  }

  /** The text of a deadline for {@code upgradeFinishTime}. */
  public static String finishTime(LocalDateTime deadline) {
    return FINISH_TIME.format(deadline);
  }

  @Override
  public String toString() {
    return "CapfUpdate[certificateOperation=" + certificateOperation + ", authenticationMode=" + authenticationMode
        + ", authenticationString=" + (authenticationString == null ? "null" : "<redacted>") + ", keySize=" + keySize
        + ", keyOrder=" + keyOrder + ", ecKeySize=" + ecKeySize + ", upgradeFinishTime=" + upgradeFinishTime
        + ", securityProfileName=" + securityProfileName + "]";
  }
}
