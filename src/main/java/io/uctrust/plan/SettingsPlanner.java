package io.uctrust.plan;

import io.uctrust.cluster.Operation;
import io.uctrust.desired.CapfSpec;
import io.uctrust.desired.CapfSpec.CapfIssuer;
import io.uctrust.desired.ClusterSpec;
import io.uctrust.desired.Document;
import io.uctrust.desired.MonitoringSpec;
import io.uctrust.desired.SipOAuthSpec;
import io.uctrust.observed.ObservedCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Parameter-like settings: enterprise parameters, IM and Presence security settings, cluster security
 * modes (manual), CAPF service parameters and keepalive, SIP OAuth mode, ports, Expressway-C entries and
 * phone security profiles, certificate monitoring and OCSP. A field absent from the desired state is not
 * managed.
 */
final class SettingsPlanner {

  void plan(PlanContext context) {
    cluster(context);
    context.documents(context.desired.state().capf()).forEach(doc -> capf(context, doc));
    context.documents(context.desired.state().sipOAuth()).forEach(doc -> sipOAuth(context, doc));
    context.documents(context.desired.state().monitoring()).forEach(doc -> monitoring(context, doc));
  }

  /** Adds an UPDATE when the desired value is given and differs from the observed one. */
  private static void set(PlanContext context, Document<?> doc, String path, String resource, String address,
      Object observed, Object desired, Impact impact, Function<String, Operation> operation) {
    if (desired == null || Objects.equals(String.valueOf(observed), String.valueOf(desired))) {
      return;
    }
    context.add(Phase.SETTINGS, Action.UPDATE, resource, address, observed == null ? "(not set)" : String.valueOf(observed),
        String.valueOf(desired), "set in " + doc.address(), context.desired.source(doc, path), impact,
        operation.apply(String.valueOf(desired)));
  }

  private static void cluster(PlanContext context) {
    Document<ClusterSpec> doc = context.cluster;
    ObservedCluster observed = context.observed;
    ClusterSpec spec = doc.spec();
    if (spec.security() != null) {
      manual(context, doc, "spec.security.mixedMode", "cluster security mode", observed.security().mixedMode(),
          spec.security().mixedMode(), "utils ctl set-cluster mixed-mode (or non-secure-mode) on the publisher, then restart "
              + "Cisco CallManager and Cisco TFTP on all nodes and reset the phones");
      manual(context, doc, "spec.security.fipsMode", "FIPS mode", observed.security().fipsMode(), spec.security().fipsMode(),
          "utils fips enable|disable on every node; each node reboots");
    }
    ClusterSpec.EnterpriseParameters ep = spec.enterpriseParameters();
    if (ep != null) {
      ObservedCluster.Enterprise e = observed.enterprise();
      List<String> ipv6Restarts = new ArrayList<>();
      observed.nodes().stream().filter(n -> !TrustPlanner.isIm(n))
          .forEach(n -> ipv6Restarts.addAll(Restarts.on(n, List.of(Restarts.CALLMANAGER, Restarts.TFTP))));
      enterprise(context, doc, "spec.enterpriseParameters.enableIpv6", "Enable IPv6", trueFalse(e.enableIpv6()),
          trueFalse(ep.enableIpv6()), Impact.restarting(ipv6Restarts));
      enterprise(context, doc, "spec.enterpriseParameters.oauthWithRefreshLoginFlow", "OAuth with Refresh Login Flow",
          enabled(e.oauthWithRefreshLoginFlow()), enabled(ep.oauthWithRefreshLoginFlow()), Impact.NONE);
      if (ep.certificateValidityCheck() != null) {
        enterprise(context, doc, "spec.enterpriseParameters.certificateValidityCheck.enabled", "Certificate Validity Check",
            trueFalse(e.certificateValidityCheck()), trueFalse(ep.certificateValidityCheck().enabled()), Impact.NONE);
        enterprise(context, doc, "spec.enterpriseParameters.certificateValidityCheck.frequencyDays",
            "Validity Check Frequency", e.validityCheckFrequencyDays(), ep.certificateValidityCheck().frequencyDays(),
            Impact.NONE);
      }
    }
    ClusterSpec.ImAndPresence imp = spec.imAndPresence();
    if (imp != null && observed.nodes().stream().anyMatch(TrustPlanner::isIm)) {
      boolean unreadable = observed.imAndPresence() == null;
      ObservedCluster.ImAndPresence o = unreadable ? UNREAD_IMP : observed.imAndPresence();
      imp(context, doc, "spec.imAndPresence.xmppDomain",
          "Domain name for XMPP Server-to-Server Certificate Subject Alternative Name", o.xmppDomain(), imp.xmppDomain());
      imp(context, doc, "spec.imAndPresence.hostedDomains", "Hosted Domains", String.join(";", o.hostedDomains()),
          imp.hostedDomains().isEmpty() ? null : String.join(";", imp.hostedDomains()));
      imp(context, doc, "spec.imAndPresence.useDomainNameForXmppSan",
          "Use Domain Name for XMPP Certificate Subject Alternative Name", trueFalse(o.useDomainNameForXmppSan()),
          trueFalse(imp.useDomainNameForXmppSan()));
      imp(context, doc, "spec.imAndPresence.enableWildcardsInXmppFederationCertificates",
          "Enable Wildcards in XMPP Federation Security Certificates",
          trueFalse(o.enableWildcardsInXmppFederationCertificates()),
          trueFalse(imp.enableWildcardsInXmppFederationCertificates()));
      imp(context, doc, "spec.imAndPresence.sipTrunkSecurityProfile", "SIP Trunk Security Profile",
          o.sipTrunkSecurityProfile(), imp.sipTrunkSecurityProfile());
    }
  }

