package io.uctrust.target.lab;

import io.uctrust.cluster.ClusterException;
import io.uctrust.cluster.Operation;
import io.uctrust.desired.PhoneCertificatePolicySpec;
import io.uctrust.target.cucm.axl.AxlQueries;
import io.uctrust.target.cucm.axl.AxlTexts;
import io.uctrust.target.cucm.axl.CapfUpdate;
import io.uctrust.target.cucm.axl.XmlElement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The phone side of the lab's AXL service: {@code executeSQLQuery} for exactly the queries in
 * {@link AxlQueries}, and {@code getPhone}, {@code updatePhone} (CAPF fields, or MRA activation-code
 * onboarding) and {@code applyPhone} over the served lab's phones.
 *
 * <p>CAPF is modelled in two steps as on a real cluster: {@code updatePhone} stores the fields and
 * {@code applyPhone} makes the phone act on them (its status becomes Operation Pending unless the operation
 * is No Pending Operation); together they leave a phone as the in-process lab's SetPhoneCapf does. Not
 * for: SQL other than uctrust's (refused with an Informix-style fault), or any other device class.
 */
final class LabAxlPhones {
  /** How the lab stores "operation completes by" (the desired state's spelling). */
  static final DateTimeFormatter LAB_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm");
  private static final DateTimeFormatter AXL_TIME = CapfUpdate.FINISH_TIME.withResolverStyle(ResolverStyle.STRICT);

  private static final String SELECT = "SELECT ";
  /** The phone query after SELECT, whitespace normalised: paging goes between SELECT and this. */
  private static final Pattern PHONES = Pattern.compile("SELECT (?:SKIP (\\d{1,9}) )?(?:FIRST (\\d{1,9}) )?"
      + Pattern.quote(normalize(AxlQueries.PHONES).substring(SELECT.length()))
      + "(?: ORDER BY " + Pattern.quote(AxlQueries.PHONES_ORDER) + ")?", Pattern.CASE_INSENSITIVE);
  private static final String SECURITY_MODE = normalize(AxlQueries.CLUSTER_SECURITY_MODE);

  private final ServedLab lab;

  LabAxlPhones(ServedLab lab) {
    this.lab = lab;
  }

  // ------------------------------------------------------------ SQL

  XmlElement executeSqlQuery(XmlElement body) throws LabAxlFault {
    String sql = normalize(body.childText("sql"));
    if (sql.equalsIgnoreCase(SECURITY_MODE)) {
      boolean mixed = lab.read(state -> state.mixedMode);
      return XmlElement.of("return", XmlElement.of("row", XmlElement.leaf("paramvalue", mixed ? "1" : "0")));
    }
    Matcher paged = PHONES.matcher(sql);
    if (!paged.matches()) {
      throw new LabAxlFault(LabAxlFault.SQL_SYNTAX, "A syntax error has occurred: the lab answers only the queries "
          + "uctrust sends: AxlQueries.PHONES (optionally paged with SELECT SKIP n FIRST m ... ORDER BY "
          + AxlQueries.PHONES_ORDER + ") and AxlQueries.CLUSTER_SECURITY_MODE");
    }
    long skip = paged.group(1) == null ? 0 : Long.parseLong(paged.group(1));
    long first = paged.group(2) == null ? Long.MAX_VALUE : Long.parseLong(paged.group(2));
    List<XmlElement> rows = lab.read(state -> state.phones.stream()
        .sorted(Comparator.comparing((LabState.Phone p) -> p.name))
        .skip(skip).limit(first)
        .map(LabAxlPhones::row)
        .toList());
    return XmlElement.of("return", rows);
  }

