package io.uctrust.controller;

import io.uctrust.controller.ControllerStatus.Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The certificate expiry timeline of the status page, as SVG: one row per certificate (soonest first, revoked on
 * top), placed on a time axis from now to the latest expiry (at least 30 days, at most the horizon), with a band
 * left of the "now" line for certificates that expired in the last 30 days (older ones sit at its left edge);
 * coloured by {@link Urgency}, labelled with node and subject, month ticks, a legend, and {@code title}/{@code
 * desc} for screen readers. Every text is escaped; times come from the clock.
 *
 * <p>Not for: an exhaustive list (at most {@code maxRows} rows; {@code /api/status} has them all) or alerting
 * (that is Prometheus' and the notifier's job).
 */
public final class ExpiryTimeline {
  /** The default horizon: a little more than a year, so yearly renewals all show. */
  public static final int DEFAULT_HORIZON_DAYS = 400;
  /** The default number of rows. */
  public static final int DEFAULT_ROWS = 200;

  static final double WIDTH = 1000;
  static final double PAST_X = 420;
  static final double NOW_X = 480;
  static final double END_X = 980;
  private static final double TOP = 64;
  private static final double ROW = 18;
  private static final int LABEL_CHARS = 60;
  private static final int PAST_DAYS = 30;
  private static final int CRITICAL_DAYS = 30;
  private static final int MIN_SPAN_DAYS = 30;
  private static final DateTimeFormatter DATE = DateTimeFormatter.ISO_LOCAL_DATE;

  /** How soon a certificate needs attention; decides its colour. */
  public enum Urgency {
    REVOKED("revoked", "#6a1b9a"),
    EXPIRED("expired", "#c62828"),
    CRITICAL("expiring within 30 days", "#ef6c00"),
    NOTIFYING("in the notification window", "#f9a825"),
    FINE("later", "#2e7d32");

    private final String description;
    private final String colour;

    Urgency(String description, String colour) {
      this.description = description;
      this.colour = colour;
    }

    /** The words for it on the page. */
    public String description() {
      return description;
    }

    /** Its colour on the timeline (hex). */
    public String colour() {
      return colour;
    }

    /** The name in {@code data-urgency} and CSS classes. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * A certificate on the timeline.
   *
   * @param cluster the cluster it belongs to
   * @param certificate the certificate
   * @param urgency how soon it needs attention
   * @param daysLeft whole days until it expires (negative once expired)
   */
  public record Entry(String cluster, Certificate certificate, Urgency urgency, long daysLeft) {}

  /** What to draw: the axis and the rows shown, with the count of every certificate by urgency. */
  record Layout(Instant now, Instant end, List<Entry> shown, int hidden, Map<Urgency, Integer> counts, boolean manyClusters) {}

  private final Clock clock;
  private final int horizonDays;
  private final int maxRows;

  /**
   * @param clock where "now" comes from
   * @param horizonDays how far the axis reaches at most (at least 1)
   * @param maxRows how many certificates are drawn at most (at least 1)
   */
  public ExpiryTimeline(Clock clock, int horizonDays, int maxRows) {
    if (horizonDays < 1 || maxRows < 1) {
      throw new IllegalArgumentException("the timeline needs a horizon and rows of at least 1");
    }
    this.clock = clock;
    this.horizonDays = horizonDays;
    this.maxRows = maxRows;
  }

  /** The timeline as a standalone SVG document ({@code image/svg+xml}). */
  public String svg(ControllerStatus status) {
    MarkupWriter out = new MarkupWriter().xmlDeclaration();
    write(out, layout(status));
    return out.finish() + "\n";
  }