  private static void enterprise(PlanContext context, Document<?> doc, String path, String name, Object observed,
      Object desired, Impact impact) {
    set(context, doc, path, "enterprise-parameter", name, observed, desired, impact,
        v -> new Operation.SetEnterpriseParameter(name, v));
  }

  private static void imp(PlanContext context, Document<?> doc, String path, String name, Object observed, Object desired) {
    if (context.observed.imAndPresence() == null) {
      check(context, doc, path, "im-and-presence-setting", name, desired, IMP_GUI);
      return;
    }
    set(context, doc, path, "im-and-presence-setting", name, observed, desired, Impact.NONE,
        v -> new Operation.SetImAndPresenceSetting(name, v));
  }

  /** Stand-ins read when a target cannot read the settings at all (every value unknown, never compared). */
  private static final ObservedCluster.ImAndPresence UNREAD_IMP = new ObservedCluster.ImAndPresence(null, List.of(), false,
      false, null);
  private static final ObservedCluster.Monitoring UNREAD_MONITORING = new ObservedCluster.Monitoring(0, null, false, false,
      List.of(), false, null, null, null);
  private static final String IMP_GUI = "Cisco Unified CM IM and Presence Administration > System > Security > Settings";
  private static final String MONITOR_GUI = "Cisco Unified OS Administration > Security > Certificate Monitor";

  /**
   * A setting the target can neither read nor write (a real cluster has no interface for it): the plan
   * asks a person to check it, and it does not count as drift.
   */
  private static void check(PlanContext context, Document<?> doc, String path, String resource, String name,
      Object desired, String gui) {
    if (desired == null) {
      return;
    }
    context.add(Phase.MANUAL, Action.CHECK, resource, name, "(cannot be read)", String.valueOf(desired),
        "set in " + doc.address() + "; no interface of the cluster reads or writes it: check it in " + gui + " > "
            + name, context.desired.source(doc, path), Impact.NONE, List.of(), List.of());
  }

  private static void manual(PlanContext context, Document<?> doc, String path, String what, boolean observed,
      Boolean desired, String steps) {
    if (desired != null && desired != observed) {
      context.add(Phase.MANUAL, Action.MANUAL, "cluster-security", what, String.valueOf(observed), String.valueOf(desired),
          "set in " + doc.address() + "; changing it reboots or re-keys the cluster, so uctrust leaves it to you: " + steps,
          context.desired.source(doc, path), Impact.NONE, List.of(), List.of());
    }
  }

