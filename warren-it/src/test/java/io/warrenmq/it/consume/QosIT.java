package io.warrenmq.it.consume;

import static io.warrenmq.it.support.Eventually.eventually;
import static io.warrenmq.it.support.Messaging.bytes;
import static io.warrenmq.it.support.Messaging.connectionCloseOf;
import static io.warrenmq.it.support.Messaging.take;
import static io.warrenmq.it.support.Messaging.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DeliverCallback;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.GetResponse;
import io.warrenmq.it.support.BrokerExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * basic.qos as RabbitMQ implements it: prefetch-count with global=false limits each consumer
 * created afterwards, global=true is one limit shared by all consumers of the channel, which the
 * channel's queues share in turn; no-ack consumers ignore their own prefetch and take no share of
 * the channel's, but wait while the channel is at it (rabbit_limiter); basic.get is not limited
 * and does not count.
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

  @ParameterizedTest(name = "acking every {0} (multiple={0}>1)")
  @ValueSource(ints = {1, 5})
  void aGlobalPrefetchIsSharedByTheQueuesOfTheChannelInTurn(int ackEvery) throws Exception {
    String q1 = queueWith(500);
    String q2 = queueWith(500);
    ch.basicQos(10, true);
    LinkedBlockingQueue<String> order = new LinkedBlockingQueue<>();
    DeliverCallback recordAndAck = (consumerTag, d) -> {
      order.add(d.getEnvelope().getRoutingKey());
      long tag = d.getEnvelope().getDeliveryTag();
      if (tag % ackEvery == 0) {
        ch.basicAck(tag, ackEvery > 1);
      }
    };
    ch.basicConsume(q1, false, recordAndAck, t -> { });
    ch.basicConsume(q2, false, recordAndAck, t -> { });
    List<String> first = take(order, 500);
    long fromQ1 = first.stream().filter(q1::equals).count();
    // RabbitMQ asks the blocked queues in a random order whenever acks free credit: each queue
    // gets about half (250 +- 25 when five credits go at once); a queue asked always first would
    // take every freed credit and the other none
    assertThat(fromQ1).as("deliveries from %s among the first 500", q1).isBetween(125L, 375L);
  }

  @Test
  void aNoAckConsumerReceivesNothingWhileTheChannelIsAtItsGlobalLimit() throws Exception {
    String limited = queueWith(2);
    String free = queueWith(10);
    ch.basicQos(2, true);
    List<Delivery> held = take(consume(ch, limited), 2);
    LinkedBlockingQueue<Delivery> noAck = new LinkedBlockingQueue<>();
    ch.basicConsume(free, true, (t, d) -> noAck.add(d), t -> { });
    assertThat(ready(free)).as("nothing leaves while the channel is at its limit").isEqualTo(10);
    assertThat(noAck).isEmpty();
    ch.basicAck(held.get(1).getEnvelope().getDeliveryTag(), true);
    take(noAck, 10);
    assertThat(ready(free)).isZero();
  }

  @Test
  void aNoAckConsumerTakesNoShareOfTheGlobalLimit() throws Exception {
    String free = queueWith(10);
    String limited = queueWith(5);
    ch.basicQos(2, true);
    LinkedBlockingQueue<Delivery> noAck = new LinkedBlockingQueue<>();
    ch.basicConsume(free, true, (t, d) -> noAck.add(d), t -> { });
    take(noAck, 10);
    take(consume(ch, limited), 2);
    assertThat(ready(limited)).isEqualTo(3);
  }

  @Test
  void basicGetNeitherTakesNorReturnsTheChannelsGlobalCredit() throws Exception {
    // RabbitMQ: basic.get is not subject to the limiter, and rabbit_channel's notify_limiter
    // leaves acks of basic.get deliveries out of the count it returns to the limiter
    String q = queueWith(5);
    ch.basicQos(1, true);
    GetResponse got = ch.basicGet(q, false);
    take(consume(ch, q), 1);
    assertThat(ready(q)).isEqualTo(3);
    ch.basicAck(got.getEnvelope().getDeliveryTag(), false);
    assertThat(ready(q)).as("the consumer stays at the channel's limit").isEqualTo(3);
  }

  @Test
  void aNonZeroPrefetchSizeClosesTheConnectionWith540() {
    assertThat(connectionCloseOf(() -> ch.basicQos(1, 5, false)))
        .isEqualTo("540 NOT_IMPLEMENTED - prefetch_size!=0 (1)");
  }
}
