package io.warrenmq.broker.vhost;

import java.util.Comparator;

/**
 * The order RabbitMQ lists names in: Erlang compares binaries byte by byte, so UTF-8 names sort
 * by Unicode code point (not by UTF-16 unit, as {@link String#compareTo} does: the two differ for
 * characters beyond the Basic Multilingual Plane). Used for the sorted indexes that listings page
 * through without sorting (rabbit_mgmt_util sort_list on "vhost", "name").
 */
public final class NameOrder implements Comparator<String> {
  public static final NameOrder INSTANCE = new NameOrder();

  private NameOrder() {}

  @Override
  public int compare(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char ca = a.charAt(i);
      char cb = b.charAt(i);
      if (ca != cb) {
        // a surrogate (U+D800..U+DFFF) starts a code point above U+FFFF: it sorts after every
        // BMP character, which UTF-16 order gets wrong only against U+E000..U+FFFF
        boolean sa = Character.isSurrogate(ca);
        boolean sb = Character.isSurrogate(cb);
        if (sa != sb) {
          return sa ? 1 : -1;
        }
        return Character.compare(ca, cb);
      }
    }
    return Integer.compare(a.length(), b.length());
  }
}
