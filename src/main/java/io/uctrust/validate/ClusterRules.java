package io.uctrust.validate;

import io.uctrust.desired.ClusterSpec;
import io.uctrust.desired.ClusterSpec.ClusterNode;
import io.uctrust.desired.ClusterSpec.NodeRole;
import io.uctrust.desired.ClusterSpec.Target;
import io.uctrust.desired.DesiredState;
import io.uctrust.desired.Document;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bouncycastle.util.IPAddress;

/** Cluster rules: unique nodes, one publisher of each product, addresses, target settings. */
final class ClusterRules implements Rule {

  @Override
  public void check(DesiredState state, RuleContext context) {
    for (Document<ClusterSpec> doc : state.clusters()) {
      ClusterSpec spec = doc.spec();
      nodes(doc, spec.nodes(), context);
      target(doc, spec.target(), context);
      if (spec.imAndPresence() != null && spec.nodes().stream().noneMatch(n -> n.role() != null && n.role().isImAndPresence())) {
        context.warning(doc, "spec.imAndPresence", "no-imp-nodes",
            "imAndPresence settings are given but the cluster has no IM and Presence node", "add imp-publisher nodes or remove the settings");
      }
    }
  }

  private static void nodes(Document<ClusterSpec> doc, List<ClusterNode> nodes, RuleContext context) {
    Map<String, Integer> seen = new HashMap<>();
    int cucmPublishers = 0;
    int impPublishers = 0;
    boolean impSubscriber = false;
    for (int i = 0; i < nodes.size(); i++) {
      ClusterNode node = nodes.get(i);
      String path = "spec.nodes[" + i + "]";
      if (node.name() != null) {
        Integer first = seen.putIfAbsent(node.name().toLowerCase(Locale.ROOT), i);
        if (first != null) {
          context.error(doc, path + ".name", "duplicate-node", "node '" + node.name() + "' is listed twice (also spec.nodes["
              + first + "])", null);
        }
        if (doc.spec().domain() != null && node.name().matches(io.uctrust.desired.NamePatterns.FQDN)
            && !node.name().toLowerCase(Locale.ROOT).endsWith("." + doc.spec().domain().toLowerCase(Locale.ROOT))) {
          context.warning(doc, path + ".name", "node-domain", "node '" + node.name() + "' is not in the cluster domain "
              + doc.spec().domain(), "Jabber and public CAs expect every server named by an FQDN in the domain");
        }
      }
      if (node.role() == NodeRole.CUCM_PUBLISHER) {
        cucmPublishers++;
      } else if (node.role() == NodeRole.IMP_PUBLISHER) {
        impPublishers++;
      } else if (node.role() == NodeRole.IMP_SUBSCRIBER) {
        impSubscriber = true;
      }
      if (node.ipv6() != null && node.ipv6().matches(io.uctrust.desired.NamePatterns.IPV6) && !isIpv6(node.ipv6())) {
        context.error(doc, path + ".ipv6", "format", path + ".ipv6: '" + node.ipv6() + "' is not an IPv6 address", null);
      }
    }
    if (cucmPublishers != 1 && !nodes.isEmpty()) {
      context.error(doc, "spec.nodes", "publisher", "a cluster has exactly one cucm-publisher node, found " + cucmPublishers,
          "mark the Unified CM publisher with role: cucm-publisher");
    }
    if (impPublishers > 1) {
      context.error(doc, "spec.nodes", "publisher", "a cluster has at most one imp-publisher node, found " + impPublishers, null);
    }
    if (impSubscriber && impPublishers == 0) {
      context.error(doc, "spec.nodes", "publisher", "imp-subscriber nodes need an imp-publisher node", null);
    }
  }

