package io.warrenmq.cluster.quorum;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A quorum queue member's message bodies: the state-machine data of its Raft log entries, one
 * record per entry that carries publishes, in log order, in segment files of its own (the Raft
 * log itself keeps only the small headers). A record is {@code [int length][long index][int
 * count][int crc32c][payload]}, the payload {@code count} times {@code [int length][stored message
 * record]}. Segments are named by the index of their first record; a torn or corrupt tail (a crash
 * mid-write) is cut at open. Records written but not yet committed may be cut again ({@link
 * #truncate}): Raft replaced them.
 *
 * <p>Threading: {@link #append}, {@link #truncate} and {@link #force} come from Ratis' log worker
 * of the group, the reads from the leader's delivery and from Ratis' appenders; every method is
 * synchronized (the critical sections are one positional read or write, never an fsync of more
 * than the open segment).
 */
final class QuorumLog implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(QuorumLog.class);
  private static final String SUFFIX = ".qlog";

  private final Path dir;
  private final long segmentMax;
  /** First record index of each segment -> its channel. */
  private final TreeMap<Long, Segment> segments = new TreeMap<>();
  private long lastIndex = -1;
  /** Where {@link #read} found its last record: the next one starts at {@code readNext}. */
  private long readSegment = -1;
  private long readIndex = -1;
  private long readNext;
  /** Where {@link #recordsBefore} found its last record: the next one starts at {@code appliedNext}. */
  private long appliedIndex = Long.MIN_VALUE;
  private long appliedSegment = -1;
  private long appliedNext;
  /** The segments written to since the last force. */
  private final List<Segment> unforced = new ArrayList<>();
  private boolean closed;

  private static final class Segment {
    final long first;
    final Path path;
    /** Opened again when an interrupted thread closed it ({@link #channel}); under the log's lock. */
    FileChannel ch;
    long size;
    long lastIndex = -1;

    Segment(long first, Path path, FileChannel ch, long size) {
      this.first = first;
      this.path = path;
      this.ch = ch;
      this.size = size;
    }
  }

  /** One record read back: the entry's index, its message count and its payload (a heap copy). */
  record Entry(long index, int count, ByteBuffer payload, long segment, long offset, long next) {}

  private QuorumLog(Path dir, long segmentMax) {
    this.dir = dir;
    this.segmentMax = segmentMax;
  }

  static QuorumLog open(Path dir, long segmentMax) throws IOException {
    Files.createDirectories(dir);
    QuorumLog q = new QuorumLog(dir, segmentMax);
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
    }
    for (Path p : files) {
      String n = p.getFileName().toString();
      long first = Long.parseLong(n.substring(0, n.length() - SUFFIX.length()));
      FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE);
      Segment seg = new Segment(first, p, ch, ch.size());
      q.segments.put(first, seg);
      q.scan(seg);
    }
    return q;
  }

  /** Cuts a segment after its last whole record whose CRC matches; notes its last index. */
  private void scan(Segment seg) throws IOException {
    QuorumRecords.Scan sc = QuorumRecords.scan(seg.ch, seg.size);
    if (sc.lastIndex() >= 0) {
      seg.lastIndex = sc.lastIndex();
      lastIndex = sc.lastIndex();
    }
    if (sc.end() < seg.size) {
      log.warn("{}: cutting {} bytes of a torn or corrupt tail at {}", seg.path, seg.size - sc.end(), sc.end());
      seg.ch.truncate(sc.end());
      seg.size = sc.end();
    }
  }

  /**
   * Appends the record of entry {@code index}. Whatever was written at {@code index} or after it
   * is cut first: Raft appends an index again only once it replaced what was there.
   */
  synchronized void append(long index, int count, ByteBuffer payload) throws IOException {
    if (index <= lastIndex) {
      truncate(index);
    }
    Segment seg = segments.isEmpty() ? null : segments.lastEntry().getValue();
    if (seg == null || (seg.size > 0 && seg.size + QuorumRecords.size(payload) > segmentMax)) {
      Path p = dir.resolve(String.format("%020d%s", index, SUFFIX));
      FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING);
      seg = new Segment(index, p, ch, 0);
      segments.put(index, seg);
    }
    seg.size += QuorumRecords.write(channel(seg), seg.size, index, count, payload);
    seg.lastIndex = index;
    lastIndex = index;
    if (!unforced.contains(seg)) {
      unforced.add(seg);
    }
  }

  /**
   * A segment's channel, opened again if it was closed under it. A FileChannel is interruptible:
   * a thread interrupted during one of its reads or writes closes it for every thread (Ratis
   * interrupts its appenders when a leader steps down, and they read bodies here). The data
   * written through the closed channel is in the file; the new channel reads it and forces it.
   * Under the lock.
   */
  private FileChannel channel(Segment s) throws IOException {
    if (Thread.currentThread().isInterrupted()) {
      // its I/O would close the channel: it fails alone (an interrupt during the I/O still closes it)
      throw new java.io.InterruptedIOException("interrupted before reading or writing " + s.path.getFileName());
    }
    if (!s.ch.isOpen() && !closed && segments.get(s.first) == s) {
      log.info("{}: reopening {} (an interrupted thread closed it)", dir, s.path.getFileName());
      s.ch = FileChannel.open(s.path, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }
    return s.ch;
  }

  /**
   * Forces what was appended since the last call (fdatasync), also what went through a channel
   * closed meanwhile: fdatasync flushes the file, whichever channel wrote it.
   */
  void force() throws IOException {
    List<Segment> todo;
    synchronized (this) {
      todo = List.copyOf(unforced);
      unforced.clear();
    }
    for (Segment s : todo) {
      for (int attempt = 0; ; attempt++) {
        FileChannel ch;
        synchronized (this) {
          if (closed || segments.get(s.first) != s) {
            break; // deleted (settled) or cut by a truncate: nothing of it to keep
          }
          ch = channel(s);
        }
        try {
          ch.force(false);
          break;
        } catch (java.nio.channels.ClosedChannelException e) {
          if (attempt > 0 || Thread.currentThread().isInterrupted()) {
            throw e;
          }
        }
      }
    }
  }

  /** Cuts every record of index {@code index} or above. */
  synchronized void truncate(long index) throws IOException {
    readSegment = -1;
    appliedIndex = Long.MIN_VALUE;
    while (!segments.isEmpty() && segments.lastKey() >= index) {
      Segment s = segments.pollLastEntry().getValue();
      s.ch.close();
      unforced.remove(s);
      Files.deleteIfExists(s.path);
    }
    lastIndex = -1;
    if (segments.isEmpty()) {
      return;
    }
    Segment s = segments.lastEntry().getValue();
    long pos = 0;
    long last = -1;
    for (Entry e; pos < s.size && (e = readAt(s, pos, false)) != null; pos = e.next()) {
      if (e.index() >= index) {
        break;
      }
      last = e.index();
    }
    if (pos < s.size) {
      channel(s).truncate(pos);
      s.size = pos;
    }
    s.lastIndex = last;
    lastIndex = last >= 0 ? last : previousLast(s.first);
  }

  private long previousLast(long first) {
    Map.Entry<Long, Segment> e = segments.lowerEntry(first);
    return e == null ? -1 : e.getValue().lastIndex;
  }

  synchronized long lastIndex() {
    return lastIndex;
  }

  /** The record of entry {@code index}, or null if there is none (it carried no publishes). */
  synchronized @Nullable Entry read(long index) throws IOException {
    Map.Entry<Long, Segment> e = segments.floorEntry(index);
    if (e == null) {
      return null;
    }
    Segment s = e.getValue();
    long pos = 0;
    if (readSegment == s.first && readIndex < index && readNext <= s.size) {
      pos = readNext; // a lagging follower is sent the entries in order: go on from the last one read
    }
    while (pos < s.size) {
      Entry r = readAt(s, pos, false);
      if (r == null || r.index() > index) {
        return null;
      }
      if (r.index() == index) {
        Entry found = readAt(s, pos, true);
        readSegment = s.first;
        readIndex = index;
        readNext = found.next();
        return found;
      }
      pos = r.next();
    }
    return null;
  }

  /**
   * The first record at or after ({@code segment}, {@code offset}), with its payload, or null at
   * the end. {@code segment} -1 starts at the first segment.
   */
  synchronized @Nullable Entry next(long segment, long offset) throws IOException {
    Map.Entry<Long, Segment> e = segment < 0 ? segments.firstEntry() : segments.ceilingEntry(segment);
    while (e != null) {
      Segment s = e.getValue();
      long pos = e.getKey() == segment ? offset : 0;
      if (pos < s.size) {
        return readAt(s, pos, true);
      }
      e = segments.higherEntry(e.getKey());
    }
    return null;
  }

  /** The record at {@code (segment, offset)} with its payload, or null if that segment is gone. */
  synchronized @Nullable Entry at(long segment, long offset) throws IOException {
    Segment s = segments.get(segment);
    return s == null || offset >= s.size ? null : readAt(s, offset, true);
  }

  private @Nullable Entry readAt(Segment s, long pos, boolean withPayload) throws IOException {
    if (pos + QuorumRecords.HEADER > s.size) {
      return null;
    }
    FileChannel ch = channel(s);
    QuorumRecords.Header h = QuorumRecords.header(ch, pos);
    ByteBuffer payload = withPayload ? QuorumRecords.payload(ch, pos, h) : ByteBuffer.allocate(0);
    return new Entry(h.index(), h.count(), payload, s.first, pos, h.next(pos));
  }

  /**
   * What lies in this log between the records of two entries that carry publishes, applied one
   * after the other ({@code after} and {@code at}): normally nothing. A record there was written
   * for an entry that never made it into the Raft log: Ratis hands the bodies over before it
   * writes the entry, and a node killed in between comes back with the record but without the
   * entry, which the next leader may fill with one that has no bodies (so nothing cuts the record).
   *
   * @param after the previous entry with publishes, or -1
   * @return the indexes of the records in between, and whether the record of {@code at} follows them
   */
  synchronized Between recordsBefore(long after, long at) throws IOException {
    long segment;
    long pos;
    if (appliedIndex == after && after >= 0 && segments.containsKey(appliedSegment)) {
      segment = appliedSegment;
      pos = appliedNext;
    } else {
      Map.Entry<Long, Segment> e = after < 0 ? null : segments.floorEntry(after);
      if (e == null) {
        e = segments.firstEntry();
      }
      if (e == null) {
        return new Between(new long[0], false);
      }
      segment = e.getKey();
      pos = 0;
    }
    long[] found = new long[0];
    for (Map.Entry<Long, Segment> e = segments.ceilingEntry(segment); e != null; e = segments.higherEntry(e.getKey())) {
      Segment s = e.getValue();
      for (long p = e.getKey() == segment ? pos : 0; p < s.size; ) {
        Entry r = readAt(s, p, false);
        if (r == null || r.index() > at) {
          return new Between(found, false);
        }
        if (r.index() == at) {
          appliedIndex = at;
          appliedSegment = s.first;
          appliedNext = r.next();
          return new Between(found, true);
        }
        if (r.index() > after) {
          found = java.util.Arrays.copyOf(found, found.length + 1);
          found[found.length - 1] = r.index();
        }
        p = r.next();
      }
    }
    return new Between(found, false);
  }

  /** See {@link #recordsBefore}. */
  record Between(long[] stale, boolean found) {}

  /** The segment files, oldest first. */
  synchronized List<Path> segmentPaths() {
    return segments.values().stream().map(x -> x.path).toList();
  }

  /** The first index of each segment, oldest first. */
  synchronized List<Long> segmentStarts() {
    return List.copyOf(segments.keySet());
  }

  /** Deletes the segment that starts at {@code first} (all its messages are settled). */
  synchronized void deleteSegment(long first) throws IOException {
    Segment s = segments.get(first);
    if (s == null || s == segments.lastEntry().getValue()) {
      return; // the open segment stays
    }
    segments.remove(first);
    appliedIndex = Long.MIN_VALUE;
    unforced.remove(s);
    s.ch.close();
    Files.deleteIfExists(s.path);
  }

  /**
   * Whether the bodies of entry {@code index} were here and deleted (settled): segments go only
   * from the front, and the open one stays, so an entry with bodies before the first segment had
   * them in a deleted one.
   */
  synchronized boolean deletedBelow(long index) {
    return !segments.isEmpty() && index < segments.firstKey();
  }

  /** Bytes on disk. */
  synchronized long diskBytes() {
    long n = 0;
    for (Segment s : segments.values()) {
      n += s.size;
    }
    return n;
  }

  @Override
  public synchronized void close() {
    closed = true;
    for (Segment s : segments.values()) {
      try {
        s.ch.close();
      } catch (IOException e) {
        log.debug("closing {}", s.path, e);
      }
    }
    segments.clear();
  }
}
