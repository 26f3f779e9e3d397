package io.uctrust.plan;

import java.util.List;

/**
 * What a change costs: services restarted (as {@code service@node}), whether phones must download a new
 * trust list (ITL), and how many phones it touches.
 */
public record Impact(List<String> restarts, boolean trustListRefresh, int phones) {

  public static final Impact NONE = new Impact(List.of(), false, 0);

  public Impact {
    restarts = List.copyOf(restarts);
  }

  public static Impact restarting(List<String> restarts) {
    return new Impact(restarts, false, 0);
  }

  public boolean noEffect() {
    return restarts.isEmpty() && !trustListRefresh && phones == 0;
  }
}
