package io.uctrust.target.cucm.axl;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.ValidatorHandler;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.AttributesImpl;

/**
 * uctrust's schema of the AXL request bodies it sends ({@code axl-subset.xsd}, our own), compiled for one
 * AXL version: the file's placeholder namespace is replaced by {@link AxlVersion#namespace()} at load
 * time. {@link #validate} walks an {@link XmlElement} tree as SAX events through a validator, so no XML
 * text is produced or parsed to check a body. Compiled schemas are cached per version; instances are
 * thread-safe.
 *
 * <p>Used by {@link AxlClient} before every request (a bug in request building never reaches a cluster)
 * and meant for the lab server to reject malformed requests. Not for: validating responses, or as a
 * statement of what AXL itself accepts (it is stricter where the reference gives a rule, and covers only
 * the operations uctrust uses).
 */
public final class AxlSchema {
  static final String RESOURCE = "axl-subset.xsd";
  static final String PLACEHOLDER_NAMESPACE = "urn:uctrust:axl-namespace";

  /** Fields whose values may be secret: problems with them never show the value or the validator's text. */
  private static final Set<String> SECRET_FIELDS = Set.of("authenticationString", "value");

  private static final Map<AxlVersion, AxlSchema> CACHE = new ConcurrentHashMap<>();

  private final AxlVersion version;
  private final Schema schema;

  private AxlSchema(AxlVersion version, Schema schema) {
    this.version = version;
    this.schema = schema;
  }

  /** The schema for {@code version}, compiled once per version. */
  public static AxlSchema forVersion(AxlVersion version) {
    return CACHE.computeIfAbsent(version, v -> new AxlSchema(v, compile(v)));
  }

  public AxlVersion version() {
    return version;
  }

  /**
   * Checks {@code body} (the operation element, e.g. {@code updatePhone{...}}) in this version's namespace;
   * throws with every problem found.
   */
  public void validate(XmlElement body) throws AxlSchemaViolation {
    List<String> problems = new ArrayList<>();
    Deque<String> path = new ArrayDeque<>();
    ValidatorHandler handler = schema.newValidatorHandler();
    handler.setErrorHandler(new ErrorHandler() {
      @Override
      public void warning(SAXParseException e) {
        // warnings do not make a body invalid
      }

      @Override
      public void error(SAXParseException e) {
        problems.add(describe(path, e));
      }

      @Override
      public void fatalError(SAXParseException e) {
        problems.add(describe(path, e));
      }
    });
    try {
      handler.startDocument();
      emit(handler, body, path, true);
      handler.endDocument();
    } catch (SAXException e) {
      problems.add(describe(path, e));
    }
    if (!problems.isEmpty()) {
      throw new AxlSchemaViolation(body.name(), problems);
    }
  }

  private void emit(ValidatorHandler handler, XmlElement element, Deque<String> path, boolean root) throws SAXException {
    String uri = root ? version.namespace() : "";
    String qName = root ? "ns:" + element.name() : element.name();
    path.addLast(element.name());
    handler.startElement(uri, element.name(), qName, new AttributesImpl());
    if (!element.text().isEmpty()) {
      char[] chars = element.text().toCharArray();
      handler.characters(chars, 0, chars.length);
    }
    for (XmlElement child : element.children()) {
      emit(handler, child, path, false);
    }
    handler.endElement(uri, element.name(), qName);
    path.removeLast();
  }

  private static String describe(Deque<String> path, SAXException e) {
    String where = String.join("/", path);
    String leaf = path.isEmpty() ? "" : path.peekLast();
    if (SECRET_FIELDS.contains(leaf)) {
      return where + ": value does not match the schema (not shown: the field may hold a secret)";
    }
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return where + ": " + message;
  }

  private static String text() {
    try (InputStream in = AxlSchema.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the uctrust jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + RESOURCE, e);
    }
  }

  private static Schema compile(AxlVersion version) {
    String xsd = text().replace(PLACEHOLDER_NAMESPACE, version.namespace());
    try {
      SchemaFactory factory = SchemaFactory.newDefaultInstance();
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
      factory.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
      return factory.newSchema(new StreamSource(new StringReader(xsd), "uctrust:" + RESOURCE));
    } catch (SAXException e) {
      throw new IllegalStateException(RESOURCE + " does not compile for AXL " + version + ": " + e.getMessage(), e);
    }
  }
}
