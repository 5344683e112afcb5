package io.warrenmq.server.amqp;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Addresses written as RabbitMQ writes them, in connection names ({@code "[::1]:40312 ->
 * [::1]:5672"}), listener names and logs: {@code rabbit_misc:ntoa} (an IPv4-mapped IPv6 address
 * as plain IPv4, anything else as Erlang's {@code inet_parse:ntoa}: lower-case hex, the first
 * longest run of at least two zero groups as {@code ::}) and {@code rabbit_misc:ntoab} (IPv6 in
 * brackets); and RabbitMQ's loopback test ({@code rabbit_net:is_loopback}). Stateless.
 */
public final class AddressNames {
  private AddressNames() {}

  /** {@code host:port}, an IPv6 host in brackets (rabbit_net:connection_string). */
  public static String of(InetSocketAddress a) {
    return ntoab(a.getAddress()) + ":" + a.getPort();
  }

  /** rabbit_misc:ntoab: {@link #ntoa}, in brackets when it contains a colon. */
  public static String ntoab(InetAddress a) {
    String s = ntoa(a);
    return s.indexOf(':') >= 0 ? "[" + s + "]" : s;
  }

  /** rabbit_misc:ntoa. The scope of a link-local address is left out, as in Erlang's peername. */
  public static String ntoa(InetAddress a) {
    byte[] b = a.getAddress();
    if (b.length == 4) {
      return dotted(b, 0);
    }
    int[] w = new int[8];
    for (int i = 0; i < 8; i++) {
      w[i] = (b[2 * i] & 0xff) << 8 | (b[2 * i + 1] & 0xff);
    }
    if (zeros(w, 0, 5) && w[5] == 0xffff) {
      return dotted(b, 12); // IPv4-mapped: rabbit_misc:ntoa shows the IPv4 address
    }
    if (zeros(w, 0, 6)) {
      // inet_parse:ntoa's special forms: "::", "::1" and IPv4-compatible "::a.b.c.d"
      if (w[6] == 0 && w[7] == 0) {
        return "::";
      }
      if (w[6] == 0 && w[7] == 1) {
        return "::1";
      }
      return "::" + pair(w[6]) + "." + pair(w[7]);
    }
    return compressed(w);
  }

  /** RabbitMQ's rabbit_net:is_loopback: 127.0.0.0/8, ::1, and 127/8 mapped into IPv6. */
  public static boolean isLoopback(InetAddress a) {
    byte[] b = a.getAddress();
    if (b.length == 4) {
      return b[0] == 127;
    }
    boolean prefixZero = true;
    for (int i = 0; i < 10; i++) {
      prefixZero &= b[i] == 0;
    }
    if (prefixZero && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
      return b[12] == 127;
    }
    for (int i = 0; i < 15; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return b[15] == 1;
  }

  private static String dotted(byte[] b, int from) {
    return (b[from] & 0xff) + "." + (b[from + 1] & 0xff) + "." + (b[from + 2] & 0xff) + "." + (b[from + 3] & 0xff);
  }

  private static String pair(int word) {
    return (word >> 8) + "." + (word & 0xff);
  }

  private static boolean zeros(int[] w, int from, int to) {
    for (int i = from; i < to; i++) {
      if (w[i] != 0) {
        return false;
      }
    }
    return true;
  }

  /** The eight groups, the first longest run of two or more zero groups written as "::". */
  private static String compressed(int[] w) {
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < 8; ) {
      if (w[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && w[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    StringBuilder sb = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(w[i]));
    }
    return sb.toString();
  }
}
