package io.uctrust.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.uctrust.controller.ControllerStatus.Certificate;
import io.uctrust.controller.ControllerStatus.CertificateKind;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The SVG timeline, read back with the JDK's XML parser (no DTDs, no external entities) at a fixed time. */
class ExpiryTimelineTest {
  private final ExpiryTimeline timeline = new ExpiryTimeline(SampleStatus.CLOCK, 400, 200);

  @Test
  void theSvgIsWellFormedWithATitleAndADescriptionOfTheCounts() throws Exception {
    Document svg = parse(timeline.svg(SampleStatus.ready()));

    Element root = svg.getDocumentElement();
    assertThat(root.getLocalName()).isEqualTo("svg");
    assertThat(root.getNamespaceURI()).isEqualTo("http://www.w3.org/2000/svg");
    assertThat(root.getAttribute("role")).isEqualTo("img");
    assertThat(text(svg, "/*[local-name()='svg']/*[local-name()='title']")).isEqualTo("Certificate expiry timeline");
    assertThat(text(svg, "/*[local-name()='svg']/*[local-name()='desc']")).isEqualTo(
        "Certificates by expiry, from now (2026-05-01) to 2027-03-17: 1 revoked, 1 expired, 1 expiring within 30"
            + " days, 1 in the notification window, 3 later.");
  }

  @Test
  void anExpiredCertificateSitsLeftOfTheNowLineAndAFarOneRightOfIt() throws Exception {
    Document svg = parse(timeline.svg(SampleStatus.ready()));

    double now = Double.parseDouble(element(svg, "//*[@id='now']").getAttribute("x1"));
    double expired = markerX(svg, SampleStatus.EXPIRED.sha256());
    double soon = markerX(svg, SampleStatus.SOON.sha256());
    double far = markerX(svg, SampleStatus.FAR.sha256());

    assertThat(expired).isLessThan(now);
    assertThat(soon).isGreaterThan(now).isLessThan(far);
    assertThat(markerX(svg, SampleStatus.FAR_TWIN.sha256())).as("the latest expiry ends the axis")
        .isEqualTo(ExpiryTimeline.END_X);
  }

  @Test
  void urgencyFollowsExpiryRevocationAndTheClustersNotificationStart() throws Exception {
    Document svg = parse(timeline.svg(SampleStatus.ready()));

    assertThat(urgency(svg, SampleStatus.EXPIRED)).isEqualTo("expired");
    assertThat(urgency(svg, SampleStatus.SOON)).isEqualTo("critical");
    assertThat(urgency(svg, SampleStatus.NOTIFYING)).as("45 days, notifications from 60").isEqualTo("notifying");
    assertThat(urgency(svg, SampleStatus.FAR)).isEqualTo("fine");
    assertThat(urgency(svg, SampleStatus.REVOKED)).isEqualTo("revoked");
    assertThat(element(svg, "//*[@data-sha256='ff06']/*[local-name()='rect']").getAttribute("class"))
        .as("revoked is a square, not only another colour").isEqualTo("marker");
  }

  @Test
  void rowsGoSoonestFirstWithRevokedOnTop() throws Exception {
    Document svg = parse(timeline.svg(SampleStatus.ready()));

    NodeList rows = (NodeList) xpath().evaluate("//*[@data-sha256]", svg, XPathConstants.NODESET);
    List<String> order = new ArrayList<>();
    for (int i = 0; i < rows.getLength(); i++) {
      order.add(((Element) rows.item(i)).getAttribute("data-sha256"));
    }
    assertThat(order).containsExactly("ff06", "aa01", "bb02", "cc03", "ab07", "dd04", "ee05");
  }

  @Test
  void aHostileSubjectIsTextAndNeverMarkup() throws Exception {
    String raw = timeline.svg(SampleStatus.ready());
    Document svg = parse(raw);

    assertThat(raw).doesNotContain("<script").contains("&lt;script&gt;");
    assertThat(svg.getElementsByTagNameNS("*", "script").getLength()).isZero();
    assertThat(text(svg, "//*[@data-sha256='ab07']/*[local-name()='text']"))
        .isEqualTo("lab/imp-pub.example.com \u00b7 CN=<script>alert(\"x\")</script>&am\u2026");
    assertThat(text(svg, "//*[@data-sha256='ab07']/*[local-name()='title']"))
        .contains(SampleStatus.HOSTILE);
  }

