package io.uctrust.controller;

import io.uctrust.controller.ControllerStatus.Certificate;
import io.uctrust.controller.ControllerStatus.Cluster;
import io.uctrust.controller.ControllerStatus.Run;
import io.uctrust.controller.ExpiryTimeline.Entry;
import io.uctrust.controller.ExpiryTimeline.Layout;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The controller's status page ({@code GET /}): a self-contained HTML document (no scripts, no external assets,
 * refreshes itself every minute) with readiness, one row per cluster (mode, repository and commit, last run,
 * drift, last successful sync, next run), the {@link ExpiryTimeline} inline and the same certificates as a table,
 * which is the timeline's text alternative. Every value is escaped; times come from the clock.
 *
 * <p>Not for: machines (they read {@code /api/status}) or anything that needs authentication: it is public.
 */
public final class StatusPage {
  private static final String STYLE = String.join("\n",
      "body { font-family: sans-serif; margin: 1.5em; color: #222; }",
      "table { border-collapse: collapse; margin-bottom: 1.5em; }",
      "th, td { border-bottom: 1px solid #ddd; padding: 0.25em 0.75em; text-align: left; vertical-align: top; }",
      "td.number { text-align: right; }",
      // scoped to td and span: the inline SVG's rows carry the same class names
      "td.expired, td.revoked, span.failed, span.notready { color: #c62828; font-weight: bold; }",
      "td.critical, span.drift-only { color: #ef6c00; }",
      "span.ready, span.succeeded, span.in-sync { color: #2e7d32; }",
      "code { font-size: 90%; }");

  private final Clock clock;
  private final ExpiryTimeline timeline;
  private final DateTimeFormatter time;

  public StatusPage(Clock clock, ExpiryTimeline timeline) {
    this.clock = clock;
    this.timeline = timeline;
    this.time = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(clock.getZone());
  }

  /** The page for {@code status}. */
  public String html(ControllerStatus status) {
    Instant now = clock.instant();
    MarkupWriter out = new MarkupWriter().doctype("<!DOCTYPE html>");
    out.start("html", "lang", "en").start("head");
    out.empty("meta", "charset", "utf-8");
    out.empty("meta", "http-equiv", "refresh", "content", "60");
    out.element("title", "uctrust controller " + status.instance());
    out.element("style", STYLE);
    out.end().start("body");
    out.element("h1", "uctrust controller");
    out.start("p").text("Instance ").element("code", status.instance())
        .text(", started " + when(status.startedAt(), now) + ". Times in " + zoneName() + ". ");
    if (status.ready()) {
      out.element("span", "Ready.", "class", "ready");
    } else {
      out.element("span", "Not ready: " + String.join("; ", status.notReadyReasons()), "class", "notready");
    }
    out.end();

    clusters(out, status, now);

    Layout layout = timeline.layout(status);
    out.element("h2", "Certificate expiry");
    timeline.write(out, layout);
    certificates(out, layout);
    out.start("p").text("Machine-readable: ").element("a", "/api/status", "href", "/api/status").text(", ")
        .element("a", "/metrics", "href", "/metrics").text(", ")
        .element("a", "/timeline.svg", "href", "/timeline.svg").text(".").end();
    return out.finish() + "\n";
  }

  private void clusters(MarkupWriter out, ControllerStatus status, Instant now) {
    out.element("h2", "Clusters");
    if (status.clusters().isEmpty()) {
      out.element("p", "No clusters configured.");
      return;
    }
    out.start("table").start("thead").start("tr");
    for (String h : new String[] {"Cluster", "Mode", "Repository", "Last run", "Drift", "Last successful sync", "Next run"}) {
      out.element("th", h, "scope", "col");
    }
    out.end().end().start("tbody");
    for (Cluster c : status.clusters()) {
      out.start("tr");
      out.element("th", c.name(), "scope", "row");
      out.element("td", c.mode().label() + (c.suspended() ? " (suspended)" : ""));
      out.start("td");
      if (c.repository() == null) {
        out.text("local folder");
      } else {
        out.text(c.repository().name() + " ").element("code", c.repository().url());
        if (c.repository().lastSeen() != null) {
          out.text(" at ").element("code", shortSha(c.repository().lastSeen().sha()))
              .text(" " + c.repository().lastSeen().subject());
        }
      }
      out.end();
      lastRun(out, c.lastRun(), now);
      out.element("td", Integer.toString(c.drift()), "class", "number");
      out.element("td", c.lastSuccessfulSync() == null ? "never" : when(c.lastSuccessfulSync(), now));
      out.element("td", c.suspended() ? "suspended" : c.nextRun() == null ? "not scheduled" : when(c.nextRun(), now));
      out.end();
    }
    out.end().end();
  }

  private void lastRun(MarkupWriter out, Run run, Instant now) {
    out.start("td");
    if (run == null) {
      out.text("none yet");
    } else {
      out.element("span", run.outcome().label(), "class", run.outcome().label());
      out.text(", " + when(run.startedAt(), now) + ", took " + duration(run.duration()) + "; "
          + run.changes().planned() + " planned, " + run.changes().applied() + " applied, "
          + run.changes().failed() + " failed");
      if (run.commit() != null) {
        out.text(" (").element("code", shortSha(run.commit().sha())).text(")");
      }
    }
    out.end();
  }

  private void certificates(MarkupWriter out, Layout layout) {
    if (layout.shown().isEmpty()) {
      return;
    }
    out.start("table", "aria-label", "Certificates by expiry").start("thead").start("tr");
    for (String h : new String[] {"Cluster", "Node", "Store", "Kind", "Subject", "Expires", "Days left", "State"}) {
      out.element("th", h, "scope", "col");
    }
    out.end().end().start("tbody");
    for (Entry e : layout.shown()) {
      Certificate c = e.certificate();
      out.start("tr");
      out.element("td", e.cluster());
      out.element("td", c.node());
      out.element("td", c.store());
      out.element("td", c.kind().label());
      out.start("td").element("span", c.subject(), "title", "sha256 " + c.sha256()).end();
      out.element("td", time.format(c.notAfter()));
      out.element("td", Long.toString(e.daysLeft()), "class", "number");
      out.element("td", e.urgency().description(), "class", e.urgency().label());
      out.end();
    }
    out.end().end();
    if (layout.hidden() > 0) {
      out.element("p", layout.hidden() + " more certificates expire later; /api/status lists them all.");
    }
  }

  /** An absolute time with how far it is from now: {@code 2026-05-01 12:00 (in 14 min)}. */
  private String when(Instant t, Instant now) {
    Duration d = Duration.between(now, t);
    String rel = d.isNegative() ? duration(d.negated()) + " ago" : "in " + duration(d);
    return time.format(t) + " (" + rel + ")";
  }

  private static String duration(Duration d) {
    long s = d.getSeconds();
    if (s < 120) {
      return s + " s";
    }
    if (s < 2 * 3600) {
      return s / 60 + " min";
    }
    if (s < 2 * 86_400) {
      return s / 3600 + " h";
    }
    return s / 86_400 + " d";
  }

  private String zoneName() {
    return clock.getZone().normalized().equals(ZoneOffset.UTC) ? "UTC" : clock.getZone().getId();
  }

  private static String shortSha(String sha) {
    return sha.length() > 12 ? sha.substring(0, 12) : sha;
  }
}
