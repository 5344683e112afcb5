package io.warrenmq.store.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.warrenmq.store.segment.SegmentPosition;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ReadOnlyBufferException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The behaviour every {@link MessageStore} shows, durable or not (STYLE 8.12: one contract test
 * class). Recovery, which only durable stores do, is in {@link MessageStoreRecoveryTest}.
 */
@ParameterizedClass(name = "durable={0}")
@ValueSource(booleans = {true, false})
class MessageStoreContractTest {

  private static final int SMALL_SEGMENT = 4096;

  @Parameter boolean durable;

  @TempDir Path root;

  private final List<MessageStore> opened = new ArrayList<>();

  @AfterEach
  void closeStores() {
    opened.forEach(MessageStore::close);
  }

  private MessageStore open(int segmentCapacity) throws IOException {
    MessageStore store =
        MessageStore.open(root.resolve("q"), new StoreOptions(segmentCapacity, durable));
    opened.add(store);
    return store;
  }

  static long append(MessageStore store, String body) throws IOException {
    return append(store, body, true);
  }

  static long append(MessageStore store, String body, boolean persistent) throws IOException {
    ByteBuf buf = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
    try {
      return store.append(buf, persistent, buf.readableBytes());
    } finally {
      buf.release();
    }
  }

  static String body(MessageStore store, long pos) {
    ByteBuf buf = store.read(pos, UnpooledByteBufAllocator.DEFAULT);
    try {
      return buf.toString(StandardCharsets.UTF_8);
    } finally {
      buf.release();
    }
  }

  /** Takes every ready message and returns the bodies, leaving them unacked. */
  static List<String> takeAll(MessageStore store) {
    List<String> bodies = new ArrayList<>();
    for (long pos; (pos = store.nextReady()) != SegmentPosition.NONE; ) {
      bodies.add(body(store, pos));
    }
    return bodies;
  }

  private long fileCount() throws IOException {
    try (Stream<Path> files = Files.list(root.resolve("q"))) {
      return files.count();
    }
  }

  @Nested
  class Ordering {

    @Test
    void messagesAreTakenInAppendOrderWithTheirBytes() throws IOException {
      MessageStore store = open(SMALL_SEGMENT);
      long a = append(store, "alpha");
      long b = append(store, "bravo");
      long c = append(store, "charlie");
      assertThat(store.readyCount()).isEqualTo(3);
      assertThat(store.nextReady()).isEqualTo(a);
      assertThat(store.nextReady()).isEqualTo(b);
      assertThat(store.nextReady()).isEqualTo(c);
      assertThat(store.nextReady()).isEqualTo(SegmentPosition.NONE);
      assertThat(body(store, a)).isEqualTo("alpha");
      assertThat(body(store, c)).isEqualTo("charlie");
      assertThat(store.readyCount()).isZero();
      assertThat(store.unackedCount()).isEqualTo(3);
    }

    @Test
    void peekShowsTheNextReadyMessageWithoutTakingIt() throws IOException {
      MessageStore store = open(SMALL_SEGMENT);
      assertThat(store.peekReady()).isEqualTo(SegmentPosition.NONE);
      long a = append(store, "a");
      assertThat(store.peekReady()).isEqualTo(a);
      assertThat(store.peekReady()).isEqualTo(a);
      assertThat(store.readyCount()).isEqualTo(1);
      assertThat(store.nextReady()).isEqualTo(a);
      assertThat(store.peekReady()).isEqualTo(SegmentPosition.NONE);
    }

    @Test
    void anAckedMessageIsGoneForGood() throws IOException {
      MessageStore store = open(SMALL_SEGMENT);
      long a = append(store, "a");
      long b = append(store, "b");
      store.ack(store.nextReady());
      assertThat(store.unackedCount()).isZero();
      assertThat(store.nextReady()).isEqualTo(b);
      assertThatThrownBy(() -> store.ack(a)).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> store.requeue(a)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aMessageThatWasNeverTakenCannotBeAckedOrRequeued() throws IOException {
      MessageStore store = open(SMALL_SEGMENT);
      long a = append(store, "a");
      assertThatThrownBy(() -> store.ack(a)).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> store.requeue(a)).isInstanceOf(IllegalStateException.class);
      assertThat(store.readyCount()).isEqualTo(1);
    }

