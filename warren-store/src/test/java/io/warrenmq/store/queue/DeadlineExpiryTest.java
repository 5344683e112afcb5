package io.warrenmq.store.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.warrenmq.store.index.DeadlineIndex;
import io.warrenmq.store.segment.SegmentPosition;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a queue is meant to combine its store with a {@link DeadlineIndex} for per-message TTL: the
 * deadline travels in the payload (here its first 8 bytes), the index maps deadlines to positions
 * and drops the entries of messages consumed meanwhile, expiry removes the message wherever it is,
 * and after a restart the index is rebuilt from {@link MessageStore#scanReady}.
 */
class DeadlineExpiryTest {

  private static final StoreOptions OPTIONS = new StoreOptions(4096, true);

  @TempDir Path root;

  private static long publish(MessageStore store, DeadlineIndex index, long deadline, String body)
      throws IOException {
    ByteBuf payload = Unpooled.buffer().writeLong(deadline);
    payload.writeCharSequence(body, StandardCharsets.UTF_8);
    try {
      long pos = store.append(payload, true, payload.readableBytes());
      index.add(deadline, pos);
      return pos;
    } finally {
      payload.release();
    }
  }

  /** Expires what is due: stale entries (consumed meanwhile) are skipped by remove's answer. */
  private static List<Long> expire(MessageStore store, DeadlineIndex index, long now)
      throws IOException {
    List<Long> expired = new ArrayList<>();
    index.pollDue(
        now,
        Integer.MAX_VALUE,
        (deadline, pos) -> {
          if (store.remove(pos)) {
            expired.add(pos);
          }
        });
    return expired;
  }

  private static String body(MessageStore store, long pos) {
    ByteBuf copy = store.read(pos, Unpooled.buffer().alloc());
    try {
      return copy.toString(8, copy.readableBytes() - 8, StandardCharsets.UTF_8);
    } finally {
      copy.release();
    }
  }

  @Test
  void messagesExpireAtTheirOwnDeadlineAnywhereInTheQueue() throws IOException {
    try (MessageStore store = MessageStore.open(root.resolve("q"), OPTIONS);
        DeadlineIndex index =
            new DeadlineIndex(root.resolve("q-ttl"), 4, (deadline, pos) -> store.isReady(pos))) {
      List<Long> positions = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        long deadline = i % 2 == 0 ? 1_000 : 100 + i; // odd ones expire early, in the middle
        positions.add(publish(store, index, deadline, "m" + i));
      }
      long consumed = store.nextReady(); // m0, consumed before its deadline
      store.ack(consumed);

      assertThat(expire(store, index, 99)).isEmpty();
      List<Long> expired = expire(store, index, 150);

      assertThat(expired).hasSize(25).allMatch(pos -> positions.indexOf(pos) % 2 == 1);
      assertThat(store.readyCount()).isEqualTo(100 - 1 - 25);
      assertThat(index.nextDeadline()).isEqualTo(151);
      expire(store, index, 999);
      assertThat(store.readyCount()).isEqualTo(49);
      List<Long> left = new ArrayList<>();
      store.scanReady(Integer.MAX_VALUE, (pos, payload) -> left.add(pos));
      assertThat(left).hasSize(49).allMatch(pos -> positions.indexOf(pos) % 2 == 0);
      assertThat(body(store, left.getFirst())).isEqualTo("m2");
      assertThat(index.spillCount()).isPositive();
      assertThat(expire(store, index, 1_000)).hasSize(49);
      assertThat(store.readyCount()).isZero();
      assertThat(index.size()).isZero();
      assertThat(index.runCount()).as("the runs, consumed, are deleted").isZero();
      assertThat(store.segmentCount()).isLessThanOrEqualTo(1);
    }
  }

  @Test
  void afterARestartTheIndexIsRebuiltFromTheStoreAndExpiresTheSameMessages() throws IOException {
    try (MessageStore store = MessageStore.open(root.resolve("q"), OPTIONS);
        DeadlineIndex index =
            new DeadlineIndex(root.resolve("q-ttl"), 8, (deadline, pos) -> store.isReady(pos))) {
      for (int i = 0; i < 200; i++) {
        publish(store, index, 10_000 - i, "m" + i);
      }
      expire(store, index, 10_000 - 150); // m150..m199
      store.force();
    }
    try (MessageStore store = MessageStore.open(root.resolve("q"), OPTIONS);
        DeadlineIndex index =
            new DeadlineIndex(root.resolve("q-ttl"), 8, (deadline, pos) -> store.isReady(pos))) {
      IOException[] failure = new IOException[1];
      int scanned =
          store.scanReady(
              Integer.MAX_VALUE,
              (pos, payload) -> {
                try {
                  index.add(payload.getLong(payload.readerIndex()), pos);
                } catch (IOException e) {
                  failure[0] = e;
                  return false;
                }
                return true;
              });
      assertThat(failure[0]).isNull();
      assertThat(scanned).isEqualTo(150);
      assertThat(index.size()).isEqualTo(150);

      List<Long> expired = expire(store, index, 10_000 - 100);

      assertThat(expired).hasSize(50);
      List<String> left = new ArrayList<>();
      for (long pos; (pos = store.nextReady()) != SegmentPosition.NONE; ) {
        left.add(body(store, pos));
      }
      assertThat(left).hasSize(100).startsWith("m0", "m1").endsWith("m99");
    }
  }
}
