package io.warrenmq.it.features;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.Envelope;
import io.warrenmq.it.support.Messaging;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A consumer that records what the broker sends it: deliveries in arrival order and broker-sent
 * cancellations (basic.cancel), for tests to take with bounded waits.
 */
final class Recorder extends DefaultConsumer {
  final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
  final BlockingQueue<String> cancels = new LinkedBlockingQueue<>();
  private final boolean ackOnArrival;

  /** @param ackOnArrival acknowledge each delivery as it arrives (for manual-ack consumers) */
  Recorder(Channel ch, boolean ackOnArrival) {
    super(ch);
    this.ackOnArrival = ackOnArrival;
  }

  Recorder(Channel ch) {
    this(ch, false);
  }

  @Override
  public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body)
      throws java.io.IOException {
    deliveries.add(new Delivery(envelope, props, body));
    if (ackOnArrival) {
      getChannel().basicAck(envelope.getDeliveryTag(), false);
    }
  }

  @Override
  public void handleCancel(String tag) {
    cancels.add(tag);
  }

  /** The next {@code n} deliveries, each waited for at most 10 s. */
  List<Delivery> take(int n) throws InterruptedException {
    return Messaging.take(deliveries, n);
  }

  /** The bodies of the next {@code n} deliveries. */
  List<String> bodies(int n) throws InterruptedException {
    List<String> out = new ArrayList<>();
    for (Delivery d : take(n)) {
      out.add(Messaging.text(d.getBody()));
    }
    return out;
  }

  /** The tag of the next broker-sent basic.cancel, waited for at most 10 s. */
  String cancelled() throws InterruptedException {
    String t = cancels.poll(10, TimeUnit.SECONDS);
    assertThat(t).as("a basic.cancel from the broker").isNotNull();
    return t;
  }
}
