/**
 * ControlCenterServices, the SOAP service of every Unified CM and IM and Presence node that starts, stops
 * and restarts that node's services, as uctrust uses it after certificate changes (the restarts the
 * guides require: Cisco CallManager, Cisco Certificate Authority Proxy Function, Cisco XCP Router, ...).
 * Requests are written with our own StAX envelope writer; answers are read with the AXL adapter's
 * {@link io.uctrust.target.cucm.axl.SoapEnvelopeReader} into {@link io.uctrust.target.cucm.axl.XmlElement}s.
 *
 * <p>Building a client (one per node; the API acts only on the node it runs on):
 *
 * <pre>{@code
 * ControlCenterSettings settings = ControlCenterSettings.forNode("cucm-sub1.example.com")
 *     .withPolling(Duration.ofSeconds(5), Duration.ofMinutes(10));
 * SSLContext tls = AxlTls.context(List.of(nodeTomcatCertificateOrItsCa));
 * ControlCenterClient services = new ControlCenterClient(settings,
 *     new BasicCredentials("admin", resolvedPlatformPassword), tls);
 * services.restart("cucm-sub1", List.of("Cisco CallManager"));
 * }</pre>
 *
 * <p>Not for: Cisco Tomcat (the API runs inside it: the admin CLI restarts it), service activation, or
 * any other serviceability API (RisPort, PerfMon, log collection).
 */
package io.uctrust.target.cucm.services;