  /** One row of {@link AxlQueries#PHONES}, columns in {@link AxlQueries#PHONE_COLUMNS} order. */
  private static XmlElement row(LabState.Phone p) {
    Map<String, String> columns = new LinkedHashMap<>();
    columns.put("name", p.name);
    columns.put("model", p.model);
    columns.put("devicepool", p.devicePool);
    columns.put("securityprofile", p.securityProfile);
    columns.put("certificateoperation", operationText(p));
    columns.put("authenticationmode", AxlTexts.text(PhoneCertificatePolicySpec.AuthenticationMode.valueOf(p.authenticationMode)));
    columns.put("keyorder", AxlTexts.text(PhoneCertificatePolicySpec.KeyOrder.valueOf(p.keyOrder)));
    columns.put("keysize", Integer.toString(p.rsaSize));
    columns.put("eckeysize", Integer.toString(p.ecSize));
    columns.put("upgradefinishtime", finishTime(p.completeBy));
    columns.put("certificatestatus", p.certificateStatus);
    columns.put("micissuer", p.micIssuer);
    columns.put("micserial", p.micSerial);
    columns.put("micvalidfrom", epoch(p.micNotBefore));
    columns.put("micvaliduntil", epoch(p.micNotAfter));
    columns.put("lscissuer", p.lscIssuer);
    columns.put("lscserial", p.lscSerial);
    columns.put("lscvalidfrom", epoch(p.lscNotBefore));
    columns.put("lscvaliduntil", epoch(p.lscNotAfter));
    columns.put("allowmra", p.allowActivationCodeViaMra ? "t" : "f");
    columns.put("mraservicedomain", p.mraServiceDomain);
    List<XmlElement> cells = new ArrayList<>();
    for (String column : AxlQueries.PHONE_COLUMNS) {
      String value = columns.get(column);
      cells.add(XmlElement.leaf(column, value == null ? "" : value));
    }
    return XmlElement.of("row", cells);
  }

  // ------------------------------------------------------------ getPhone, applyPhone

  XmlElement getPhone(XmlElement body) throws LabAxlFault {
    String name = body.childText("name");
    Optional<XmlElement> phone = lab.read(state -> find(state, name).map(LabAxlPhones::phone));
    return XmlElement.of("return", phone.orElseThrow(() -> LabAxlFault.notFound("Device")));
  }

  private static XmlElement phone(LabState.Phone p) {
    return XmlElement.builder("phone")
        .text("name", p.name)
        .text("product", p.model)
        .text("model", p.model)
        .text("devicePoolName", nonNull(p.devicePool))
        .text("securityProfileName", nonNull(p.securityProfile))
        .text("certificateOperation", operationText(p))
        .text("authenticationMode", AxlTexts.text(PhoneCertificatePolicySpec.AuthenticationMode.valueOf(p.authenticationMode)))
        .text("keySize", Integer.toString(p.rsaSize))
        .text("keyOrder", AxlTexts.text(PhoneCertificatePolicySpec.KeyOrder.valueOf(p.keyOrder)))
        .text("ecKeySize", Integer.toString(p.ecSize))
        .text("upgradeFinishTime", finishTime(p.completeBy))
        .text("certificateStatus", nonNull(p.certificateStatus))
        .text("allowActivationCodeViaMra", Boolean.toString(p.allowActivationCodeViaMra))
        .text("mraServiceDomain", nonNull(p.mraServiceDomain))
        .build();
  }

  XmlElement applyPhone(XmlElement body) throws ClusterException {
    String name = body.childText("name");
    lab.applyPhone(name, () -> LabAxlFault.notFound("Device"));
    return LabAxlLists.returnUuid("phone", name);
  }

  // ------------------------------------------------------------ updatePhone

  XmlElement updatePhone(XmlElement body) throws ClusterException {
    return body.child("allowActivationCodeViaMra").isPresent() ? updateMra(body) : updateCapf(body);
  }

