package io.warrenmq.it.frames;

import static io.warrenmq.it.support.CloseReasons.channelClose;
import static io.warrenmq.it.support.CloseReasons.codeAndText;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.warrenmq.amqp.AmqpConstants;
import io.warrenmq.amqp.method.BasicGet;
import io.warrenmq.amqp.method.BasicGetEmpty;
import io.warrenmq.amqp.method.BasicGetOk;
import io.warrenmq.amqp.method.BasicPublish;
import io.warrenmq.amqp.method.ChannelClose;
import io.warrenmq.amqp.method.ChannelCloseOk;
import io.warrenmq.amqp.method.QueueDeclare;
import io.warrenmq.amqp.method.QueueDeclareOk;
import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.it.support.BrokerExtension;
import io.warrenmq.it.support.RawAmqp;
import io.warrenmq.it.support.RawAmqp.RawFrame;
import java.io.ByteArrayOutputStream;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Message bodies across frames: large, empty, split arbitrarily, interleaved, over the limit. */
class BodiesIT {
  private static final int MAX = 1 << 20;

  @RegisterExtension
  static final BrokerExtension broker = new BrokerExtension(Map.of("max_message_size", Integer.toString(MAX)));

  static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  /** Declares an auto-delete queue over a raw connection. */
  static void declare(RawAmqp raw, int ch, String q) throws Exception {
    raw.sendMethod(ch, new QueueDeclare(q, false, false, false, true, false, FieldTable.EMPTY));
    raw.expect(QueueDeclareOk.class);
  }

  /** basic.get over a raw connection: the body, reassembled from its body frames. */
  static byte[] rawGet(RawAmqp raw, int ch, String q) throws Exception {
    raw.sendMethod(ch, new BasicGet(q, true));
    raw.expect(BasicGetOk.class);
    RawFrame header = raw.readFrame();
    assertThat(header.type()).isEqualTo(AmqpConstants.FRAME_HEADER);
    long size = java.nio.ByteBuffer.wrap(header.payload(), 4, 8).getLong();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (body.size() < size) {
      body.write(raw.readFrame().payload());
    }
    return body.toByteArray();
  }

  @Nested
  class Large {
    @Test
    void aOneMebibyteBodyCrossesAFrameMaxOf4096BothWays() throws Exception {
      byte[] body = randomBytes(MAX);
      ConnectionFactory f = broker.factory();
      f.setRequestedFrameMax(4096);
      try (Connection c = f.newConnection(); Channel ch = c.createChannel()) {
        String q = ch.queueDeclare().getQueue();
        ch.basicPublish("", q, null, body);
        BlockingQueue<byte[]> got = new ArrayBlockingQueue<>(1);
        ch.basicConsume(q, true, (tag, d) -> got.add(d.getBody()), tag -> { });
        assertThat(got.poll(30, TimeUnit.SECONDS)).isEqualTo(body);
      }
    }

    @Test
    void aBodyOfExactlyTheMaxMessageSizeIsAccepted() throws Exception {
      byte[] body = randomBytes(MAX);
      try (Connection c = broker.factory().newConnection(); Channel ch = c.createChannel()) {
        String q = ch.queueDeclare().getQueue();
        ch.basicPublish("", q, null, body);
        assertThat(ch.basicGet(q, true).getBody()).isEqualTo(body);
      }
    }

    @Test
    void aBodyOneByteOverTheMaxMessageSizeIs406() throws Exception {
      try (Connection c = broker.factory().newConnection()) {
        Channel ch = c.createChannel();
        String q = ch.queueDeclare().getQueue();
        Throwable t = catchThrowable(() -> {
          ch.basicPublish("", q, null, new byte[MAX + 1]);
          ch.basicQos(1);
        });
        AMQP.Channel.Close close = channelClose(t);
        assertThat(codeAndText(close))
            .isEqualTo("406 PRECONDITION_FAILED - message size 1048577 is larger than configured max size 1048576");
        assertThat(close.getClassId()).isEqualTo(60);
        assertThat(close.getMethodId()).isEqualTo(40);
        try (Channel again = c.createChannel()) {
          assertThat(again.queueDeclarePassive(q).getMessageCount()).isZero();
        }
      }
    }