  /** The target's publisher host names the node of that role, when the node list has one. */
  private static void publisher(Document<ClusterSpec> doc, String path, String host, NodeRole role, RuleContext context) {
    if (host == null) {
      return;
    }
    List<String> nodes = doc.spec().nodes().stream().filter(n -> n.role() == role).map(ClusterNode::name).toList();
    String roleName = io.uctrust.desired.Spelling.Of.yaml(role);
    if (nodes.isEmpty()) {
      context.warning(doc, path, "target", "the cluster has no " + roleName + " node for " + path + " '" + host + "'", null);
    } else if (nodes.stream().noneMatch(n -> n.equalsIgnoreCase(host))) {
      context.warning(doc, path, "target", path + " '" + host + "' is not the " + roleName + " node " + nodes.get(0),
          "use the node's FQDN: TLS verification matches it against the certificate");
    }
  }

  /** Parses the text only; never resolves a name. */
  private static boolean isIpv6(String text) {
    return IPAddress.isValidIPv6(text);
  }

  private static void target(Document<ClusterSpec> doc, Target target, RuleContext context) {
    if (target == null || target.type() == null) {
      return;
    }
    boolean cucmFields = target.publisher() != null || target.imPublisher() != null || target.axl() != null
        || target.platform() != null || target.cli() != null || target.trust() != null || target.axlVersion() != null;
    switch (target.type()) {
      case LAB -> {
        if (cucmFields) {
          context.warning(doc, "spec.target", "target-ignored", "connection settings are ignored for target type lab",
              "remove them, or set type: cucm");
        }
      }
      case CUCM -> {
        Map<String, Object> required = new java.util.LinkedHashMap<>();
        required.put("publisher", target.publisher());
        required.put("axl", target.axl());
        required.put("platform", target.platform());
        required.forEach((field, value) -> {
          if (value == null) {
            context.error(doc, "spec.target", "target", "target type cucm needs spec.target." + field, null);
          }
        });
        if (target.cli() == null) {
          context.warning(doc, "spec.target", "target", "without spec.target.cli uctrust cannot set the CAPF keepalive, "
              + "switch SIP OAuth mode or restart Cisco Tomcat", "add cli credentials");
        } else {
          if ((target.cli().password() == null) == (target.cli().privateKey() == null)) {
            context.error(doc, "spec.target.cli", "target", "give exactly one of spec.target.cli.password and privateKey",
                null);
          }
          if (target.cli().knownHosts() == null) {
            context.error(doc, "spec.target.cli", "target", "spec.target.cli needs knownHosts: uctrust verifies every SSH "
                + "host key against a known_hosts file and never trusts a key on first use",
                "add knownHosts: file:known_hosts (ssh-keyscan the nodes, then check the fingerprints on the nodes)");
          } else if (!java.nio.file.Files.isRegularFile(doc.resolve(target.cli().knownHosts().substring(5)))) {
            context.warning(doc, "spec.target.cli.knownHosts", "target", "the known_hosts file "
                + target.cli().knownHosts().substring(5) + " does not exist; the admin CLI cannot be reached without it", null);
          }
        }
        if (target.trust() == null) {
          context.warning(doc, "spec.target", "target", "no spec.target.trust bundle: the cluster's certificates must chain "
              + "to the JVM's default CAs", "add trust: file:ca-bundle.pem");
        } else {
          context.certificates(doc, "spec.target.trust", target.trust().substring(5));
        }
        if (target.axlVersion() != null && !ClusterSpec.SUPPORTED_AXL_VERSIONS.contains(target.axlVersion())) {
          context.warning(doc, "spec.target.axlVersion", "target", "uctrust's AXL requests are written and tested for "
              + String.join(" and ", ClusterSpec.SUPPORTED_AXL_VERSIONS) + ", not " + target.axlVersion(), null);
        }
        publisher(doc, "spec.target.publisher", target.publisher(), NodeRole.CUCM_PUBLISHER, context);
        publisher(doc, "spec.target.imPublisher", target.imPublisher(), NodeRole.IMP_PUBLISHER, context);
      }
      default -> throw new IllegalStateException();
    }
  }
}
