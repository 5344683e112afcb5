package io.warrenmq.broker.queue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Store directory names and how a classic queue keeps its own as a number. A directory is named
 * after the SHA-1 of the queue's (exchange's, vhost's) name in hex, as LavinMQ does; a queue or
 * exchange incarnation adds a random suffix ({@code <sha1>-<suffix in hex>}), so that one
 * redeclared right after a delete never meets the old files, whose removal runs in the background.
 * The queue keeps that suffix ({@link #encode}: 8 bytes in a field) instead of the 57-character
 * string (about 100 bytes with its array) and makes the name again from its own name when it needs
 * it ({@link #decode}), which is rare: at first use and at the orphan check of a boot. A name of
 * another form (none is made today) is kept as a string ({@link #OTHER}).
 *
 * <p>Static helpers; thread-safe.
 */
public final class StoreDirName {
  /** The code of a name that is the hash alone (directories made before suffixes). */
  static final long PLAIN = -1;
  /** The code of a name of another form: the queue keeps the string. */
  static final long OTHER = -2;

  private static final SecureRandom RANDOM = new SecureRandom();

  private StoreDirName() {}

  /** The SHA-1 of {@code name} (UTF-8) in lower-case hex: 40 characters. */
  public static String of(String name) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-1");
      return HexFormat.of().formatHex(sha.digest(name.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required of every JDK", e);
    }
  }

  /** A name of its own for an incarnation of {@code name}: its hash and a random suffix. */
  public static String fresh(String name) {
    return of(name) + "-" + Long.toHexString(RANDOM.nextLong() & Long.MAX_VALUE);
  }

  /**
   * {@code dirName} of the queue {@code queueName} as a number: its suffix (0 or more) if it is
   * {@code of(queueName)} with a suffix as {@link #fresh} writes it, {@link #PLAIN} if it is the
   * hash alone, {@link #OTHER} for anything else. {@link #decode} gives the same string back for
   * the first two.
   */
  static long encode(String queueName, String dirName) {
    String hash = of(queueName);
    if (dirName.equals(hash)) {
      return PLAIN;
    }
    int n = hash.length();
    if (dirName.length() > n + 1 && dirName.startsWith(hash) && dirName.charAt(n) == '-') {
      String suffix = dirName.substring(n + 1);
      try {
        long v = Long.parseLong(suffix, 16);
        if (v >= 0 && Long.toHexString(v).equals(suffix)) { // the one spelling decode writes
          return v;
        }
      } catch (NumberFormatException e) {
        // not a suffix of ours
      }
    }
    return OTHER;
  }

  /** The directory name that {@link #encode} made {@code code} of (not {@link #OTHER}). */
  static String decode(String queueName, long code) {
    if (code == OTHER) {
      throw new IllegalArgumentException("a name of another form has no code");
    }
    String hash = of(queueName);
    return code == PLAIN ? hash : hash + "-" + Long.toHexString(code);
  }
}
