package io.uctrust.controller;

import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON form of {@link ControllerStatus} served at {@code /api/status} ({@code format:
 * uctrust.controller-status/v1}): the record tree's field names as they are, times and durations ISO-8601,
 * enums by their labels, absent values as {@code null}. Fields are only ever added within a version.
 *
 * <p>Not for: reading status back (the HTTP side only publishes it).
 */
final class ControllerStatusJson {
  private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  private ControllerStatusJson() {}

  static String write(ControllerStatus status) {
    ObjectNode root = JSON.createObjectNode().put("format", ControllerStatus.FORMAT);
    root.setAll((ObjectNode) JSON.valueToTree(status));
    return JSON.writeValueAsString(root) + "\n";
  }
}
