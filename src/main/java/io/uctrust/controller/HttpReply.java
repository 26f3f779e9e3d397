package io.uctrust.controller;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One HTTP answer of the controller, made complete before anything is sent, so that a failure while making it
 * can still become a clean 500.
 *
 * <p>Not for: streaming large bodies.
 */
record HttpReply(int status, String contentType, byte[] body, Map<String, String> headers) {
  static final String TEXT = "text/plain; charset=utf-8";
  static final String JSON = "application/json; charset=utf-8";

  HttpReply {
    headers = Map.copyOf(headers);
  }

  static HttpReply text(int status, String text) {
    return new HttpReply(status, TEXT, text.getBytes(StandardCharsets.UTF_8), Map.of());
  }

  static HttpReply of(int status, String contentType, String body) {
    return new HttpReply(status, contentType, body.getBytes(StandardCharsets.UTF_8), Map.of());
  }

  HttpReply with(String header, String value) {
    Map<String, String> more = new java.util.LinkedHashMap<>(headers);
    more.put(header, value);
    return new HttpReply(status, contentType, body, more);
  }
}
