package io.uctrust.target.cucm;

import io.uctrust.cluster.ClusterException;
import io.uctrust.cluster.Operation;
import io.uctrust.cluster.SecretResolver;
import io.uctrust.cluster.TrustOwnership;
import io.uctrust.desired.CertificateSpec;
import io.uctrust.desired.PhoneCertificatePolicySpec;
import io.uctrust.target.cucm.axl.AxlClient;
import io.uctrust.target.cucm.axl.AxlTexts;
import io.uctrust.target.cucm.axl.CallManagerPorts;
import io.uctrust.target.cucm.axl.CapfUpdate;
import io.uctrust.target.cucm.axl.ExpresswayC;
import io.uctrust.target.cucm.axl.PhoneSecurityProfile;
import io.uctrust.target.cucm.axl.ServiceParameterKey;
import io.uctrust.target.cucm.axl.ServiceParameterNames;
import io.uctrust.target.cucm.platform.CsrRequest;
import io.uctrust.target.cucm.platform.SelfSignedRequest;
import io.uctrust.target.cucm.services.ControlCenterClient;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Locale;

/**
 * Carries out each {@link Operation} on a real cluster through the interface that can do it: trust,
 * identities and self-signed renewals through the node's platform REST API; parameters, phones,
 * profiles, Expressway-C entries and SIP OAuth ports through AXL; restarts and activations through
 * ControlCenterServices, or the admin CLI for the services that API cannot restart (Cisco Tomcat);
 * keepalive, SIP OAuth mode and stale LSCs through the admin CLI.
 *
 * <p>Phones are changed one at a time ({@code updatePhone} then {@code applyPhone}, paced by the AXL
 * client); a failure names how many phones were already changed, so a rerun picks up the rest.
 *
 * <p>Not for: deciding what to change, or settings no interface offers (IM and Presence security settings,
 * certificate monitor, OCSP): those fail with a message pointing at the GUI.
 */
final class CucmOperator {

  private final CucmConnections connections;
  private final ServiceParameterNames names;
  private final String publisher;

  CucmOperator(CucmConnections connections, ServiceParameterNames names, String publisher) {
    this.connections = connections;
    this.names = names;
    this.publisher = publisher;
  }

  String perform(Operation operation, SecretResolver secrets) throws ClusterException {
    try {
      return dispatch(operation, secrets);
    } catch (IllegalArgumentException e) {
      // A request the cluster's rules forbid (checked before sending): the change fails with the rule.
      throw new ClusterException(e.getMessage());
    }
  }

  /**
   * {@code POST csr} on the node. The node takes the subject's O, OU, L, ST and C from its own OS settings (set
   * web-security), so only the names, key and hash are sent.
   */
  String requestCsr(Operation.IssueIdentity request) throws ClusterException {
    try {
      return connections.platform(request.node()).generateCsr(new CsrRequest(request.service().yaml(),
          request.multiServer() ? CsrRequest.MULTI_SERVER : CsrRequest.THIS_SERVER, request.commonName(),
          request.keyType() == CertificateSpec.KeyType.EC ? CsrRequest.EC : CsrRequest.RSA, request.keySize(),
          request.hash().name().toLowerCase(java.util.Locale.ROOT), request.subjectAltNames()));
    } catch (IllegalArgumentException e) {
      throw new ClusterException(e.getMessage());
    }
  }

