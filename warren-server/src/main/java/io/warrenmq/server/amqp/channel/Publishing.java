package io.warrenmq.server.amqp.channel;

import io.netty.buffer.ByteBuf;
import io.warrenmq.amqp.AmqpConstants;
import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;
import io.warrenmq.amqp.content.BasicProperties;
import io.warrenmq.amqp.content.BasicPropertiesCodec;
import io.warrenmq.amqp.content.PropertiesSummary;
import io.warrenmq.amqp.frame.BodyFrame;
import io.warrenmq.amqp.frame.Frames;
import io.warrenmq.amqp.frame.HeaderFrame;
import io.warrenmq.amqp.method.BasicPublish;
import io.warrenmq.amqp.method.BasicReturn;
import io.warrenmq.amqp.method.TxCommitOk;
import io.warrenmq.amqp.method.TxRollbackOk;
import io.warrenmq.broker.auth.Permission;
import io.warrenmq.broker.auth.Permission.Access;
import io.warrenmq.broker.auth.TopicPermission;
import io.warrenmq.broker.auth.User;
import io.warrenmq.broker.auth.Users;
import io.warrenmq.broker.exchange.Exchange;
import io.warrenmq.broker.exchange.RouteCollector;
import io.warrenmq.broker.message.Message;
import io.warrenmq.broker.queue.EnqueueResult;
import io.warrenmq.broker.queue.Queue;
import io.warrenmq.broker.queue.ReplyQueue;
import io.warrenmq.broker.vhost.PublishRules;
import io.warrenmq.broker.stats.MessageCounts;
import io.warrenmq.broker.vhost.VirtualHost;
import io.warrenmq.store.sync.Syncable;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The publishing side of a channel: basic.publish from method to routed message (write and topic
 * permissions checked here, the properties by {@link PublishRules}), mandatory returns,
 * publisher confirms and transactions (AMQP 0-9-1 basic, tx; RabbitMQ confirm.select).
 *
 * <p>Threading: confined to the connection's event loop.
 */
final class Publishing {
  /** Bit of the reply-to property in the first property-flags word (AMQP 0-9-1 4.2.6.1). */
  private static final int REPLY_TO_FLAG = 1 << 9;

  private final AmqpChannel channel;
  private final Session session;
  private final PublishAssembler assembler;
  private final RouteCollector route = new RouteCollector();
  private @Nullable ConfirmTracker confirms;
  private @Nullable TxBuffer tx;
  private @Nullable String writeChecked;
  private @Nullable Permission writeCheckedWith;
  /** The exchange the topic permission below was looked up for, and the permissions' version then. */
  private @Nullable Exchange topicExchange;
  private long topicVersion = -1;
  /** The topic permission on topicExchange, if it is a topic exchange with one; the last key it let through. */
  private @Nullable TopicPermission topicWrite;
  private @Nullable String topicKeyChecked;

  Publishing(AmqpChannel channel, Session session) {
    this.channel = channel;
    this.session = session;
    this.assembler = new PublishAssembler(channel.sink().alloc(), session.maxMessageSize());
  }

  /** A method frame arrived: it must not interrupt a message's content (505 otherwise). */
  void expectMethod() {
    assembler.expectIdle();
  }

  void method(BasicPublish m) {
    if (m.immediate()) {
      throw AmqpException.connectionError(ReplyCode.NOT_IMPLEMENTED, "immediate=true");
    }
    // the same exchange under the same permission was checked before: skip the regex (a
    // credential user, whose scopes may change on update-secret, is checked every time)
    User user = session.user();
    Permission p = user.credential() != null ? null
        : session.broker().users().permission(user.name(), session.vhost().name());
    if (p == null || p != writeCheckedWith || !m.exchange().equals(writeChecked)) {
      channel.check(Access.WRITE, "exchange", m.exchange());
      writeChecked = m.exchange();
      writeCheckedWith = p;
    }
    Exchange x = session.vhost().exchangeForPublish(m.exchange());
    checkTopicWrite(x, m.routingKey());
    assembler.method(m);
  }

