package io.uctrust.validate;

import io.uctrust.desired.DesiredState;

/**
 * One family of cross-field or cross-document checks taken from the Cisco guides. A rule reads the state
 * and reports through the context; it never changes anything and never throws for bad input.
 */
@FunctionalInterface
interface Rule {
  void check(DesiredState state, RuleContext context);
}
