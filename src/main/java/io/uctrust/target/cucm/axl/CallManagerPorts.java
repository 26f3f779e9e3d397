package io.uctrust.target.cucm.axl;

/**
 * One Unified CM node (AXL's {@code CallManager}, named like the server) and its SIP OAuth ports: phone
 * ({@code sipOAuthPort}, default 5090) and MRA ({@code sipOAuthMRAPort}, default 5091). A port is
 * {@code null} when the cluster did not return it (before 12.5).
 *
 * <p>Not for: the node's other ports or settings.
 */
public record CallManagerPorts(String name, Integer sipOAuthPort, Integer sipOAuthMraPort) {}
