/**
 * The platform certificate REST API of Unified CM, IM and Presence and Unity Connection nodes (14 and
 * later), one node at a time: {@link io.uctrust.target.cucm.platform.PlatformClient} reads identities and
 * trust stores, has the node generate CSRs, and uploads trusted certificates and CA-signed identities.
 * Cisco does not publish the API's schema; every path and field name uctrust uses is in
 * {@link io.uctrust.target.cucm.platform.PlatformApi}, marked as from the reference, observed, or assumed.
 *
 * <p>Building a client:
 *
 * <pre>{@code
 * PlatformSettings settings = PlatformSettings.forNode("cucm-sub1.example.com")   // https://<node>:443/platformcom/...
 *     .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(60))
 *     .withRequestsPerSecond(2);
 * SSLContext tls = AxlTls.context(List.of(nodeTomcatCertificateOrItsCa));
 * PlatformClient platform = new PlatformClient(settings, new BasicCredentials("osadmin", resolvedPassword), tls);
 * PlatformSnapshot now = platform.snapshot();
 * platform.uploadTrust(List.of("tomcat"), List.of(rootPem, intermediatePem), "corporate CA");
 * platform.uploadIdentity("tomcat", List.of(leafPem, intermediatePem, rootPem));
 * }</pre>
 *
 * <p>Not for: AXL, service control (restarting Cisco Tomcat after an identity change), the admin CLI, or
 * certificate monitor and OCSP settings (no API is known for those).
 */
package io.uctrust.target.cucm.platform;
