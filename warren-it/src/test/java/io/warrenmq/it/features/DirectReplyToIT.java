package io.warrenmq.it.features;

import static io.warrenmq.it.support.Messaging.bytes;
import static io.warrenmq.it.support.Messaging.channelCloseOf;
import static io.warrenmq.it.support.Messaging.text;
import static io.warrenmq.it.support.Messaging.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.GetResponse;
import io.warrenmq.it.support.BrokerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Direct reply-to (amq.rabbitmq.reply-to), as RabbitMQ's rabbit_channel: a no-ack consumer on the
 * pseudo-queue, a request whose reply-to is rewritten to the channel's private name, the reply
 * published to the default exchange with that name reaching the consumer, and RabbitMQ's 406s.
 */
class DirectReplyToIT {
  static final String PSEUDO = "amq.rabbitmq.reply-to";

  @RegisterExtension static final BrokerExtension broker = new BrokerExtension();

  Connection client;
  Connection server;
  Channel ch;
  Channel serverCh;
  String requests;

  @BeforeEach
  void open() throws Exception {
    client = broker.factory().newConnection();
    server = broker.factory().newConnection();
    ch = client.createChannel();
    serverCh = server.createChannel();
    requests = unique("rpc");
    serverCh.queueDeclare(requests, false, false, false, null);
  }

  @AfterEach
  void close() {
    client.abort();
    server.abort();
  }

  void request(Channel c, String body) throws Exception {
    c.basicPublish("", requests, new AMQP.BasicProperties.Builder().replyTo(PSEUDO).correlationId(body).build(),
        bytes(body));
    c.queueDeclarePassive(requests); // the request is routed before this answer
  }

  /** Takes the next request and answers it to its reply-to; returns that reply-to. */
  String answer() throws Exception {
    GetResponse req = serverCh.basicGet(requests, true);
    assertThat(req).isNotNull();
    String replyTo = req.getProps().getReplyTo();
    serverCh.basicPublish("", replyTo, new AMQP.BasicProperties.Builder().correlationId(req.getProps().getCorrelationId())
        .build(), bytes("re:" + text(req.getBody())));
    return replyTo;
  }

  @Test
  void theRequestCarriesAPrivateReplyToAndTheReplyReachesTheReplyConsumer() throws Exception {
    Recorder replies = new Recorder(ch);
    String tag = ch.basicConsume(PSEUDO, true, replies);
    request(ch, "ping");
    String replyTo = answer();
    assertThat(replyTo).startsWith(PSEUDO + ".").isNotEqualTo(PSEUDO + ".");
    Delivery reply = replies.take(1).getFirst();
    assertThat(text(reply.getBody())).isEqualTo("re:ping");
    assertThat(reply.getProperties().getCorrelationId()).isEqualTo("ping");
    assertThat(reply.getEnvelope().getRoutingKey()).isEqualTo(replyTo);
    assertThat(reply.getEnvelope().getExchange()).isEmpty();
    assertThat(reply.getEnvelope().isRedeliver()).isFalse();
    // several requests of one channel share its reply name
    request(ch, "again");
    assertThat(answer()).isEqualTo(replyTo);
    assertThat(text(replies.take(1).getFirst().getBody())).isEqualTo("re:again");
    assertThat(tag).isNotEmpty();
  }

  @Test
  void eachChannelHasItsOwnReplyNameAndGetsOnlyItsReplies() throws Exception {
    Channel other = client.createChannel();
    Recorder mine = new Recorder(ch);
    Recorder theirs = new Recorder(other);
    ch.basicConsume(PSEUDO, true, mine);
    other.basicConsume(PSEUDO, true, theirs);
    request(ch, "a");
    request(other, "b");
    String first = answer();
    String second = answer();
    assertThat(first).isNotEqualTo(second);
    assertThat(mine.bodies(1)).containsExactly("re:a");
    assertThat(theirs.bodies(1)).containsExactly("re:b");
  }

  @Test
  void publishingWithReplyToWithoutAReplyConsumerIs406() {
    assertThat(channelCloseOf(() -> request(ch, "nobody listens"))).isEqualTo("406 PRECONDITION_FAILED - fast reply consumer does not exist");
  }

  @Test
  void anAcknowledgingConsumerOnTheReplyPseudoQueueIs406() {
    assertThat(channelCloseOf(() -> ch.basicConsume(PSEUDO, false, new Recorder(ch))))
        .isEqualTo("406 PRECONDITION_FAILED - reply consumer cannot acknowledge");
  }

  @Test
  void aSecondReplyConsumerOnTheSameChannelIs406() throws Exception {
    ch.basicConsume(PSEUDO, true, new Recorder(ch));
    assertThat(channelCloseOf(() -> ch.basicConsume(PSEUDO, true, new Recorder(ch))))
        .isEqualTo("406 PRECONDITION_FAILED - reply consumer already set");
  }

  @Test
  void afterTheReplyConsumerIsCancelledRequestsWithReplyToAre406Again() throws Exception {
    String tag = ch.basicConsume(PSEUDO, true, new Recorder(ch));
    ch.basicCancel(tag);
    assertThat(channelCloseOf(() -> request(ch, "late"))).isEqualTo("406 PRECONDITION_FAILED - fast reply consumer does not exist");
  }

  @Test
  void aReplyToANameWhoseChannelIsGoneIsDroppedAndTheReplierCarriesOn() throws Exception {
    Channel gone = client.createChannel();
    gone.basicConsume(PSEUDO, true, new Recorder(gone));
    request(gone, "x");
    GetResponse req = serverCh.basicGet(requests, true);
    gone.close();
    serverCh.confirmSelect();
    serverCh.basicPublish("", req.getProps().getReplyTo(), null, bytes("too late"));
    serverCh.waitForConfirmsOrDie(10_000);
    assertThat(serverCh.isOpen()).isTrue();
  }
}
