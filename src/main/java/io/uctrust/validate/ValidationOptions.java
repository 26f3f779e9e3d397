package io.uctrust.validate;

/**
 * Switches for validation.
 *
 * @param allowLiteralSecrets accept literal secret values (a warning instead of an error); for lab and
 *     throw-away setups only
 * @param expiryWarningDays certificates expiring within this many days get a warning (when no Monitoring
 *     document says otherwise)
 */
public record ValidationOptions(boolean allowLiteralSecrets, int expiryWarningDays) {

  public static final ValidationOptions DEFAULTS = new ValidationOptions(false, 30);
}
