package io.warrenmq.broker.auth.oauth2;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * RabbitMQ's scope pattern matching (rabbitmq_auth_backend_oauth2 wildcard.erl): {@code *} matches
 * any run of characters, everything else literally and over the whole subject; the literal parts
 * are URL-decoded, so the vhost {@code /} is written {@code %2F}. A pattern that does not decode
 * matches nothing.
 */
final class Wildcard {
  private Wildcard() {}

  static boolean match(String subject, String pattern) {
    String[] parts = pattern.split("\\*", -1);
    for (int i = 0; i < parts.length; i++) {
      try {
        parts[i] = URLDecoder.decode(parts[i], StandardCharsets.UTF_8); // cow_qs:urldecode ('+' is a space)
      } catch (IllegalArgumentException e) {
        return false;
      }
    }
    if (!subject.startsWith(parts[0])) {
      return false;
    }
    return scan(subject, parts, 1, parts[0].length());
  }

  /**
   * wildcard.erl's scan, clause by clause: each literal after a wildcard is looked for at its
   * first occurrence (no backtracking), and the subject must be used up exactly.
   */
  private static boolean scan(String subject, String[] parts, int from, int start) {
    int pos = start;
    int length = subject.length();
    for (int i = from; ; i++) {
      int left = parts.length - i;
      if (left == 1 && parts[i].isEmpty()) {
        return true; // the pattern ends with a wildcard
      }
      if (left == 0) {
        return pos == length;
      }
      if (pos == length) {
        return false; // subject used up, pattern not
      }
      if (parts[i].isEmpty()) {
        continue; // duplicate wildcards
      }
      int at = subject.indexOf(parts[i], pos);
      if (at < 0) {
        return false;
      }
      pos = at + parts[i].length();
    }
  }
}
