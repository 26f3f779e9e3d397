package io.uctrust.target;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * How to reach a cluster beyond what its Cluster document says.
 *
 * @param stateDir the lab's state folder (null: the default per cluster)
 * @param labPhones phones a new lab is created with
 * @param labLatency simulated time each lab operation takes (zero: none)
 * @param connectTo where connections to a real cluster's hosts go (curl's --connect-to)
 * @param environment where {@code env:} references of a real cluster's credentials are read
 */
public record TargetOptions(Path stateDir, int labPhones, Duration labLatency, ConnectTo connectTo,
    Map<String, String> environment) {

  public static final int DEFAULT_LAB_PHONES = 200;

  public TargetOptions {
    connectTo = connectTo == null ? ConnectTo.none() : connectTo;
    environment = environment == null ? Map.of() : Map.copyOf(environment);
  }

  public TargetOptions(Path stateDir, int labPhones, Duration labLatency) {
    this(stateDir, labPhones, labLatency, ConnectTo.none(), System.getenv());
  }

  /**
   * uctrust's own state folder when no {@code --state-dir} is given: {@code $XDG_STATE_HOME/uctrust}, else
   * {@code ~/.local/state/uctrust}; labs, git clones and the controller's database live below it.
   */
  public static Path defaultStateDir(Map<String, String> environment) {
    String xdg = environment.get("XDG_STATE_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "state");
    return base.resolve("uctrust");
  }

  /** The lab's simulated latency per request from {@code UCTRUST_LAB_LATENCY_MS} (0 to 999999 ms; none otherwise). */
  public static Duration labLatency(Map<String, String> environment) {
    String latency = environment.get("UCTRUST_LAB_LATENCY_MS");
    return latency != null && latency.matches("[0-9]{1,6}") ? Duration.ofMillis(Long.parseLong(latency)) : Duration.ZERO;
  }

  public static TargetOptions defaults() {
    return new TargetOptions(null, DEFAULT_LAB_PHONES, Duration.ZERO);
  }
}