  /**
   * RabbitMQ topic authorisation (rabbit_channel, check_topic_authorisation, after the write and
   * internal checks): on a topic exchange the user has a topic permission for, the routing key
   * must match its write pattern. The lookup is redone only when the exchange or the topic
   * permissions change, the regex only for a routing key other than the last one let through.
   */
  private void checkTopicWrite(Exchange x, String routingKey) {
    Users users = session.broker().users();
    User user = session.user();
    if (user.credential() != null) {
      users.checkTopicAccess(user, session.vhost().name(), x.type(), x.name(), Access.WRITE, routingKey);
      return;
    }
    long version = users.topicPermissions().version();
    if (x != topicExchange || version != topicVersion) {
      topicExchange = x;
      topicVersion = version;
      topicWrite = users.topicPermission(session.user(), session.vhost().name(), x.type(), x.name());
      topicKeyChecked = null;
    }
    TopicPermission p = topicWrite;
    if (p != null && !routingKey.equals(topicKeyChecked)) {
      Users.checkTopic(p, session.user(), session.vhost().name(), Access.WRITE, routingKey);
      topicKeyChecked = routingKey;
    }
  }

  void header(HeaderFrame h) {
    PublishAssembler.Complete c = assembler.header(h);
    if (c != null) {
      complete(c);
    }
  }

  void body(BodyFrame b) {
    PublishAssembler.Complete c = assembler.body(b);
    if (c != null) {
      complete(c);
    }
  }

  private void complete(PublishAssembler.Complete c) {
    try {
      if (tx != null) {
        validate(c.header().properties());
        tx.publish(c.method(), c.header().properties(), c.body());
      } else {
        publish(c.method(), c.header().properties(), c.body(), null);
      }
    } catch (AmqpException e) {
      // the frame that completed the message is a header or body: the error is basic.publish's
      throw e.classId() == 0 ? e.withMethod(AmqpConstants.CLASS_BASIC, BasicPublish.METHOD_ID) : e;
    } finally {
      c.release();
    }
  }

  /**
   * Routes and stores one message (buffers borrowed). Persistent messages stored in durable
   * queues add those queues to the confirm batch, or to {@code txTargets} during a commit.
   */
  private void publish(BasicPublish m, ByteBuf props, ByteBuf body, @Nullable Set<Syncable> txTargets) {
    VirtualHost vh = session.vhost();
    Exchange x = vh.exchangeForPublish(m.exchange());
    PropertiesSummary summary = validate(props);
    ByteBuf replyProps = directReplyTo(props);
    if (replyProps != null) {
      props = replyProps;
      summary = BasicPropertiesCodec.summarize(props);
    }
    Message msg = new Message(m.exchange(), m.routingKey(), props, summary, body, System.currentTimeMillis());
    try {
      vh.route(x, msg, route);
      channel.trace().published(msg, route.queues());
      ConfirmTracker ct = confirms;
      long seq = ct == null ? 0 : ct.next();
      counted(x, ct != null, m.mandatory());
      boolean rejected = false;
      Queue behind = null;
      for (Queue q : route.queues()) {
        EnqueueResult r = q.publish(msg);
        if (q.flow().behind()) {
          behind = q;
        }
        if (r == EnqueueResult.STORED_DURABLE) {
          if (ct != null) {
            ct.needSync(q.syncTarget());
          }
          if (txTargets != null) {
            txTargets.add(q.syncTarget());
          }
        } else if (r == EnqueueResult.REJECTED) {
          rejected = true;
        }
      }
      if (behind != null) {
        session.publishedToBehindQueue(behind);
      }
      if (route.isEmpty() && m.mandatory()) {
        // as RabbitMQ returns it (mc:protocol_state): without BCC, x-death interpreted
        sendReturn(m, msg.storedProperties(), body);
      }
      if (rejected && ct != null) {
        ct.nack(seq);
      }
    } finally {
      msg.release();
      if (replyProps != null) {
        replyProps.release();
      }
    }
  }

  /**
   * Counts a routed publish as RabbitMQ does (rabbit_channel deliver_to_queues and
   * process_routing_mandatory): the channel's publish, return_unroutable or drop_unroutable, the
   * exchange's publish_in and publish_out (one per queue routed to; the queues count their own).
   */
  private void counted(Exchange x, boolean confirming, boolean mandatory) {
    MessageCounts counts = channel.counts();
    int queues = route.queues().size();
    counts.add(MessageCounts.PUBLISH);
    counts.add(MessageCounts.ROUTED, queues);
    if (confirming) {
      counts.add(MessageCounts.RECEIVED_CONFIRM);
    }
    if (queues == 0) {
      counts.add(mandatory ? MessageCounts.RETURN_UNROUTABLE : MessageCounts.DROP_UNROUTABLE);
    }
    x.countsForPublish().published(queues);
  }