  private XmlElement updateCapf(XmlElement body) throws ClusterException {
    String name = body.childText("name");
    PhoneCertificatePolicySpec.Operation operation = AxlTexts.certificateOperation(body.childText("certificateOperation"))
        .orElseThrow(() -> LabAxlFault.invalid("certificateOperation is not a certificate operation"));
    PhoneCertificatePolicySpec.AuthenticationMode mode = AxlTexts.authenticationMode(body.childText("authenticationMode"))
        .orElseThrow(() -> LabAxlFault.invalid("authenticationMode is not an authentication mode"));
    String keySize = body.childText("keySize");
    String keyOrder = body.childText("keyOrder");
    String ecKeySize = body.childText("ecKeySize");
    String authenticationString = body.childText("authenticationString");
    String finishTime = body.childText("upgradeFinishTime");
    if (operation == PhoneCertificatePolicySpec.Operation.NONE
        && (keySize != null || keyOrder != null || ecKeySize != null || authenticationString != null || finishTime != null)) {
      throw LabAxlFault.invalid("CAPF key settings, authentication string and upgradeFinishTime can only be changed with a "
          + "certificateOperation other than " + CapfUpdate.NO_PENDING_OPERATION);
    }
    PhoneCertificatePolicySpec.KeyOrder order = keyOrder == null ? null : AxlTexts.keyOrder(keyOrder)
        .orElseThrow(() -> LabAxlFault.invalid("keyOrder is not a key order"));
    String completeBy = finishTime == null ? null : labTime(finishTime);
    String profile = body.childText("securityProfileName");
    lab.change(state -> {
      LabState.Phone phone = find(state, name).orElseThrow(() -> LabAxlFault.notFound("Device"));
      requireProfile(state, profile);
      if (mode == PhoneCertificatePolicySpec.AuthenticationMode.AUTH_STRING
          && operation != PhoneCertificatePolicySpec.Operation.NONE
          && authenticationString == null && phone.authenticationString == null) {
        throw LabAxlFault.invalid(CapfUpdate.BY_AUTHENTICATION_STRING + " needs an authenticationString");
      }
      // Fields the request leaves out keep their values, as AXL updates do.
      phone.certificateOperation = operation.name();
      phone.authenticationMode = mode.name();
      if (keySize != null) {
        phone.rsaSize = Integer.parseInt(keySize);
      }
      if (order != null) {
        phone.keyOrder = order.name();
      }
      if (ecKeySize != null) {
        phone.ecSize = Integer.parseInt(ecKeySize);
      }
      if (authenticationString != null) {
        phone.authenticationString = authenticationString;
      }
      if (completeBy != null) {
        phone.completeBy = completeBy;
      }
      if (profile != null) {
        phone.securityProfile = profile;
      }
      return null;
    });
    return LabAxlLists.returnUuid("phone", name);
  }

  private XmlElement updateMra(XmlElement body) throws ClusterException {
    String name = body.childText("name");
    boolean allow = Boolean.parseBoolean(body.childText("allowActivationCodeViaMra"));
    String domain = body.childText("mraServiceDomain");
    String profile = body.childText("securityProfileName");
    if (allow && domain == null) {
      throw LabAxlFault.invalid("mraServiceDomain is required when allowActivationCodeViaMra is true");
    }
    if (allow && profile != null) {
      // exactly the lab's SetPhoneMra, so the end state is the in-process lab's
      lab.performFrom(state -> {
        find(state, name).orElseThrow(() -> LabAxlFault.notFound("Device"));
        requireProfile(state, profile);
        return new Operation.SetPhoneMra(List.of(name), domain, profile);
      }, LabAxlService.NO_SECRETS);
    } else {
      lab.change(state -> {
        LabState.Phone phone = find(state, name).orElseThrow(() -> LabAxlFault.notFound("Device"));
        requireProfile(state, profile);
        phone.allowActivationCodeViaMra = allow;
        if (domain != null) {
          phone.mraServiceDomain = domain;
        }
        if (profile != null) {
          phone.securityProfile = profile;
        }
        return null;
      });
    }
    return LabAxlLists.returnUuid("phone", name);
  }

  // ------------------------------------------------------------ helpers

  /** The phone AXL names {@code name}: device names are case-insensitive on Unified CM. */
  static Optional<LabState.Phone> find(LabState state, String name) {
    return state.phones.stream().filter(p -> p.name.equalsIgnoreCase(name)).findFirst();
  }

  private static void requireProfile(LabState state, String profile) throws LabAxlFault {
    if (profile != null && state.profiles.stream().noneMatch(p -> p.name.equals(profile))) {
      throw LabAxlFault.notFound("Phone Security Profile");
    }
  }

  private static String operationText(LabState.Phone p) {
    return AxlTexts.text(PhoneCertificatePolicySpec.Operation.valueOf(p.certificateOperation));
  }

  /** The lab's {@code uuuu-MM-ddTHH:mm} as AXL's {@code uuuu:MM:dd:HH:mm}; empty when there is none. */
  static String finishTime(String labTime) {
    return labTime == null ? "" : LocalDateTime.parse(labTime, LAB_TIME).format(CapfUpdate.FINISH_TIME);
  }

  private static String labTime(String axlTime) throws LabAxlFault {
    try {
      return LocalDateTime.parse(axlTime, AXL_TIME).format(LAB_TIME);
    } catch (DateTimeParseException e) {
      throw LabAxlFault.invalid("upgradeFinishTime is not a valid date and time (YYYY:MM:DD:HH:MM)");
    }
  }

  private static String epoch(Instant instant) {
    return instant == null ? "0" : Long.toString(instant.getEpochSecond());
  }

  private static String nonNull(String text) {
    return text == null ? "" : text;
  }

  static String normalize(String sql) {
    return sql == null ? "" : sql.strip().replaceAll("\\s+", " ");
  }
}
