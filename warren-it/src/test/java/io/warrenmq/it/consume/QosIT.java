package io.warrenmq.it.consume;

import static io.warrenmq.it.support.Eventually.eventually;
import static io.warrenmq.it.support.Messaging.bytes;
import static io.warrenmq.it.support.Messaging.connectionCloseOf;
import static io.warrenmq.it.support.Messaging.take;
import static io.warrenmq.it.support.Messaging.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Delivery;
import io.warrenmq.it.support.BrokerExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * basic.qos as RabbitMQ implements it: prefetch-count with global=false limits each consumer
 * created afterwards, global=true is one limit shared by all consumers of the channel; no-ack
 * consumers and basic.get are not limited.
 *
 * <p>"No more deliveries" is observed through the queue's ready count: a delivery beyond the
 * limit would take a message out of the ready count, which the assertions pin exactly.
 */
class QosIT {
  @RegisterExtension static final BrokerExtension broker = new BrokerExtension();

  Connection conn;
  Channel ch;
  Channel admin;

  @BeforeEach
  void open() throws Exception {
    conn = broker.factory().newConnection();
    ch = conn.createChannel();
    admin = conn.createChannel();
  }

  @AfterEach
  void close() {
    conn.abort();
  }

  String queueWith(int messages) throws Exception {
    String q = unique("q");
    admin.queueDeclare(q, false, false, false, null);
    for (int i = 1; i <= messages; i++) {
      admin.basicPublish("", q, null, bytes("m" + i));
    }
    return q;
  }

