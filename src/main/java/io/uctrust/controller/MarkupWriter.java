package io.uctrust.controller;

import java.io.StringWriter;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes the status page's HTML and the timeline's SVG through the JDK's StAX writer, which escapes every text and
 * attribute value; characters XML cannot hold (controls in a certificate subject) become U+FFFD first, so
 * untrusted text can neither inject markup nor break the document. Elements are always closed explicitly
 * ({@code <td></td>}), which HTML parses as written.
 *
 * <p>Not for: raw markup from outside (there is deliberately no method that writes unescaped text), or streams.
 */
final class MarkupWriter {
  private static final XMLOutputFactory FACTORY = XMLOutputFactory.newFactory();

  private final StringWriter out = new StringWriter();
  private final XMLStreamWriter xml;

  MarkupWriter() {
    try {
      xml = FACTORY.createXMLStreamWriter(out);
    } catch (XMLStreamException e) {
      throw new IllegalStateException("the JDK's XML writer is unavailable", e);
    }
  }

  /** The XML declaration of a standalone document. */
  MarkupWriter xmlDeclaration() {
    return run(() -> xml.writeStartDocument("UTF-8", "1.0"));
  }

  /** A document type declaration such as {@code <!DOCTYPE html>} (constant text only). */
  MarkupWriter doctype(String declaration) {
    return run(() -> xml.writeDTD(declaration));
  }

  /** Opens {@code name} with attributes given as name, value pairs; a null value leaves the attribute out. */
  MarkupWriter start(String name, String... attributes) {
    return run(() -> {
      xml.writeStartElement(name);
      attributes(attributes);
    });
  }

  /** An element without content, written {@code <name .../>}: HTML's void elements, SVG shapes. */
  MarkupWriter empty(String name, String... attributes) {
    return run(() -> {
      xml.writeEmptyElement(name);
      attributes(attributes);
    });
  }

  /** Escaped text. */
  MarkupWriter text(String text) {
    return run(() -> xml.writeCharacters(clean(text)));
  }

  /** Closes the innermost open element. */
  MarkupWriter end() {
    return run(xml::writeEndElement);
  }

  /** An element holding only text: {@code start}, {@code text}, {@code end}. */
  MarkupWriter element(String name, String text, String... attributes) {
    return start(name, attributes).text(text).end();
  }

  /** The markup written so far; open elements are closed first. */
  String finish() {
    run(() -> {
      xml.writeEndDocument();
      xml.flush();
    });
    return out.toString();
  }

  /** Replaces what XML 1.0 cannot hold (most C0 controls, lone surrogates, U+FFFE/U+FFFF) with U+FFFD. */
  static String clean(String text) {
    StringBuilder sb = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean ok;
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        if (sb != null) {
          sb.append(c).append(text.charAt(i + 1));
        }
        i++;
        continue;
      }
      ok = c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c < 0xD800) || (c >= 0xE000 && c <= 0xFFFD);
      if (!ok && sb == null) {
        sb = new StringBuilder(text.length()).append(text, 0, i);
      }
      if (sb != null) {
        sb.append(ok ? c : '\uFFFD');
      }
    }
    return sb == null ? text : sb.toString();
  }

  private void attributes(String... attributes) throws XMLStreamException {
    if (attributes.length % 2 != 0) {
      throw new IllegalArgumentException("attributes come in name, value pairs");
    }
    for (int i = 0; i < attributes.length; i += 2) {
      if (attributes[i + 1] != null) {
        xml.writeAttribute(attributes[i], clean(attributes[i + 1]));
      }
    }
  }

  private MarkupWriter run(XmlStep step) {
    try {
      step.run();
    } catch (XMLStreamException e) {
      throw new IllegalStateException("cannot write markup: " + e.getMessage(), e);
    }
    return this;
  }

  @FunctionalInterface
  private interface XmlStep {
    void run() throws XMLStreamException;
  }
}
