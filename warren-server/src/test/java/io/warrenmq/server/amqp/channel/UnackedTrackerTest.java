package io.warrenmq.server.amqp.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.warrenmq.broker.consumer.Consumer;
import io.warrenmq.broker.consumer.MessageSource;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The delivery-tag bookkeeping of a channel, transactions' held acknowledgements included. */
class UnackedTrackerTest {
  private static final MessageSource SOURCE = new MessageSource() {
    @Override
    public String name() {
      return "q";
    }

    @Override
    public void ack(@Nullable Consumer consumer, long position) {}

    @Override
    public void ack(@Nullable Consumer consumer, long[] positions, int count) {}

    @Override
    public void requeue(@Nullable Consumer consumer, long[] positions, int count) {}

    @Override
    public void reject(@Nullable Consumer consumer, long[] positions, int count) {}
  };

  private final UnackedTracker tracker = new UnackedTracker();
  private final List<Long> settled = new ArrayList<>();
  private final UnackedTracker.Visitor collect = (tag, source, consumer, position) -> settled.add(tag);

  private void deliver(long... tags) {
    for (long t : tags) {
      tracker.add(t, SOURCE, null, t * 100);
    }
  }

  @Test
  void aMultipleRemoveTakesEveryTagUpToItInOrder() {
    deliver(1, 2, 3, 4);
    assertThat(tracker.remove(3, true, collect)).isTrue();
    assertThat(settled).containsExactly(1L, 2L, 3L);
    assertThat(tracker.size()).isEqualTo(1);
    assertThat(tracker.remove(3, false, collect)).isFalse();
  }

  @Test
  void aHeldTagIsUnknownToLaterAcknowledgements() {
    deliver(1, 2, 3);
    assertThat(tracker.hold(2, false, Settlement.Op.ACK)).isTrue();
    assertThat(tracker.hold(2, false, Settlement.Op.ACK)).isFalse();
    assertThat(tracker.hold(2, true, Settlement.Op.ACK)).isFalse();
    assertThat(tracker.remove(2, false, collect)).isFalse();
    assertThat(tracker.contains(2)).isFalse();
    assertThat(tracker.size()).isEqualTo(3);
  }

  @Test
  void aMultipleHoldSkipsTagsAlreadyHeldAndCommitSettlesByOp() {
    deliver(1, 2, 3, 4);
    tracker.hold(2, false, Settlement.Op.REQUEUE);
    tracker.hold(3, true, Settlement.Op.ACK);
    tracker.removeHeld(Settlement.Op.ACK, collect);
    assertThat(settled).containsExactly(1L, 3L);
    settled.clear();
    tracker.removeHeld(Settlement.Op.REQUEUE, collect);
    assertThat(settled).containsExactly(2L);
    assertThat(tracker.size()).isEqualTo(1);
    assertThat(tracker.contains(4)).isTrue();
  }

  @Test
  void tagZeroWithMultipleHoldsEverythingEvenWhenNothingIsUnacked() {
    assertThat(tracker.hold(0, true, Settlement.Op.ACK)).isTrue();
    deliver(1, 2);
    assertThat(tracker.hold(0, true, Settlement.Op.ACK)).isTrue();
    assertThat(tracker.contains(1)).isFalse();
    assertThat(tracker.contains(2)).isFalse();
    assertThat(tracker.hold(0, false, Settlement.Op.ACK)).isFalse();
  }

  @Test
  void releasingHeldTagsMakesThemKnownAgain() {
    deliver(1, 2);
    tracker.hold(2, true, Settlement.Op.ACK);
    tracker.releaseHeld();
    assertThat(tracker.contains(1)).isTrue();
    assertThat(tracker.remove(2, true, collect)).isTrue();
    assertThat(settled).containsExactly(1L, 2L);
  }

  @Test
  void removeUnheldLeavesHeldTagsAndRemoveAllTakesThemToo() {
    deliver(1, 2, 3);
    tracker.hold(2, false, Settlement.Op.ACK);
    tracker.removeUnheld(collect);
    assertThat(settled).containsExactly(1L, 3L);
    assertThat(tracker.size()).isEqualTo(1);
    settled.clear();
    tracker.removeAll(collect);
    assertThat(settled).containsExactly(2L);
    assertThat(tracker.size()).isZero();
  }

  @Test
  void heldMarksSurviveGrowth() {
    for (long t = 1; t <= 40; t++) {
      deliver(t);
      if (t == 5) {
        tracker.hold(5, false, Settlement.Op.REJECT);
      }
    }
    assertThat(tracker.contains(5)).isFalse();
    tracker.removeHeld(Settlement.Op.REJECT, collect);
    assertThat(settled).containsExactly(5L);
    assertThat(tracker.size()).isEqualTo(39);
  }
}
