package io.uctrust.target.cucm.axl;

/**
 * A phone security profile as AXL names its fields: model ({@code phoneType}, e.g. {@code "Cisco 8845"}),
 * {@code protocol} ({@code "SIP"}), device security mode, transport, SIP OAuth
 * ({@code EnableOAuthAuthentication} in AXL), TFTP encrypted config, digest authentication, and the CAPF
 * defaults of phones using it. {@code null} means absent: not returned, or left out of an add/update.
 *
 * <p>{@code listPhoneSecurityProfiles} fills only the fields AXL's list operation returns (not SIP OAuth,
 * key order or EC key size); use {@code getPhoneSecurityProfile} for those. Not for: phone CAPF
 * operations (see {@link CapfUpdate}).
 */
public record PhoneSecurityProfile(String name, String description, String phoneType, String protocol,
    String deviceSecurityMode, String transportType, Boolean enableOAuthAuthentication, Boolean tftpEncryptedConfig,
    Boolean enableDigestAuthentication, String authenticationMode, Integer keySize, String keyOrder, Integer ecKeySize,
    Integer sipPhonePort) {}
