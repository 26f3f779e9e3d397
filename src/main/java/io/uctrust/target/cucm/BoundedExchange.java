package io.uctrust.target.cucm;

import io.uctrust.cluster.ClusterException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * One HTTP exchange with a cluster node as every real-cluster client makes it: the body collected up to a
 * size limit, an overall deadline of the request timeout plus a short grace for the body, cancellation on
 * timeout or interrupt, and transport failures handed to the client's own explanation.
 *
 * <p>Not for: retrying; each client decides which answers it may safely repeat.
 */
public final class BoundedExchange {
  private BoundedExchange() {}

  /** Time allowed past the request timeout for the body to finish arriving. */
  static final long BODY_GRACE_MS = 1_000;

  /**
   * Sends {@code request} and waits for the whole response.
   *
   * @param what the exchange in messages, such as "AXL getPhone at cucm-pub:8443"
   * @param noAnswer the message when the node does not answer in time
   * @param failure the client's explanation of a transport failure (TLS, connection, size limit)
   */
  public static HttpResponse<byte[]> send(HttpClient http, HttpRequest request, long maxResponseBytes,
      Duration requestTimeout, String what, String noAnswer, Function<Throwable, ClusterException> failure)
      throws ClusterException {
    CompletableFuture<HttpResponse<byte[]>> exchange = http.sendAsync(request, new BoundedBody(maxResponseBytes));
    try {
      return exchange.get(requestTimeout.toMillis() + BODY_GRACE_MS, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      exchange.cancel(true);
      throw new ClusterException(noAnswer, e);
    } catch (InterruptedException e) {
      exchange.cancel(true);
      Thread.currentThread().interrupt();
      throw new ClusterException("interrupted while waiting for " + what, e);
    } catch (ExecutionException e) {
      throw failure.apply(e.getCause() == null ? e : e.getCause());
    }
  }
}