    @Test
    void appendBorrowsACompositePayloadAndLeavesItsIndexesAlone() throws IOException {
      MessageStore store = open(SMALL_SEGMENT);
      CompositeByteBuf payload = Unpooled.compositeBuffer();
      payload.addComponent(true, Unpooled.copiedBuffer("xxhead-", StandardCharsets.UTF_8));
      payload.addComponent(true, Unpooled.directBuffer().writeBytes("body".getBytes()));
      payload.readerIndex(2);
      try {
        long pos = store.append(payload, true, 9);
        assertThat(payload.readerIndex()).isEqualTo(2);
        assertThat(payload.refCnt()).isEqualTo(1);
        assertThat(store.payloadLength(pos)).isEqualTo(9);
        assertThat(body(store, pos)).isEqualTo("head-body");
        ByteBuf dst = Unpooled.buffer().writeBytes(">".getBytes());
        store.readInto(pos, dst);
        assertThat(dst.toString(StandardCharsets.UTF_8)).isEqualTo(">head-body");
        assertThat(dst.release()).isTrue();
      } finally {
        assertThat(payload.release()).isTrue();
      }
    }

    @Test
    void emptyPayloadsAndNegativeWeightsAreRefused() throws IOException {
      MessageStore store = open(SMALL_SEGMENT);
      assertThatThrownBy(() -> store.append(Unpooled.EMPTY_BUFFER, true, 0))
          .isInstanceOf(IllegalArgumentException.class);
      ByteBuf one = Unpooled.wrappedBuffer(new byte[] {1});
      try {
        assertThatThrownBy(() -> store.append(one, true, -1))
            .isInstanceOf(IllegalArgumentException.class);
      } finally {
        one.release();
      }
      assertThat(store.readyCount()).isZero();
    }

    @Test
    void theFlagsAndTheWeightOfARecordAreKeptAndWeightsAreSummedWhileReady()
        throws IOException {
      MessageStore store = open(SMALL_SEGMENT);
      long a = append(store, "12345", true);
      long b = append(store, "123", false);
      assertThat(store.persistent(a)).isTrue();
      assertThat(store.persistent(b)).isFalse();
      assertThat(store.weight(a)).isEqualTo(5);
      assertThat(store.readyWeight()).isEqualTo(8);
      store.nextReady();
      assertThat(store.readyWeight()).isEqualTo(3);
      store.requeue(a);
      assertThat(store.readyWeight()).isEqualTo(8);
    }
  }

  @Nested
  class Requeue {

    @Test
    void aRequeuedMessageComesBackAtItsOriginalPlace() throws IOException {
      MessageStore store = open(SMALL_SEGMENT);
      long a = append(store, "a");
      long b = append(store, "b");
      long c = append(store, "c");
      assertThat(store.nextReady()).isEqualTo(a);
      assertThat(store.nextReady()).isEqualTo(b);
      store.requeue(b);
      store.requeue(a);
      long d = append(store, "d");
      assertThat(store.peekReady()).isEqualTo(a);
      assertThat(store.nextReady()).isEqualTo(a);
      assertThat(store.nextReady()).isEqualTo(b);
      assertThat(store.nextReady()).isEqualTo(c);
      assertThat(store.nextReady()).isEqualTo(d);
      assertThat(store.requeuedCount()).isZero();
    }

    @Test
    void deliveriesCountUpWithEachRedelivery() throws IOException {
      MessageStore store = open(SMALL_SEGMENT);
      long a = append(store, "a");
      assertThat(store.deliveries(a)).isZero();
      store.nextReady();
      assertThat(store.deliveries(a)).isEqualTo(1);
      store.requeue(a);
      assertThat(store.nextReady()).isEqualTo(a);
      assertThat(store.deliveries(a)).isEqualTo(2);
      assertThat(store.readyCount()).isZero();
      assertThat(store.unackedCount()).isEqualTo(1);
    }

