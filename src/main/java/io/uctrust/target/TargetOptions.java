package io.uctrust.target;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How to reach a cluster beyond what its Cluster document says.
 *
 * @param stateDir the lab's state folder (null: the default per cluster)
 * @param labPhones phones a new lab is created with
 * @param labLatency simulated time each lab operation takes (zero: none)
 */
public record TargetOptions(Path stateDir, int labPhones, Duration labLatency) {

  public static final int DEFAULT_LAB_PHONES = 200;

  public static TargetOptions defaults() {
    return new TargetOptions(null, DEFAULT_LAB_PHONES, Duration.ZERO);
  }
}
