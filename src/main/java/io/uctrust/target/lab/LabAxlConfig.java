package io.uctrust.target.lab;

import static io.uctrust.target.lab.LabAxlLists.criterion;
import static io.uctrust.target.lab.LabAxlLists.like;

import io.uctrust.cluster.ClusterException;
import io.uctrust.cluster.Operation;
import io.uctrust.desired.SipOAuthSpec;
import io.uctrust.target.cucm.axl.AxlTexts;
import io.uctrust.target.cucm.axl.XmlElement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The SIP OAuth side of the lab's AXL service: phone security profiles, Expressway-C entries and the
 * CallManager items (one per Unified CM node, named like the lab node) that carry the SIP OAuth ports.
 * Adds and updates are performed as the in-process lab's operations (PutPhoneSecurityProfile,
 * PutExpresswayC, SetSipOAuthPorts), built from the current item so fields a request leaves out keep
 * their values.
 *
 * <p>The lab keeps no per-profile CAPF defaults or SIP phone port: it answers Cisco's defaults for them
 * and refuses to set other values rather than drop them silently. Not for: any other AXL item.
 */
final class LabAxlConfig {
  /** Profile fields the lab does not keep, with the value it answers (Cisco's defaults). */
  private static final Map<String, String> FIXED_PROFILE_FIELDS = Map.of("authenticationMode", "By Null String",
      "keySize", "2048", "keyOrder", "RSA Only", "ecKeySize", "384", "sipPhonePort", "5060");

  private static final String PROFILE = "Phone Security Profile";
  private static final String EXPRESSWAY = "Expressway-C Configuration";
  private static final String CALL_MANAGER = "CallManager";

  private final ServedLab lab;

  LabAxlConfig(ServedLab lab) {
    this.lab = lab;
  }

  // ------------------------------------------------------------ phone security profiles

  XmlElement listPhoneSecurityProfile(XmlElement body) {
    String pattern = criterion(body, "name");
    List<XmlElement> found = lab.read(state -> state.profiles.stream().filter(p -> like(pattern, p.name))
        .map(p -> LabAxlLists.returned(body, "phoneSecurityProfile", listFields(p))).toList());
    return XmlElement.of("return", found);
  }

  XmlElement getPhoneSecurityProfile(XmlElement body) throws LabAxlFault {
    String name = body.childText("name");
    Optional<Map<String, String>> fields = lab.read(state -> profile(state, name).map(LabAxlConfig::allFields));
    Map<String, String> profile = fields.orElseThrow(() -> LabAxlFault.notFound(PROFILE));
    return XmlElement.of("return", LabAxlLists.returned(XmlElement.of("getPhoneSecurityProfile"), "phoneSecurityProfile",
        profile));
  }

  XmlElement addPhoneSecurityProfile(XmlElement body) throws ClusterException {
    XmlElement fields = body.child("phoneSecurityProfile").orElseThrow();
    String name = fields.childText("name");
    SipOAuthSpec.Protocol protocol = AxlTexts.protocol(fields.childText("protocol"))
        .orElseThrow(() -> LabAxlFault.invalid("protocol must be SIP or SCCP"));
    lab.performFrom(state -> {
      if (profile(state, name).isPresent()) {
        throw new LabAxlFault(LabAxlFault.DUPLICATE,
            "Could not insert new row - duplicate value in a UNIQUE INDEX column (Unique Index:securityprofile name)");
      }
      LabState.Profile defaults = new LabState.Profile();
      defaults.deviceSecurityMode = SipOAuthSpec.DeviceSecurityMode.NON_SECURE.name();
      defaults.transport = SipOAuthSpec.Transport.TCP_UDP.name();
      return putProfile(name, fields.childText("description"), fields.childText("phoneType"), protocol, fields, defaults);
    }, LabAxlService.NO_SECRETS);
    return LabAxlLists.returnUuid("profile", name);
  }

  XmlElement updatePhoneSecurityProfile(XmlElement body) throws ClusterException {
    String name = body.childText("name");
    lab.performFrom(state -> {
      LabState.Profile current = profile(state, name).orElseThrow(() -> LabAxlFault.notFound(PROFILE));
      String description = body.child("description").isPresent() ? body.childText("description") : current.description;
      return putProfile(current.name, description, current.phoneType, SipOAuthSpec.Protocol.valueOf(current.protocol), body,
          current);
    }, LabAxlService.NO_SECRETS);
    return LabAxlLists.returnUuid("profile", name);
  }