  private String dispatch(Operation operation, SecretResolver secrets) throws ClusterException {
    AxlClient axl = connections.axl();
    if (operation instanceof Operation.UploadTrust op) {
      connections.platform(op.node()).uploadTrust(List.of(op.store().yaml()), List.of(op.pem()),
          TrustOwnership.marked(op.description()));
      return "uploaded to " + op.node() + " " + op.store().yaml();
    }
    if (operation instanceof Operation.RemoveTrust op) {
      boolean removed = connections.platform(op.node()).deleteTrust(op.store().yaml(), op.sha256());
      return removed ? "removed " + op.subject() : "already absent";
    }
    if (operation instanceof Operation.SetEnterpriseParameter op) {
      axl.updateServiceParameter(names.key(op.name(), publisher), op.value());
      return op.name() + " = " + op.value();
    }
    if (operation instanceof Operation.SetServiceParameter op) {
      ServiceParameterKey key = new ServiceParameterKey(op.node(), op.service(), names.internalName(op.name()));
      if (op.secret() != null) {
        axl.updateServiceParameter(key, secrets.resolve(op.secret(), op.name()));
        return "set " + op.name();
      }
      axl.updateServiceParameter(key, op.value());
      return op.name() + " = " + op.value();
    }
    if (operation instanceof Operation.SetImAndPresenceSetting op) {
      throw new ClusterException("no interface of a real cluster sets the IM and Presence setting '" + op.name()
          + "'; set it in Cisco Unified CM IM and Presence Administration > System > Security > Settings");
    }
    if (operation instanceof Operation.SetMonitoringSetting op) {
      throw new ClusterException("no interface of a real cluster sets '" + op.name() + "'; set it in Cisco Unified OS "
          + "Administration > Security > Certificate Monitor (or Certificate Revocation)");
    }
    if (operation instanceof Operation.SetCapfKeepAlive op) {
      connections.cli(publisher).setCapfKeepAlive(op.minutes());
      return "keepalive " + op.minutes() + " minutes";
    }
    if (operation instanceof Operation.ActivateService op) {
      connections.services(op.node()).activate(op.node(), List.of(op.service()), op.active());
      return (op.active() ? "activated " : "deactivated ") + op.service();
    }
    if (operation instanceof Operation.DeleteStaleLscs) {
      return "deleted " + connections.cli(publisher).deleteStaleLscs() + " stale LSCs";
    }
    if (operation instanceof Operation.SetSipOAuthMode op) {
      connections.cli(publisher).setSipOAuthMode(op.enabled());
      return "SIP OAuth mode " + (op.enabled() ? "enabled" : "disabled");
    }
    if (operation instanceof Operation.SetSipOAuthPorts op) {
      String callManager = axl.listCallManagers().stream().map(CallManagerPorts::name)
          .filter(n -> isCallManagerOf(n, op.node())).findFirst()
          .orElseThrow(() -> new ClusterException("no CallManager entry for node " + op.node() + " (System > Cisco Unified CM)"));
      axl.updateCallManagerPorts(callManager, op.phone(), op.mra());
      return "ports " + op.phone() + "/" + op.mra();
    }
    if (operation instanceof Operation.PutExpresswayC op) {
      ExpresswayC entry = new ExpresswayC(op.host(), op.description(), AxlTexts.subjectNamesText(op.subjectNames()));
      boolean exists = axl.listExpresswayC().stream().anyMatch(e -> e.hostNameOrIp().equalsIgnoreCase(op.host()));
      if (exists) {
        axl.updateExpresswayC(entry);
      } else {
        axl.addExpresswayC(entry);
      }
      return "Expressway-C " + op.host();
    }
    if (operation instanceof Operation.PutPhoneSecurityProfile op) {
      PhoneSecurityProfile profile = new PhoneSecurityProfile(op.name(), op.description(), op.phoneType(),
          AxlTexts.text(op.protocol()), AxlTexts.text(op.deviceSecurityMode()), AxlTexts.text(op.transport()), op.oauth(),
          op.tftpEncryptedConfig(), op.digestAuthentication(), null, null, null, null, null);
      boolean exists = axl.listPhoneSecurityProfiles().stream().anyMatch(p -> p.name().equals(op.name()));
      if (exists) {
        axl.updatePhoneSecurityProfile(profile);
      } else {
        axl.addPhoneSecurityProfile(profile);
      }
      return "profile " + op.name();
    }
    if (operation instanceof Operation.RegenerateSelfSigned op) {
      connections.platform(op.node()).regenerateSelfSigned(new SelfSignedRequest(op.service().yaml(),
          op.keyType() == CertificateSpec.KeyType.EC ? "EC" : "RSA", op.keySize(), op.hash().name(), op.commonName(),
          op.subjectAltNames(), op.validityDays()));
      return "new self-signed " + op.service().yaml() + " certificate";
    }
    if (operation instanceof Operation.InstallIdentity op) {
      // a multi-server certificate uploaded on one node is distributed to the others by the cluster itself
      connections.platform(op.node()).uploadIdentity(op.service().yaml(), op.chain());
      return "installed " + op.service().yaml() + " certificate"
          + (op.distributeTo().isEmpty() ? "" : " (the cluster distributes it to " + op.distributeTo().size() + " more nodes)");
    }
    if (operation instanceof Operation.IssueIdentity op) {
      throw new ClusterException("issue-identity is carried out by the applier (CSR, issuer, install), not sent to "
          + op.node());
    }
    if (operation instanceof Operation.VerifyServedIdentity op) {
      throw new ClusterException("verify-served-identity is carried out by the applier, not sent to " + op.node());
    }
    if (operation instanceof Operation.SetPhoneCapf op) {
      return phoneCapf(axl, op, secrets);
    }
    if (operation instanceof Operation.ImportPhoneLsc op) {
      // CAPF imports offline-CA certificates only from an SFTP server ('utils capf cert import'); no API takes the file
      throw new ClusterException("a real cluster imports offline-CA LSCs with 'utils capf cert import' from an SFTP "
          + "server, which uctrust cannot drive yet; import " + op.phone() + "'s certificate on the publisher's CLI");
    }
    if (operation instanceof Operation.SetPhoneMra op) {
      eachPhone(op.phones(), phone -> axl.updatePhoneMra(phone, true, op.serviceDomain(), op.securityProfile()));
      return "MRA activation set on " + op.phones().size() + " phones";
    }
    if (operation instanceof Operation.RestartService op) {
      if (ControlCenterClient.controllable(op.service())) {
        connections.services(op.node()).restart(op.node(), List.of(op.service()));
      } else {
        connections.cli(op.node()).restartService(op.service());
      }
      return "restarted " + op.service();
    }
    throw new ClusterException("target cucm cannot perform " + operation.getClass().getSimpleName());
  }