  /**
   * Direct reply-to: a reply-to of "amq.rabbitmq.reply-to" becomes the channel's private reply
   * queue name (re-encoded properties the caller releases), or 406 if the channel has no reply
   * consumer. Null when nothing changes.
   */
  private @Nullable ByteBuf directReplyTo(ByteBuf props) {
    if (props.readableBytes() < 2 || (props.getUnsignedShort(props.readerIndex()) & REPLY_TO_FLAG) == 0) {
      return null;
    }
    BasicProperties p = BasicPropertiesCodec.decode(props);
    if (!ReplyQueue.PSEUDO_QUEUE.equals(p.replyTo())) {
      return null;
    }
    ReplyQueue rq = channel.consuming().replyQueue();
    if (rq == null) {
      throw AmqpException.channelError(ReplyCode.PRECONDITION_FAILED, "fast reply consumer does not exist");
    }
    ByteBuf out = channel.sink().alloc().buffer(props.readableBytes() + 64);
    BasicPropertiesCodec.encode(out, p.withReplyTo(rq.name()));
    return out;
  }

  /** RabbitMQ's checks on a published message (user-id, expiration, CC/BCC): {@link PublishRules}. */
  private PropertiesSummary validate(ByteBuf props) {
    return PublishRules.validate(props, session.user());
  }

  /** basic.return 312 NO_ROUTE with the message's content (AMQP 0-9-1 basic.publish mandatory). */
  private void sendReturn(BasicPublish m, ByteBuf props, ByteBuf body) {
    FrameSink sink = channel.sink();
    ByteBuf out = sink.alloc().buffer(128 + props.readableBytes() + body.readableBytes());
    Frames.writeMethod(out, channel.number(),
        new BasicReturn(ReplyCode.NO_ROUTE.code(), "NO_ROUTE", m.exchange(), m.routingKey()));
    channel.writeContent(out, props, body);
    sink.write(out);
  }

  void selectConfirms() {
    if (tx != null) {
      throw AmqpException.channelError(ReplyCode.PRECONDITION_FAILED, "cannot switch from tx to confirm mode");
    }
    if (confirms == null) {
      FrameSink sink = channel.sink();
      confirms = new ConfirmTracker(channel.number(), sink, session.broker().committer(),
          () -> sink.markDirty(channel), channel.counts());
    }
  }

  void selectTx() {
    if (confirms != null) {
      throw AmqpException.channelError(ReplyCode.PRECONDITION_FAILED, "cannot switch from confirm to tx mode");
    }
    if (tx == null) {
      tx = new TxBuffer();
    }
  }

  /**
   * tx.commit: the buffered publishes are routed and the acknowledgements applied, in order; the
   * commit-ok waits until the persistent messages are on disk.
   */
  void commit() {
    TxBuffer t = requireTx();
    Set<Syncable> targets = Collections.newSetFromMap(new IdentityHashMap<>());
    try {
      // as RabbitMQ: the publishes first, then the acknowledgements
      for (TxBuffer.Publish p : t.publishes()) {
        publish(p.method(), p.properties(), p.body(), targets);
      }
    } finally {
      t.clear();
    }
    channel.consuming().commitHeld();
    if (targets.isEmpty()) {
      channel.reply(new TxCommitOk());
      return;
    }
    channel.suspend();
    FrameSink sink = channel.sink();
    int[] remaining = {targets.size()};
    for (Syncable target : targets) {
      session.broker().committer().submit(
          target,
          () -> sink.executor().execute(() -> {
            if (--remaining[0] == 0) {
              channel.resume(new TxCommitOk());
            }
          }),
          e -> sink.executor().execute(() -> sink.fail(e)));
    }
  }

  void rollback() {
    requireTx().clear();
    channel.consuming().rollbackHeld();
    channel.reply(new TxRollbackOk());
  }

  boolean transactional() {
    return tx != null;
  }

  boolean confirmMode() {
    return confirms != null;
  }

  /** Publishes awaiting their confirm; for listings, from any thread. */
  long unconfirmedCount() {
    ConfirmTracker c = confirms;
    return c == null ? 0 : c.unconfirmed();
  }

  /** Publishes of the open transaction; for listings, from any thread. */
  int uncommittedCount() {
    TxBuffer t = tx;
    return t == null ? 0 : t.size();
  }

  TxBuffer requireTx() {
    TxBuffer t = tx;
    if (t == null) {
      throw AmqpException.channelError(ReplyCode.PRECONDITION_FAILED, "channel is not transactional");
    }
    return t;
  }

  /** End of a read batch. */
  void flushConfirms() {
    if (confirms != null) {
      confirms.flushBatch();
    }
  }

  /** The channel is closing. */
  void release() {
    assembler.reset();
    if (confirms != null) {
      confirms.close();
    }
    if (tx != null) {
      tx.clear();
    }
  }
}