  /** Every certificate of {@code status}, with its urgency, soonest first (revoked first of all). */
  public List<Entry> entries(ControllerStatus status) {
    Instant now = clock.instant();
    List<Entry> entries = new ArrayList<>();
    for (ControllerStatus.Cluster cluster : status.clusters()) {
      int notify = cluster.notificationStartDays() > 0 ? cluster.notificationStartDays() : CRITICAL_DAYS;
      for (Certificate c : cluster.certificates()) {
        long days = Math.floorDiv(Duration.between(now, c.notAfter()).getSeconds(), 86_400L);
        Urgency urgency;
        if (c.revoked()) {
          urgency = Urgency.REVOKED;
        } else if (!c.notAfter().isAfter(now)) {
          urgency = Urgency.EXPIRED;
        } else if (c.notAfter().isBefore(now.plus(Duration.ofDays(CRITICAL_DAYS)))) {
          urgency = Urgency.CRITICAL;
        } else if (c.notAfter().isBefore(now.plus(Duration.ofDays(notify)))) {
          urgency = Urgency.NOTIFYING;
        } else {
          urgency = Urgency.FINE;
        }
        entries.add(new Entry(cluster.name(), c, urgency, days));
      }
    }
    entries.sort(Comparator.comparing((Entry e) -> e.urgency() != Urgency.REVOKED)
        .thenComparing(e -> e.certificate().notAfter())
        .thenComparing(Entry::cluster)
        .thenComparing(e -> e.certificate().node())
        .thenComparing(e -> e.certificate().subject()));
    return entries;
  }

  Layout layout(ControllerStatus status) {
    Instant now = clock.instant();
    List<Entry> entries = entries(status);
    Map<Urgency, Integer> counts = new EnumMap<>(Urgency.class);
    Instant latest = now;
    for (Entry e : entries) {
      counts.merge(e.urgency(), 1, Integer::sum);
      latest = e.certificate().notAfter().isAfter(latest) ? e.certificate().notAfter() : latest;
    }
    long spanSeconds = Duration.between(now, latest).getSeconds();
    long span = Math.max(MIN_SPAN_DAYS * 86_400L, spanSeconds);
    span = Math.min(span, horizonDays * 86_400L);
    List<Entry> shown = entries.subList(0, Math.min(maxRows, entries.size()));
    return new Layout(now, now.plusSeconds(span), List.copyOf(shown), entries.size() - shown.size(), counts,
        status.clusters().size() > 1);
  }

  /** The row label: node and subject (with the cluster when there are several), shortened to fit. */
  static String label(Entry e, boolean withCluster) {
    String text = (withCluster ? e.cluster() + "/" : "") + e.certificate().node() + " \u00b7 " + e.certificate().subject();
    if (text.codePointCount(0, text.length()) <= LABEL_CHARS) {
      return text;
    }
    return text.substring(0, text.offsetByCodePoints(0, LABEL_CHARS - 1)) + "\u2026";
  }

  /** The x coordinate of {@code t}: the past band left of now, the axis from now to the end. */
  static double x(Layout layout, Instant t) {
    if (!t.isAfter(layout.now())) {
      double daysAgo = Duration.between(t, layout.now()).getSeconds() / 86_400.0;
      return NOW_X - Math.min(daysAgo, PAST_DAYS) / PAST_DAYS * (NOW_X - PAST_X);
    }
    double span = Duration.between(layout.now(), layout.end()).getSeconds();
    double ahead = Duration.between(layout.now(), t).getSeconds();
    return NOW_X + Math.min(ahead / span, 1.0) * (END_X - NOW_X);
  }