    @Test
    void requeuesAcrossSegmentsComeBackInQueueOrder() throws IOException {
      MessageStore store = open(128);
      List<Long> positions = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        positions.add(append(store, "message-" + i));
      }
      assertThat(store.segmentCount()).isGreaterThan(5);
      List<Long> taken = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        taken.add(store.nextReady());
      }
      assertThat(taken).isEqualTo(positions);
      for (int i = 39; i >= 0; i -= 3) {
        store.requeue(positions.get(i));
      }
      List<Long> again = new ArrayList<>();
      for (long pos; (pos = store.nextReady()) != SegmentPosition.NONE; ) {
        again.add(pos);
      }
      assertThat(again).isSortedAccordingTo(SegmentPosition::compare).hasSize(14);
    }
  }

  @Nested
  class Purge {

    @Test
    void purgeRemovesTheReadyMessagesAndKeepsTheUnackedOnes() throws IOException {
      MessageStore store = open(SMALL_SEGMENT);
      List<Long> positions = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        positions.add(append(store, "m" + i));
      }
      long first = store.nextReady();
      long second = store.nextReady();
      store.nextReady();
      store.requeue(second);
      assertThat(store.readyCount()).isEqualTo(8);

      assertThat(store.purge()).isEqualTo(8);

      assertThat(store.readyCount()).isZero();
      assertThat(store.readyWeight()).isZero();
      assertThat(store.unackedCount()).isEqualTo(2);
      assertThat(store.nextReady()).isEqualTo(SegmentPosition.NONE);
      store.ack(first);
      store.ack(positions.get(2));
      long after = append(store, "after");
      assertThat(store.nextReady()).isEqualTo(after);
    }

    @Test
    void purgingABacklogOfManySegmentsDeletesTheirFiles() throws IOException {
      MessageStore store = open(SMALL_SEGMENT);
      for (int i = 0; i < 20_000; i++) {
        append(store, "backlog-" + i);
      }
      long unacked = store.nextReady();
      assertThat(store.segmentCount()).isGreaterThan(50);

      assertThat(store.purge()).isEqualTo(19_999);

      assertThat(store.segmentCount()).isEqualTo(1);
      assertThat(store.unackedCount()).isEqualTo(1);
      assertThat(body(store, unacked)).isEqualTo("backlog-0");
      store.ack(unacked);
      assertThat(store.segmentCount()).isZero();
      assertThat(store.diskBytes()).isZero();
      assertThat(fileCount()).isZero();
      long next = append(store, "next");
      assertThat(store.nextReady()).isEqualTo(next);
    }

    @Test
    void purgeOfAnEmptyStoreRemovesNothing() throws IOException {
      MessageStore store = open(SMALL_SEGMENT);
      assertThat(store.purge()).isZero();
      long a = append(store, "a");
      store.nextReady();
      assertThat(store.purge()).isZero();
      store.requeue(a);
      assertThat(store.purge()).isEqualTo(1);
      assertThat(store.segmentCount()).isEqualTo(1);
    }
  }

  @Nested
  class Segments {

    @Test
    void anEmptyQueueHasNoSegmentFile() throws IOException {
      MessageStore store = open(SMALL_SEGMENT);
      assertThat(store.segmentCount()).isZero();
      assertThat(store.diskBytes()).isZero();
      assertThat(fileCount()).isZero();
      append(store, "first");
      assertThat(store.segmentCount()).isEqualTo(1);
      assertThat(root.resolve("q").resolve("msgs.0000000001")).exists();
    }

    @Test
    void aSegmentIsDeletedOnceAllItsRecordsAreAcked() throws IOException {
      MessageStore store = open(256);
      List<Long> positions = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        positions.add(append(store, "record-" + i));
      }
      long firstSegment = SegmentPosition.segmentId(positions.getFirst());
      Path firstFile = root.resolve("q").resolve(String.format("msgs.%010d", firstSegment));
      int inFirst =
          (int) positions.stream().filter(p -> SegmentPosition.segmentId(p) == firstSegment).count();
      int before = store.segmentCount();
      for (int i = 0; i < inFirst; i++) {
        long pos = store.nextReady();
        assertThat(firstFile).exists();
        store.ack(pos);
      }
      assertThat(firstFile).doesNotExist();
      assertThat(store.segmentCount()).isEqualTo(before - 1);
    }

    @Test
    void diskUsageReturnsToAboutZeroAfterALargeBacklogDrains() throws IOException {
      int capacity = 64 * 1024;
      MessageStore store = open(capacity);
      byte[] payload = new byte[16];
      ByteBuf buf = Unpooled.wrappedBuffer(payload);
      try {
        for (int i = 0; i < 200_000; i++) {
          buf.setInt(0, i);
          store.append(buf, true, 16);
        }
      } finally {
        buf.release();
      }
      assertThat(store.segmentCount()).isGreaterThan(90);
      assertThat(store.diskBytes()).isGreaterThan(6_000_000L);

      ByteBuf dst = Unpooled.buffer(16);
      try {
        for (int i = 0; i < 200_000; i++) {
          long pos = store.nextReady();
          dst.clear();
          store.readInto(pos, dst);
          assertThat(dst.getInt(0)).isEqualTo(i);
          store.ack(pos);
        }
      } finally {
        dst.release();
      }

      assertThat(store.nextReady()).isEqualTo(SegmentPosition.NONE);
      assertThat(store.segmentCount()).isEqualTo(1);
      assertThat(store.diskBytes()).isLessThanOrEqualTo(capacity);
      assertThat(fileCount()).isEqualTo(1);
    }

    @Test
    void aRecordLargerThanTheSegmentCapacityGetsASegmentOfItsOwn() throws IOException {
      MessageStore store = open(StoreOptions.DEFAULTS.segmentCapacity());
      append(store, "small");
      byte[] big = new byte[64 * 1024 * 1024];
      new Random(42).nextBytes(big);
      ByteBuf bigBuf = Unpooled.wrappedBuffer(big);
      long pos;
      try {
        pos = store.append(bigBuf, true, big.length);
      } finally {
        bigBuf.release();
      }
      long after = append(store, "after");
      assertThat(store.segmentCount()).isEqualTo(3);
      assertThat(SegmentPosition.segmentId(after)).isGreaterThan(SegmentPosition.segmentId(pos));
      store.nextReady();
      assertThat(store.nextReady()).isEqualTo(pos);
      ByteBuf copy = store.read(pos, UnpooledByteBufAllocator.DEFAULT);
      try {
        assertThat(copy.readableBytes()).isEqualTo(big.length);
        assertThat(copy.hasArray() ? copy.array() : toArray(copy)).isEqualTo(big);
      } finally {
        copy.release();
      }
      store.ack(pos);
      assertThat(store.segmentCount()).isEqualTo(2);
      assertThat(store.nextReady()).isEqualTo(after);
    }

    private static byte[] toArray(ByteBuf buf) {
      byte[] bytes = new byte[buf.readableBytes()];
      buf.getBytes(buf.readerIndex(), bytes);
      return bytes;
    }

    @Test
    void deleteAllRemovesTheDirectory() throws IOException {
      MessageStore store = open(SMALL_SEGMENT);
      append(store, "a");
      store.deleteAll();
      assertThat(root.resolve("q")).doesNotExist();
      assertThatThrownBy(() -> append(store, "b")).isInstanceOf(IllegalStateException.class);
    }
  }

  /** Every ready record's position and body, in the order scanReady shows them. */
  static List<String> scanAll(MessageStore store) {
    List<String> seen = new ArrayList<>();
    store.scanReady(
        Integer.MAX_VALUE,
        (pos, payload) -> {
          seen.add(payload.toString(StandardCharsets.UTF_8));
          return true;
        });
    return seen;
  }

  @Nested
  class Remove {

    @Test
    void removingAReadyMessageInTheMiddleTakesItOutOfTheQueue() throws IOException {
      MessageStore store = open(SMALL_SEGMENT);
      long a = append(store, "a");
      long bb = append(store, "bb");
      long ccc = append(store, "ccc");
      append(store, "dddd");
      assertThat(store.isReady(ccc)).isTrue();

      assertThat(store.remove(ccc)).isTrue();

      assertThat(store.isReady(ccc)).isFalse();
      assertThat(store.isTaken(ccc)).isFalse();
      assertThat(store.readyCount()).isEqualTo(3);
      assertThat(store.readyWeight()).isEqualTo(1 + 2 + 4);
      assertThat(store.remove(ccc)).as("removed twice").isFalse();
      assertThat(store.peekReady()).isEqualTo(a);
      assertThat(takeAll(store)).containsExactly("a", "bb", "dddd");
      assertThat(store.unackedCount()).isEqualTo(3);
      assertThat(store.remove(bb)).as("taken").isFalse();
    }

    @Test
    void removingTheHeadMovesTheHead() throws IOException {
      MessageStore store = open(SMALL_SEGMENT);
      long a = append(store, "a");
      long b = append(store, "b");
      assertThat(store.peekReady()).isEqualTo(a);
      assertThat(store.remove(a)).isTrue();
      assertThat(store.peekReady()).isEqualTo(b);
      assertThat(store.remove(b)).isTrue();
      assertThat(store.peekReady()).isEqualTo(SegmentPosition.NONE);
      assertThat(store.nextReady()).isEqualTo(SegmentPosition.NONE);
      assertThat(store.readyCount()).isZero();
      assertThat(store.readyWeight()).isZero();
    }

    @Test
    void aTakenRecordIsNotRemovedAndCanStillBeAcked() throws IOException {
      MessageStore store = open(SMALL_SEGMENT);
      long a = append(store, "a");
      append(store, "b");
      assertThat(store.nextReady()).isEqualTo(a);
      assertThat(store.isTaken(a)).isTrue();
      assertThat(store.isReady(a)).isFalse();

      assertThat(store.remove(a)).isFalse();

      assertThat(store.readyCount()).isEqualTo(1);
      assertThat(store.unackedCount()).isEqualTo(1);
      store.ack(a);
      assertThat(store.isTaken(a)).isFalse();
      assertThat(store.remove(a)).as("acked").isFalse();
    }

    @Test
    void aRemovedRequeuedMessageIsSkippedWhenItComesOutOfTheRequeuedHeap() throws IOException {
      MessageStore store = open(SMALL_SEGMENT);
      long a = append(store, "a");
      long b = append(store, "b");
      long c = append(store, "c");
      store.nextReady();
      store.nextReady();
      store.requeue(b);
      store.requeue(a);
      assertThat(store.isReady(a)).isTrue();

      assertThat(store.remove(a)).isTrue();

      assertThat(store.readyCount()).isEqualTo(2);
      assertThat(store.unackedCount()).isZero();
      assertThat(store.peekReady()).isEqualTo(b);
      assertThat(store.nextReady()).isEqualTo(b);
      assertThat(store.nextReady()).isEqualTo(c);
      assertThat(store.nextReady()).isEqualTo(SegmentPosition.NONE);
      assertThat(store.requeuedCount()).isZero();
      assertThat(store.deliveries(a)).as("not delivered again").isEqualTo(1);
    }

    @Test
    void aRemovedRequeuedMessageWhoseSegmentIsGoneIsSkippedByNextReadyAndPurge()
        throws IOException {
      MessageStore store = open(64); // one record of 20 bytes per segment
      long a = append(store, "a".repeat(20));
      long b = append(store, "b".repeat(20));
      long c = append(store, "c".repeat(20));
      assertThat(store.segmentCount()).isEqualTo(3);
      store.nextReady();
      store.nextReady();
      store.requeue(a);
      store.requeue(b);

      assertThat(store.remove(a)).isTrue();
      assertThat(store.remove(b)).isTrue();

      assertThat(store.segmentCount()).as("a's and b's segments are deleted").isEqualTo(1);
      assertThat(store.requeuedCount()).isEqualTo(2);
      assertThat(store.isReady(a)).isFalse();
      assertThat(store.remove(a)).isFalse();
      assertThat(store.purge()).isEqualTo(1);
      assertThat(store.requeuedCount()).isZero();
      assertThat(store.isReady(c)).isFalse();
      long d = append(store, "d".repeat(20));
      assertThat(store.nextReady()).isEqualTo(d);
    }

    @Test
    void removingEveryRecordOfASegmentDeletesItsFile() throws IOException {
      MessageStore store = open(256);
      List<Long> positions = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        positions.add(append(store, "record-" + i));
      }
      long second = SegmentPosition.segmentId(positions.getFirst()) + 1;
      Path secondFile = root.resolve("q").resolve(String.format("msgs.%010d", second));
      List<Long> inSecond =
          positions.stream().filter(p -> SegmentPosition.segmentId(p) == second).toList();
      int before = store.segmentCount();

      for (long pos : inSecond) {
        assertThat(secondFile).exists();
        assertThat(store.remove(pos)).isTrue();
      }

      assertThat(secondFile).doesNotExist();
      assertThat(store.segmentCount()).isEqualTo(before - 1);
      assertThat(store.remove(inSecond.getFirst())).isFalse();
      assertThat(store.isReady(inSecond.getFirst())).isFalse();
      String firstRemoved = "record-" + positions.indexOf(inSecond.getFirst());
      assertThat(takeAll(store)).hasSize(30 - inSecond.size()).doesNotContain(firstRemoved);
    }

    @Test
    void positionsThatAreNotTheStoresAreRefused() throws IOException {
      MessageStore store = open(SMALL_SEGMENT);
      long a = append(store, "a");
      long packed = (7L << 56) | a;
      assertThatThrownBy(() -> store.remove(packed)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> store.isReady(SegmentPosition.NONE))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> store.isTaken(packed))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(store.remove(packed & SegmentPosition.POSITION_MASK)).isTrue();
    }

    @Test
    void randomRemovesTakesAcksAndRequeuesAgreeWithAModel() throws IOException {
      MessageStore store = open(512);
      Random random = new Random(7);
      TreeSet<Long> ready = new TreeSet<>(SegmentPosition::compare);
      List<Long> taken = new ArrayList<>();
      List<Long> all = new ArrayList<>();
      for (int step = 0; step < 5_000; step++) {
        int op = random.nextInt(10);
        if (op < 4) {
          long pos = append(store, "m" + step);
          ready.add(pos);
          all.add(pos);
        } else if (op < 6 && !all.isEmpty()) {
          long pos = all.get(random.nextInt(all.size()));
          boolean wasReady = ready.remove(pos);
          assertThat(store.remove(pos)).isEqualTo(wasReady);
        } else if (op == 6) {
          long pos = store.nextReady();
          assertThat(pos).isEqualTo(ready.isEmpty() ? SegmentPosition.NONE : ready.first());
          if (pos != SegmentPosition.NONE) {
            ready.remove(pos);
            taken.add(pos);
          }
        } else if (op == 7 && !taken.isEmpty()) {
          store.ack(taken.remove(random.nextInt(taken.size())));
        } else if (op == 8 && !taken.isEmpty()) {
          long pos = taken.remove(random.nextInt(taken.size()));
          store.requeue(pos);
          ready.add(pos);
        } else if (op == 9) {
          List<Long> scanned = new ArrayList<>();
          store.scanReady(Integer.MAX_VALUE, (pos, payload) -> scanned.add(pos));
          assertThat(scanned).containsExactlyElementsOf(ready);
        }
        assertThat(store.readyCount()).isEqualTo(ready.size());
        assertThat(store.unackedCount()).isEqualTo(taken.size());
        assertThat(store.peekReady())
            .isEqualTo(ready.isEmpty() ? SegmentPosition.NONE : ready.first());
      }
      for (long pos : all) {
        assertThat(store.isReady(pos)).isEqualTo(ready.contains(pos));
        assertThat(store.isTaken(pos)).isEqualTo(taken.contains(pos));
      }
    }
  }

  @Nested
  class Scan {

    @Test
    void scanShowsTheRequeuedRecordsInOrderThenTheRestWithTheirPayloads() throws IOException {
      MessageStore store = open(SMALL_SEGMENT);
      long a = append(store, "a");
      append(store, "b");
      long c = append(store, "c");
      long d = append(store, "d");
      append(store, "e");
      store.nextReady();
      store.nextReady();
      store.nextReady();
      store.requeue(c);
      store.requeue(a);
      store.remove(d);

      List<Long> positions = new ArrayList<>();
      List<String> bodies = new ArrayList<>();
      int visited =
          store.scanReady(
              10,
              (pos, payload) -> {
                positions.add(pos);
                bodies.add(payload.toString(StandardCharsets.UTF_8));
                return true;
              });

      assertThat(visited).isEqualTo(3);
      assertThat(bodies).containsExactly("a", "c", "e");
      assertThat(positions.subList(0, 2)).containsExactly(a, c);
    }

    @Test
    void scanChangesNoStateCountOrDeliveryCount() throws IOException {
      MessageStore store = open(SMALL_SEGMENT);
      long a = append(store, "aa");
      long b = append(store, "bbb");
      append(store, "c");
      store.nextReady();
      store.requeue(a);
      long before = store.readyWeight();

      assertThat(scanAll(store)).containsExactly("aa", "bbb", "c");
      assertThat(scanAll(store)).containsExactly("aa", "bbb", "c");

      assertThat(store.readyCount()).isEqualTo(3);
      assertThat(store.readyWeight()).isEqualTo(before);
      assertThat(store.unackedCount()).isZero();
      assertThat(store.requeuedCount()).isEqualTo(1);
      assertThat(store.deliveries(a)).isEqualTo(1);
      assertThat(store.deliveries(b)).isZero();
      assertThat(store.isReady(b)).isTrue();
      assertThat(store.peekReady()).isEqualTo(a);
      assertThat(takeAll(store)).containsExactly("aa", "bbb", "c");
    }

    @Test
    void scanStopsAtMaxOrWhenTheVisitorSaysSo() throws IOException {
      MessageStore store = open(SMALL_SEGMENT);
      for (int i = 0; i < 10; i++) {
        append(store, "m" + i);
      }
      long m0 = store.nextReady();
      store.nextReady();
      store.requeue(m0);
      List<String> firstThree = new ArrayList<>();
      assertThat(
              store.scanReady(
                  3,
                  (pos, payload) -> firstThree.add(payload.toString(StandardCharsets.UTF_8))))
          .isEqualTo(3);
      assertThat(firstThree).containsExactly("m0", "m2", "m3");
      AtomicInteger calls = new AtomicInteger();
      assertThat(store.scanReady(100, (pos, payload) -> calls.incrementAndGet() < 4)).isEqualTo(4);
      assertThat(calls.get()).isEqualTo(4);
      assertThat(store.scanReady(0, (pos, payload) -> true)).isZero();
      assertThatThrownBy(() -> store.scanReady(-1, (pos, payload) -> true))
          .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void scanCrossesSegmentRollsAndSkipsTakenAndRemovedRecords() throws IOException {
      MessageStore store = open(256);
      List<Long> positions = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        positions.add(append(store, "record-" + i));
      }
      assertThat(store.segmentCount()).isGreaterThan(10);
      for (int i = 0; i < 20; i++) {
        store.nextReady();
      }
      for (int i = 0; i < 20; i += 4) {
        store.requeue(positions.get(i));
      }
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        if (i % 7 == 3) {
          assertThat(store.remove(positions.get(i))).isEqualTo(i >= 20);
        } else if (i >= 20 || i % 4 == 0) {
          expected.add("record-" + i);
        }
      }

      assertThat(scanAll(store)).isEqualTo(expected);
      assertThat(takeAll(store)).isEqualTo(expected);
      assertThat(scanAll(store)).isEmpty();
    }

    @Test
    void thePayloadIsAReadOnlyViewOfJustThePayload() throws IOException {
      MessageStore store = open(SMALL_SEGMENT);
      append(store, "first");
      long second = append(store, "second");
      store.scanReady(
          2,
          (pos, payload) -> {
            assertThat(payload.isReadOnly()).isTrue();
            assertThat(payload.readableBytes()).isEqualTo(store.payloadLength(pos));
            assertThatThrownBy(() -> payload.setByte(payload.readerIndex(), 'X'))
                .isInstanceOf(ReadOnlyBufferException.class);
            payload.skipBytes(1); // a visitor may read: the next record's view is reset
            return true;
          });
      assertThat(body(store, second)).isEqualTo("second");
      assertThat(scanAll(store)).containsExactly("first", "second");
    }

    @Test
    void theVisitorMayReadTheStoreButNotChangeIt() throws IOException {
      MessageStore store = open(SMALL_SEGMENT);
      long a = append(store, "a");
      append(store, "b");
      List<Throwable> refused = new ArrayList<>();
      store.scanReady(
          1,
          (pos, payload) -> {
            assertThat(store.weight(pos)).isEqualTo(1);
            assertThat(store.deliveries(pos)).isZero();
            assertThat(store.isReady(pos)).isTrue();
            assertThat(body(store, pos)).isEqualTo("a");
            for (Runnable change :
                List.<Runnable>of(
                    store::nextReady,
                    store::peekReady,
                    () -> store.remove(pos),
                    store::purge,
                    () -> store.scanReady(1, (p, b) -> true))) {
              try {
                change.run();
              } catch (IllegalStateException e) {
                refused.add(e);
              }
            }
            return true;
          });
      assertThat(refused).hasSize(5);
      assertThatThrownBy(
              () ->
                  store.scanReady(
                      1,
                      (pos, payload) -> {
                        throw new IllegalArgumentException("visitor bug");
                      }))
          .hasMessage("visitor bug");
      assertThat(store.nextReady()).as("usable again after a scan, even a failed one").isEqualTo(a);
    }
  }

  @Nested
  class Concurrency {

    @Test
    void forceRunsConcurrentlyWithAppendsRollsAcksAndCloseWithoutFailing() throws Exception {
      MessageStore store = open(512);
      AtomicBoolean done = new AtomicBoolean();
      AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
      AtomicInteger forces = new AtomicInteger();
      Thread forcer =
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      while (!done.get()) {
                        store.force();
                        forces.incrementAndGet();
                      }
                      store.force();
                    } catch (Throwable t) {
                      failure.set(t);
                    }
                  });
      ByteBuf buf = Unpooled.buffer(64).writeZero(40);
      try {
        for (int i = 0; i < 20_000; i++) {
          store.append(buf, true, 40);
          if (i % 3 == 0) {
            store.ack(store.nextReady());
          }
          if (i % 7 == 0) {
            long pos = store.nextReady();
            if (pos != SegmentPosition.NONE) {
              store.requeue(pos);
            }
          }
        }
        for (long pos; (pos = store.nextReady()) != SegmentPosition.NONE; ) {
          store.ack(pos);
        }
        store.force();
        store.close();
      } finally {
        buf.release();
        done.set(true);
        forcer.join();
      }
      assertThat(failure.get()).isNull();
      assertThat(forces.get()).isPositive();
      store.force();
    }
  }

  @Nested
  class MemoryShape {

    @Test
    void aMillionReadyMessagesCostOnlyTheirSegmentDescriptors() throws IOException {
      MessageStore store = open(StoreOptions.DEFAULTS.segmentCapacity());
      ByteBuf buf = Unpooled.buffer(8).writeLong(0);
      try {
        for (int i = 0; i < 1_000_000; i++) {
          buf.setLong(0, i);
          store.append(buf, true, 8);
        }
      } finally {
        buf.release();
      }
      // 24 bytes a record: the heap holds one descriptor per 8 MiB segment, nothing per message
      assertThat(store.readyCount()).isEqualTo(1_000_000);
      int perSegment = (8 * 1024 * 1024 - 16) / 24;
      assertThat(store.segmentCount()).isEqualTo(Math.ceilDiv(1_000_000, perSegment));
      assertThat(store.requeuedCapacity()).isZero(); // no requeue yet: no array either

      List<Long> taken = new ArrayList<>();
      for (int i = 0; i < 100_000; i++) {
        taken.add(store.nextReady());
      }
      taken.forEach(store::requeue);
      assertThat(store.requeuedCapacity()).isGreaterThanOrEqualTo(100_000);
      for (int i = 0; i < 100_000; i++) {
        store.nextReady();
      }
      assertThat(store.requeuedCapacity()).isLessThanOrEqualTo(64);
    }

    @Test
    void scanningAMillionRecordsAllocatesNothingPerRecord() throws IOException {
      MessageStore store = open(StoreOptions.DEFAULTS.segmentCapacity());
      ByteBuf buf = Unpooled.buffer(8).writeLong(0);
      try {
        for (int i = 0; i < 1_000_000; i++) {
          buf.setLong(0, i);
          store.append(buf, true, 8);
        }
      } finally {
        buf.release();
      }
      long[] sum = new long[1];
      ReadyVisitor summer =
          (pos, payload) -> {
            sum[0] += payload.getLong(payload.readerIndex());
            return true;
          };
      store.scanReady(1_000, summer); // warm up
      var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
      sum[0] = 0;
      long before = threads.getCurrentThreadAllocatedBytes();

      int visited = store.scanReady(Integer.MAX_VALUE, summer);

      long allocated = threads.getCurrentThreadAllocatedBytes() - before;
      assertThat(visited).isEqualTo(1_000_000);
      assertThat(sum[0]).isEqualTo(999_999L * 1_000_000L / 2);
      // a slice or a boxed long per record would be tens of megabytes
      assertThat(allocated).isLessThan(64 * 1024);
      assertThat(store.readyCount()).isEqualTo(1_000_000);
    }
  }
}
