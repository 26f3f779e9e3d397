package io.uctrust.target.cucm.axl;

/**
 * The CAPF-related fields of one phone as {@code getPhone} returns them. Absent or empty fields are
 * {@code null}. Values are AXL's texts ({@code "Install/Upgrade"}, {@code "By Null String"}, {@code "RSA
 * Only"}); {@code certificateStatus} is read-only ({@code "Upgrade Success"}, {@code "Upgrade Failed:
 * ..."}). The authentication string is deliberately not read.
 *
 * <p>Not for: bulk reads (use SQL on the {@code device} table), or changing a phone (see {@link CapfUpdate}).
 */
public record AxlPhone(String name, String securityProfileName, String certificateOperation, String authenticationMode,
    Integer keySize, String keyOrder, Integer ecKeySize, String upgradeFinishTime, String certificateStatus) {}
