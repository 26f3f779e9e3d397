package io.uctrust.target.cucm.axl;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * The one table from the display names of the CAPF service parameters and enterprise parameters uctrust
 * manages (as the administration GUI shows them) to the internal names AXL wants, with the service each
 * belongs to. Loaded from {@code service-parameter-names.properties} next to this class; a user-supplied
 * properties file of the same form overrides entries.
 *
 * <p>Cisco does not publish the internal names: the defaults are uctrust's best knowledge, unverified for
 * every release, and may differ per release; that is why they can be overridden. Not for: parameters
 * uctrust does not manage (an unknown display name is an error, so a typo cannot go unnoticed).
 */
public final class ServiceParameterNames {
  public static final String CAPF_SERVICE = "Cisco Certificate Authority Proxy Function";

  static final String RESOURCE = "service-parameter-names.properties";

  /** Display name to service, fixed by Cisco's guides; the order is the order of the GUI pages. */
  private static final Map<String, String> SERVICES = services();

  private static final Set<String> SECRET = Set.of("Online CA Password");

  private final Map<String, String> internalNames;

  private ServiceParameterNames(Map<String, String> internalNames) {
    this.internalNames = Collections.unmodifiableMap(internalNames);
  }

  private static Map<String, String> services() {
    Map<String, String> services = new LinkedHashMap<>();
    for (String name : new String[] {"Certificate Issuer to Endpoint", "Duration Of Certificate Validity",
        "Online CA Hostname", "Online CA Port", "Online CA Template", "Online CA Type", "Online CA Username",
        "Online CA Password"}) {
      services.put(name, CAPF_SERVICE);
    }
    for (String name : new String[] {"Enable IPv6", "OAuth with Refresh Login Flow", "Certificate Validity Check",
        "Validity Check Frequency"}) {
      services.put(name, ServiceParameterKey.ENTERPRISE_SERVICE);
    }
    return Collections.unmodifiableMap(services);
  }

  /** The built-in table. */
  public static ServiceParameterNames defaults() {
    Properties properties = new Properties();
    try (InputStream in = ServiceParameterNames.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the uctrust jar");
      }
      try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
        properties.load(reader);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + RESOURCE, e);
    }
    Map<String, String> names = new LinkedHashMap<>();
    SERVICES.keySet().forEach(display -> names.put(display, null));
    apply(names, properties, RESOURCE);
    names.forEach((display, internal) -> {
      if (internal == null) {
        throw new IllegalStateException(RESOURCE + " has no internal name for '" + display + "'");
      }
    });
    return new ServiceParameterNames(names);
  }

  /** This table with the entries of {@code file} (UTF-8 properties, display name = internal name) replacing ours. */
  public ServiceParameterNames withOverrides(Path file) throws IOException {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    }
    return withOverrides(properties, file.toString());
  }

  /** This table with {@code overrides} (display name to internal name) replacing ours; {@code source} names them in errors. */
  public ServiceParameterNames withOverrides(Properties overrides, String source) {
    Map<String, String> names = new LinkedHashMap<>(internalNames);
    apply(names, overrides, source);
    return new ServiceParameterNames(names);
  }

  private static void apply(Map<String, String> names, Properties properties, String source) {
    for (String display : new TreeMap<>(toMap(properties)).keySet()) {
      if (!SERVICES.containsKey(display)) {
        throw new IllegalArgumentException(source + ": '" + display + "' is not a parameter uctrust manages; known: "
            + String.join(", ", SERVICES.keySet()) + " (escape spaces in names with a backslash: Online\\ CA\\ Port)");
      }
      String internal = properties.getProperty(display).strip();
      if (internal.isEmpty()) {
        throw new IllegalArgumentException(source + ": '" + display + "' has an empty internal name");
      }
      names.put(display, internal);
    }
  }

  private static Map<String, String> toMap(Properties properties) {
    Map<String, String> map = new LinkedHashMap<>();
    properties.stringPropertyNames().forEach(key -> map.put(key, properties.getProperty(key)));
    return map;
  }

  /** The display names this table knows, CAPF first, in the GUI's order. */
  public Set<String> displayNames() {
    return SERVICES.keySet();
  }

  /** The AXL internal name of {@code displayName}. */
  public String internalName(String displayName) {
    String internal = internalNames.get(displayName);
    if (internal == null) {
      throw new IllegalArgumentException("'" + displayName + "' is not a parameter uctrust manages");
    }
    return internal;
  }

  /** The service {@code displayName} belongs to: {@value #CAPF_SERVICE} or Enterprise Wide. */
  public String service(String displayName) {
    internalName(displayName);
    return SERVICES.get(displayName);
  }

  /**
   * The AXL key of {@code displayName}: CAPF parameters are set on {@code publisherNode}, enterprise
   * parameters on {@value ServiceParameterKey#ENTERPRISE_NODE}.
   */
  public ServiceParameterKey key(String displayName, String publisherNode) {
    String service = service(displayName);
    return ServiceParameterKey.ENTERPRISE_SERVICE.equals(service)
        ? ServiceParameterKey.enterprise(internalName(displayName))
        : new ServiceParameterKey(publisherNode, service, internalName(displayName));
  }

  /** Whether the parameter's value is a secret (never shown, scrubbed from faults). */
  public boolean isSecret(String displayName) {
    return SECRET.contains(displayName);
  }
}
