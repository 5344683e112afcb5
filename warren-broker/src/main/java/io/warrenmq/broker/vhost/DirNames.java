package io.warrenmq.broker.vhost;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Directory names for vhosts, queues and exchanges: the SHA-1 of the name in hex, as LavinMQ does.
 * Thread-safe.
 */
public final class DirNames {
  private static final SecureRandom RANDOM = new SecureRandom();

  private DirNames() {}

  public static String of(String name) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-1");
      return HexFormat.of().formatHex(sha.digest(name.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required of every JDK", e);
    }
  }

  /**
   * A directory name of its own for every queue or exchange incarnation (SHA-1 of the name and a
   * random suffix), so that one redeclared right after a delete never meets the old files, whose
   * removal runs in the background.
   */
  static String fresh(String name) {
    return of(name) + "-" + Long.toHexString(RANDOM.nextLong() & Long.MAX_VALUE);
  }
}
