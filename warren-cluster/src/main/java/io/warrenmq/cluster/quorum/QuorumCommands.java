package io.warrenmq.cluster.quorum;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;

/**
 * The commands of a quorum queue's Raft log, several to an entry (what one node had to say while
 * its previous entry was in flight). The entry's log data is the header: {@code [byte version]
 * [int commands]} and per command {@code [byte kind]...}; the publishes' bodies are its
 * state-machine data, which stays out of the Raft log ({@link QuorumLog}).
 *
 * <ul>
 *   <li>ENQUEUE {@code [int count]}: {@code count} messages, in the data as {@code [int
 *       length][stored record]} each; they get the next sequence numbers.
 *   <li>SETTLE {@code [long deliveredThrough][int n][long seq]...}: acked, rejected or dropped;
 *       {@code deliveredThrough} is the highest number the leader delivered so far.
 *   <li>RETURN {@code [byte failed][int n][long seq]...}: back to the queue; a failed delivery
 *       (reject, a consumer gone) counts toward the delivery limit.
 *   <li>PURGE {@code [long below][int n][long seq]...}: every number below {@code below} but those
 *       listed (out to consumers) is settled.
 *   <li>CONFIG {@code [int deliveryLimit][long maxLength][byte rejectPublish]}: the queue's limits
 *       from now on (its policies changed them; {@link QuorumState.Config}). Logged only once the
 *       feature flag {@code quorum_queue_policies} is on: an older member could not apply it.
 * </ul>
 *
 * <p>A client request is {@code [int header length][header][data]}: the leader's state machine
 * splits it into log data and state-machine data.
 */
final class QuorumCommands {
  static final byte VERSION = 1;
  static final byte ENQUEUE = 1;
  static final byte SETTLE = 2;
  static final byte RETURN = 3;
  static final byte PURGE = 4;
  static final byte CONFIG = 5;

  private QuorumCommands() {}

  /**
   * One decoded command; {@code seqs} are its sequence numbers (empty for ENQUEUE and CONFIG). A
   * CONFIG has its delivery limit in {@code count}, its length limit in {@code mark} and
   * reject-publish in {@code failed}.
   */
  record Command(byte kind, int count, long mark, boolean failed, long[] seqs) {}

  /** Builds one entry's header. */
  static final class Header {
    private final List<byte[]> parts = new ArrayList<>();
    private int size = 5;

    Header config(QuorumState.Config c) {
      return add(ByteBuffer.allocate(1 + 4 + 8 + 1).put(CONFIG).putInt(c.deliveryLimit()).putLong(c.maxLength())
          .put((byte) (c.rejectPublish() ? 1 : 0)).array());
    }

    Header enqueue(int count) {
      return add(ByteBuffer.allocate(5).put(ENQUEUE).putInt(count).array());
    }

    Header settle(long deliveredThrough, long[] seqs, int n) {
      ByteBuffer b = ByteBuffer.allocate(1 + 8 + 4 + 8 * n).put(SETTLE).putLong(deliveredThrough).putInt(n);
      for (int i = 0; i < n; i++) {
        b.putLong(seqs[i]);
      }
      return add(b.array());
    }

    Header returned(boolean failed, long[] seqs, int n) {
      ByteBuffer b = ByteBuffer.allocate(1 + 1 + 4 + 8 * n).put(RETURN).put((byte) (failed ? 1 : 0)).putInt(n);
      for (int i = 0; i < n; i++) {
        b.putLong(seqs[i]);
      }
      return add(b.array());
    }

    Header purge(long below, long[] keep) {
      ByteBuffer b = ByteBuffer.allocate(1 + 8 + 4 + 8 * keep.length).put(PURGE).putLong(below).putInt(keep.length);
      for (long s : keep) {
        b.putLong(s);
      }
      return add(b.array());
    }

    private Header add(byte[] p) {
      parts.add(p);
      size += p.length;
      return this;
    }

    boolean isEmpty() {
      return parts.isEmpty();
    }

    /** The client request: header and data. */
    ByteString request(ByteString data) {
      ByteBuffer b = ByteBuffer.allocate(4 + size);
      b.putInt(size).put(VERSION).putInt(parts.size());
      for (byte[] p : parts) {
        b.put(p);
      }
      b.flip();
      return UnsafeByteOperations.unsafeWrap(b).concat(data);
    }
  }

  /** The header's length prefix: how a request splits into log data and state-machine data. */
  static int headerLength(ByteString request) {
    return request.substring(0, 4).asReadOnlyByteBuffer().getInt();
  }

  static List<Command> decode(ByteString header) {
    ByteBuffer b = header.asReadOnlyByteBuffer();
    byte v = b.get();
    if (v != VERSION) {
      throw new IllegalArgumentException("quorum queue command version " + v + " is not known here");
    }
    int n = b.getInt();
    List<Command> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      byte kind = b.get();
      switch (kind) {
        case ENQUEUE -> out.add(new Command(kind, b.getInt(), 0, false, new long[0]));
        case SETTLE -> {
          long mark = b.getLong();
          out.add(new Command(kind, 0, mark, false, seqs(b)));
        }
        case RETURN -> {
          boolean failed = b.get() != 0;
          out.add(new Command(kind, 0, 0, failed, seqs(b)));
        }
        case PURGE -> {
          long below = b.getLong();
          out.add(new Command(kind, 0, below, false, seqs(b)));
        }
        case CONFIG -> {
          int limit = b.getInt();
          long max = b.getLong();
          out.add(new Command(kind, limit, max, b.get() != 0, new long[0]));
        }
        default -> throw new IllegalArgumentException("unknown quorum queue command " + kind);
      }
    }
    return out;
  }

  private static long[] seqs(ByteBuffer b) {
    long[] s = new long[b.getInt()];
    for (int i = 0; i < s.length; i++) {
      s[i] = b.getLong();
    }
    return s;
  }

  /** How many messages an entry's header enqueues. */
  static int enqueued(List<Command> commands) {
    int n = 0;
    for (Command c : commands) {
      if (c.kind() == ENQUEUE) {
        n += c.count();
      }
    }
    return n;
  }

  /**
   * What applying an entry answers the node that sent it: {@code [byte accepted][long purged][int
   * refused]}, refused the entry's last publishes over the queue's length limit (reject-publish).
   */
  record Reply(boolean accepted, long purged, int refused) {
    ByteString encode() {
      java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(13).put((byte) (accepted ? 1 : 0)).putLong(purged)
          .putInt(refused);
      b.flip();
      return ByteString.copyFrom(b);
    }

    /** Reads a reply; what an older member leaves out counts as nothing refused or purged. */
    static Reply decode(ByteString content) {
      java.nio.ByteBuffer b = content.asReadOnlyByteBuffer();
      boolean accepted = b.remaining() < 1 || b.get() != 0;
      long purged = b.remaining() >= 8 ? b.getLong() : 0;
      int refused = b.remaining() >= 4 ? b.getInt() : 0;
      return new Reply(accepted, purged, refused);
    }
  }
}
