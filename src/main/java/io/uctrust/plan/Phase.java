package io.uctrust.plan;

/**
 * The order the Cisco guides impose, and the order changes run in: trust first (a node rejects an
 * identity whose CA it does not trust, and CAPF must trust an online CA before switching to it), then
 * settings and identities, then removals of old trust, then the restarts those changes need (node by
 * node, each service once), then the check that each node serves its new identities over TLS (a change is
 * done only when the node serves it), and phone operations last, when the services they depend on are back.
 */
public enum Phase {
  TRUST,
  SETTINGS,
  IDENTITY,
  TRUST_CLEANUP,
  RESTART,
  VERIFY,
  PHONES,
  MANUAL
}
