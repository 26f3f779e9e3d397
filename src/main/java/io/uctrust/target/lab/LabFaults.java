package io.uctrust.target.lab;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Faults the served lab injects into its answers, so the real-cluster adapter can be tested against the
 * failures real clusters show: throttling, server errors, SOAP faults, slow answers and dropped SSH
 * sessions. Each fault names the request it hits ({@code axl:updatePhone}, {@code platform:POST
 * trust/certificates}, {@code ccs:soapDoControlServices}, {@code cli:utils capf set keep_alive}; a trailing
 * {@code *} matches any request starting with the rest) and how many matching requests it hits.
 *
 * <p>Thread-safe. Not for: anything outside the lab servers; real clusters need no help failing.
 */
public final class LabFaults {

  /** What the server does instead of answering normally. */
  public enum Kind {
    /** AXL: SOAP fault "Maximum AXL Memory Allocation Consumed"; platform and ControlCenterServices: HTTP 503. */
    THROTTLE,
    /** HTTP 500 with a short text body (AXL, platform, ControlCenterServices). */
    SERVER_ERROR,
    /** AXL and ControlCenterServices: a SOAP fault (AXL with axlError code 5007 and the message "lab fault"). */
    SOAP_FAULT,
    /** Waits {@link Fault#delay()} before answering normally (for client timeouts). */
    DELAY,
    /** Admin CLI: closes the SSH session after echoing the command, before any output or change. */
    DISCONNECT
  }

  /** One fault for {@code times} matching requests. */
  public record Fault(String request, Kind kind, int times, Duration delay) {
    public Fault {
      if (request == null || request.isBlank()) {
        throw new IllegalArgumentException("a fault needs the request it hits");
      }
      if (times < 1) {
        throw new IllegalArgumentException("a fault hits at least one request");
      }
      delay = delay == null ? Duration.ZERO : delay;
    }

    boolean matches(String key) {
      return request.endsWith("*") ? key.startsWith(request.substring(0, request.length() - 1)) : key.equals(request);
    }
  }

  private final List<Fault> faults = new ArrayList<>();
  private final List<String> hits = new ArrayList<>();

  public static LabFaults none() {
    return new LabFaults();
  }

  /**
   * Parses {@code REQUEST=KIND[*TIMES][@MILLISms]}, such as {@code axl:updatePhone=throttle*2} or {@code
   * ccs:*=delay@5000ms}.
   */
  public static Fault parse(String text) {
    int eq = text.lastIndexOf('=');
    if (eq <= 0) {
      throw new IllegalArgumentException("a fault is REQUEST=KIND[*TIMES][@MILLISms], such as axl:updatePhone=throttle*2 (got '"
          + text + "')");
    }
    String request = text.substring(0, eq);
    String rest = text.substring(eq + 1);
    Duration delay = Duration.ZERO;
    int at = rest.indexOf('@');
    if (at >= 0) {
      String ms = rest.substring(at + 1).replaceFirst("ms$", "");
      delay = Duration.ofMillis(Long.parseLong(ms));
      rest = rest.substring(0, at);
    }
    int times = 1;
    int star = rest.indexOf('*');
    if (star >= 0) {
      times = Integer.parseInt(rest.substring(star + 1));
      rest = rest.substring(0, star);
    }
    Kind kind;
    try {
      kind = Kind.valueOf(rest.toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown fault '" + rest + "'; one of throttle, server-error, soap-fault, delay, disconnect");
    }
    return new Fault(request, kind, times, delay);
  }

  public synchronized LabFaults add(Fault fault) {
    faults.add(fault);
    return this;
  }

  /** The fault that hits this request, if any; counts it. */
  public synchronized Optional<Fault> take(String request) {
    for (Iterator<Fault> it = faults.iterator(); it.hasNext(); ) {
      Fault fault = it.next();
      if (fault.matches(request)) {
        it.remove();
        if (fault.times() > 1) {
          faults.add(0, new Fault(fault.request(), fault.kind(), fault.times() - 1, fault.delay()));
        }
        hits.add(request + " " + fault.kind());
        return Optional.of(fault);
      }
    }
    return Optional.empty();
  }

  /** Requests hit so far, oldest first, as {@code "REQUEST KIND"}. */
  public synchronized List<String> hits() {
    return List.copyOf(hits);
  }
}