  /** The PutPhoneSecurityProfile for {@code settings}, fields it leaves out taken from {@code current}. */
  private static Operation.PutPhoneSecurityProfile putProfile(String name, String description, String phoneType,
      SipOAuthSpec.Protocol protocol, XmlElement settings, LabState.Profile current) throws LabAxlFault {
    for (Map.Entry<String, String> fixed : FIXED_PROFILE_FIELDS.entrySet()) {
      String value = settings.childText(fixed.getKey());
      if (value != null && !value.equals(fixed.getValue())) {
        throw LabAxlFault.invalid("the lab keeps " + fixed.getKey() + " of phone security profiles at " + fixed.getValue()
            + " and cannot set it to " + value);
      }
    }
    SipOAuthSpec.DeviceSecurityMode mode = settings.child("deviceSecurityMode").isPresent()
        ? AxlTexts.deviceSecurityMode(settings.childText("deviceSecurityMode"))
            .orElseThrow(() -> LabAxlFault.invalid("deviceSecurityMode is not a device security mode"))
        : SipOAuthSpec.DeviceSecurityMode.valueOf(current.deviceSecurityMode);
    SipOAuthSpec.Transport transport = settings.child("transportType").isPresent()
        ? AxlTexts.transport(settings.childText("transportType"))
            .orElseThrow(() -> LabAxlFault.invalid("transportType is not a transport type"))
        : SipOAuthSpec.Transport.valueOf(current.transport);
    boolean oauth = flag(settings, "EnableOAuthAuthentication", current.oauth);
    boolean digest = flag(settings, "enableDigestAuthentication", current.digestAuthentication);
    boolean tftp = flag(settings, "tftpEncryptedConfig", current.tftpEncryptedConfig);
    if (oauth && protocol != SipOAuthSpec.Protocol.SIP) {
      throw LabAxlFault.invalid("EnableOAuthAuthentication is supported only for SIP profiles");
    }
    if (oauth && (digest || tftp)) {
      throw LabAxlFault.invalid("with EnableOAuthAuthentication, enableDigestAuthentication and tftpEncryptedConfig "
          + "are not supported");
    }
    return new Operation.PutPhoneSecurityProfile(name, description, phoneType, protocol, mode, transport, oauth, digest,
        tftp);
  }

  private static boolean flag(XmlElement settings, String field, boolean current) {
    String value = settings.childText(field);
    return value == null ? current : Boolean.parseBoolean(value);
  }

  private static Optional<LabState.Profile> profile(LabState state, String name) {
    return state.profiles.stream().filter(p -> p.name.equals(name)).findFirst();
  }

