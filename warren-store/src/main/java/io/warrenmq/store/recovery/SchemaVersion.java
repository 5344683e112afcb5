package io.warrenmq.store.recovery;

import io.warrenmq.store.sync.BlockingGuard;
import io.warrenmq.store.sync.DirectorySync;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The {@code schema_version} file at the root of a data directory (STYLE 8.12): a new directory
 * gets the current version; an existing one must carry a version this build reads. There is one
 * version so far, hence no migration; a future one backs up, migrates and restores on failure.
 *
 * <p>Static helpers only; blocks.
 */
public final class SchemaVersion {

  /** The file's name in the data directory. */
  public static final String FILE_NAME = "schema_version";

  /** The data directory version this build writes and reads. */
  public static final int CURRENT = 1;

  private SchemaVersion() {}

  /**
   * Checks the data directory's version, writing {@link #CURRENT} into a directory without one.
   *
   * @return the version found or written
   * @throws IOException if the file holds another version or garbage, or on an I/O error
   */
  public static int checkOrCreate(Path dataDir) throws IOException {
    BlockingGuard.checkNotOnEventLoop();
    DirectorySync.createDirectories(dataDir);
    Path file = dataDir.resolve(FILE_NAME);
    if (!Files.exists(file)) {
      Path tmp = dataDir.resolve(FILE_NAME + ".tmp");
      Files.writeString(tmp, CURRENT + "\n", StandardCharsets.US_ASCII);
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      DirectorySync.force(dataDir);
      return CURRENT;
    }
    String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
    int version;
    try {
      version = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IOException("unreadable " + file + ": '" + text + "'", e);
    }
    if (version != CURRENT) {
      throw new IOException(
          "data directory " + dataDir + " has schema version " + version + ", this build reads "
              + CURRENT + " and knows no migration");
    }
    return version;
  }
}
