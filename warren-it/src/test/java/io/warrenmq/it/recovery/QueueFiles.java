package io.warrenmq.it.recovery;

import io.warrenmq.broker.vhost.DirNames;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads the on-disk layout of a queue (warren-store/README.md, format v1) from outside the broker,
 * for tests that damage files while the broker is down: DATA_DIR/vhosts/SHA1(vhost)/queues/
 * SHA1(queue)-SUFFIX/msgs.NNNNNNNNNN, records from offset 16 as u32 length, u32 crc32c, u8 flags,
 * u8 state, u16 deliveries, u32 weight, payload; a zero length ends the data.
 */
final class QueueFiles {
  static final int SEGMENT_HEADER = 16;
  static final int RECORD_HEADER = 16;

  private QueueFiles() {}

  /** The directory of the (only) incarnation of durable queue {@code queue} in {@code vhost}. */
  static Path queueDir(Path dataDir, String vhost, String queue) throws IOException {
    Path queues = dataDir.resolve("vhosts").resolve(DirNames.of(vhost)).resolve("queues");
    String prefix = DirNames.of(queue) + "-";
    try (Stream<Path> s = Files.list(queues)) {
      List<Path> dirs = s.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
      if (dirs.size() != 1) {
        throw new IllegalStateException("expected one directory for queue " + queue + " in " + queues + ": " + dirs);
      }
      return dirs.getFirst();
    }
  }

  /** The queue's segment files, oldest first. */
  static List<Path> segments(Path queueDir) throws IOException {
    try (Stream<Path> s = Files.list(queueDir)) {
      return s.filter(p -> p.getFileName().toString().startsWith("msgs."))
          .sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
    }
  }

  /** The offsets of the records in a segment file, in order, up to the end of data. */
  static List<Integer> recordOffsets(Path segment) throws IOException {
    List<Integer> out = new ArrayList<>();
    try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ)) {
      long size = ch.size();
      long off = SEGMENT_HEADER;
      ByteBuffer len = ByteBuffer.allocate(4);
      while (off + RECORD_HEADER <= size) {
        len.clear();
        ch.read(len, off);
        int n = len.getInt(0);
        if (n <= 0 || off + RECORD_HEADER + n > size) {
          break;
        }
        out.add((int) off);
        off += RECORD_HEADER + n;
      }
    }
    return out;
  }

  /** The offset after the last record. */
  static int endOfData(Path segment) throws IOException {
    List<Integer> offs = recordOffsets(segment);
    if (offs.isEmpty()) {
      return SEGMENT_HEADER;
    }
    int last = offs.getLast();
    try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ)) {
      ByteBuffer len = ByteBuffer.allocate(4);
      ch.read(len, last);
      return last + RECORD_HEADER + len.getInt(0);
    }
  }

  /** Writes {@code bytes} at {@code offset}, as a torn or garbled write would leave them. */
  static void write(Path segment, long offset, byte[] bytes) throws IOException {
    try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      while (b.hasRemaining()) {
        ch.write(b, offset + b.position());
      }
      ch.force(true);
    }
  }

  static void truncate(Path segment, long size) throws IOException {
    try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
      ch.truncate(size);
      ch.force(true);
    }
  }
}
