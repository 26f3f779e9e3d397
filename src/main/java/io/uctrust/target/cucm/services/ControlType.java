package io.uctrust.target.cucm.services;

/**
 * What {@code soapDoControlServices} is asked to do ({@code ControlType}), the state every service must
 * reach for the request to count as done, and the admin CLI verb that does the same
 * ({@code utils service <verb> <service>}).
 *
 * <p>Not for: service activation or deactivation ({@code soapDoServiceDeployment}, see
 * {@link ControlCenterClient#activate}).
 */
enum ControlType {
  START("Start", ServiceState.STARTED, "start", "started"),
  STOP("Stop", ServiceState.STOPPED, "stop", "stopped"),
  RESTART("Restart", ServiceState.STARTED, "restart", "restarted");

  private final String wireName;
  private final ServiceState target;
  private final String cliVerb;
  private final String participle;

  ControlType(String wireName, ServiceState target, String cliVerb, String participle) {
    this.wireName = wireName;
    this.target = target;
    this.cliVerb = cliVerb;
    this.participle = participle;
  }

  String wireName() {
    return wireName;
  }

  ServiceState target() {
    return target;
  }

  String cliVerb() {
    return cliVerb;
  }

  /** For messages: "cannot be restarted". */
  String participle() {
    return participle;
  }
}