  @Test
  void controlCharactersInASubjectDoNotBreakTheDocument() throws Exception {
    Certificate odd = SampleStatus.cert("n1", "tomcat", CertificateKind.IDENTITY, "CN=a\u0000b\u001bc\uD800",
        "0d", SampleStatus.NOW.plus(Duration.ofDays(90)), false);

    Document svg = parse(timeline.svg(SampleStatus.only(odd)));

    assertThat(text(svg, "//*[@data-sha256='0d']/*[local-name()='text']")).isEqualTo("n1 \u00b7 CN=a\uFFFDb\uFFFDc\uFFFD");
  }

  @Test
  void theAxisHasATickPerMonthUpToTheHorizon() throws Exception {
    Certificate decade = SampleStatus.cert("n1", "CallManager-trust", CertificateKind.TRUST, "CN=Long Root",
        "10", SampleStatus.NOW.plus(Duration.ofDays(3650)), false);

    Document svg = parse(timeline.svg(SampleStatus.only(decade, SampleStatus.SOON)));

    // from 2026-05-01 to 2027-06-05 (400 days): the firsts of June 2026 to June 2027
    NodeList ticks = (NodeList) xpath().evaluate("//*[@class='tick']", svg, XPathConstants.NODESET);
    assertThat(ticks.getLength()).isEqualTo(13);
    assertThat(markerX(svg, "10")).as("beyond the horizon: at its end").isEqualTo(ExpiryTimeline.END_X);
    NodeList labels = (NodeList) xpath().evaluate("//*[@class='tick-label']", svg, XPathConstants.NODESET);
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < labels.getLength(); i++) {
      texts.add(labels.item(i).getTextContent());
    }
    assertThat(texts).as("labels only where they fit, the year where it changes")
        .containsExactly("Jun 2026", "Aug", "Oct", "Dec", "Feb 2027", "Apr", "Jun");
  }

  @Test
  void aShortSpanStillShowsThirtyDays() throws Exception {
    Document svg = parse(timeline.svg(SampleStatus.only(SampleStatus.SOON)));

    assertThat(text(svg, "/*[local-name()='svg']/*[local-name()='desc']")).contains("to 2026-05-31:");
    assertThat(markerX(svg, SampleStatus.SOON.sha256())).isLessThan(ExpiryTimeline.END_X);
  }

  @Test
  void rowsBeyondTheLimitAreCountedNotDrawn() throws Exception {
    ExpiryTimeline three = new ExpiryTimeline(SampleStatus.CLOCK, 400, 3);

    Document svg = parse(three.svg(SampleStatus.ready()));

    assertThat(((NodeList) xpath().evaluate("//*[@data-sha256]", svg, XPathConstants.NODESET)).getLength()).isEqualTo(3);
    assertThat(raw(svg)).contains("and 4 more certificates expiring later");
    assertThat(text(svg, "/*[local-name()='svg']/*[local-name()='desc']")).endsWith("The 3 soonest are shown.");
  }

  @Test
  void noCertificatesSaysSo() throws Exception {
    Document svg = parse(timeline.svg(SampleStatus.only()));

    assertThat(raw(svg)).contains("No certificates reported.");
    assertThat(text(svg, "/*[local-name()='svg']/*[local-name()='desc']")).endsWith(": none.");
  }

  private static Document parse(String xml) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
    factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
    factory.setExpandEntityReferences(false);
    return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
  }

  private static XPath xpath() {
    return XPathFactory.newInstance().newXPath();
  }

  private static Element element(Document doc, String expression) throws Exception {
    Element e = (Element) xpath().evaluate(expression, doc, XPathConstants.NODE);
    assertThat(e).as(expression).isNotNull();
    return e;
  }

  private static String text(Document doc, String expression) throws Exception {
    return element(doc, expression).getTextContent();
  }

  private static String raw(Document doc) {
    return doc.getDocumentElement().getTextContent();
  }

  private static double markerX(Document doc, String sha256) throws Exception {
    Element marker = element(doc, "//*[@data-sha256='" + sha256 + "']/*[@class='marker']");
    return marker.getLocalName().equals("circle") ? Double.parseDouble(marker.getAttribute("cx"))
        : Double.parseDouble(marker.getAttribute("x")) + 5;
  }

  private static String urgency(Document doc, Certificate c) throws Exception {
    return element(doc, "//*[@data-sha256='" + c.sha256() + "']").getAttribute("data-urgency");
  }
}
