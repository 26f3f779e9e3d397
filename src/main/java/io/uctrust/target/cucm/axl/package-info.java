/**
 * AXL, the SOAP interface of a Unified CM publisher, as uctrust uses it: our own envelope writer and
 * reader (StAX, no generated classes), our own schema of the request bodies we send
 * ({@code axl-subset.xsd}), and {@link io.uctrust.target.cucm.axl.AxlClient} with typed operations.
 *
 * <p>Building a client:
 *
 * <pre>{@code
 * AxlSettings settings = AxlSettings.forPublisher("cucm-pub.example.com", AxlVersion.V14_0)
 *     .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(60))
 *     .withRequestsPerSecond(5);
 * SSLContext tls = AxlTls.context(List.of(publisherTomcatCertificateOrItsCa));
 * AxlClient axl = new AxlClient(settings, new BasicCredentials("axl-user", resolvedPassword), tls);
 * List<Map<String, String>> rows = axl.queryPaged("SELECT name, lscvaliduntil FROM device", "name", 1000);
 * }</pre>
 *
 * <p>Not for: platform certificate management (REST), service control (ControlCenterServices) or the admin
 * CLI; those are other adapters of the real-cluster target.
 */
package io.uctrust.target.cucm.axl;
