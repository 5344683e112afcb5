package io.warrenmq.store.queue;

import static io.warrenmq.store.queue.MessageStoreContractTest.append;
import static io.warrenmq.store.queue.MessageStoreContractTest.body;
import static org.assertj.core.api.Assertions.assertThat;

import io.warrenmq.store.recovery.CleanShutdown;
import io.warrenmq.store.segment.SegmentPosition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delivery counts after a restart: a graceful close leaves a clean-shutdown marker and the counts
 * are trusted; without it (kill -9, power cut, a crash during recovery) every recovered record
 * counts as delivered at least once, as RabbitMQ's classic queues count every message recovered
 * after an unclean shutdown as delivered (rabbit_variable_queue, next_deliver_seq_id).
 */
class UncleanShutdownTest {

  private static final StoreOptions SMALL = new StoreOptions(256, true);
  /** The deliveries field of a record header (RecordLayout). */
  private static final int DELIVERIES_FIELD = 10;

  @TempDir Path root;

  private Path dir() {
    return root.resolve("q");
  }

  private MessageStore open() throws IOException {
    return MessageStore.open(dir(), SMALL);
  }

  @Test
  void afterAnUncleanStopANeverDeliveredRecordCountsAsDeliveredOnce() throws IOException {
    long a;
    long b;
    try (MessageStore store = open()) {
      a = append(store, "a");
      b = append(store, "b");
      store.force();
    } // close() without the marker: what kill -9 leaves

    try (MessageStore store = open()) {
      assertThat(store.recoveredClean()).isFalse();
      assertThat(store.deliveries(a)).as("ready, but may have been delivered").isEqualTo(1);
      assertThat(store.nextReady()).isEqualTo(a);
      assertThat(store.deliveries(a)).as("a redelivery").isEqualTo(2);
      assertThat(store.nextReady()).isEqualTo(b);
      assertThat(store.deliveries(b)).isEqualTo(2);
    }
  }

  @Test
  void aDeliveryCountLostWithTheCutIsCountedOnceMore() throws IOException {
    long a;
    try (MessageStore store = open()) {
      a = append(store, "a");
      store.force();
      assertThat(store.nextReady()).isEqualTo(a);
      assertThat(store.deliveries(a)).isEqualTo(1);
    }
    // a power cut: the count written in place never reached the disk
    MessageStoreRecoveryTest.overwrite(segmentFile(a), SegmentPosition.offset(a) + DELIVERIES_FIELD, new byte[2]);

    try (MessageStore store = open()) {
      assertThat(store.nextReady()).isEqualTo(a);
      assertThat(store.deliveries(a)).as("delivered before the cut: a redelivery").isEqualTo(2);
    }
  }

  @Test
  void aStoredCountAboveOneIsKeptAfterAnUncleanStop() throws IOException {
    long a;
    try (MessageStore store = open()) {
      a = append(store, "a");
      store.requeue(store.nextReady());
      store.nextReady();
      assertThat(store.deliveries(a)).isEqualTo(2);
    }
    try (MessageStore store = open()) {
      store.nextReady();
      assertThat(store.deliveries(a)).isEqualTo(3);
    }
  }

  @Test
  void afterACleanStopNeverDeliveredRecordsStayUndelivered() throws IOException {
    long a;
    long b;
    MessageStore first = open();
    a = append(first, "a");
    b = append(first, "b");
    assertThat(first.nextReady()).isEqualTo(a); // taken, unacked at the stop
    first.closeCleanly();
    assertThat(dir().resolve(CleanShutdown.FILE_NAME)).exists();

    try (MessageStore store = open()) {
      assertThat(store.recoveredClean()).isTrue();
      assertThat(store.deliveredBelow()).isZero();
      assertThat(dir().resolve(CleanShutdown.FILE_NAME)).as("taken at open").doesNotExist();
      assertThat(store.deliveries(b)).isZero();
      assertThat(store.nextReady()).isEqualTo(a);
      assertThat(store.deliveries(a)).as("unacked at the stop: a redelivery").isEqualTo(2);
      assertThat(store.nextReady()).isEqualTo(b);
      assertThat(store.deliveries(b)).as("a first delivery").isEqualTo(1);
    }
  }

  @Test
  void aCleanStopMakesTheCountsWrittenInPlaceDurable() throws IOException {
    long a;
    MessageStore first = open();
    a = append(first, "a");
    first.nextReady();
    first.closeCleanly();
    // what the marker vouches for is on disk, not only in the page cache: read the file itself
    byte[] file = Files.readAllBytes(segmentFile(a));
    int at = SegmentPosition.offset(a) + DELIVERIES_FIELD;
    assertThat(((file[at] & 0xFF) << 8) | (file[at + 1] & 0xFF)).isEqualTo(1);
  }

