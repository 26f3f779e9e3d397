package io.uctrust.target.lab;

import io.uctrust.target.cucm.axl.XmlElement;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * What the lab's AXL list, get and update answers share: AXL search patterns (SQL {@code LIKE}: {@code %}
 * any text, {@code _} one character, case-insensitive), {@code returnedTags} (only the fields asked for),
 * and stable uuids in AXL's form ({@code {8A1B...}}) for the items the lab keeps by name.
 *
 * <p>Not for: anything outside the lab's AXL service.
 */
final class LabAxlLists {
  private LabAxlLists() {}

  /** Whether {@code value} matches the AXL search pattern {@code pattern}. */
  static boolean like(String pattern, String value) {
    StringBuilder regex = new StringBuilder();
    StringBuilder literal = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      if (c == '%' || c == '_') {
        if (!literal.isEmpty()) {
          regex.append(Pattern.quote(literal.toString()));
          literal.setLength(0);
        }
        regex.append(c == '%' ? ".*" : ".");
      } else {
        literal.append(c);
      }
    }
    if (!literal.isEmpty()) {
      regex.append(Pattern.quote(literal.toString()));
    }
    return value != null
        && Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL)
            .matcher(value).matches();
  }

  /** The search pattern {@code field} of the request's {@code searchCriteria}; "%" when absent. */
  static String criterion(XmlElement body, String field) {
    return body.find("searchCriteria", field).map(XmlElement::text).orElse("%");
  }

  /**
   * Element {@code name} with the {@code fields} (in their order) the request's {@code returnedTags} asks
   * for; every field when it asks for none.
   */
  static XmlElement returned(XmlElement body, String name, Map<String, String> fields) {
    Set<String> tags = new HashSet<>();
    body.child("returnedTags").ifPresent(r -> r.children().forEach(t -> tags.add(t.name())));
    List<XmlElement> children = new ArrayList<>();
    fields.forEach((field, value) -> {
      if (tags.isEmpty() || tags.contains(field)) {
        children.add(XmlElement.leaf(field, value == null ? "" : value));
      }
    });
    return XmlElement.of(name, children);
  }

  /** A uuid for the lab item {@code kind} called {@code name}, the same on every call and run. */
  static String uuid(String kind, String name) {
    UUID uuid = UUID.nameUUIDFromBytes((kind + ":" + name.toLowerCase(Locale.ROOT)).getBytes(StandardCharsets.UTF_8));
    return "{" + uuid.toString().toUpperCase(Locale.ROOT) + "}";
  }

  /** The {@code return} element of an add or update: the item's uuid. */
  static XmlElement returnUuid(String kind, String name) {
    return XmlElement.leaf("return", uuid(kind, name));
  }
}
