package io.uctrust.target.cucm.services;

import java.util.Objects;

/**
 * What one node reported about one of its services at one moment: the service name as the node spells it
 * (e.g. {@code Cisco CallManager}), its {@link ServiceState}, and the node's reason text when it gave one
 * ({@code ReasonCodeString}, e.g. {@code Service Not Activated}); {@code reason} is {@code null} otherwise.
 *
 * <p>Not for: desired state (what should run where is the planner's business), or comparing nodes: the
 * record does not say which node it came from.
 */
public record ServiceStatus(String name, ServiceState state, String reason) {
  public ServiceStatus {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(state, "state");
    reason = reason == null || reason.isBlank() ? null : reason.strip();
  }

  /** {@code Cisco CallManager is Starting (reason)}, for messages. */
  String describe() {
    return name + " is " + state + (reason == null ? "" : " (" + reason + ")");
  }
}
