/**
 * The platform admin CLI of Unified CM nodes (the {@code admin:} prompt reached over SSH), as uctrust uses
 * it for what has no API: the CAPF keepalive, SIP OAuth mode, stale LSCs and pending CSRs, and restarts of
 * services ControlCenterServices cannot restart (Cisco Tomcat). {@link io.uctrust.target.cucm.cli.AdminCli}
 * is the client (MINA SSHD, host keys verified against a known_hosts file, interactive shell with a
 * pseudo-terminal, strict output readers, redacted transcripts).
 *
 * <p>The name {@code cli} means the cluster's CLI. It is not uctrust's own command line, which is
 * {@code io.uctrust.cli}; nothing here parses uctrust's arguments or prints to uctrust's terminal.
 *
 * <p>Connecting:
 *
 * <pre>{@code
 * AdminCliSettings settings = AdminCliSettings.forHost("cucm-pub.example.com", Path.of("/etc/uctrust/known_hosts"))
 *     .withCommandTimeout(Duration.ofMinutes(2))
 *     .withRestartTimeout(Duration.ofMinutes(15));
 * try (AdminCli cli = AdminCli.connect(settings, AdminCliCredentials.password("platform-admin", resolvedPassword))) {
 *   cli.setCapfKeepAlive(15);
 *   if (!cli.sipOAuthMode()) {
 *     cli.setSipOAuthMode(true);
 *   }
 *   cli.restartService("Cisco Tomcat");
 * }
 * }</pre>
 *
 * <p>Not for: AXL, platform REST or ControlCenterServices (other adapters of the real-cluster target), or
 * the CAPF wire protocol.
 */
package io.uctrust.target.cucm.cli;