  /** The fields AXL's list returns, in its order. */
  private static Map<String, String> listFields(LabState.Profile p) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("phoneType", p.phoneType);
    fields.put("protocol", AxlTexts.text(SipOAuthSpec.Protocol.valueOf(p.protocol)));
    fields.put("name", p.name);
    fields.put("description", p.description);
    fields.put("deviceSecurityMode", AxlTexts.text(SipOAuthSpec.DeviceSecurityMode.valueOf(p.deviceSecurityMode)));
    fields.put("authenticationMode", FIXED_PROFILE_FIELDS.get("authenticationMode"));
    fields.put("keySize", FIXED_PROFILE_FIELDS.get("keySize"));
    fields.put("tftpEncryptedConfig", Boolean.toString(p.tftpEncryptedConfig));
    fields.put("transportType", AxlTexts.text(SipOAuthSpec.Transport.valueOf(p.transport)));
    fields.put("sipPhonePort", FIXED_PROFILE_FIELDS.get("sipPhonePort"));
    fields.put("enableDigestAuthentication", Boolean.toString(p.digestAuthentication));
    fields.put("EnableOAuthAuthentication", Boolean.toString(p.oauth));
    return fields;
  }

  private static Map<String, String> allFields(LabState.Profile p) {
    Map<String, String> fields = listFields(p);
    fields.put("keyOrder", FIXED_PROFILE_FIELDS.get("keyOrder"));
    fields.put("ecKeySize", FIXED_PROFILE_FIELDS.get("ecKeySize"));
    return fields;
  }

  // ------------------------------------------------------------ Expressway-C

  XmlElement listExpresswayCConfiguration(XmlElement body) {
    String pattern = criterion(body, "HostNameOrIP");
    List<XmlElement> found = lab.read(state -> state.expresswayC.stream().filter(e -> like(pattern, e.host))
        .map(e -> LabAxlLists.returned(body, "expresswayCConfiguration", expresswayFields(e))).toList());
    return XmlElement.of("return", found);
  }

  XmlElement addExpresswayCConfiguration(XmlElement body) throws ClusterException {
    XmlElement fields = body.child("expresswayCConfiguration").orElseThrow();
    String host = fields.childText("HostNameOrIP");
    lab.performFrom(state -> {
      if (expressway(state, host).isPresent()) {
        throw new LabAxlFault(LabAxlFault.DUPLICATE,
            "Could not insert new row - duplicate value in a UNIQUE INDEX column (Unique Index:expresswayc hostnameorip)");
      }
      return new Operation.PutExpresswayC(host, fields.childText("description"),
          AxlTexts.subjectNames(fields.childText("X509SubjectNameorSubjectAlternateName")));
    }, LabAxlService.NO_SECRETS);
    return LabAxlLists.returnUuid("expresswayc", host);
  }

  XmlElement updateExpresswayCConfiguration(XmlElement body) throws ClusterException {
    String host = body.childText("HostNameOrIP");
    lab.performFrom(state -> {
      LabState.ExpresswayC current = expressway(state, host).orElseThrow(() -> LabAxlFault.notFound(EXPRESSWAY));
      String description = body.child("description").isPresent() ? body.childText("description") : current.description;
      List<String> names = body.child("X509SubjectNameorSubjectAlternateName").isPresent()
          ? AxlTexts.subjectNames(body.childText("X509SubjectNameorSubjectAlternateName")) : current.subjectNames;
      return new Operation.PutExpresswayC(current.host, description, names);
    }, LabAxlService.NO_SECRETS);
    return LabAxlLists.returnUuid("expresswayc", host);
  }

  private static Optional<LabState.ExpresswayC> expressway(LabState state, String host) {
    return state.expresswayC.stream().filter(e -> e.host.equalsIgnoreCase(host)).findFirst();
  }

  private static Map<String, String> expresswayFields(LabState.ExpresswayC e) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("HostNameOrIP", e.host);
    fields.put("description", e.description);
    fields.put("X509SubjectNameorSubjectAlternateName", AxlTexts.subjectNamesText(e.subjectNames));
    return fields;
  }

  // ------------------------------------------------------------ CallManager

  XmlElement listCallManager(XmlElement body) {
    String pattern = criterion(body, "name");
    List<XmlElement> found = lab.read(state -> state.nodes.stream().filter(n -> isUnifiedCm(n) && like(pattern, n.name))
        .map(n -> LabAxlLists.returned(body, "callManager", callManagerFields(n)))
        .toList());
    return XmlElement.of("return", found);
  }

  XmlElement getCallManager(XmlElement body) throws LabAxlFault {
    String name = body.childText("name");
    Optional<XmlElement> found = lab.read(state -> callManager(state, name).map(n -> XmlElement.of("callManager",
        XmlElement.leaf("name", n.name), XmlElement.leaf("description", n.name),
        XmlElement.of("ports", XmlElement.of("sipPorts",
            XmlElement.leaf("sipOAuthPort", Integer.toString(n.sipOAuthPort)),
            XmlElement.leaf("sipOAuthMRAPort", Integer.toString(n.sipOAuthMraPort)))))));
    return XmlElement.of("return", found.orElseThrow(() -> LabAxlFault.notFound(CALL_MANAGER)));
  }

  XmlElement updateCallManager(XmlElement body) throws ClusterException {
    String name = body.childText("name");
    Optional<XmlElement> sip = body.find("ports", "sipPorts");
    String phone = sip.map(s -> s.childText("sipOAuthPort")).orElse(null);
    String mra = sip.map(s -> s.childText("sipOAuthMRAPort")).orElse(null);
    lab.performFrom(state -> {
      LabState.Node node = callManager(state, name).orElseThrow(() -> LabAxlFault.notFound(CALL_MANAGER));
      int phonePort = phone == null ? node.sipOAuthPort : Integer.parseInt(phone.strip());
      int mraPort = mra == null ? node.sipOAuthMraPort : Integer.parseInt(mra.strip());
      if (phonePort == mraPort) {
        throw LabAxlFault.invalid("sipOAuthPort and sipOAuthMRAPort must differ");
      }
      return new Operation.SetSipOAuthPorts(node.name, phonePort, mraPort);
    }, LabAxlService.NO_SECRETS);
    return LabAxlLists.returnUuid("callmanager", name);
  }

  private static Map<String, String> callManagerFields(LabState.Node node) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("name", node.name);
    fields.put("description", node.name);
    return fields;
  }

  private static Optional<LabState.Node> callManager(LabState state, String name) {
    return state.nodes.stream().filter(n -> isUnifiedCm(n) && n.name.equalsIgnoreCase(name)).findFirst();
  }

  /** CallManager items exist for Unified CM nodes only, not IM and Presence. */
  private static boolean isUnifiedCm(LabState.Node node) {
    return node.role != null && node.role.startsWith("cucm-");
  }
}
