package io.uctrust.target.cucm.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The secret values of one admin CLI session (the login password, the key passphrase, values the caller
 * registered with {@link AdminCli#redact}) and their removal from text: every occurrence becomes
 * {@value #MARK}, longest secret first so that a secret containing another is removed whole. Thread-safe.
 *
 * <p>Not for: storing secrets for any other use, or redacting text of other sessions.
 */
final class Redaction {
  static final String MARK = "<redacted>";

  private final List<String> secrets = new ArrayList<>();

  synchronized void add(CharSequence secret) {
    if (secret == null || secret.length() == 0) {
      return;
    }
    String value = secret.toString();
    if (!secrets.contains(value)) {
      secrets.add(value);
      secrets.sort(Comparator.comparingInt(String::length).reversed());
    }
  }

  synchronized String apply(String text) {
    if (text == null) {
      return null;
    }
    String result = text;
    for (String secret : secrets) {
      result = result.replace(secret, MARK);
    }
    return result;
  }
}
