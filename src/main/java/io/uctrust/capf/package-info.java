/**
 * Rules of Cisco's Certificate Authority Proxy Function (CAPF), the Unified CM service that installs, upgrades
 * and deletes the locally significant certificates (LSCs) of phones, written down as pure functions of the
 * guide's tables so that planning and validation can ask them without a cluster.
 *
 * <p>Not for: the CAPF wire protocol, talking to phones or to Unified CM (the {@code target} packages), or
 * issuing certificates ({@code io.uctrust.pki}).
 */
package io.uctrust.capf;
