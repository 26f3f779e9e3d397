package io.uctrust.controller;

/**
 * Somewhere a {@link Notifier} delivers digests: e-mail ({@link EmailChannel}), a webhook ({@link WebhookChannel}).
 * Implementations are thread safe and hold secret references, not values.
 *
 * <p>Not for: de-duplication or batching (the notifier does both before calling {@link #send}).
 */
public interface NotificationChannel {
  /** A name for reports, such as {@code e-mail smtp.example.com:587}; without secrets or URL paths. */
  String name();

  /** Delivers {@code digest} as one message. */
  void send(Digest digest) throws NotificationException;
}
