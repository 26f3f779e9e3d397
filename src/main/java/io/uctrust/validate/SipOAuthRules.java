package io.uctrust.validate;

import io.uctrust.desired.CertificateSpec;
import io.uctrust.desired.ClusterSpec;
import io.uctrust.desired.ClusterSpec.ClusterNode;
import io.uctrust.desired.DesiredState;
import io.uctrust.desired.Document;
import io.uctrust.desired.Kind;
import io.uctrust.desired.SipOAuthSpec;
import io.uctrust.desired.SipOAuthSpec.DeviceSecurityMode;
import io.uctrust.desired.SipOAuthSpec.PhoneSecurityProfile;
import io.uctrust.desired.SipOAuthSpec.Protocol;
import io.uctrust.desired.SipOAuthSpec.Transport;
import io.uctrust.desired.TrustStoreSpec;
import io.uctrust.desired.TrustStoreSpec.Store;
import io.uctrust.pki.CertificateFacts;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * SIP OAuth rules from the SIP OAuth guide: OAuth ports per Unified CM node, distinct and unique; refresh
 * login flow on; OAuth profiles SIP, TLS and encrypted, without digest authentication or TFTP encrypted
 * config; Phone-Edge-trust holds the Tomcat signing CA for phones; for MRA the Expressway-C CA sits in
 * tomcat-trust and CallManager-trust.
 */
final class SipOAuthRules implements Rule {

  /** Phone types whose security profiles offer OAuth (SIP OAuth guide). */
  static final Set<String> OAUTH_PHONE_TYPES = Set.of(
      "Cisco Dual Mode for iPhone", "Cisco Dual Mode for Android", "Cisco Unified Client Services Framework",
      "Cisco Jabber for Tablet", "Universal Device Template", "Cisco 8811", "Cisco 8841", "Cisco 8851", "Cisco 8851NR",
      "Cisco 8861", "Cisco 7811", "Cisco 7821", "Cisco 7841", "Cisco 7861", "Cisco 8845", "Cisco 8865", "Cisco 8865NR",
      "Cisco 7832", "Cisco 8832", "Cisco 8832NR");

  /** Ports Unified CM itself listens on; an OAuth port there would never work. */
  static final Map<Integer, String> RESERVED_PORTS = Map.ofEntries(
      Map.entry(2000, "SCCP"), Map.entry(2443, "SCCP over TLS"), Map.entry(2748, "CTI"), Map.entry(3804, "CAPF"),
      Map.entry(5060, "SIP"), Map.entry(5061, "SIP over TLS"), Map.entry(6970, "TFTP over HTTP"),
      Map.entry(6971, "TFTP over HTTPS"), Map.entry(6972, "TFTP over HTTPS (EC)"), Map.entry(8443, "HTTPS (Tomcat)"),
      Map.entry(2445, "TVS"), Map.entry(8080, "HTTP (Tomcat)"));

  private static final Set<String> SOFT_CLIENTS = Set.of("Cisco Dual Mode for iPhone", "Cisco Dual Mode for Android",
      "Cisco Unified Client Services Framework", "Cisco Jabber for Tablet");

  @Override
  public void check(DesiredState state, RuleContext context) {
    for (Document<SipOAuthSpec> doc : state.sipOAuth()) {
      SipOAuthSpec spec = doc.spec();
      ports(doc, context);
      profiles(doc, context);
      expressways(doc, context);
      mraActivation(doc, context);
      if (!Boolean.TRUE.equals(spec.enabled())) {
        continue;
      }
      Optional<Document<ClusterSpec>> cluster = context.clusterOf(doc);
      Boolean refresh = cluster.map(c -> c.spec().enterpriseParameters())
          .map(ClusterSpec.EnterpriseParameters::oauthWithRefreshLoginFlow).orElse(null);
      if (Boolean.FALSE.equals(refresh)) {
        context.error(doc, "spec.enabled", "refresh-login", "SIP OAuth needs the enterprise parameter OAuth with Refresh Login "
            + "Flow enabled, but the Cluster sets oauthWithRefreshLoginFlow: false", null);
      } else if (refresh == null) {
        context.warning(doc, "spec.enabled", "refresh-login", "SIP OAuth needs OAuth with Refresh Login Flow enabled; uctrust "
            + "does not manage it", "set enterpriseParameters.oauthWithRefreshLoginFlow: true in the Cluster document");
      }
      cluster.map(c -> c.spec().release()).filter(r -> CapfRules.releaseBelow(r, 14, 0)).ifPresent(r ->
          context.warning(doc, "spec.enabled", "release", "SIP OAuth for phones needs Unified CM 14 or later (Jabber 12.5); "
              + "the cluster is " + r, null));
      boolean phones = spec.phoneSecurityProfiles().stream()
          .anyMatch(p -> Boolean.TRUE.equals(p.oauth()) && !SOFT_CLIENTS.contains(p.phoneType()));
      if (phones) {
        phoneEdgeTrust(doc, context);
      }
    }
  }