  long ready(String q) {
    try {
      return admin.messageCount(q);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  LinkedBlockingQueue<Delivery> consume(Channel c, String q) throws IOException {
    LinkedBlockingQueue<Delivery> got = new LinkedBlockingQueue<>();
    c.basicConsume(q, false, (t, d) -> got.add(d), t -> { });
    return got;
  }

  @Test
  void aPerConsumerPrefetchLimitsEachConsumerOfTheChannel() throws Exception {
    String q = queueWith(10);
    ch.basicQos(2);
    LinkedBlockingQueue<Delivery> a = consume(ch, q);
    LinkedBlockingQueue<Delivery> b = consume(ch, q);
    take(a, 2);
    take(b, 2);
    assertThat(ready(q)).isEqualTo(6);
    assertThat(a).isEmpty();
    assertThat(b).isEmpty();
  }

  @Test
  void anAckLetsExactlyOneMoreMessageThrough() throws Exception {
    String q = queueWith(10);
    ch.basicQos(3);
    LinkedBlockingQueue<Delivery> a = consume(ch, q);
    List<Delivery> first = take(a, 3);
    assertThat(ready(q)).isEqualTo(7);
    ch.basicAck(first.get(0).getEnvelope().getDeliveryTag(), false);
    assertThat(take(a, 1).get(0).getBody()).isEqualTo(bytes("m4"));
    assertThat(ready(q)).isEqualTo(6);
    ch.basicAck(first.get(2).getEnvelope().getDeliveryTag(), true);
    assertThat(take(a, 2).stream().map(d -> new String(d.getBody())).toList()).containsExactly("m5", "m6");
    assertThat(ready(q)).isEqualTo(4);
  }

  @Test
  void aRequeuedMessageReturnsTheCreditAndComesBackFirst() throws Exception {
    String q = queueWith(3);
    ch.basicQos(1);
    LinkedBlockingQueue<Delivery> a = consume(ch, q);
    Delivery first = take(a, 1).get(0);
    ch.basicNack(first.getEnvelope().getDeliveryTag(), false, true);
    Delivery again = take(a, 1).get(0);
    assertThat(new String(again.getBody())).isEqualTo("m1");
    assertThat(again.getEnvelope().isRedeliver()).isTrue();
    assertThat(ready(q)).isEqualTo(2);
  }

  @Test
  void aPerConsumerPrefetchAppliesOnlyToConsumersCreatedAfterIt() throws Exception {
    String q1 = queueWith(10);
    String q2 = queueWith(10);
    ch.basicQos(1);
    LinkedBlockingQueue<Delivery> a = consume(ch, q1);
    take(a, 1);
    ch.basicQos(4);
    LinkedBlockingQueue<Delivery> b = consume(ch, q2);
    take(b, 4);
    assertThat(ready(q2)).isEqualTo(6);
    assertThat(ready(q1)).isEqualTo(9);
  }

  @Test
  void aGlobalPrefetchIsSharedByAllConsumersOfTheChannel() throws Exception {
    String q1 = queueWith(5);
    String q2 = queueWith(5);
    ch.basicQos(3, true);
    LinkedBlockingQueue<Delivery> a = consume(ch, q1);
    LinkedBlockingQueue<Delivery> b = consume(ch, q2);
    eventually("three deliveries in all", () -> a.size() + b.size() == 3);
    assertThat(ready(q1) + ready(q2)).isEqualTo(7);
    Delivery any = a.isEmpty() ? b.poll() : a.poll();
    ch.basicAck(any.getEnvelope().getDeliveryTag(), false);
    eventually("one more delivery", () -> a.size() + b.size() == 3);
    assertThat(ready(q1) + ready(q2)).isEqualTo(6);
  }

  @Test
  void aGlobalAndAPerConsumerPrefetchBothApply() throws Exception {
    String q1 = queueWith(5);
    String q2 = queueWith(5);
    ch.basicQos(2, false);
    ch.basicQos(3, true);
    LinkedBlockingQueue<Delivery> a = consume(ch, q1);
    take(a, 2);
    assertThat(ready(q1)).isEqualTo(3);
    LinkedBlockingQueue<Delivery> b = consume(ch, q2);
    take(b, 1);
    assertThat(ready(q2)).isEqualTo(4);
    assertThat(ready(q1)).isEqualTo(3);
  }

  @Test
  void aPerConsumerQosLiftsTheChannelsGlobalLimit() throws Exception {
    // RabbitMQ: basic.qos with global=false resets the channel-wide limit ("unlimit_prefetch")
    String q = queueWith(10);
    ch.basicQos(1, true);
    ch.basicQos(4, false);
    LinkedBlockingQueue<Delivery> a = consume(ch, q);
    take(a, 4);
    assertThat(ready(q)).isEqualTo(6);
  }

  @Test
  void aGlobalPrefetchCountsTheDeliveriesAlreadyUnacked() throws Exception {
    String q = queueWith(10);
    ch.basicQos(5);
    LinkedBlockingQueue<Delivery> a = consume(ch, q);
    List<Delivery> first = take(a, 5);
    ch.basicQos(3, true);
    ch.basicAck(first.get(0).getEnvelope().getDeliveryTag(), false);
    assertThat(ready(q)).as("4 unacked, over the channel's 3").isEqualTo(5);
    ch.basicAck(first.get(2).getEnvelope().getDeliveryTag(), true);
    assertThat(new String(take(a, 1).get(0).getBody())).isEqualTo("m6");
    assertThat(ready(q)).isEqualTo(4);
  }

  @Test
  void aGlobalPrefetchDoesNotLimitOtherChannels() throws Exception {
    String q = queueWith(6);
    ch.basicQos(1, true);
    Channel other = conn.createChannel();
    other.basicQos(2, true);
    LinkedBlockingQueue<Delivery> a = consume(ch, q);
    LinkedBlockingQueue<Delivery> b = consume(other, q);
    take(a, 1);
    take(b, 2);
    assertThat(ready(q)).isEqualTo(3);
  }

  @Test
  void prefetchZeroMeansUnlimited() throws Exception {
    String q = queueWith(10);
    ch.basicQos(0);
    LinkedBlockingQueue<Delivery> a = consume(ch, q);
    take(a, 10);
    assertThat(ready(q)).isZero();
  }

  @Test
  void raisingTheGlobalPrefetchReleasesMoreDeliveries() throws Exception {
    String q = queueWith(10);
    ch.basicQos(1, true);
    LinkedBlockingQueue<Delivery> a = consume(ch, q);
    take(a, 1);
    assertThat(ready(q)).isEqualTo(9);
    ch.basicQos(4, true);
    take(a, 3);
    assertThat(ready(q)).isEqualTo(6);
  }

  @Test
  void noAckConsumersIgnoreThePrefetch() throws Exception {
    String q = queueWith(10);
    ch.basicQos(1);
    LinkedBlockingQueue<Delivery> got = new LinkedBlockingQueue<>();
    ch.basicConsume(q, true, (t, d) -> got.add(d), t -> { });
    take(got, 10);
    assertThat(ready(q)).isZero();
  }

  @Test
  void basicGetIgnoresThePrefetch() throws Exception {
    String q = queueWith(3);
    ch.basicQos(1, true);
    assertThat(ch.basicGet(q, false)).isNotNull();
    assertThat(ch.basicGet(q, false)).isNotNull();
    assertThat(ch.basicGet(q, false)).isNotNull();
  }

  @Test
  void aNonZeroPrefetchSizeClosesTheConnectionWith540() {
    assertThat(connectionCloseOf(() -> ch.basicQos(1, 5, false)))
        .isEqualTo("540 NOT_IMPLEMENTED - prefetch_size!=0 (1)");
  }
}
