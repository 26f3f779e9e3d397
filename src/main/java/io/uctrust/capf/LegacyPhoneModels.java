package io.uctrust.capf;

import java.util.regex.Pattern;

/**
 * The 7900, 8900 and 9900 series of Cisco IP phones, as the CAPF guide singles them out: they cannot verify the
 * SHA-256 signatures of the LSCs CAPF issues from 11.5(1)SU1 on, and they generate RSA keys only.
 *
 * <p>Not for: other model capabilities (security profiles, protocols), which this project does not track.
 */
public final class LegacyPhoneModels {
  private static final Pattern SERIES = Pattern.compile("(?i)^Cisco (79|89|99)[0-9]{2}[A-Z]*$");

  private LegacyPhoneModels() {}

  /** Whether {@code model} (as Unified CM names it, e.g. "Cisco 7962") is of those series; false for null. */
  public static boolean includes(String model) {
    return model != null && SERIES.matcher(model).matches();
  }
}
