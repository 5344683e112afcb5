package io.warrenmq.it.errors;

import static io.warrenmq.it.support.CloseReasons.channelClose;
import static io.warrenmq.it.support.CloseReasons.codeAndText;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.warrenmq.broker.auth.Permission;
import io.warrenmq.it.support.BrokerExtension;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Soft errors: the broker closes only the channel, with the code and RabbitMQ's text, and names
 * the failing method; the connection and its other channels carry on.
 */
class ChannelErrorsIT {
  @RegisterExtension static final BrokerExtension broker = new BrokerExtension();

  static Connection conn;
  static Channel bystander;

  @BeforeAll
  static void connect() throws Exception {
    conn = broker.factory().newConnection();
    bystander = conn.createChannel();
  }

  @AfterAll
  static void disconnect() throws Exception {
    conn.close();
  }

  /** After every soft error the connection and the other channel still work. */
  @AfterEach
  void theConnectionAndItsOtherChannelsCarryOn() throws Exception {
    assertThat(conn.isOpen()).isTrue();
    assertThat(bystander.isOpen()).isTrue();
    String q = bystander.queueDeclare().getQueue();
    bystander.basicPublish("", q, null, "ok".getBytes(StandardCharsets.UTF_8));
    assertThat(bystander.basicGet(q, true).getBody()).asString(StandardCharsets.UTF_8).isEqualTo("ok");
  }

  interface ChannelOp {
    void run(Channel ch) throws Exception;
  }

  /** Runs {@code op} on a fresh channel of the shared connection; returns the channel.close. */
  static AMQP.Channel.Close softError(ChannelOp op) throws Exception {
    return softError(conn, op);
  }

  static AMQP.Channel.Close softError(Connection c, ChannelOp op) throws Exception {
    Channel ch = c.createChannel();
    Throwable t = catchThrowable(() -> {
      op.run(ch);
      ch.basicQos(1); // a round trip, so an asynchronous error (publish, ack) surfaces here
    });
    assertThat(ch.isOpen()).isFalse();
    return channelClose(t);
  }

  @Nested
  class AccessRefused {
    @Test
    void declaringAnExchangeWithTheAmqPrefixIs403() throws Exception {
      AMQP.Channel.Close close = softError(ch -> ch.exchangeDeclare("amq.mine", BuiltinExchangeType.DIRECT));
      assertThat(codeAndText(close))
          .isEqualTo("403 ACCESS_REFUSED - exchange name 'amq.mine' contains reserved prefix 'amq.*'");
      assertThat(close.getClassId()).isEqualTo(40);
      assertThat(close.getMethodId()).isEqualTo(10);
    }

    @Test
    void declaringAQueueWithTheAmqPrefixIs403() throws Exception {
      AMQP.Channel.Close close = softError(ch -> ch.queueDeclare("amq.mine", false, false, true, null));
      assertThat(codeAndText(close))
          .isEqualTo("403 ACCESS_REFUSED - queue name 'amq.mine' contains reserved prefix 'amq.*'");
      assertThat(close.getClassId()).isEqualTo(50);
      assertThat(close.getMethodId()).isEqualTo(10);
    }

    @Test
    void redeclaringABuiltInAmqExchangeIsFine() throws Exception {
      try (Channel ch = conn.createChannel()) {
        ch.exchangeDeclare("amq.direct", BuiltinExchangeType.DIRECT, true);
        ch.exchangeDeclarePassive("amq.topic");
      }
    }

    @Test
    void deletingTheDefaultExchangeIs403() throws Exception {
      assertThat(codeAndText(softError(ch -> ch.exchangeDelete(""))))
          .isEqualTo("403 ACCESS_REFUSED - operation not permitted on the default exchange");
    }

    @Test
    void declaringTheDefaultExchangeIs403() throws Exception {
      assertThat(codeAndText(softError(ch -> ch.exchangeDeclare("", BuiltinExchangeType.DIRECT))))
          .isEqualTo("403 ACCESS_REFUSED - operation not permitted on the default exchange");
    }

    @Test
    void bindingAQueueToTheDefaultExchangeIs403() throws Exception {
      assertThat(codeAndText(softError(ch -> {
        String q = ch.queueDeclare().getQueue();
        ch.queueBind(q, "", "key");
      }))).isEqualTo("403 ACCESS_REFUSED - operation not permitted on the default exchange");
    }

    @Test
    void deletingABuiltInAmqExchangeIs403() throws Exception {
      assertThat(codeAndText(softError(ch -> ch.exchangeDelete("amq.direct"))))
          .isEqualTo("403 ACCESS_REFUSED - deletion of system exchange 'amq.direct' in vhost '/' not allowed");
    }

