package io.uctrust.target.cucm;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body handler that collects the body as bytes and fails the exchange, cancelling the
 * download, once the body grows past a limit, so a broken or hostile server cannot exhaust memory.
 *
 * <p>Not for: streaming bodies; AXL, platform REST and ControlCenterServices answers are read whole (AXL SQL
 * results are paged to keep them small).
 */
public final class BoundedBody implements HttpResponse.BodyHandler<byte[]> {
  private final long limit;

  public BoundedBody(long limit) {
    this.limit = limit;
  }

  @Override
  public BodySubscriber<byte[]> apply(HttpResponse.ResponseInfo info) {
    return new Limited(limit, BodySubscribers.ofByteArray());
  }

  /** The body was larger than the limit. */
  public static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    TooLarge(long limit) {
      super("response larger than " + limit + " bytes");
    }
  }

  private static final class Limited implements BodySubscriber<byte[]> {
    private final long limit;
    private final BodySubscriber<byte[]> delegate;
    private Flow.Subscription subscription;
    private long received;
    private boolean failed;

    Limited(long limit, BodySubscriber<byte[]> delegate) {
      this.limit = limit;
      this.delegate = delegate;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return delegate.getBody();
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      delegate.onSubscribe(s);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      if (failed) {
        return;
      }
      for (ByteBuffer item : items) {
        received += item.remaining();
      }
      if (received > limit) {
        failed = true;
        subscription.cancel();
        delegate.onError(new TooLarge(limit));
        return;
      }
      delegate.onNext(items);
    }

    @Override
    public void onError(Throwable error) {
      if (!failed) {
        delegate.onError(error);
      }
    }

    @Override
    public void onComplete() {
      if (!failed) {
        delegate.onComplete();
      }
    }
  }
}
