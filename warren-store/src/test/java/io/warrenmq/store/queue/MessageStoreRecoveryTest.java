package io.warrenmq.store.queue;

import static io.warrenmq.store.queue.MessageStoreContractTest.append;
import static io.warrenmq.store.queue.MessageStoreContractTest.body;
import static io.warrenmq.store.queue.MessageStoreContractTest.takeAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.util.concurrent.FastThreadLocalThread;
import io.warrenmq.store.recovery.RecoveryReport;
import io.warrenmq.store.segment.SegmentFile;
import io.warrenmq.store.segment.SegmentPosition;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a durable store brings back after a restart, and what a non-durable one does not. */
class MessageStoreRecoveryTest {

  private static final StoreOptions SMALL = new StoreOptions(256, true);

  @TempDir Path root;

  private Path dir() {
    return root.resolve("q");
  }

  @Test
  void reopenKeepsOnlyPersistentUnackedMessagesInOrderWithTheSameBytes() throws IOException {
    List<String> expected = new ArrayList<>();
    try (MessageStore store = MessageStore.open(dir(), SMALL)) {
      for (int i = 0; i < 60; i++) {
        boolean persistent = i % 4 != 1;
        append(store, "message-" + i, persistent);
      }
      // take the first 20: ack the even ones, leave the odd ones unacked
      for (int i = 0; i < 20; i++) {
        long pos = store.nextReady();
        if (i % 2 == 0) {
          store.ack(pos);
        }
      }
      for (int i = 0; i < 60; i++) {
        boolean acked = i < 20 && i % 2 == 0;
        if (i % 4 != 1 && !acked) {
          expected.add("message-" + i);
        }
      }
      store.force();
    }

    try (MessageStore store = MessageStore.open(dir(), SMALL)) {
      RecoveryReport report = store.recoveryReport();
      assertThat(report.recordsRecovered()).isEqualTo(expected.size());
      assertThat(report.transientDropped()).isPositive();
      assertThat(report.tornTails()).isZero();
      assertThat(store.readyCount()).isEqualTo(expected.size());
      assertThat(store.readyWeight())
          .isEqualTo(expected.stream().mapToLong(s -> s.length()).sum());
      long first = store.peekReady();
      assertThat(takeAll(store)).isEqualTo(expected);
      assertThat(body(store, first)).isEqualTo("message-3");
      assertThat(store.deliveries(first)).as("taken before the restart: a redelivery").isEqualTo(2);
    }
  }