  void write(MarkupWriter out, Layout layout) {
    ZoneId zone = clock.getZone();
    int rows = layout.shown().size() + (layout.hidden() > 0 ? 1 : 0);
    double bottom = TOP + Math.max(rows, 1) * ROW + 8;
    out.start("svg", "xmlns", "http://www.w3.org/2000/svg", "width", num(WIDTH), "height", num(bottom + 8),
        "viewBox", "0 0 " + num(WIDTH) + " " + num(bottom + 8), "role", "img",
        "aria-labelledby", "timeline-title timeline-desc", "font-family", "sans-serif", "font-size", "12");
    out.element("title", "Certificate expiry timeline", "id", "timeline-title");
    out.element("desc", description(layout, zone), "id", "timeline-desc");

    legend(out);
    out.empty("rect", "x", num(PAST_X), "y", num(TOP - 18), "width", num(NOW_X - PAST_X), "height",
        num(bottom - TOP + 18), "fill", "#fdecea");
    out.element("text", "expired", "x", num((PAST_X + NOW_X) / 2), "y", num(TOP - 22), "text-anchor", "middle",
        "font-size", "10", "fill", "#555");
    ticks(out, layout, zone, bottom);
    out.empty("line", "id", "now", "class", "now", "x1", num(NOW_X), "x2", num(NOW_X), "y1", num(TOP - 18), "y2",
        num(bottom), "stroke", "#000", "stroke-width", "2");
    out.element("text", "now " + DATE.format(layout.now().atZone(zone)), "x", num(NOW_X + 3), "y", num(TOP - 22),
        "font-size", "10");

    if (layout.shown().isEmpty()) {
      out.element("text", "No certificates reported.", "x", "8", "y", num(TOP + ROW - 4));
    }
    double y = TOP;
    for (Entry e : layout.shown()) {
      y += ROW;
      Certificate c = e.certificate();
      String when = DATE.format(c.notAfter().atZone(zone));
      String tooltip = e.cluster() + " " + c.node() + " " + c.store() + " " + c.subject() + ": "
          + (e.daysLeft() < 0 ? "expired " + when + " (" + -e.daysLeft() + " days ago)"
              : "expires " + when + " (in " + e.daysLeft() + " days)")
          + (c.revoked() ? ", revoked" : "");
      out.start("g", "class", "certificate " + e.urgency().label(), "data-urgency", e.urgency().label(),
          "data-sha256", c.sha256());
      out.element("title", tooltip);
      out.element("text", label(e, layout.manyClusters()), "x", "8", "y", num(y - 4));
      double cx = x(layout, c.notAfter());
      out.empty("line", "x1", num(PAST_X), "x2", num(END_X), "y1", num(y - 8), "y2", num(y - 8), "stroke", "#eee");
      if (e.urgency() == Urgency.REVOKED) {
        out.empty("rect", "class", "marker", "x", num(cx - 5), "y", num(y - 13), "width", "10", "height", "10",
            "fill", e.urgency().colour());
      } else {
        out.empty("circle", "class", "marker", "cx", num(cx), "cy", num(y - 8), "r", "5", "fill",
            e.urgency().colour());
      }
      out.end();
    }
    if (layout.hidden() > 0) {
      out.element("text", "\u2026 and " + layout.hidden() + " more certificates expiring later (all in /api/status)",
          "x", "8", "y", num(y + ROW - 4), "fill", "#555");
    }
    out.end();
  }

  private static void legend(MarkupWriter out) {
    double x = 8;
    for (Urgency u : Urgency.values()) {
      if (u == Urgency.REVOKED) {
        out.empty("rect", "x", num(x), "y", "9", "width", "10", "height", "10", "fill", u.colour());
      } else {
        out.empty("circle", "cx", num(x + 5), "cy", "14", "r", "5", "fill", u.colour());
      }
      out.element("text", u.description(), "x", num(x + 14), "y", "18");
      x += 30 + u.description().length() * 5.3;
    }
  }

  private static void ticks(MarkupWriter out, Layout layout, ZoneId zone, double bottom) {
    LocalDate first = layout.now().atZone(zone).toLocalDate().withDayOfMonth(1).plusMonths(1);
    double lastLabel = Double.NEGATIVE_INFINITY;
    int lastYear = Integer.MIN_VALUE;
    for (LocalDate month = first; ; month = month.plusMonths(1)) {
      Instant at = month.atStartOfDay(zone).toInstant();
      if (at.isAfter(layout.end())) {
        break;
      }
      double tx = x(layout, at);
      out.empty("line", "class", "tick", "x1", num(tx), "x2", num(tx), "y1", num(TOP - 6), "y2", num(bottom),
          "stroke", "#ccc");
      // label a tick only where it does not run into the previous label
      if (tx - lastLabel >= 44) {
        String name = month.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH);
        String text = month.getYear() != lastYear ? name + " " + month.getYear() : name;
        out.element("text", text, "class", "tick-label", "x", num(tx), "y", num(TOP - 8), "text-anchor", "middle",
            "font-size", "10", "fill", "#555");
        lastLabel = tx;
        lastYear = month.getYear();
      }
    }
  }

  private static String description(Layout layout, ZoneId zone) {
    StringBuilder sb = new StringBuilder("Certificates by expiry, from now (")
        .append(DATE.format(layout.now().atZone(zone))).append(") to ")
        .append(DATE.format(layout.end().atZone(zone))).append(": ");
    List<String> parts = new ArrayList<>();
    for (Urgency u : Urgency.values()) {
      int n = layout.counts().getOrDefault(u, 0);
      if (n > 0) {
        parts.add(n + " " + u.description());
      }
    }
    sb.append(parts.isEmpty() ? "none" : String.join(", ", parts)).append('.');
    if (layout.hidden() > 0) {
      sb.append(" The ").append(layout.shown().size()).append(" soonest are shown.");
    }
    return sb.toString();
  }

  private static String num(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }
}