    @Test
    void publishingToAnInternalExchangeIs403() throws Exception {
      try (Channel ch = conn.createChannel()) {
        ch.exchangeDeclare("errors-internal", BuiltinExchangeType.FANOUT, false, true, true, null);
      }
      AMQP.Channel.Close close = softError(ch -> ch.basicPublish("errors-internal", "", null, new byte[1]));
      assertThat(codeAndText(close))
          .isEqualTo("403 ACCESS_REFUSED - cannot publish to internal exchange 'errors-internal' in vhost '/'");
      assertThat(close.getClassId()).isEqualTo(60);
      assertThat(close.getMethodId()).isEqualTo(40);
    }
  }

  @Nested
  class Permissions {
    static Connection limited;

    @BeforeAll
    static void limitedUser() throws Exception {
      var b = broker.server().broker();
      b.addUser("limited", "pw", List.of());
      // configure and read only on lim-* names, write on lim-* exchanges and queues
      b.setPermission("limited", "/", new Permission("^lim-", "^lim-", "^lim-"));
      try (Channel ch = conn.createChannel()) {
        ch.queueDeclare("other-queue", false, false, false, null);
        ch.queueDeclare("lim-queue", false, false, false, null);
      }
      ConnectionFactory f = broker.factory();
      f.setUsername("limited");
      f.setPassword("pw");
      limited = f.newConnection();
    }

    @AfterAll
    static void closeLimited() throws Exception {
      limited.close();
    }

    @Test
    void declaringAQueueWithoutConfigurePermissionIs403() throws Exception {
      assertThat(codeAndText(softError(limited, ch -> ch.queueDeclare("mine", false, false, true, null))))
          .isEqualTo("403 ACCESS_REFUSED - configure access to queue 'mine' in vhost '/' refused for user 'limited'");
    }

    @Test
    void publishingWithoutWritePermissionIs403() throws Exception {
      assertThat(codeAndText(softError(limited, ch -> ch.basicPublish("amq.direct", "k", null, new byte[1]))))
          .isEqualTo("403 ACCESS_REFUSED - write access to exchange 'amq.direct' in vhost '/' refused for user"
              + " 'limited'");
    }

    @Test
    void publishingToTheDefaultExchangeChecksItAsAmqDefault() throws Exception {
      assertThat(codeAndText(softError(limited, ch -> ch.basicPublish("", "lim-queue", null, new byte[1]))))
          .isEqualTo("403 ACCESS_REFUSED - write access to exchange 'amq.default' in vhost '/' refused for user"
              + " 'limited'");
    }

    @Test
    void gettingWithoutReadPermissionIs403() throws Exception {
      assertThat(codeAndText(softError(limited, ch -> ch.basicGet("other-queue", true))))
          .isEqualTo("403 ACCESS_REFUSED - read access to queue 'other-queue' in vhost '/' refused for user"
              + " 'limited'");
    }

    @Test
    void aPassiveDeclareWithoutAnyPermissionIs403NamingConfigure() throws Exception {
      assertThat(codeAndText(softError(limited, ch -> ch.queueDeclarePassive("other-queue"))))
          .isEqualTo("403 ACCESS_REFUSED - configure access to queue 'other-queue' in vhost '/' refused for user"
              + " 'limited'");
    }

    @Test
    void whatIsPermittedWorks() throws Exception {
      try (Channel ch = limited.createChannel()) {
        ch.queueDeclarePassive("lim-queue");
        assertThat(ch.basicGet("lim-queue", true)).isNull();
      }
    }
  }

  @Nested
  class NotFound {
    @Test
    void publishingToAMissingExchangeIs404() throws Exception {
      AMQP.Channel.Close close = softError(ch -> ch.basicPublish("no-such-exchange", "k", null, new byte[1]));
      assertThat(codeAndText(close)).isEqualTo("404 NOT_FOUND - no exchange 'no-such-exchange' in vhost '/'");
      assertThat(close.getClassId()).isEqualTo(60);
      assertThat(close.getMethodId()).isEqualTo(40);
    }

    @Test
    void aPassiveDeclareOfAMissingQueueIs404() throws Exception {
      assertThat(codeAndText(softError(ch -> ch.queueDeclarePassive("no-such-queue"))))
          .isEqualTo("404 NOT_FOUND - no queue 'no-such-queue' in vhost '/'");
    }

    @Test
    void aPassiveDeclareOfAMissingExchangeIs404() throws Exception {
      assertThat(codeAndText(softError(ch -> ch.exchangeDeclarePassive("no-such-exchange"))))
          .isEqualTo("404 NOT_FOUND - no exchange 'no-such-exchange' in vhost '/'");
    }

    @Test
    void bindingAMissingQueueIs404() throws Exception {
      assertThat(codeAndText(softError(ch -> ch.queueBind("no-such-queue", "amq.direct", "k"))))
          .isEqualTo("404 NOT_FOUND - no queue 'no-such-queue' in vhost '/'");
    }

    @Test
    void bindingToAMissingExchangeIs404() throws Exception {
      assertThat(codeAndText(softError(ch -> {
        String q = ch.queueDeclare().getQueue();
        ch.queueBind(q, "no-such-exchange", "k");
      }))).isEqualTo("404 NOT_FOUND - no exchange 'no-such-exchange' in vhost '/'");
    }