  private static void ports(Document<SipOAuthSpec> doc, RuleContext context) {
    Map<String, ClusterNode> nodes = context.nodes(doc);
    Map<String, Integer> seen = new HashMap<>();
    List<SipOAuthSpec.Ports> ports = doc.spec().ports();
    for (int i = 0; i < ports.size(); i++) {
      SipOAuthSpec.Ports p = ports.get(i);
      String path = "spec.ports[" + i + "]";
      if (p.node() != null) {
        Integer first = seen.putIfAbsent(p.node(), i);
        if (first != null) {
          context.error(doc, path + ".node", "duplicate-node", "node '" + p.node() + "' already has ports at spec.ports[" + first
              + "]", "one entry per node");
        }
        if (!nodes.isEmpty()) {
          context.checkNode(doc, path + ".node", p.node(), nodes, n -> n.role() == null || !n.role().isImAndPresence(),
              "is an IM and Presence node; SIP OAuth ports are set on Unified CM nodes");
        }
      }
      reserved(doc, path + ".phone", p.phone(), context);
      reserved(doc, path + ".mra", p.mra(), context);
      if (p.phone() != null && p.phone().equals(p.mra())) {
        context.error(doc, path + ".mra", "port-conflict", "the SIP Phone OAuth Port and the SIP Mobile and Remote Access Port "
            + "of a node must differ (both " + p.phone() + ")", "defaults are 5090 and 5091");
      }
    }
  }

  private static void reserved(Document<SipOAuthSpec> doc, String path, Integer port, RuleContext context) {
    if (port != null && RESERVED_PORTS.containsKey(port)) {
      context.error(doc, path, "port-conflict", "port " + port + " is Unified CM's " + RESERVED_PORTS.get(port) + " port",
          "choose another port between 1024 and 49151 (defaults 5090 and 5091)");
    }
  }

  private static void mraActivation(Document<SipOAuthSpec> doc, RuleContext context) {
    Map<String, PhoneSecurityProfile> profiles = new HashMap<>();
    doc.spec().phoneSecurityProfiles().forEach(p -> profiles.putIfAbsent(p.name(), p));
    List<SipOAuthSpec.MraActivation> entries = doc.spec().mraActivation();
    for (int i = 0; i < entries.size(); i++) {
      SipOAuthSpec.MraActivation entry = entries.get(i);
      String path = "spec.mraActivation[" + i + "]";
      if (entry.devicePools().isEmpty() && entry.models().isEmpty()) {
        context.error(doc, path, "selector", "give devicePools or models for the phones to onboard over MRA", null);
      }
      PhoneSecurityProfile profile = profiles.get(entry.securityProfile());
      if (profile != null && !Boolean.TRUE.equals(profile.oauth())) {
        context.error(doc, path + ".securityProfile", "oauth-profile", "profile '" + entry.securityProfile()
            + "' does not enable OAuth; MRA activation-code onboarding needs an OAuth-enabled SIP profile", null);
      }
      if (doc.spec().expresswayC().isEmpty()) {
        context.warning(doc, path, "expressway-c", "MRA onboarding needs an Expressway-C; none is configured here", null);
      }
    }
  }

  private static void profiles(Document<SipOAuthSpec> doc, RuleContext context) {
    Set<String> names = new HashSet<>();
    List<PhoneSecurityProfile> profiles = doc.spec().phoneSecurityProfiles();
    for (int i = 0; i < profiles.size(); i++) {
      PhoneSecurityProfile p = profiles.get(i);
      String path = "spec.phoneSecurityProfiles[" + i + "]";
      if (p.name() != null && !names.add(p.name())) {
        context.error(doc, path + ".name", "duplicate-name", "profile '" + p.name() + "' is listed twice", null);
      }
      if (!Boolean.TRUE.equals(p.oauth())) {
        continue;
      }
      if (p.protocol() == Protocol.SCCP) {
        context.error(doc, path + ".protocol", "oauth-profile", "OAuth authentication exists only in SIP profiles", null);
      }
      if (p.transport() != null && p.transport() != Transport.TLS) {
        context.error(doc, path + ".transport", "oauth-profile", "an OAuth profile needs transport tls", null);
      }
      if (p.deviceSecurityMode() != null && p.deviceSecurityMode() != DeviceSecurityMode.ENCRYPTED) {
        context.error(doc, path + ".deviceSecurityMode", "oauth-profile", "an OAuth profile needs deviceSecurityMode encrypted",
            null);
      }
      if (Boolean.TRUE.equals(p.digestAuthentication())) {
        context.error(doc, path + ".digestAuthentication", "oauth-profile",
            "digest authentication is not supported with OAuth", "set digestAuthentication: false");
      }
      if (Boolean.TRUE.equals(p.tftpEncryptedConfig())) {
        context.error(doc, path + ".tftpEncryptedConfig", "oauth-profile",
            "TFTP encrypted config is not supported with OAuth (configuration comes over HTTPS port 6971)",
            "set tftpEncryptedConfig: false");
      }
      if (p.phoneType() != null && !OAUTH_PHONE_TYPES.contains(p.phoneType())) {
        context.warning(doc, path + ".phoneType", "oauth-phone-type", "'" + p.phoneType() + "' is not among the phone types "
            + "whose profiles offer OAuth in the SIP OAuth guide", null);
      }
    }
  }