    /**
     * RabbitMQ 3.13.7 (rabbit_channel, check_msg_size) refuses any body over the configured
     * maximum with a channel error 406, however large; 4.2 closes the connection with 501 for one
     * announced over its hard limit of 512 MiB.
     */
    @Test
    void aBodyAnnouncedOverRabbitMqsHardLimitIsAChannelError406AsInRabbitMq3137() throws Exception {
      try (RawAmqp raw = RawAmqp.open(broker.port())) {
        raw.openChannel(1);
        raw.sendMethod(1, new BasicPublish("", "anything", false, false));
        raw.sendHeader(1, 536_870_913L);
        assertThat(raw.expect(ChannelClose.class)).isEqualTo(new ChannelClose(406,
            "PRECONDITION_FAILED - message size 536870913 is larger than configured max size " + MAX, 60, 40));
        raw.sendMethod(1, new ChannelCloseOk());
        raw.openChannel(1); // the connection carries on
      }
    }
  }

  @Nested
  class Small {
    @Test
    void anEmptyBodyIsDeliveredWithItsProperties() throws Exception {
      try (Connection c = broker.factory().newConnection(); Channel ch = c.createChannel()) {
        String q = ch.queueDeclare().getQueue();
        ch.basicPublish("", q, new AMQP.BasicProperties.Builder().contentType("none").build(), new byte[0]);
        GetResponse r = ch.basicGet(q, true);
        assertThat(r.getBody()).isEmpty();
        assertThat(r.getProps().getContentType()).isEqualTo("none");
      }
    }

    @Test
    void anEmptyBodyHasNoBodyFrameOnTheWire() throws Exception {
      try (RawAmqp raw = RawAmqp.open(broker.port())) {
        raw.openChannel(1);
        declare(raw, 1, "bodies-empty");
        raw.sendMethod(1, new BasicPublish("", "bodies-empty", false, false));
        raw.sendHeader(1, 0);
        raw.sendMethod(1, new BasicGet("bodies-empty", true));
        raw.expect(BasicGetOk.class);
        assertThat(raw.readFrame().type()).isEqualTo(AmqpConstants.FRAME_HEADER);
        raw.sendMethod(1, new BasicGet("bodies-empty", true));
        assertThat(raw.readMethod()).as("next frame after the header").isInstanceOf(BasicGetEmpty.class);
      }
    }

    @Test
    void aBodySplitIntoOneByteFramesIsReassembled() throws Exception {
      byte[] body = "split into ten".getBytes(java.nio.charset.StandardCharsets.UTF_8);
      try (RawAmqp raw = RawAmqp.open(broker.port())) {
        raw.openChannel(1);
        declare(raw, 1, "bodies-split");
        raw.sendMethod(1, new BasicPublish("", "bodies-split", false, false));
        raw.sendHeader(1, body.length);
        for (byte b : body) {
          raw.sendBody(1, new byte[] {b});
        }
        assertThat(rawGet(raw, 1, "bodies-split")).isEqualTo(body);
      }
    }

    @Test
    void contentOnTwoChannelsMayInterleave() throws Exception {
      try (RawAmqp raw = RawAmqp.open(broker.port())) {
        raw.openChannel(1);
        raw.openChannel(2);
        declare(raw, 1, "bodies-a");
        declare(raw, 2, "bodies-b");
        raw.sendMethod(1, new BasicPublish("", "bodies-a", false, false));
        raw.sendHeader(1, 4);
        raw.sendBody(1, new byte[] {1, 1});
        raw.sendMethod(2, new BasicPublish("", "bodies-b", false, false));
        raw.sendHeader(2, 2);
        raw.sendBody(2, new byte[] {2, 2});
        raw.sendBody(1, new byte[] {1, 1});
        assertThat(rawGet(raw, 1, "bodies-a")).containsExactly(1, 1, 1, 1);
        assertThat(rawGet(raw, 2, "bodies-b")).containsExactly(2, 2);
      }
    }
  }
}