    @Test
    void consumingFromAMissingQueueIs404() throws Exception {
      assertThat(codeAndText(softError(ch -> ch.basicConsume("no-such-queue", true, (t, d) -> { }, t -> { }))))
          .isEqualTo("404 NOT_FOUND - no queue 'no-such-queue' in vhost '/'");
    }
  }

  @Nested
  class ResourceLocked {
    private static final String LOCKED_TEXT = "405 RESOURCE_LOCKED - cannot obtain exclusive access to locked"
        + " queue 'errors-exclusive' in vhost '/'. It could be originally declared on another connection or"
        + " the exclusive property value does not match that of the original declaration.";

    @Test
    void anotherConnectionCannotUseAnExclusiveQueue() throws Exception {
      try (Connection owner = broker.factory().newConnection(); Channel och = owner.createChannel()) {
        och.queueDeclare("errors-exclusive", false, true, false, null);
        assertThat(codeAndText(softError(ch -> ch.basicConsume("errors-exclusive", true, (t, d) -> { }, t -> { }))))
            .isEqualTo(LOCKED_TEXT);
        assertThat(codeAndText(softError(ch -> ch.queueDeclare("errors-exclusive", false, true, false, null))))
            .isEqualTo(LOCKED_TEXT);
        assertThat(codeAndText(softError(ch -> ch.queueDeclarePassive("errors-exclusive"))))
            .isEqualTo(LOCKED_TEXT);
        assertThat(codeAndText(softError(ch -> ch.queueDelete("errors-exclusive"))))
            .isEqualTo(LOCKED_TEXT);
      }
    }
  }

  @Nested
  class PreconditionFailed {
    @Test
    void ackingAnUnknownDeliveryTagIs406() throws Exception {
      AMQP.Channel.Close close = softError(ch -> ch.basicAck(42, false));
      assertThat(codeAndText(close)).isEqualTo("406 PRECONDITION_FAILED - unknown delivery tag 42");
      assertThat(close.getClassId()).isEqualTo(60);
      assertThat(close.getMethodId()).isEqualTo(80);
    }

    @Test
    void ackingTheSameDeliveryTwiceIs406() throws Exception {
      assertThat(codeAndText(softError(ch -> {
        String q = ch.queueDeclare().getQueue();
        ch.basicPublish("", q, null, new byte[1]);
        long tag = ch.basicGet(q, false).getEnvelope().getDeliveryTag();
        ch.basicAck(tag, false);
        ch.basicAck(tag, false);
      }))).isEqualTo("406 PRECONDITION_FAILED - unknown delivery tag 1");
    }

    @Test
    void rejectingAnUnknownDeliveryTagIs406() throws Exception {
      assertThat(codeAndText(softError(ch -> ch.basicReject(7, true))))
          .isEqualTo("406 PRECONDITION_FAILED - unknown delivery tag 7");
    }

    @Test
    void redeclaringAQueueWithAnotherDurabilityIs406() throws Exception {
      try (Channel ch = conn.createChannel()) {
        ch.queueDeclare("errors-durable", false, false, true, null);
      }
      assertThat(codeAndText(softError(ch -> ch.queueDeclare("errors-durable", true, false, true, null))))
          .isEqualTo("406 PRECONDITION_FAILED - inequivalent arg 'durable' for queue 'errors-durable' in vhost"
              + " '/': received 'true' but current is 'false'");
    }

    @Test
    void redeclaringAnExchangeWithAnotherTypeIs406() throws Exception {
      try (Channel ch = conn.createChannel()) {
        ch.exchangeDeclare("errors-type", BuiltinExchangeType.DIRECT, false, true, null);
      }
      assertThat(codeAndText(softError(ch -> ch.exchangeDeclare("errors-type", BuiltinExchangeType.FANOUT, false,
          true, null))))
          .isEqualTo("406 PRECONDITION_FAILED - inequivalent arg 'type' for exchange 'errors-type' in vhost '/':"
              + " received 'fanout' but current is 'direct'");
    }

    @Test
    void aNegativeMaxLengthIs406() throws Exception {
      assertThat(codeAndText(softError(ch -> ch.queueDeclare("errors-args", false, false, true,
          Map.of("x-max-length", -1)))))
          .isEqualTo("406 PRECONDITION_FAILED - invalid arg 'x-max-length' for queue 'errors-args' in vhost '/':"
              + " {value_negative,-1}");
    }

    @Test
    void aStringMessageTtlIs406WithRabbitMqsQuotedTypeError() throws Exception {
      assertThat(codeAndText(softError(ch -> ch.queueDeclare("errors-args", false, false, true,
          Map.of("x-message-ttl", "soon")))))
          .isEqualTo("406 PRECONDITION_FAILED - invalid arg 'x-message-ttl' for queue 'errors-args' in vhost '/':"
              + " \"expected integer, got longstr\"");
    }
  }
}
