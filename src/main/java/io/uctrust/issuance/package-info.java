/**
 * Getting service identity certificates from an external certificate authority over a standard enrollment
 * protocol: today ACME (RFC 8555) through acme4j, proving control of each DNS name with HTTP-01 or DNS-01. The
 * caller hands over a CSR and gets the chain back; private keys stay with whoever made the CSR.
 *
 * <p>Not for: the offline or online CAs uctrust runs itself ({@code io.uctrust.pki}), phone LSCs (CAPF issues
 * those), or deciding when a certificate needs renewing (planning does).
 */
package io.uctrust.issuance;
