package io.uctrust.target.lab;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Requests and body bytes each interface of the served lab has answered (AXL, platform REST,
 * ControlCenterServices), for the figures of {@code bench/cucm-observe.sh}: what observing a cluster costs
 * on the wire. Headers and TLS framing are not counted.
 *
 * <p>Not for: access control or anything a client relies on.
 */
public final class LabTraffic {

  private final Map<String, Counter> counters = new LinkedHashMap<>();

  /** The filter that counts traffic of the context named {@code name}. */
  synchronized Filter filter(String name) {
    Counter counter = counters.computeIfAbsent(name, n -> new Counter());
    return new Filter() {
      @Override
      public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        counter.requests.incrementAndGet();
        exchange.setStreams(new FilterInputStream(exchange.getRequestBody()) {
          @Override
          public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
              counter.received.incrementAndGet();
            }
            return b;
          }

          @Override
          public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
              counter.received.addAndGet(n);
            }
            return n;
          }
        }, new FilterOutputStream(exchange.getResponseBody()) {
          @Override
          public void write(int b) throws IOException {
            counter.sent.incrementAndGet();
            out.write(b);
          }

          @Override
          public void write(byte[] buffer, int offset, int length) throws IOException {
            counter.sent.addAndGet(length);
            out.write(buffer, offset, length);
          }
        });
        chain.doFilter(exchange);
      }

      @Override
      public String description() {
        return "counts requests and body bytes";
      }
    };
  }

  /** One line per interface: {@code name: N requests, X bytes received, Y bytes sent}. */
  public synchronized String summary() {
    StringBuilder out = new StringBuilder();
    counters.forEach((name, c) -> out.append(name).append(": ").append(c.requests.get()).append(" requests, ")
        .append(c.received.get()).append(" bytes received, ").append(c.sent.get()).append(" bytes sent\n"));
    return out.toString();
  }

  private static final class Counter {
    final AtomicLong requests = new AtomicLong();
    final AtomicLong received = new AtomicLong();
    final AtomicLong sent = new AtomicLong();
  }
}