  private String phoneCapf(AxlClient axl, Operation.SetPhoneCapf op, SecretResolver secrets) throws ClusterException {
    boolean none = op.operation() == PhoneCertificatePolicySpec.Operation.NONE;
    String finish = none || op.completeBy() == null ? null : CapfUpdate.finishTime(LocalDateTime.parse(op.completeBy()));
    eachPhone(op.phones(), phone -> {
      String string = none || op.authenticationString() == null ? null : secrets.resolve(op.authenticationString(), phone);
      CapfUpdate update = new CapfUpdate(AxlTexts.text(op.operation()), AxlTexts.text(op.authenticationMode()), string,
          none ? null : op.rsaSize(), none ? null : AxlTexts.text(op.keyOrder()), none ? null : op.ecSize(), finish, null);
      axl.updatePhoneCapf(phone, update);
      axl.applyPhone(phone);
    });
    return "CAPF " + op.operation().name().toLowerCase(Locale.ROOT).replace('_', '-') + " set on " + op.phones().size()
        + " phones (configuration applied)";
  }

  /** A change to one phone. */
  @FunctionalInterface
  private interface PhoneChange {
    void apply(String phone) throws ClusterException;
  }

  /** Changes the phones one by one; a failure says how many were changed first, so a rerun knows. */
  private static void eachPhone(List<String> phones, PhoneChange change) throws ClusterException {
    int done = 0;
    for (String phone : phones) {
      try {
        change.apply(phone);
      } catch (ClusterException e) {
        throw new ClusterException(done + " of " + phones.size() + " phones set before " + phone + " failed: "
            + e.getMessage());
      }
      done++;
    }
  }

  /**
   * Whether AXL's CallManager {@code callManager} is the one of {@code node}: named like the node, or
   * Unified CM's default {@code CM_<host>}.
   */
  static boolean isCallManagerOf(String callManager, String node) {
    String host = node.contains(".") ? node.substring(0, node.indexOf('.')) : node;
    return callManager.equalsIgnoreCase(node) || callManager.equalsIgnoreCase(host)
        || callManager.equalsIgnoreCase("CM_" + host);
  }
}
