package io.uctrust.target.cucm.axl;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One XML element of an AXL request or response body as an immutable tree: its local name (namespaces and
 * prefixes are left to the envelope writer and reader), its text, and its child elements in document
 * order. An element has text or children, never both (AXL has no mixed content). Attributes (AXL's
 * {@code uuid}) are not kept.
 *
 * <p>{@link #toString()} shows element names only, never text, because bodies carry secrets
 * (authentication strings, the online CA password). Not for: arbitrary XML documents, or holding a
 * secret longer than one request.
 */
public record XmlElement(String name, String text, List<XmlElement> children) {

  public XmlElement {
    Objects.requireNonNull(name, "name");
    if (!name.matches("[\\p{L}_][\\p{L}\\p{N}\\p{M}_.\\-\\u00B7]*")) {
      throw new IllegalArgumentException("not an XML element name: '" + name + "'");
    }
    text = text == null ? "" : text;
    children = List.copyOf(children == null ? List.of() : children);
    if (!text.isEmpty() && !children.isEmpty()) {
      throw new IllegalArgumentException("element '" + name + "' has both text and child elements");
    }
    int bad = firstNonXmlChar(text);
    if (bad >= 0) {
      throw new IllegalArgumentException("element '" + name + "' holds a character XML 1.0 cannot carry (at offset "
          + bad + ")");
    }
  }

  /** An element with text and no children. */
  public static XmlElement leaf(String name, String text) {
    return new XmlElement(name, Objects.requireNonNull(text, name), List.of());
  }

  /** An element with children (possibly none: an empty element such as a returned tag). */
  public static XmlElement of(String name, XmlElement... children) {
    return new XmlElement(name, "", List.of(children));
  }

  public static XmlElement of(String name, List<XmlElement> children) {
    return new XmlElement(name, "", children);
  }

  /** A builder that appends children in order and skips optional ones whose value is absent. */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** The first child called {@code childName}. */
  public Optional<XmlElement> child(String childName) {
    for (XmlElement child : children) {
      if (child.name.equals(childName)) {
        return Optional.of(child);
      }
    }
    return Optional.empty();
  }

  /** Every child called {@code childName}, in order. */
  public List<XmlElement> children(String childName) {
    return children.stream().filter(c -> c.name.equals(childName)).toList();
  }

  /** The element reached by following {@code path} through first children of those names. */
  public Optional<XmlElement> find(String... path) {
    Optional<XmlElement> current = Optional.of(this);
    for (String step : path) {
      current = current.flatMap(e -> e.child(step));
    }
    return current;
  }

  /** The text of the first child called {@code childName}, or {@code null} when there is no such child. */
  public String childText(String childName) {
    return child(childName).map(XmlElement::text).orElse(null);
  }

  /** Element names only, e.g. {@code updatePhone{name, certificateOperation}}; never text. */
  @Override
  public String toString() {
    if (children.isEmpty()) {
      return name;
    }
    StringBuilder out = new StringBuilder(name).append('{');
    for (int i = 0; i < children.size(); i++) {
      out.append(i == 0 ? "" : ", ").append(children.get(i));
    }
    return out.append('}').toString();
  }

  private static int firstNonXmlChar(String text) {
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      boolean allowed = cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF)
          || (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
      if (!allowed) {
        return i;
      }
      i += Character.charCount(cp);
    }
    return -1;
  }

  /** Collects the children of one element; optional values that are {@code null} are left out. */
  public static final class Builder {
    private final String name;
    private final List<XmlElement> children = new ArrayList<>();

    private Builder(String name) {
      this.name = name;
    }

    /** A required text child; {@code null} is a programming error. */
    public Builder text(String childName, String value) {
      children.add(leaf(childName, Objects.requireNonNull(value, childName)));
      return this;
    }

    /** An optional text child, left out when {@code value} is {@code null}. */
    public Builder optional(String childName, Object value) {
      if (value != null) {
        children.add(leaf(childName, String.valueOf(value)));
      }
      return this;
    }

    public Builder child(XmlElement child) {
      children.add(Objects.requireNonNull(child, "child"));
      return this;
    }

    /** Empty elements, e.g. the tags of a {@code returnedTags} list. */
    public Builder empty(String... childNames) {
      for (String childName : childNames) {
        children.add(of(childName));
      }
      return this;
    }

    public XmlElement build() {
      return of(name, children);
    }
  }
}