  @Test
  void recordsAppendedAfterAnUncleanRecoveryCountFromZero() throws IOException {
    long a;
    try (MessageStore store = open()) {
      a = append(store, "a");
    }
    long later;
    try (MessageStore store = open()) {
      later = append(store, "later");
      assertThat(SegmentPosition.compare(later, store.deliveredBelow())).as("not below the boundary").isNotNegative();
      assertThat(store.nextReady()).isEqualTo(a);
      assertThat(store.deliveries(a)).isEqualTo(2);
      assertThat(store.nextReady()).isEqualTo(later);
      assertThat(store.deliveries(later)).isEqualTo(1);
    }
  }

  @Test
  void theFlagOfAnUncleanStopSurvivesALaterCleanRestart() throws IOException {
    long a;
    try (MessageStore store = open()) {
      a = append(store, "a");
    }
    MessageStore dirty = open(); // recovered uncleanly: a counts as delivered
    long later = append(dirty, "later");
    dirty.closeCleanly(); // nothing delivered meanwhile

    try (MessageStore store = open()) {
      assertThat(store.recoveredClean()).isTrue();
      assertThat(store.nextReady()).isEqualTo(a);
      assertThat(store.deliveries(a)).as("still counts the unclean stop").isEqualTo(2);
      assertThat(store.nextReady()).isEqualTo(later);
      assertThat(store.deliveries(later)).as("appended after it").isEqualTo(1);
    }
  }

  @Test
  void aCrashDuringRecoveryIsAnUncleanStop() throws IOException {
    long a;
    MessageStore first = open();
    a = append(first, "a");
    first.closeCleanly();
    MessageStore recovering = open(); // takes the marker, then the broker dies before its stop
    assertThat(dir().resolve(CleanShutdown.FILE_NAME)).doesNotExist();
    recovering.close();

    try (MessageStore store = open()) {
      assertThat(store.recoveredClean()).isFalse();
      store.nextReady();
      assertThat(store.deliveries(a)).isEqualTo(2);
    }
  }

  @Test
  void aBoundaryBeyondTheDataCountsNothingOnceTheDirectoryIsEmpty() throws IOException {
    Files.createDirectories(dir());
    // a marker of a store whose segments are all gone: the ids start again at 1 below it
    CleanShutdown.write(dir(), SegmentPosition.of(5, 1000));
    try (MessageStore store = open()) {
      assertThat(store.deliveredBelow()).isZero();
      long a = append(store, "a");
      store.nextReady();
      assertThat(store.deliveries(a)).isEqualTo(1);
    }
  }

  @Test
  void aStoreWhoseRecordsWereAllAckedCountsNothingAfterItsCleanRestart() throws IOException {
    try (MessageStore store = open()) {
      for (int i = 0; i < 40; i++) {
        append(store, "m" + i); // several segments
      }
    }
    MessageStore dirty = open();
    assertThat(dirty.deliveredBelow()).isPositive();
    for (long p; (p = dirty.nextReady()) != SegmentPosition.NONE; ) {
      dirty.ack(p);
    }
    dirty.closeCleanly();
    try (MessageStore store = open()) { // the last, fully acked segment is deleted now
      assertThat(store.recoveredClean()).isTrue();
      assertThat(store.deliveredBelow()).isZero();
    }
    try (MessageStore store = open()) {
      long a = append(store, "a");
      store.nextReady();
      assertThat(store.deliveries(a)).isEqualTo(1);
      assertThat(body(store, a)).isEqualTo("a");
    }
  }

  @Test
  void aNewStoreHasNothingToCountAndANonDurableOneLeavesNoMarker() throws IOException {
    try (MessageStore store = open()) {
      assertThat(store.recoveredClean()).isFalse();
      assertThat(store.deliveredBelow()).isZero();
      long a = append(store, "a");
      store.nextReady();
      assertThat(store.deliveries(a)).isEqualTo(1);
    }
    Path transientDir = root.resolve("t");
    MessageStore t = MessageStore.open(transientDir, SMALL.withDurable(false));
    append(t, "x");
    t.closeCleanly();
    assertThat(transientDir.resolve(CleanShutdown.FILE_NAME)).doesNotExist();
  }

  @Test
  void closingCleanlyTwiceOrAfterAPlainCloseDoesNothing() throws IOException {
    MessageStore store = open();
    append(store, "a");
    store.close();
    store.closeCleanly();
    assertThat(dir().resolve(CleanShutdown.FILE_NAME)).doesNotExist();
    MessageStore again = open();
    again.closeCleanly();
    again.closeCleanly();
    assertThat(dir().resolve(CleanShutdown.FILE_NAME)).exists();
  }

  private Path segmentFile(long pos) {
    return dir().resolve(String.format("msgs.%010d", SegmentPosition.segmentId(pos)));
  }
}
