package io.warrenmq.server.config;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.regex.Pattern;

/**
 * An IP address range in CIDR notation ({@code 10.0.0.0/8}, {@code fd00::/8}), or one address
 * ({@code 127.0.0.1}, {@code ::1}: all its bits). Host bits set below the prefix are ignored, as
 * {@code iptables} and nginx's {@code set_real_ip_from} do. An IPv4 range holds IPv4 addresses
 * only and an IPv6 range IPv6 ones; an IPv4-mapped IPv6 peer is an IPv4 address in Java already.
 * Immutable.
 *
 * @param network the address, masked to the prefix
 * @param prefix the number of leading bits that must match, 0 to 32 or 0 to 128
 */
public record AddressRange(InetAddress network, int prefix) {
  /** Four decimal parts: InetAddress.ofLiteral also takes BSD's "10.1" and "10", which read badly in a range. */
  private static final Pattern DOTTED_QUAD = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  public AddressRange {
    network = masked(network, prefix);
  }

  /**
   * Parses {@code ADDRESS} or {@code ADDRESS/PREFIX}, IP literals only (no host names: a range
   * is never looked up in DNS).
   *
   * @throws IllegalArgumentException saying what is wrong with {@code text}
   */
  public static AddressRange parse(String text) {
    String s = text.strip();
    int slash = s.indexOf('/');
    String address = slash < 0 ? s : s.substring(0, slash);
    InetAddress a = literal(address);
    int bits = a.getAddress().length * 8;
    if (slash < 0) {
      return new AddressRange(a, bits);
    }
    String p = s.substring(slash + 1);
    int prefix;
    try {
      prefix = Integer.parseInt(p);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("the prefix length '" + p + "' is not a number");
    }
    if (prefix < 0 || prefix > bits) {
      throw new IllegalArgumentException("the prefix length must be between 0 and " + bits + ", got " + prefix);
    }
    return new AddressRange(a, prefix);
  }

  private static InetAddress literal(String s) {
    try {
      if (s.indexOf(':') >= 0) {
        return Inet6Address.ofLiteral(s);
      }
      if (DOTTED_QUAD.matcher(s).matches()) {
        return Inet4Address.ofLiteral(s);
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    throw new IllegalArgumentException("'" + s + "' is not an IP address");
  }

  /** Whether {@code a} lies in this range (an address of the other family never does). */
  public boolean contains(InetAddress a) {
    byte[] b = a.getAddress();
    return b.length == network.getAddress().length && masked(a, prefix).equals(network);
  }

  private static InetAddress masked(InetAddress a, int prefix) {
    byte[] b = a.getAddress();
    for (int i = 0; i < b.length; i++) {
      int keep = Math.clamp(prefix - 8L * i, 0, 8);
      b[i] &= (byte) (0xff00 >> keep);
    }
    try {
      return InetAddress.getByAddress(b);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e); // cannot happen: 4 or 16 bytes
    }
  }

  /** {@code network/prefix}, e.g. {@code 10.0.0.0/8}. */
  @Override
  public String toString() {
    return network.getHostAddress() + "/" + prefix;
  }
}
