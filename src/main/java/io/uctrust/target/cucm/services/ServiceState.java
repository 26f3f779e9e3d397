package io.uctrust.target.cucm.services;

import java.util.Locale;

/**
 * The state ControlCenterServices reports for one service on one node ({@code ServiceStatus} in its
 * answers): {@code Started}, {@code Stopped}, {@code Starting}, {@code Stopping} or {@code Unknown}.
 * A text the node sends that is none of these is read as {@link #UNKNOWN}.
 *
 * <p>Not for: whether a service is activated on the node (a deactivated service reports {@code Stopped}
 * with a reason), or the health of what the service does.
 */
public enum ServiceState {
  STARTED("Started"),
  STOPPED("Stopped"),
  STARTING("Starting"),
  STOPPING("Stopping"),
  UNKNOWN("Unknown");

  private final String wireName;

  ServiceState(String wireName) {
    this.wireName = wireName;
  }

  /** The text ControlCenterServices uses, e.g. {@code Started}. */
  public String wireName() {
    return wireName;
  }

  /** Reads the node's text, ignoring case and surrounding blanks; anything unrecognised is {@link #UNKNOWN}. */
  public static ServiceState of(String text) {
    if (text != null) {
      String wanted = text.strip().toLowerCase(Locale.ROOT);
      for (ServiceState state : values()) {
        if (state.wireName.toLowerCase(Locale.ROOT).equals(wanted)) {
          return state;
        }
      }
    }
    return UNKNOWN;
  }

  @Override
  public String toString() {
    return wireName;
  }
}