  @Test
  void removedRecordsStayGoneAfterAReopen() throws IOException {
    List<String> expected = new ArrayList<>();
    try (MessageStore store = MessageStore.open(dir(), SMALL)) {
      List<Long> positions = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        positions.add(append(store, "message-" + i));
      }
      long first = store.nextReady();
      store.requeue(first);
      assertThat(store.remove(first)).as("a requeued one").isTrue();
      for (int i = 1; i < 40; i++) {
        if (i % 3 == 0) {
          assertThat(store.remove(positions.get(i))).isTrue();
        } else {
          expected.add("message-" + i);
        }
      }
      store.force();
    }
    try (MessageStore store = MessageStore.open(dir(), SMALL)) {
      assertThat(store.recoveryReport().recordsRecovered()).isEqualTo(expected.size());
      assertThat(store.readyCount()).isEqualTo(expected.size());
      assertThat(MessageStoreContractTest.scanAll(store)).isEqualTo(expected);
      assertThat(takeAll(store)).isEqualTo(expected);
    }
  }

  @Test
  void fullyAckedSegmentsAreDeletedOnRecovery() throws IOException {
    try (MessageStore store = MessageStore.open(dir(), SMALL)) {
      for (int i = 0; i < 40; i++) {
        append(store, "message-" + i, i >= 30);
      }
      for (int i = 0; i < 10; i++) {
        store.ack(store.nextReady());
      }
    }
    try (MessageStore store = MessageStore.open(dir(), SMALL)) {
      assertThat(store.recoveryReport().segmentsDeleted()).isPositive();
      assertThat(store.segmentCount()).isEqualTo(store.recoveryReport().segmentsRecovered());
      assertThat(takeAll(store))
          .containsExactly(
              "message-30", "message-31", "message-32", "message-33", "message-34", "message-35",
              "message-36", "message-37", "message-38", "message-39");
    }
  }

  @Test
  void appendsContinueAfterTheLastValidRecordOfTheLastSegment() throws IOException {
    long lastSegment;
    try (MessageStore store = MessageStore.open(dir(), SMALL)) {
      append(store, "a");
      lastSegment = SegmentPosition.segmentId(append(store, "b"));
    }
    try (MessageStore store = MessageStore.open(dir(), SMALL)) {
      long c = append(store, "c");
      assertThat(SegmentPosition.segmentId(c)).isEqualTo(lastSegment);
      assertThat(store.segmentCount()).isEqualTo(1);
    }
    try (MessageStore store = MessageStore.open(dir(), SMALL)) {
      assertThat(takeAll(store)).containsExactly("a", "b", "c");
    }
  }

  @Test
  void aStoreWhoseMessagesAreAllAckedComesBackEmptyAndKeepsItsOrder() throws IOException {
    try (MessageStore store = MessageStore.open(dir(), SMALL)) {
      for (int i = 0; i < 20; i++) {
        append(store, "old-" + i);
      }
      for (int i = 0; i < 20; i++) {
        store.ack(store.nextReady());
      }
    }
    try (MessageStore store = MessageStore.open(dir(), SMALL)) {
      assertThat(store.segmentCount()).isZero();
      assertThat(store.readyCount()).isZero();
      append(store, "new");
    }
    try (MessageStore store = MessageStore.open(dir(), SMALL)) {
      assertThat(takeAll(store)).containsExactly("new");
    }
  }

  @Test
  void aTornTailIsCutReportedAndZeroedSoLaterAppendsRecoverCleanly() throws IOException {
    long last;
    try (MessageStore store = MessageStore.open(dir(), StoreOptions.DEFAULTS)) {
      append(store, "kept-1");
      append(store, "kept-2");
      last = append(store, "torn-record-with-a-longer-body");
      store.force();
    }
    // tear the last record: its body never fully reached the disk
    overwrite(segmentFile(last), SegmentPosition.offset(last) + 16 + 5, new byte[] {0, 0, 0});

    try (MessageStore store = MessageStore.open(dir(), StoreOptions.DEFAULTS)) {
      RecoveryReport report = store.recoveryReport();
      assertThat(report.tornTails()).isEqualTo(1);
      assertThat(report.truncated()).isTrue();
      assertThat(report.bytesTruncated()).isEqualTo(16 + 30);
      assertThat(report.recordsRecovered()).isEqualTo(2);
      append(store, "x");
    }
    try (MessageStore store = MessageStore.open(dir(), StoreOptions.DEFAULTS)) {
      assertThat(store.recoveryReport().tornTails()).isZero();
      assertThat(takeAll(store)).containsExactly("kept-1", "kept-2", "x");
    }
  }

  @Test
  void aSegmentWithABadMagicIsRefusedNamingTheFile() throws IOException {
    Files.createDirectories(dir());
    Path bad = dir().resolve("msgs.0000000007");
    Files.write(bad, "NOTASEGMENT-----and-then-some".getBytes(StandardCharsets.US_ASCII));
    assertThatThrownBy(() -> MessageStore.open(dir(), SMALL))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("bad magic")
        .hasMessageContaining("msgs.0000000007");
  }

  @Test
  void aSegmentOfAnUnknownFormatVersionIsRefused() throws IOException {
    long pos;
    try (MessageStore store = MessageStore.open(dir(), SMALL)) {
      pos = append(store, "a");
    }
    overwrite(segmentFile(pos), 8, new byte[] {0, 0, 0, 2});
    assertThatThrownBy(() -> MessageStore.open(dir(), SMALL))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("version 2")
        .hasMessageContaining("msgs.0000000001");
  }

  @Test
  void aSegmentTornAtCreationIsDeleted() throws IOException {
    try (MessageStore store = MessageStore.open(dir(), SMALL)) {
      append(store, "a");
    }
    Files.write(dir().resolve("msgs.0000000002"), new byte[0]);
    Files.write(dir().resolve("msgs.0000000003"), new byte[4096]);
    try (MessageStore store = MessageStore.open(dir(), SMALL)) {
      assertThat(store.recoveryReport().segmentsDeleted()).isEqualTo(2);
      assertThat(dir().resolve("msgs.0000000003")).doesNotExist();
      long b = append(store, "b");
      assertThat(SegmentPosition.segmentId(b)).isEqualTo(4);
      assertThat(takeAll(store)).containsExactly("a", "b");
    }
  }

  @Test
  void appendFailsWithAnIOExceptionOnceTheSegmentIdsAreExhausted() throws IOException {
    Files.createDirectories(dir());
    // a blank segment with the last id: recovery deletes it and remembers its id
    SegmentFile.create(dir(), SegmentPosition.MAX_SEGMENT_ID - 1, 64).close();
    try (MessageStore store = MessageStore.open(dir(), new StoreOptions(64, true))) {
      long last = append(store, "fits in the last segment");
      assertThat(SegmentPosition.segmentId(last)).isEqualTo(SegmentPosition.MAX_SEGMENT_ID);
      assertThat(SegmentPosition.isValid(last)).isTrue();
      assertThatThrownBy(() -> append(store, "needs another segment"))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("segment ids exhausted");
      assertThat(store.readyCount()).isEqualTo(1);
      assertThat(takeAll(store)).containsExactly("fits in the last segment");
    }
  }

  @Test
  void aSegmentFileWithAnIdAboveThePositionBoundIsRefusedNotSkipped() throws IOException {
    Files.createDirectories(dir());
    Files.write(dir().resolve("msgs.0016777216"), new byte[64]);
    assertThatThrownBy(() -> MessageStore.open(dir(), SMALL))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("msgs.0016777216");
  }

  @Test
  void aNonDurableStoreStartsEmptyEvenWithFilesOnDisk() throws IOException {
    try (MessageStore store = MessageStore.open(dir(), SMALL)) {
      append(store, "a");
    }
    Files.writeString(dir().resolve("stray"), "x");
    try (MessageStore store = MessageStore.open(dir(), SMALL.withDurable(false))) {
      assertThat(store.readyCount()).isZero();
      assertThat(store.recoveryReport()).isEqualTo(RecoveryReport.EMPTY);
      try (Stream<Path> files = Files.list(dir())) {
        assertThat(files).isEmpty();
      }
    }
  }

  @Test
  void forcingAClosedStoreDoesNothing() throws IOException {
    MessageStore store = MessageStore.open(dir(), SMALL);
    append(store, "a");
    store.close();
    store.close();
    store.force();
  }

  @Test
  void openingOnAnEventLoopThreadIsRefused() throws InterruptedException {
    AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
    Thread loop =
        new FastThreadLocalThread(
            () -> {
              try (MessageStore store = MessageStore.open(dir(), SMALL)) {
                store.force();
              } catch (IOException | RuntimeException e) {
                failure.set(e);
              }
            });
    loop.start();
    loop.join();
    assertThat(failure.get()).isInstanceOf(IllegalStateException.class);
    assertThat(dir()).doesNotExist();
  }

  private Path segmentFile(long pos) {
    return dir().resolve(String.format("msgs.%010d", SegmentPosition.segmentId(pos)));
  }

  static void overwrite(Path file, long at, byte[] bytes) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      while (b.hasRemaining()) {
        ch.write(b, at + b.position());
      }
    }
  }
}
