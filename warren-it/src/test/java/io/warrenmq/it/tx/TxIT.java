package io.warrenmq.it.tx;

import static io.warrenmq.it.support.Messaging.bytes;
import static io.warrenmq.it.support.Messaging.channelCloseOf;
import static io.warrenmq.it.support.Messaging.drain;
import static io.warrenmq.it.support.Messaging.take;
import static io.warrenmq.it.support.Messaging.text;
import static io.warrenmq.it.support.Messaging.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import io.warrenmq.it.support.BrokerExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * AMQP transactions (class tx): publishes and acknowledgements of a transactional channel take
 * effect at tx.commit and are dropped by tx.rollback.
 */
class TxIT {
  @RegisterExtension static final BrokerExtension broker = new BrokerExtension();

  Connection conn;
  Channel ch;
  Channel observer;

  @BeforeEach
  void open() throws Exception {
    conn = broker.factory().newConnection();
    ch = conn.createChannel();
    observer = conn.createChannel();
  }

  @AfterEach
  void close() {
    conn.abort();
  }

  String queueWith(int messages) throws Exception {
    String q = unique("q");
    observer.queueDeclare(q, false, false, false, null);
    for (int i = 1; i <= messages; i++) {
      observer.basicPublish("", q, null, bytes("m" + i));
    }
    return q;
  }

