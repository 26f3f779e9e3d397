package io.uctrust.target.cucm.axl;

import io.uctrust.desired.PhoneCertificatePolicySpec;
import io.uctrust.desired.SipOAuthSpec;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one table between uctrust's desired-state enums and the texts AXL uses for them (certificate
 * operation, authentication mode, key order, device security mode, transport type, protocol), in both
 * directions, plus how a list of X.509 subject names is written in AXL's single Expressway-C field. The
 * real-cluster adapter reads and writes AXL with it, and the lab's AXL server answers with it, so the two
 * cannot drift apart. Texts are matched exactly (AXL answers them as it was sent them).
 *
 * <p>Not for: read-only AXL texts without a desired-state counterpart (certificate status), or texts of
 * other AXL fields.
 */
public final class AxlTexts {
  private AxlTexts() {}

  public static final Map<PhoneCertificatePolicySpec.Operation, String> CERTIFICATE_OPERATIONS = table(
      PhoneCertificatePolicySpec.Operation.class,
      PhoneCertificatePolicySpec.Operation.INSTALL_UPGRADE, CapfUpdate.INSTALL_UPGRADE,
      PhoneCertificatePolicySpec.Operation.DELETE, CapfUpdate.DELETE,
      PhoneCertificatePolicySpec.Operation.TROUBLESHOOT, CapfUpdate.TROUBLESHOOT,
      PhoneCertificatePolicySpec.Operation.NONE, CapfUpdate.NO_PENDING_OPERATION);

  public static final Map<PhoneCertificatePolicySpec.AuthenticationMode, String> AUTHENTICATION_MODES = table(
      PhoneCertificatePolicySpec.AuthenticationMode.class,
      PhoneCertificatePolicySpec.AuthenticationMode.AUTH_STRING, CapfUpdate.BY_AUTHENTICATION_STRING,
      PhoneCertificatePolicySpec.AuthenticationMode.NULL_STRING, CapfUpdate.BY_NULL_STRING,
      PhoneCertificatePolicySpec.AuthenticationMode.EXISTING_CERTIFICATE_LSC, CapfUpdate.BY_EXISTING_LSC,
      PhoneCertificatePolicySpec.AuthenticationMode.EXISTING_CERTIFICATE_MIC, CapfUpdate.BY_EXISTING_MIC);

  public static final Map<PhoneCertificatePolicySpec.KeyOrder, String> KEY_ORDERS = table(
      PhoneCertificatePolicySpec.KeyOrder.class,
      PhoneCertificatePolicySpec.KeyOrder.RSA_ONLY, "RSA Only",
      PhoneCertificatePolicySpec.KeyOrder.EC_ONLY, "EC Only",
      PhoneCertificatePolicySpec.KeyOrder.EC_PREFERRED, "EC Preferred, RSA Backup");

  public static final Map<SipOAuthSpec.DeviceSecurityMode, String> DEVICE_SECURITY_MODES = table(
      SipOAuthSpec.DeviceSecurityMode.class,
      SipOAuthSpec.DeviceSecurityMode.NON_SECURE, "Non Secure",
      SipOAuthSpec.DeviceSecurityMode.AUTHENTICATED, "Authenticated",
      SipOAuthSpec.DeviceSecurityMode.ENCRYPTED, "Encrypted");

  public static final Map<SipOAuthSpec.Transport, String> TRANSPORTS = table(
      SipOAuthSpec.Transport.class,
      SipOAuthSpec.Transport.TCP, "TCP",
      SipOAuthSpec.Transport.UDP, "UDP",
      SipOAuthSpec.Transport.TLS, "TLS",
      SipOAuthSpec.Transport.TCP_UDP, "TCP+UDP");

  public static final Map<SipOAuthSpec.Protocol, String> PROTOCOLS = table(
      SipOAuthSpec.Protocol.class,
      SipOAuthSpec.Protocol.SIP, "SIP",
      SipOAuthSpec.Protocol.SCCP, "SCCP");

  public static String text(PhoneCertificatePolicySpec.Operation value) {
    return CERTIFICATE_OPERATIONS.get(value);
  }

  public static String text(PhoneCertificatePolicySpec.AuthenticationMode value) {
    return AUTHENTICATION_MODES.get(value);
  }

  public static String text(PhoneCertificatePolicySpec.KeyOrder value) {
    return KEY_ORDERS.get(value);
  }

  public static String text(SipOAuthSpec.DeviceSecurityMode value) {
    return DEVICE_SECURITY_MODES.get(value);
  }

  public static String text(SipOAuthSpec.Transport value) {
    return TRANSPORTS.get(value);
  }

  public static String text(SipOAuthSpec.Protocol value) {
    return PROTOCOLS.get(value);
  }

  public static Optional<PhoneCertificatePolicySpec.Operation> certificateOperation(String text) {
    return find(CERTIFICATE_OPERATIONS, text);
  }

  public static Optional<PhoneCertificatePolicySpec.AuthenticationMode> authenticationMode(String text) {
    return find(AUTHENTICATION_MODES, text);
  }

  public static Optional<PhoneCertificatePolicySpec.KeyOrder> keyOrder(String text) {
    return find(KEY_ORDERS, text);
  }

  public static Optional<SipOAuthSpec.DeviceSecurityMode> deviceSecurityMode(String text) {
    return find(DEVICE_SECURITY_MODES, text);
  }

  public static Optional<SipOAuthSpec.Transport> transport(String text) {
    return find(TRANSPORTS, text);
  }

  public static Optional<SipOAuthSpec.Protocol> protocol(String text) {
    return find(PROTOCOLS, text);
  }

  /**
   * The names of {@code X509SubjectNameorSubjectAlternateName}: Unified CM takes several names separated by
   * spaces or commas (uctrust writes spaces, see {@link #subjectNamesText}).
   */
  public static List<String> subjectNames(String text) {
    if (text == null || text.isBlank()) {
      return List.of();
    }
    return Arrays.stream(text.strip().split("[\\s,]+")).filter(s -> !s.isEmpty()).toList();
  }

  /** The AXL text of a list of subject names: separated by one space. */
  public static String subjectNamesText(List<String> names) {
    return String.join(" ", names);
  }

  private static <E extends Enum<E>> Optional<E> find(Map<E, String> table, String text) {
    if (text == null) {
      return Optional.empty();
    }
    return table.entrySet().stream().filter(e -> e.getValue().equals(text)).map(Map.Entry::getKey).findFirst();
  }

  /** A complete, unmodifiable table: a constant added to an enum without a text fails at class load. */
  @SuppressWarnings("unchecked")
  private static <E extends Enum<E>> Map<E, String> table(Class<E> type, Object... pairs) {
    Map<E, String> table = new EnumMap<>(type);
    for (int i = 0; i < pairs.length; i += 2) {
      table.put((E) pairs[i], (String) pairs[i + 1]);
    }
    if (table.size() != type.getEnumConstants().length) {
      throw new IllegalStateException("AxlTexts has no text for some constants of " + type.getName());
    }
    return Collections.unmodifiableMap(table);
  }
}
