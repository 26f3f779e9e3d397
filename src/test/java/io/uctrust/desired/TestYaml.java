package io.uctrust.desired;

/** Desired-state snippets that many tests start from. */
public final class TestYaml {
  private TestYaml() {}

  /** The smallest valid Cluster: one publisher on the lab target (6 lines). */
  public static final String CLUSTER = """
      apiVersion: uctrust/v1
      kind: Cluster
      metadata: {name: lab}
      spec:
        target: {type: lab}
        nodes: [{name: cucm-pub.example.com, role: cucm-publisher}]
      """;
}
