package io.warrenmq.it.recovery;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * A publisher in confirm mode on a thread of its own that publishes message 0, 1, 2, ... to one
 * queue until its connection dies (the broker was killed or stopped under it), and remembers which
 * of them the broker confirmed (basic.ack, single or multiple).
 */
final class ConfirmedBurst implements AutoCloseable {
  private static final AMQP.BasicProperties PERSISTENT = new AMQP.BasicProperties.Builder().deliveryMode(2).build();

  private final Connection connection;
  private final ConcurrentSkipListSet<Long> outstanding = new ConcurrentSkipListSet<>();
  private final BitSet confirmed = new BitSet();
  private final AtomicInteger confirmedCount = new AtomicInteger();
  private final AtomicInteger published = new AtomicInteger();
  private final Thread thread;

  /** Starts publishing {@code body.apply(i)} to {@code queue} through the default exchange. */
  ConfirmedBurst(Connection connection, String queue, IntFunction<byte[]> body) throws IOException {
    this.connection = connection;
    Channel ch = connection.createChannel();
    ch.confirmSelect();
    ch.addConfirmListener(new ConfirmListener() {
      @Override
      public void handleAck(long tag, boolean multiple) {
        settle(tag, multiple, true);
      }

      @Override
      public void handleNack(long tag, boolean multiple) {
        settle(tag, multiple, false);
      }
    });
    thread = Thread.ofPlatform().name("burst-" + queue).start(() -> {
      try {
        for (int i = 0; i < 1_000_000; i++) {
          outstanding.add(ch.getNextPublishSeqNo());
          ch.basicPublish("", queue, PERSISTENT, body.apply(i));
          published.incrementAndGet();
        }
      } catch (IOException | RuntimeException e) {
        // the broker went away under us: the burst is cut, which is the point
      }
    });
  }

  private void settle(long tag, boolean multiple, boolean ack) {
    List<Long> done = multiple ? new ArrayList<>(outstanding.headSet(tag, true)) : List.of(tag);
    synchronized (confirmed) {
      for (long t : done) {
        if (outstanding.remove(t) && ack) {
          confirmed.set((int) (t - 1)); // publish sequence numbers start at 1, our messages at 0
          confirmedCount.incrementAndGet();
        }
      }
    }
  }

  int confirmedCount() {
    return confirmedCount.get();
  }

  int published() {
    return published.get();
  }

  boolean publishing() {
    return thread.isAlive();
  }

  /** Waits for the publisher to notice its connection is gone; the messages the broker confirmed. */
  BitSet awaitEnd() throws InterruptedException {
    thread.join(30_000);
    if (thread.isAlive()) {
      throw new AssertionError("the publisher did not notice that the broker went away");
    }
    synchronized (confirmed) {
      return (BitSet) confirmed.clone();
    }
  }

  @Override
  public void close() {
    connection.abort();
  }
}
