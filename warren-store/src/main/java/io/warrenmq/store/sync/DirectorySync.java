package io.warrenmq.store.sync;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * fsync of a directory, so that file creations, renames and deletions in it survive a power loss
 * (POSIX: a file's fsync does not persist its directory entry). Works on Linux and macOS, where a
 * directory can be opened for reading.
 *
 * <p>Static helpers only; thread-safe (stateless). Blocks.
 */
public final class DirectorySync {

  private DirectorySync() {}

  /** fsyncs {@code dir}. */
  public static void force(Path dir) throws IOException {
    BlockingGuard.checkNotOnEventLoop();
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  /**
   * Creates {@code dir} and its missing parents like {@link Files#createDirectories}, then fsyncs
   * the parent of every directory it created, so that the new entries are durable.
   *
   * @return whether {@code dir} was created
   */
  public static boolean createDirectories(Path dir) throws IOException {
    BlockingGuard.checkNotOnEventLoop();
    Path abs = dir.toAbsolutePath();
    Path existing = abs;
    while (existing != null && !Files.isDirectory(existing)) {
      existing = existing.getParent();
    }
    if (abs.equals(existing)) {
      return false;
    }
    Files.createDirectories(abs);
    for (Path p = abs; p != null && !p.equals(existing); p = p.getParent()) {
      Path parent = p.getParent();
      if (parent != null) {
        force(parent);
      }
    }
    return true;
  }
}