  private static void capf(PlanContext context, Document<CapfSpec> doc) {
    ObservedCluster.Node publisher = context.publisher().orElse(null);
    if (publisher == null) {
      return;
    }
    CapfSpec spec = doc.spec();
    ObservedCluster.Capf o = context.observed.capf();
    Impact restart = Impact.restarting(Restarts.on(publisher, List.of(Restarts.CAPF)));
    capfParameter(context, doc, publisher, "spec.issuer", "Certificate Issuer to Endpoint", issuerName(o.issuer()),
        spec.issuer() == null ? null : issuerName(spec.issuer()), restart);
    capfParameter(context, doc, publisher, "spec.certificateValidityDays", "Duration Of Certificate Validity",
        o.certificateValidityDays(), spec.certificateValidityDays(), restart);
    CapfSpec.OnlineCa online = spec.issuer() == CapfIssuer.ONLINE_CA ? spec.onlineCa() : null;
    if (online != null) {
      int before = context.drafts.size();
      capfParameter(context, doc, publisher, "spec.onlineCa.hostname", "Online CA Hostname", o.onlineCaHostname(),
          online.hostname(), restart);
      capfParameter(context, doc, publisher, "spec.onlineCa.port", "Online CA Port", o.onlineCaPort(), online.port(), restart);
      capfParameter(context, doc, publisher, "spec.onlineCa.template", "Online CA Template", o.onlineCaTemplate(),
          online.template(), restart);
      capfParameter(context, doc, publisher, "spec.onlineCa.type", "Online CA Type", o.onlineCaType(),
          online.type() == null ? null : "Microsoft CA", restart);
      capfParameter(context, doc, publisher, "spec.onlineCa.username", "Online CA Username", o.onlineCaUsername(),
          online.username(), restart);
      // The password is write-only: it is set when it was never set, or together with another online CA change.
      if (online.password() != null && (!o.onlineCaPasswordSet() || context.drafts.size() > before)) {
        context.add(Phase.SETTINGS, Action.UPDATE, "capf-parameter", "Online CA Password", o.onlineCaPasswordSet()
            ? "(set)" : "(not set)", online.password().toString(), "set in " + doc.address() + " (write-only; sent with "
            + "every online CA change)", context.desired.source(doc, "spec.onlineCa.password"), restart,
            new Operation.SetServiceParameter(publisher.name(), Restarts.CAPF, "Online CA Password", null,
                context.desired.secret(doc, online.password())));
      }
      if (!o.enrollmentServiceActive() && publisher.services().containsKey(Restarts.ENROLLMENT)) {
        context.add(Phase.SETTINGS, Action.ACTIVATE, "service", Restarts.ENROLLMENT + "@" + publisher.name(),
            "Not Activated", "Started", "online CA needs Cisco Certificate Enrollment Service",
            context.desired.source(doc, "spec.issuer"), Impact.NONE,
            new Operation.ActivateService(publisher.name(), Restarts.ENROLLMENT, true));
      }
    }
    if (spec.keepAliveMinutes() != null && spec.keepAliveMinutes() != o.keepAliveMinutes()) {
      context.add(Phase.SETTINGS, Action.UPDATE, "capf-keepalive", "CAPF keepalive", o.keepAliveMinutes() + " minutes",
          spec.keepAliveMinutes() + " minutes", "set in " + doc.address(), context.desired.source(doc, "spec.keepAliveMinutes"),
          Impact.NONE, new Operation.SetCapfKeepAlive(spec.keepAliveMinutes()));
    }
    if (Boolean.TRUE.equals(spec.deleteStaleLscs()) && !context.observed.staleLscs().isEmpty()) {
      context.add(Phase.SETTINGS, Action.DELETE, "stale-lsc", "stale LSCs", context.observed.staleLscs().size() + " stale LSCs",
          "none", doc.address() + " sets deleteStaleLscs", context.desired.source(doc, "spec.deleteStaleLscs"), Impact.NONE,
          new Operation.DeleteStaleLscs());
    }
  }

  private static void capfParameter(PlanContext context, Document<?> doc, ObservedCluster.Node publisher, String path,
      String name, Object observed, Object desired, Impact impact) {
    set(context, doc, path, "capf-parameter", name, observed, desired, impact,
        v -> new Operation.SetServiceParameter(publisher.name(), Restarts.CAPF, name, v, null));
  }

  static String issuerName(CapfIssuer issuer) {
    return issuer.parameter();
  }

