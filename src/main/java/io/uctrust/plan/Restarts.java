package io.uctrust.plan;

import io.uctrust.desired.CertificateSpec.Service;
import io.uctrust.desired.TrustStoreSpec.Store;
import io.uctrust.observed.ObservedCluster;
import java.util.ArrayList;
import java.util.List;

/**
 * Which services restart after which change, from the certificate, CAPF and SIP OAuth guides
 * (cucm-interfaces.md section 5). Only services that run on the node are named.
 */
final class Restarts {
  private Restarts() {}

  static final String CALLMANAGER = "Cisco CallManager";
  static final String TFTP = "Cisco TFTP";
  static final String TOMCAT = "Cisco Tomcat";
  static final String CAPF = "Cisco Certificate Authority Proxy Function";
  static final String ENROLLMENT = "Cisco Certificate Enrollment Service";
  static final String TVS = "Cisco Trust Verification Service";
  static final String SIP_PROXY = "Cisco SIP Proxy";
  static final String PRESENCE_ENGINE = "Cisco Presence Engine";
  static final String XCP_ROUTER = "Cisco XCP Router";
  static final String FEDERATION = "Cisco XCP XMPP Federation Connection Manager";
  static final String SYNC_AGENT = "Cisco Intercluster Sync Agent";

  /** Restarts after a change to {@code store} on {@code node}. */
  static List<String> afterTrust(Store store, ObservedCluster.Node node) {
    List<String> services = new ArrayList<>();
    switch (store) {
      case CALLMANAGER_TRUST -> services.add(CALLMANAGER);
      case CAPF_TRUST -> services.add(CAPF);
      case TOMCAT_TRUST -> services.add(TOMCAT);
      case TVS_TRUST -> services.add(TVS);
      case CUP_TRUST -> services.add(SIP_PROXY);
      case CUP_XMPP_TRUST -> services.add(XCP_ROUTER);
      default -> { }
    }
    // A CA chain on the IM and Presence publisher reaches the other clusters through the sync agent.
    if (store == Store.TOMCAT_TRUST || store == Store.CUP_XMPP_TRUST) {
      services.add(SYNC_AGENT);
    }
    return on(node, services);
  }

  /** Restarts on {@code node} after its {@code service} identity changes (cup-xmpp: see {@link #everyImNode}). */
  static List<String> afterIdentity(Service service, ObservedCluster.Node node) {
    List<String> services = switch (service) {
      case TOMCAT, TOMCAT_ECDSA -> List.of(TOMCAT);
      case CALLMANAGER, CALLMANAGER_ECDSA -> List.of(CALLMANAGER, TFTP);
      case TVS -> List.of(TVS, TFTP);
      case CUP, CUP_ECDSA -> List.of(SIP_PROXY, PRESENCE_ENGINE);
      case CUP_XMPP, CUP_XMPP_ECDSA -> List.of(XCP_ROUTER);
      case CUP_XMPP_S2S, CUP_XMPP_S2S_ECDSA -> List.of(FEDERATION);
      // CAPF reads its certificate when it starts; phones get it through the trust list (TFTP, see inTrustList)
      case CAPF -> List.of(CAPF, TFTP);
      case IPSEC -> List.of();
    };
    return on(node, services);
  }

  /** Identity changes whose restarts reach every IM and Presence node, not only the changed one. */
  static boolean everyImNode(Service service) {
    return service == Service.CUP_XMPP || service == Service.CUP_XMPP_ECDSA;
  }

  /** Identities that are in the phones' trust list (ITL): phones download a new one after they change. */
  static boolean inTrustList(Service service) {
    return service == Service.CALLMANAGER || service == Service.CALLMANAGER_ECDSA || service == Service.TVS
        || service == Service.CAPF;
  }

  static List<String> on(ObservedCluster.Node node, List<String> services) {
    return services.stream().filter(node.services()::containsKey).map(s -> s + "@" + node.name()).toList();
  }
}
