package io.warrenmq.broker.vhost;

import io.warrenmq.broker.queue.StoreDirName;

/**
 * Directory names for vhosts, queues and exchanges: the SHA-1 of the name in hex, as LavinMQ does
 * (the format is {@link StoreDirName}'s, which classic queues keep as a number). Thread-safe.
 */
public final class DirNames {
  private DirNames() {}

  public static String of(String name) {
    return StoreDirName.of(name);
  }

  /**
   * A directory name of its own for every queue or exchange incarnation (SHA-1 of the name and a
   * random suffix), so that one redeclared right after a delete never meets the old files, whose
   * removal runs in the background.
   */
  static String fresh(String name) {
    return StoreDirName.fresh(name);
  }
}