  private static void expressways(Document<SipOAuthSpec> doc, RuleContext context) {
    Set<String> hosts = new HashSet<>();
    List<SipOAuthSpec.ExpresswayC> entries = doc.spec().expresswayC();
    for (int i = 0; i < entries.size(); i++) {
      SipOAuthSpec.ExpresswayC e = entries.get(i);
      String path = "spec.expresswayC[" + i + "]";
      if (e.host() != null && !hosts.add(e.host().toLowerCase(java.util.Locale.ROOT))) {
        context.error(doc, path + ".host", "duplicate-host", "Expressway-C '" + e.host() + "' is listed twice", null);
      }
      int length = String.join(",", e.subjectNames()).length();
      if (length > 4096) {
        context.error(doc, path + ".subjectNames", "size", "the X.509 subject names total " + length
            + " characters; Unified CM takes at most 4096", null);
      }
      if (e.caCertificate() == null) {
        context.warning(doc, path, "expressway-ca", "cannot check that the Expressway-C CA is in tomcat-trust and "
            + "CallManager-trust, which MRA needs", "set caCertificate to the PEM of the CA that signs the Expressway-C");
        continue;
      }
      context.certificates(doc, path + ".caCertificate", e.caCertificate()).ifPresent(list -> {
        for (Store store : List.of(Store.TOMCAT_TRUST, Store.CALLMANAGER_TRUST)) {
          Set<String> trusted = context.trusted(doc, store);
          if (list.stream().noneMatch(c -> trusted.contains(c.sha256()))) {
            context.error(doc, path + ".caCertificate", "missing-trust", "MRA needs the Expressway-C CA ('" + e.caCertificate()
                + "') in " + store.yaml(), "list it in a TrustStore document for " + store.yaml());
          }
        }
      });
    }
  }

  private static void phoneEdgeTrust(Document<SipOAuthSpec> doc, RuleContext context) {
    List<Document<TrustStoreSpec>> edge = context.sameCluster(doc, Kind.TRUST_STORE, TrustStoreSpec.class).stream()
        .filter(t -> t.spec().store() == Store.PHONE_EDGE_TRUST && !t.spec().certificates().isEmpty())
        .toList();
    if (edge.isEmpty()) {
      context.error(doc, "spec.enabled", "phone-edge-trust", "SIP OAuth for phones needs the CA that signs the Tomcat "
          + "certificate in Phone-Edge-trust", "add a TrustStore document for Phone-Edge-trust with that CA");
      return;
    }
    Set<String> trusted = context.trusted(doc, Store.PHONE_EDGE_TRUST);
    for (Document<CertificateSpec> tomcat : context.sameCluster(doc, Kind.CERTIFICATE, CertificateSpec.class)) {
      CertificateSpec.Issuer issuer = tomcat.spec().issuer();
      if (tomcat.spec().service() != CertificateSpec.Service.TOMCAT || issuer == null || issuer.caCertificates() == null) {
        continue;
      }
      Optional<List<CertificateFacts>> chain = context.certificates(tomcat, "spec.issuer.caCertificates", issuer.caCertificates());
      if (chain.isPresent() && chain.get().stream().noneMatch(c -> trusted.contains(c.sha256()))) {
        context.error(doc, "spec.enabled", "phone-edge-trust", "Phone-Edge-trust does not hold the CA that signs the Tomcat "
            + "certificate (" + chain.get().get(chain.get().size() - 1).subject() + ", from Certificate '" + tomcat.name() + "')",
            "add " + issuer.caCertificates() + " to the Phone-Edge-trust TrustStore");
      }
    }
  }
}
