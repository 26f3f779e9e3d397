package io.uctrust.desired;

import java.util.List;

/**
 * Which cluster nodes a document applies to: {@code all} (every node of the cluster that hosts the
 * service) or an explicit list of node names.
 */
public record NodeSelection(boolean all, List<String> names) {

  public static final NodeSelection ALL = new NodeSelection(true, List.of());

  public NodeSelection {
    names = all ? List.of() : List.copyOf(names);
  }

  public static NodeSelection of(List<String> names) {
    return new NodeSelection(false, names);
  }

  @Override
  public String toString() {
    return all ? "all" : names.toString();
  }
}