  private static void sipOAuth(PlanContext context, Document<SipOAuthSpec> doc) {
    SipOAuthSpec spec = doc.spec();
    ObservedCluster.SipOAuth o = context.observed.sipOAuth();
    if (spec.enabled() != null && spec.enabled() != o.enabled()) {
      List<String> restarts = new ArrayList<>();
      context.observed.nodes().stream().filter(n -> !TrustPlanner.isIm(n))
          .forEach(n -> restarts.addAll(Restarts.on(n, List.of(Restarts.CALLMANAGER))));
      context.add(Phase.SETTINGS, Action.UPDATE, "sip-oauth-mode", "SIP OAuth mode", o.enabled() ? "enabled" : "disabled",
          spec.enabled() ? "enabled" : "disabled", "set in " + doc.address(), context.desired.source(doc, "spec.enabled"),
          Impact.restarting(restarts), new Operation.SetSipOAuthMode(spec.enabled()));
    }
    for (int i = 0; i < spec.ports().size(); i++) {
      SipOAuthSpec.Ports p = spec.ports().get(i);
      ObservedCluster.Ports current = o.ports().get(p.node());
      ObservedCluster.Node node = context.node(p.node()).orElse(null);
      if (current == null || node == null) {
        continue;
      }
      int phone = p.phone() == null ? current.phone() : p.phone();
      int mra = p.mra() == null ? current.mra() : p.mra();
      if (phone != current.phone() || mra != current.mra()) {
        context.add(Phase.SETTINGS, Action.UPDATE, "sip-oauth-ports", p.node(), current.phone() + "/" + current.mra(),
            phone + "/" + mra, "set in " + doc.address(), context.desired.source(doc, "spec.ports[" + i + "]"),
            Impact.restarting(Restarts.on(node, List.of(Restarts.CALLMANAGER))),
            new Operation.SetSipOAuthPorts(p.node(), phone, mra));
      }
    }
    for (int i = 0; i < spec.expresswayC().size(); i++) {
      SipOAuthSpec.ExpresswayC e = spec.expresswayC().get(i);
      ObservedCluster.ExpresswayC current = o.expresswayC().stream().filter(x -> x.host().equalsIgnoreCase(e.host()))
          .findFirst().orElse(null);
      String description = e.description() == null ? "" : e.description();
      if (current == null || !Objects.equals(current.description(), description)
          || !current.subjectNames().equals(e.subjectNames())) {
        context.add(Phase.SETTINGS, current == null ? Action.CREATE : Action.UPDATE, "expressway-c", e.host(),
            current == null ? "" : current.description() + " " + current.subjectNames(), description + " " + e.subjectNames(),
            "listed in " + doc.address(), context.desired.source(doc, "spec.expresswayC[" + i + "]"), Impact.NONE,
            new Operation.PutExpresswayC(e.host(), description, e.subjectNames()));
      }
    }
    for (int i = 0; i < spec.phoneSecurityProfiles().size(); i++) {
      profile(context, doc, i, spec.phoneSecurityProfiles().get(i), o);
    }
  }

  private static void profile(PlanContext context, Document<SipOAuthSpec> doc, int index,
      SipOAuthSpec.PhoneSecurityProfile p, ObservedCluster.SipOAuth o) {
    ObservedCluster.SecurityProfile current = o.phoneSecurityProfiles().stream().filter(x -> x.name().equals(p.name()))
        .findFirst().orElse(null);
    ObservedCluster.SecurityProfile wanted = new ObservedCluster.SecurityProfile(p.name(),
        p.description() == null ? (current == null ? "" : current.description()) : p.description(), p.phoneType(),
        p.protocol() == null ? SipOAuthSpec.Protocol.SIP : p.protocol(), p.deviceSecurityMode(), p.transport(),
        Boolean.TRUE.equals(p.oauth()), Boolean.TRUE.equals(p.digestAuthentication()),
        Boolean.TRUE.equals(p.tftpEncryptedConfig()));
    if (wanted.equals(current)) {
      return;
    }
    List<String> phones = context.observed.phones().stream().filter(ph -> p.name().equals(ph.securityProfile()))
        .map(ObservedCluster.Phone::name).toList();
    context.add(Phase.SETTINGS, current == null ? Action.CREATE : Action.UPDATE, "phone-security-profile", p.name(),
        current == null ? "" : profileText(current), profileText(wanted),
        "listed in " + doc.address() + (phones.isEmpty() ? "" : "; phones using it must be reset"),
        context.desired.source(doc, "spec.phoneSecurityProfiles[" + index + "]"), new Impact(List.of(), false, phones.size()),
        phones, List.of(new Operation.PutPhoneSecurityProfile(wanted.name(), wanted.description(), wanted.phoneType(),
            wanted.protocol(), wanted.deviceSecurityMode(), wanted.transport(), wanted.oauth(),
            wanted.digestAuthentication(), wanted.tftpEncryptedConfig())));
  }

