package io.warrenmq.store.queue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.warrenmq.store.recovery.CleanShutdown;
import io.warrenmq.store.recovery.RecoveryReport;
import io.warrenmq.store.recovery.StoreRecovery;
import io.warrenmq.store.segment.SegmentFile;
import io.warrenmq.store.segment.SegmentPosition;
import io.warrenmq.store.sync.BlockingGuard;
import io.warrenmq.store.sync.Syncable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The message store of one queue, in its own directory (the LavinMQ design: disk first). Every
 * message is a record in an append-only, memory-mapped segment file; the OS page cache does the
 * caching. Messages are addressed by {@link SegmentPosition}s (primitive longs). Ready messages are
 * read back from the segments in order through a read cursor, so the heap holds a few descriptors
 * per segment and the primitive heap of requeued positions, nothing per waiting message. A record's
 * state (ready, taken, acked) and its delivery count live in the record itself, mutated in place; a
 * segment whose records are all acked is deleted once the writer has left it.
 *
 * <p><b>Out of order.</b> {@link #remove} takes a ready record out from anywhere in the queue (a
 * message expiring at its own deadline, a delayed message firing); {@link #scanReady} shows the
 * ready records in queue order without taking them (a peek, or rebuilding the owner's indexes
 * after a restart); {@link #isReady} and {@link #isTaken} let the owner drop stale entries of its
 * own indexes. Positions handed back to the store must be the store's own ({@link
 * SegmentPosition#isValid}: the owner strips any bits it packed on top).
 *
 * <p><b>Threading.</b> Every method except {@link #force()}, {@link #close()} and the count getters
 * is called by one thread at a time (the owning queue serialises them). {@link #force()} may run
 * concurrently on the group-commit thread; the count getters may be read from any thread. {@link
 * #close()} is idempotent and safe against {@code force()}; an owner call racing with it fails
 * with {@link IllegalStateException}, never with a crash. {@link #open}, {@link #force()} and {@link
 * #deleteAll()} block and refuse Netty event loops; {@code append} may create a segment file.
 *
 * <p><b>Buffers.</b> {@link #append} borrows its payload (it copies the readable bytes); {@link
 * #read} returns a new buffer the caller owns; {@link #readInto} writes into the caller's buffer.
 *
 * <p><b>Durability.</b> Appends are not durable until {@link #force()} returns (call it through the
 * {@code GroupCommitter}). Acks, requeues and delivery counts are written in place without a
 * force: after a crash an acked message may come back, flagged as redelivered (at least once).
 * Methods that may delete a segment file ({@link #ack}, {@link #purge}) report an I/O failure as
 * {@link UncheckedIOException}: like any I/O error of the store, it means the store is failed.
 *
 * <p><b>Clean and unclean stops.</b> {@link #closeCleanly()} forces everything, in-place changes
 * included, and leaves a {@link CleanShutdown} marker; {@link #open} takes it (removing it durably
 * before anything changes: {@link StoreDirectory}). Without a marker, {@link #deliveries} and
 * {@link #nextReady} count every recovered record as delivered at least once ({@link
 * DeliveredBoundary}).
 */
public final class MessageStore implements Syncable, AutoCloseable {

  private final Path dir;
  private final StoreOptions options;
  private final RecoveryReport recoveryReport;
  private final SegmentSet segments;
  private final DeliveredBoundary boundary;
  private final StoreRecords records;

  /** The store over what {@link StoreDirectory#prepare} found: its recovered segments and marker. */
  MessageStore(Path dir, StoreOptions options, StoreRecovery.Result recovered, long marker) {
    this.dir = dir;
    this.options = options;
    this.recoveryReport = recovered.report();
    this.segments = new SegmentSet(dir, options, recovered);
    this.boundary = new DeliveredBoundary(marker, segments.endPosition());
    this.records = new StoreRecords(dir, segments, boundary, recovered.readyCount(), recovered.readyWeight());
  }

  /**
   * Opens the store of one queue in {@code dir}, creating the directory if missing. A durable store
   * recovers what is there (see {@link StoreRecovery}) after taking its {@link CleanShutdown}
   * marker: without one, every recovered record counts as delivered at least once. A non-durable
   * store wipes the directory and starts empty. No segment file exists until the first append.
   *
   * @throws IOException on an I/O error, or naming a segment file whose format is unknown
   */
  public static MessageStore open(Path dir, StoreOptions options) throws IOException {
    return StoreDirectory.prepare(dir, options).build();
  }

  /**
   * The disk work of {@link #open} (it blocks the same way), without building the store: see
   * {@link PreparedStore}, whose {@code build()} gives the store {@code open} would have.
   */
  public static PreparedStore prepare(Path dir, StoreOptions options) throws IOException {
    return StoreDirectory.prepare(dir, options);
  }

  /**
   * Whether {@link #open} found a clean-shutdown marker (always true for a non-durable store, which
   * starts empty): if not, the recovered records count as delivered at least once.
   */
  public boolean recoveredClean() {
    return boundary.recoveredClean();
  }

  /**
   * The delivered boundary: records below this position count as delivered at least once, because
   * a stop since they were appended was unclean; 0 if none. Records appended from now on are above
   * it.
   */
  public long deliveredBelow() {
    return boundary.below();
  }

  /** What recovery found and did at {@link #open}; {@link RecoveryReport#EMPTY} if nothing. */
  public RecoveryReport recoveryReport() {
    return recoveryReport;
  }

  public Path directory() {
    return dir;
  }

  public StoreOptions options() {
    return options;
  }

  /**
   * Appends a ready message at the tail: copies the readable bytes of {@code payload} (borrowed:
   * neither its indexes nor its reference count change; composite buffers are fine) into the
   * current segment, rolling to a new one when it is full.
   *
   * @param weight an opaque non-negative number summed in {@link #readyWeight()}, e.g. body size
   * @return the record's position
   * @throws IllegalArgumentException if the payload is empty or larger than {@link
   *     SegmentFile#MAX_PAYLOAD}, or the weight negative
   */
  public long append(ByteBuf payload, boolean persistent, int weight) throws IOException {
    return records.append(payload, persistent, weight);
  }

  /**
   * Takes the next ready message in queue order (the lowest requeued position first, else the
   * next live record at the read cursor) and marks it taken (delivered, unacked), counting one
   * more delivery in the record (on top of the one an unclean stop counts below {@link
   * #deliveredBelow}).
   *
   * @return its position, or {@link SegmentPosition#NONE} if nothing is ready
   */
  public long nextReady() {
    return records.nextReady();
  }

  /** The position {@link #nextReady()} would return, without taking it. */
  public long peekReady() {
    return records.peekReady();
  }

  /**
   * Removes the ready record at {@code pos} wherever it is in the queue, not only at the head: it
   * is acked in place (not forced: after a crash it may come back, like an ack) and leaves the
   * ready count and weight. A segment whose records are now all acked is deleted unless it is the
   * write segment. For a message that expires at its own deadline or a delayed message that fires.
   *
   * @return true if it was ready and is now gone; false if it is not ready (taken, already acked
   *     or removed, or in a segment that was deleted): a stale entry of the owner's index
   * @throws IllegalArgumentException if {@code pos} is not a store position ({@link
   *     SegmentPosition#isValid}), or its segment holds no record at that offset
   * @throws UncheckedIOException if a segment file cannot be deleted: the store is failed
   */
  public boolean remove(long pos) {
    return records.remove(pos);
  }

  /**
   * Whether the record at {@code pos} is ready (live and not taken): {@link #nextReady} may still
   * hand it out, {@link #remove} would remove it. False for a taken or acked record, or one whose
   * segment was deleted.
   *
   * @throws IllegalArgumentException as {@link #remove}
   */
  public boolean isReady(long pos) {
    return records.isReady(pos);
  }

  /**
   * Whether the record at {@code pos} is taken (delivered, waiting for an ack or a requeue).
   *
   * @throws IllegalArgumentException as {@link #remove}
   */
  public boolean isTaken(long pos) {
    return records.isTaken(pos);
  }

  /**
   * Shows up to {@code max} ready records to {@code visitor} in queue order, from the head (the
   * requeued ones in order, then every ready record from the read cursor on), without taking them:
   * no state, counter or delivery count changes. The payload is a read-only view over the mapping,
   * valid only during the call (see {@link ReadyVisitor}); nothing is allocated per record, so a
   * scan of millions of records (rebuilding the owner's indexes after a restart) costs one pass
   * over the mapped segments. The visitor may read the store ({@link #weight}, {@link
   * #deliveries}, {@link #read}...) but not change it: any change throws {@link
   * IllegalStateException}.
   *
   * @param max the most records to visit
   * @return how many records were visited (including the one whose visit returned false)
   */
  public int scanReady(int max, ReadyVisitor visitor) {
    return records.scanReady(max, visitor);
  }

  /**
   * Times the record was handed out (after {@code nextReady}'s count: above 1 is a redelivery), at
   * least 1 below {@link #deliveredBelow}: a record recovered after an unclean stop may have been
   * delivered, whatever its stored count says.
   */
  public int deliveries(long pos) {
    return records.deliveries(pos);
  }

  public int weight(long pos) {
    return records.weight(pos);
  }

  public int payloadLength(long pos) {
    return records.payloadLength(pos);
  }

  public boolean persistent(long pos) {
    return records.persistent(pos);
  }

  /** A new buffer from {@code alloc} with a copy of the payload: the caller owns (releases) it. */
  public ByteBuf read(long pos, ByteBufAllocator alloc) {
    return records.read(pos, alloc);
  }

  /** Appends a copy of the payload to {@code dst}, the caller's buffer. */
  public void readInto(long pos, ByteBuf dst) {
    records.readInto(pos, dst);
  }

  /**
   * The taken record at {@code pos} is gone for good. A segment whose records are now all acked
   * is unmapped and deleted unless it is the write segment.
   *
   * @throws IllegalStateException if the record is not taken (acked twice, or never delivered)
   * @throws UncheckedIOException if a segment file cannot be deleted: the store is failed
   */
  public void ack(long pos) {
    records.ack(pos);
  }

  /**
   * The taken record at {@code pos} becomes ready again at its original place in queue order.
   *
   * @throws IllegalStateException if the record is not taken
   */
  public void requeue(long pos) {
    records.requeue(pos);
  }

  /**
   * Removes every ready message; taken (unacked) ones stay. Segments after the read cursor's hold
   * no taken record, so they go whole, without a look at their records; only the requeued records
   * and the rest of the cursor's segment are marked one by one. Allocates nothing per message.
   *
   * @return how many messages were removed
   * @throws UncheckedIOException if a segment file cannot be deleted: the store is failed
   */
  public long purge() {
    return records.purge();
  }

  /** Messages ready to be taken. Any thread. */
  public long readyCount() {
    return records.readyCount();
  }

  /** The sum of the weights of the ready messages. Any thread. */
  public long readyWeight() {
    return records.readyWeight();
  }

  /** Messages taken and not yet acked or requeued. Any thread. */
  public long unackedCount() {
    return records.unackedCount();
  }

  /** Segment files in use. Any thread. */
  public int segmentCount() {
    return segments.count();
  }

  /** Bytes of data in the segment files (headers and records, acked or not). Any thread. */
  public long diskBytes() {
    return segments.diskBytes();
  }

  /**
   * Requeued positions waiting to be taken again, counting removed ones not yet skipped. Owner
   * thread.
   */
  public int requeuedCount() {
    return records.requeuedCount();
  }

  /** The capacity of the requeued-positions heap: what it retains on the heap. Owner thread. */
  int requeuedCapacity() {
    return records.requeuedCapacity();
  }

  /**
   * Makes every record appended so far durable: msyncs the segments written since the last force
   * (including those the writer rolled away from) and, after a roll, the directory. Safe against
   * concurrent appends, rolls, acks and deletions (a segment is unmapped only once no force holds
   * it); a no-op once closed, and for a non-durable store (it starts empty anyway).
   */
  @Override
  public void force() throws IOException {
    BlockingGuard.checkNotOnEventLoop();
    segments.force();
  }

  /**
   * The graceful close: makes everything durable, the records and what was written in place
   * (acks, states, delivery counts) and the directory, then writes the {@link CleanShutdown}
   * marker with the delivered boundary and closes. Owner thread: nothing may change the store
   * meanwhile. If forcing or the marker fails, the store is closed without a marker (the next open
   * treats the stop as unclean) and the error is thrown. A no-op once closed; a plain {@link
   * #close()} for a non-durable store.
   */
  public void closeCleanly() throws IOException {
    BlockingGuard.checkNotOnEventLoop();
    if (records.closed()) {
      return;
    }
    records.checkChange();
    try {
      if (options.durable()) {
        segments.forceAll();
        boundary.leaveMarker(dir, segments.endPosition());
      }
    } finally {
      close();
    }
  }

  /**
   * Unmaps every segment and keeps the files, without a {@link CleanShutdown} marker: the next open
   * counts every record as delivered at least once, as after a crash (use {@link #closeCleanly()}
   * for a graceful stop). Idempotent; safe against {@link #force()}.
   */
  @Override
  public void close() {
    records.close();
  }

  /** Closes the store and removes its directory with every file in it. */
  public void deleteAll() throws IOException {
    BlockingGuard.checkNotOnEventLoop();
    close();
    StoreDirectory.delete(dir);
  }
}