  List<Long> getUnacked(String q, int n) throws Exception {
    List<Long> tags = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      tags.add(ch.basicGet(q, false).getEnvelope().getDeliveryTag());
    }
    return tags;
  }

  @Nested
  class Publishing {
    @Test
    void publishesAreInvisibleUntilCommit() throws Exception {
      String q = queueWith(0);
      ch.txSelect();
      for (int i = 1; i <= 3; i++) {
        ch.basicPublish("", q, null, bytes("t" + i));
      }
      ch.queueDeclarePassive(q); // the publishes were handled before this
      assertThat(observer.messageCount(q)).isZero();
      ch.txCommit();
      assertThat(drain(observer, q)).containsExactly("t1", "t2", "t3");
    }

    @Test
    void rollbackDropsThePublishes() throws Exception {
      String q = queueWith(0);
      ch.txSelect();
      ch.basicPublish("", q, null, bytes("dropped"));
      ch.txRollback();
      ch.basicPublish("", q, null, bytes("kept"));
      ch.txCommit();
      assertThat(drain(observer, q)).containsExactly("kept");
    }

    @Test
    void persistentPublishesToADurableQueueAreThereAfterCommit() throws Exception {
      String q = unique("durable-q");
      observer.queueDeclare(q, true, false, false, null);
      ch.txSelect();
      for (int i = 0; i < 10; i++) {
        ch.basicPublish("", q, MessageProperties.PERSISTENT_TEXT_PLAIN, bytes("p" + i));
      }
      ch.txCommit();
      assertThat(observer.messageCount(q)).isEqualTo(10);
      observer.queueDelete(q);
    }

    @Test
    void everyCommitStartsANewTransaction() throws Exception {
      String q = queueWith(0);
      ch.txSelect();
      ch.basicPublish("", q, null, bytes("first"));
      ch.txCommit();
      ch.basicPublish("", q, null, bytes("second"));
      ch.queueDeclarePassive(q);
      assertThat(drain(observer, q)).containsExactly("first");
      ch.txCommit();
      assertThat(drain(observer, q)).containsExactly("second");
    }

    @Test
    void closingTheChannelDropsTheUncommittedPublishes() throws Exception {
      String q = queueWith(0);
      ch.txSelect();
      ch.basicPublish("", q, null, bytes("lost"));
      ch.close();
      assertThat(drain(observer, q)).isEmpty();
    }

    @Test
    void anUnroutableMandatoryPublishIsReturnedAtCommit() throws Exception {
      LinkedBlockingQueue<String> returns = new LinkedBlockingQueue<>();
      ch.addReturnListener(r -> returns.add(r.getReplyText() + " " + text(r.getBody())));
      ch.txSelect();
      ch.basicPublish("amq.direct", unique("nowhere"), true, null, bytes("back"));
      ch.queueDeclare(); // the publish was handled before this
      assertThat(returns).isEmpty();
      ch.txCommit();
      assertThat(returns.poll(10, TimeUnit.SECONDS)).isEqualTo("NO_ROUTE back");
    }

    @Test
    void anEmptyCommitAndRollbackSucceed() throws Exception {
      ch.txSelect();
      ch.txCommit();
      ch.txRollback();
      ch.txSelect();
      assertThat(ch.isOpen()).isTrue();
    }
  }

  @Nested
  class Acknowledging {
    @Test
    void acksTakeEffectAtCommit() throws Exception {
      String q = queueWith(3);
      ch.txSelect();
      List<Long> tags = getUnacked(q, 3);
      ch.basicAck(tags.get(1), true);
      ch.txCommit();
      ch.close();
      List<String> left = new ArrayList<>();
      GetResponse r;
      while ((r = observer.basicGet(q, true)) != null) {
        left.add(text(r.getBody()));
      }
      assertThat(left).containsExactly("m3");
    }

    @Test
    void rolledBackAcksLeaveTheMessagesUnacked() throws Exception {
      String q = queueWith(2);
      ch.txSelect();
      List<Long> tags = getUnacked(q, 2);
      ch.basicAck(tags.get(0), false);
      ch.basicAck(tags.get(1), false);
      ch.txRollback();
      assertThat(observer.messageCount(q)).isZero();
      ch.close();
      assertThat(drain(observer, q)).containsExactly("m1", "m2");
    }

    @Test
    void aRolledBackAckMayBeSentAgain() throws Exception {
      String q = queueWith(1);
      ch.txSelect();
      long tag = getUnacked(q, 1).get(0);
      ch.basicAck(tag, false);
      ch.txRollback();
      ch.basicAck(tag, false);
      ch.txCommit();
      ch.close();
      assertThat(drain(observer, q)).isEmpty();
    }

    @Test
    void aNackWithRequeueTakesEffectAtCommit() throws Exception {
      String q = queueWith(1);
      ch.txSelect();
      long tag = getUnacked(q, 1).get(0);
      ch.basicNack(tag, false, true);
      ch.queueDeclarePassive(q);
      assertThat(observer.messageCount(q)).isZero();
      ch.txCommit();
      io.warrenmq.it.support.Eventually.eventually("the nacked message is ready again", () -> {
        try {
          return observer.messageCount(q) == 1;
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
    }

    @Test
    void aRejectWithoutRequeueDropsTheMessageAtCommit() throws Exception {
      String q = queueWith(2);
      ch.txSelect();
      List<Long> tags = getUnacked(q, 2);
      ch.basicReject(tags.get(0), false);
      ch.basicNack(tags.get(1), false, true);
      ch.txCommit();
      io.warrenmq.it.support.Eventually.eventually("m2 is ready again", () -> {
        try {
          return observer.messageCount(q) == 1;
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      ch.close();
      assertThat(drain(observer, q)).containsExactly("m2");
    }

    @Test
    void consumerAcksInATransactionReleasePrefetchOnlyAtCommit() throws Exception {
      String q = queueWith(3);
      ch.txSelect();
      ch.basicQos(1);
      LinkedBlockingQueue<Delivery> got = new LinkedBlockingQueue<>();
      ch.basicConsume(q, false, (t, d) -> got.add(d), t -> { });
      Delivery first = take(got, 1).get(0);
      ch.basicAck(first.getEnvelope().getDeliveryTag(), false);
      ch.queueDeclarePassive(q);
      assertThat(observer.messageCount(q)).isEqualTo(2);
      ch.txCommit();
      assertThat(text(take(got, 1).get(0).getBody())).isEqualTo("m2");
    }

    @Test
    void recoverLeavesTheAcksCollectedByTheTransaction() throws Exception {
      String q = queueWith(2);
      ch.txSelect();
      List<Long> tags = getUnacked(q, 2);
      ch.basicAck(tags.get(0), false);
      ch.basicRecover(true);
      io.warrenmq.it.support.Eventually.eventually("m2 is ready again", () -> {
        try {
          return observer.messageCount(q) == 1;
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      assertThat(drain(observer, q)).containsExactly("m2");
      ch.txCommit();
      ch.close();
      assertThat(drain(observer, q)).isEmpty();
    }

    @Test
    void anUnknownTagInATransactionIs406() {
      assertThat(channelCloseOf(() -> {
        ch.txSelect();
        ch.basicAck(99, false);
        ch.txCommit();
      })).isEqualTo("406 PRECONDITION_FAILED - unknown delivery tag 99");
    }

    @Test
    void ackingATagTwiceInOneTransactionIs406AndCommitsNothing() throws Exception {
      String q = queueWith(1);
      ch.txSelect();
      long tag = getUnacked(q, 1).get(0);
      ch.basicPublish("", q, null, bytes("uncommitted"));
      ch.basicAck(tag, false);
      assertThat(channelCloseOf(() -> {
        ch.basicAck(tag, false);
        ch.txCommit();
      })).isEqualTo("406 PRECONDITION_FAILED - unknown delivery tag " + tag);
      io.warrenmq.it.support.Eventually.eventually("m1 requeued", () -> {
        try {
          return observer.messageCount(q) == 1;
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      assertThat(drain(observer, q)).containsExactly("m1");
    }
  }

  @Nested
  class Errors {
    @Test
    void commitOnANonTransactionalChannelIs406() {
      assertThat(channelCloseOf(() -> ch.txCommit()))
          .isEqualTo("406 PRECONDITION_FAILED - channel is not transactional");
    }

    @Test
    void rollbackOnANonTransactionalChannelIs406() {
      assertThat(channelCloseOf(() -> ch.txRollback()))
          .isEqualTo("406 PRECONDITION_FAILED - channel is not transactional");
    }
  }
}