  private static String profileText(ObservedCluster.SecurityProfile p) {
    return p.phoneType() + ", " + p.protocol() + ", " + p.deviceSecurityMode() + ", " + p.transport() + (p.oauth() ? ", OAuth" : "")
        + (p.digestAuthentication() ? ", digest" : "") + (p.tftpEncryptedConfig() ? ", TFTP encrypted" : "");
  }

  private static void monitoring(PlanContext context, Document<MonitoringSpec> doc) {
    ObservedCluster.Monitoring o = context.observed.monitoring() == null ? UNREAD_MONITORING : context.observed.monitoring();
    MonitoringSpec.CertificateMonitor monitor = doc.spec().certificateMonitor();
    if (monitor != null) {
      monitor(context, doc, "spec.certificateMonitor.notificationStartDays", "Notification Start Time",
          o.notificationStartDays(), monitor.notificationStartDays());
      monitor(context, doc, "spec.certificateMonitor.frequency", "Notification Frequency", o.frequency(),
          monitor.frequency() == null ? null : monitor.frequency().text());
      monitor(context, doc, "spec.certificateMonitor.lscMonitoring", "Enable LSC Monitoring", trueFalse(o.lscMonitoring()),
          trueFalse(monitor.lscMonitoring()));
      if (monitor.email() != null) {
        monitor(context, doc, "spec.certificateMonitor.email.enabled", "Enable E-mail notification",
            trueFalse(o.emailEnabled()), trueFalse(monitor.email().enabled()));
        monitor(context, doc, "spec.certificateMonitor.email.to", "E-mail IDs", String.join(";", o.emailTo()),
            monitor.email().to().isEmpty() ? null : String.join(";", monitor.email().to()));
      }
    }
    MonitoringSpec.Ocsp ocsp = doc.spec().revocation() == null ? null : doc.spec().revocation().ocsp();
    if (ocsp != null) {
      monitor(context, doc, "spec.revocation.ocsp.enabled", "Enable OCSP", trueFalse(o.ocspEnabled()), trueFalse(ocsp.enabled()));
      monitor(context, doc, "spec.revocation.ocsp.responder", "OCSP Responder", o.ocspResponder(),
          ocsp.responder() == null ? null : ocsp.responder() == MonitoringSpec.Responder.CONFIGURED
              ? "Use configured OCSP URI" : "Use OCSP URI from Certificate");
      monitor(context, doc, "spec.revocation.ocsp.uri", "OCSP Configured URI", o.ocspUri(), ocsp.uri());
      monitor(context, doc, "spec.revocation.ocsp.checkEvery", "Check Every", o.checkEvery(),
          ocsp.checkEvery() == null ? null : ocsp.checkEvery().text());
    }
  }

  private static void monitor(PlanContext context, Document<?> doc, String path, String name, Object observed,
      Object desired) {
    if (context.observed.monitoring() == null) {
      check(context, doc, path, "monitoring-setting", name, desired, path.startsWith("spec.revocation")
          ? "Cisco Unified OS Administration > Security > Certificate Revocation" : MONITOR_GUI);
      return;
    }
    set(context, doc, path, "monitoring-setting", name, observed, desired, Impact.NONE,
        v -> new Operation.SetMonitoringSetting(name, v));
  }

  private static String trueFalse(Boolean value) {
    return value == null ? null : value ? "True" : "False";
  }

  private static String enabled(Boolean value) {
    return value == null ? null : value ? "Enabled" : "Disabled";
  }
}
