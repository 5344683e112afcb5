package io.warrenmq.broker.definitions;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.warrenmq.amqp.types.FieldCodec;
import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.store.log.RecordLog;
import io.warrenmq.store.recovery.RecoveryReport;
import io.warrenmq.store.sync.GroupCommitter;
import io.warrenmq.store.sync.Syncable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The durable definitions as a log of records, each an AMQP field table (see {@link Records}).
 * Writes are appended at once (they survive a crash of the process as soon as they are in the page
 * cache) and forced by the group committer; callers that must not answer before the change is on
 * disk ask {@link #whenDurable}.
 *
 * <p>Threading: thread-safe; appends are serialised by the store's monitor.
 */
public final class DefinitionStore implements Syncable, AutoCloseable {
  private final RecordLog log;
  private final GroupCommitter committer;
  private final List<FieldTable> recovered;
  private volatile long appended;
  private volatile long synced;

  private DefinitionStore(RecordLog log, GroupCommitter committer, List<FieldTable> recovered) {
    this.log = log;
    this.committer = committer;
    this.recovered = recovered;
  }

  public static DefinitionStore open(Path file, GroupCommitter committer) throws IOException {
    RecordLog log = RecordLog.open(file);
    List<FieldTable> records = new ArrayList<>();
    for (byte[] r : log.records()) {
      records.add(FieldCodec.readTable(Unpooled.wrappedBuffer(r)));
    }
    return new DefinitionStore(log, committer, records);
  }

  /** What opening the log found and did (a torn tail cut, for one). */
  public RecoveryReport recoveryReport() {
    return log.recoveryReport();
  }

  /** The records found at open, oldest first. */
  public List<FieldTable> recovered() {
    return recovered;
  }

  /** Appends one record; it is durable once a later {@link #force()} returns. */
  public synchronized void write(FieldTable record) {
    try {
      log.append(encode(record));
      appended++;
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the definitions log", e);
    }
  }

  /**
   * Runs {@code then} once every record written so far is on disk: at once if it already is,
   * otherwise on the group-commit thread after the next force.
   */
  public void whenDurable(Runnable then, Consumer<IOException> onFailure) {
    if (synced >= appended) {
      then.run();
    } else {
      committer.submit(this, then, onFailure);
    }
  }

  /** Whether something written is not yet known to be on disk. */
  public boolean pending() {
    return synced < appended;
  }

  @Override
  public void force() throws IOException {
    long target = appended;
    log.force();
    if (target > synced) {
      synced = target;
    }
  }

  /** Replaces the log with {@code live}, the current state, written and forced atomically. */
  public synchronized void rewrite(List<FieldTable> live) throws IOException {
    List<byte[]> bytes = new ArrayList<>(live.size());
    for (FieldTable t : live) {
      bytes.add(encode(t));
    }
    log.rewrite(bytes);
    synced = appended;
  }

  private static byte[] encode(FieldTable record) {
    ByteBuf buf = Unpooled.buffer(128);
    FieldCodec.writeTable(buf, record);
    byte[] out = new byte[buf.readableBytes()];
    buf.readBytes(out);
    return out;
  }

  @Override
  public void close() throws IOException {
    log.close();
  }
}
