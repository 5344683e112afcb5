package io.warrenmq.server.amqp.channel;

import io.netty.buffer.ByteBuf;
import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;
import io.warrenmq.amqp.frame.Frames;
import io.warrenmq.amqp.method.BasicCancel;
import io.warrenmq.amqp.method.BasicCancelOk;
import io.warrenmq.amqp.method.BasicConsume;
import io.warrenmq.amqp.method.BasicConsumeOk;
import io.warrenmq.amqp.method.BasicGet;
import io.warrenmq.amqp.method.BasicGetEmpty;
import io.warrenmq.amqp.method.BasicGetOk;
import io.warrenmq.amqp.method.BasicQos;
import io.warrenmq.amqp.method.BasicQosOk;
import io.warrenmq.amqp.method.BasicRecoverOk;
import io.warrenmq.broker.auth.Permission.Access;
import io.warrenmq.broker.consumer.ChannelCredit;
import io.warrenmq.broker.consumer.Consumer;
import io.warrenmq.broker.consumer.Delivery;
import io.warrenmq.broker.message.Envelope;
import io.warrenmq.broker.queue.Queue;
import io.warrenmq.broker.queue.RemoteQueue;
import io.warrenmq.broker.queue.ReplyQueue;
import io.warrenmq.broker.stats.MessageCounts;
import org.jspecify.annotations.Nullable;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The consuming side of a channel: basic.consume/cancel/get/qos/recover and acknowledgements
 * (basic.ack, nack, reject), with the unacked-delivery tracker and prefetch credit; {@link
 * ConsumerTimeouts} takes back what a consumer holds too long.
 *
 * <p>Threading: confined to the connection's event loop.
 */
final class Consuming {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final AmqpChannel channel;
  private final Session session;
  private final ConsumerSink sink;
  private final Map<String, Consumer> consumers = new LinkedHashMap<>();
  /** The consumers as an array for {@link #resumeDispatch}; null after a change of {@link #consumers}. */
  private Consumer @Nullable [] resumeOrder;
  private final UnackedTracker unacked = new UnackedTracker();
  private final Settlement settlement;
  private final ChannelCredit credit = new ChannelCredit();
  private int consumerPrefetch;
  private long deliveryTag;
  private @Nullable ReplyQueue replyQueue;
  private final ConsumerTimeouts timeouts;

  Consuming(AmqpChannel channel, Session session, ConsumerSink sink) {
    this.channel = channel;
    this.session = session;
    this.sink = sink;
    this.settlement = new Settlement(channel);
    this.timeouts = new ConsumerTimeouts(channel, session, this, unacked, settlement);
  }

  int consumerCount() {
    return consumers.size();
  }

  /**
   * For listings, from any thread (possibly stale): deliveries awaiting acknowledgement; those a
   * transaction acknowledged count as its uncommitted acks instead, as in RabbitMQ.
   */
  int unackedCount() {
    return unacked.size() - unacked.heldCount();
  }

  /** For listings: acknowledgements held by the open transaction. */
  int acksUncommitted() {
    return unacked.heldCount();
  }

  /** For listings: the prefetch count of new consumers (basic.qos global=false). */
  int consumerPrefetch() {
    return consumerPrefetch;
  }

  /** For listings: the channel-wide prefetch limit (basic.qos global=true). */
  int globalPrefetch() {
    return credit.limit();
  }

  void consume(BasicConsume m) {
    String queueName = channel.topology().expandQueue(m.queue());
    String tag = m.consumerTag().isEmpty() ? generateTag() : m.consumerTag();
    if (consumers.containsKey(tag)) {
      throw AmqpException.connectionError(ReplyCode.NOT_ALLOWED, "attempt to reuse consumer tag '%s'", tag);
    }
    int max = session.consumersPerChannel();
    if (consumers.size() >= max) {
      throw AmqpException.connectionError(
          ReplyCode.NOT_ALLOWED, "reached maximum (%d) of consumers per channel", max);
    }
    if (queueName.equals(ReplyQueue.PSEUDO_QUEUE)) {
      consumeReplies(m, tag);
      return;
    }
    channel.check(Access.READ, "queue", queueName);
    Queue q = session.vhost().queueOrDie(queueName, session.owner());
    Consumer c = new Consumer(tag, q, sink, m.noAck(), m.exclusive(), consumerPrefetch, credit,
        m.arguments(), ConsumeArguments.priority(m, q), session.owner());
    c.setTimeoutMs(ConsumeArguments.timeout(m, q, session.broker().policies()));
    consumers.put(tag, c);
    resumeOrder = null;
    try {
      q.addConsumer(c);
    } catch (RuntimeException e) {
      consumers.remove(tag);
      throw e;
    }
    channel.reply(m.nowait() ? null : new BasicConsumeOk(tag));
    timeouts.consumerAdded(c);
  }

  /** The registered consumers (a live view, for {@link ConsumerTimeouts}). */
  Collection<Consumer> registered() {
    return consumers.values();
  }

  /**
   * {@code c} timed out: it is forgotten and, if it was still registered (the client had not
   * cancelled it), detached from its queue. Returns whether it was registered.
   */
  boolean dropTimedOut(Consumer c) {
    boolean registered = consumers.remove(c.tag(), c);
    resumeOrder = null;
    if (registered) {
      detach(c);
    }
    return registered;
  }

  /** Direct reply-to: a no-ack consumer on amq.rabbitmq.reply-to gets a private reply queue. */
  private void consumeReplies(BasicConsume m, String tag) {
    if (replyQueue != null) {
      throw AmqpException.channelError(ReplyCode.PRECONDITION_FAILED, "reply consumer already set");
    }
    if (!m.noAck()) {
      throw AmqpException.channelError(ReplyCode.PRECONDITION_FAILED, "reply consumer cannot acknowledge");
    }
    ReplyQueue rq = session.vhost().createReplyQueue();
    Consumer c = new Consumer(tag, rq, sink, true, false, 0, credit, m.arguments(), 0, session.owner());
    rq.addConsumer(c);
    consumers.put(tag, c);
    resumeOrder = null;
    replyQueue = rq;
    channel.reply(m.nowait() ? null : new BasicConsumeOk(tag));
  }

  /** The channel's direct reply-to queue, if it consumes replies. */
  @Nullable ReplyQueue replyQueue() {
    return replyQueue;
  }

  /** RabbitMQ's generated consumer tags: "amq.ctag-" and 22 characters of url-safe base64. */
  private static String generateTag() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return "amq.ctag-" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  void cancel(BasicCancel m) {
    Consumer c = consumers.remove(m.consumerTag());
    resumeOrder = null;
    if (c != null) {
      detach(c);
      // deliveries handed over before the cancel go out before cancel-ok
      sink.drain();
    }
    channel.reply(m.nowait() ? null : new BasicCancelOk(m.consumerTag()));
  }

  /** Removes the consumer from its queue; an auto-delete queue that lost its last one goes. */
  private void detach(Consumer c) {
    Queue q = (Queue) c.queue();
    if (q instanceof ReplyQueue rq) {
      rq.removeConsumer(c);
      session.vhost().removeReplyQueue(rq);
      replyQueue = null;
      return;
    }
    if (q.removeConsumer(c)) {
      session.vhost().autoDelete(q);
    }
  }

  /** The broker cancelled {@code c}; returns whether it was still known. */
  boolean forget(Consumer c) {
    resumeOrder = null;
    return consumers.remove(c.tag(), c);
  }

  void get(BasicGet m) {
    String queueName = channel.topology().expandQueue(m.queue());
    channel.check(Access.READ, "queue", queueName);
    Queue q = session.vhost().queueOrDie(queueName, session.owner());
    RemoteQueue remote = q instanceof RemoteQueue r ? r : q.servedBy();
    if (remote != null) {
      getRemote(m, remote.getRemote(m.noAck()));
      return;
    }
    var server = q.awaitServer();
    if (server != null) { // a quorum queue whose leader this node has not heard of yet: as publishes, wait
      getRemote(m, server.thenComposeAsync(r -> r != null ? r.getRemote(m.noAck()) : getHere(q, m.noAck()),
          channel.sink().executor()));
      return;
    }
    replyGet(q.get(m.noAck()), q.messageCount());
  }

  private static CompletableFuture<RemoteQueue.@Nullable Got> getHere(Queue q, boolean noAck) {
    Delivery d = q.get(noAck);
    return CompletableFuture.completedFuture(d == null ? null : new RemoteQueue.Got(d, q.messageCount()));
  }

  /** basic.get of a queue on another node: the channel waits for the home node's answer. */
  private void getRemote(BasicGet m, CompletableFuture<RemoteQueue.@Nullable Got> answer) {
    TopologyRunner.await(channel, m, answer,
        got -> replyGet(got == null ? null : got.delivery(), got == null ? 0 : got.messageCount()),
        got -> {
          if (got != null) {
            returnGot(got.delivery());
          }
        });
  }

  /** A got delivery the closed channel cannot take: back to its queue. */
  private static void returnGot(Delivery d) {
    if (!d.noAck()) {
      d.source().requeue(null, new long[] {d.position()}, 1);
    }
    d.release();
  }

  private void replyGet(@Nullable Delivery d, long messageCount) {
    MessageCounts counts = channel.counts();
    if (d == null) {
      counts.add(MessageCounts.GET_EMPTY);
      channel.reply(new BasicGetEmpty());
      return;
    }
    // rabbit_channel record_sent: get or get_no_ack, and redeliver
    counts.add(d.noAck() ? MessageCounts.GET_NO_ACK : MessageCounts.GET);
    if (d.redelivered()) {
      counts.add(MessageCounts.REDELIVER);
    }
    long tag = ++deliveryTag;
    if (!d.noAck()) {
      unacked.add(tag, d.source(), null, d.position());
    }
    channel.trace().delivered(d);
    Envelope e = d.envelope();
    ByteBuf out = channel.contentBuffer(e, 0);
    Frames.writeMethod(out, channel.number(),
        new BasicGetOk(tag, d.redelivered(), e.exchange(), e.routingKey(), messageCount));
    channel.writeContent(out, e.properties(), e.body());
    d.release();
    channel.sink().write(out);
  }

  /**
   * basic.qos: global=false limits each new consumer and lifts the channel's limit, global=true
   * limits the channel (RabbitMQ).
   */
  void qos(BasicQos m) {
    if (m.prefetchSize() != 0) {
      throw AmqpException.connectionError(ReplyCode.NOT_IMPLEMENTED, "prefetch_size!=0 (%d)", m.prefetchSize());
    }
    if (m.global()) {
      int before = credit.limit();
      credit.setLimit(m.prefetchCount());
      if (m.prefetchCount() == 0 || m.prefetchCount() > before) {
        resumeDispatch();
      }
    } else {
      consumerPrefetch = m.prefetchCount();
      if (credit.limit() != 0) {
        // RabbitMQ (rabbit_channel, basic.qos global=false): "unlimit_prefetch" lifts the
        // channel-wide limit set by an earlier global=true
        credit.setLimit(0);
        resumeDispatch();
      }
    }
    channel.reply(new BasicQosOk());
  }

  /** The next delivery tag, for a no-ack delivery that is not tracked. */
  long nextTag() {
    return ++deliveryTag;
  }

  /** A consumer delivery is about to be written: its delivery tag, tracked unless no-ack. */
  long track(Consumer c, Delivery d) {
    long tag = ++deliveryTag;
    if (!d.noAck()) {
      unacked.add(tag, d.source(), c, d.position(), c.timeoutMs() > 0 ? System.currentTimeMillis() : 0);
    }
    return tag;
  }

  /** A delivery that will not be written (channel closed): back to its queue. */
  void returnUndelivered(Consumer c, Delivery d) {
    if (!d.noAck()) {
      d.source().requeue(c, new long[] {d.position()}, 1);
      credit.release(1);
    }
    d.release();
  }

  /**
   * basic.ack/nack/reject. In a transaction the deliveries are collected now (a second ack of one
   * is an unknown tag, as in RabbitMQ) and settled at tx.commit.
   */
  void settle(long tag, boolean multiple, Settlement.Op op) {
    if (channel.publishing().transactional()) {
      if (!unacked.hold(tag, multiple, op)) {
        throw unknownTag(tag);
      }
      return;
    }
    settleNow(tag, multiple, op);
  }

  /** tx.commit: the acknowledgements collected in the transaction take effect. */
  void commitHeld() {
    for (Settlement.Op op : Settlement.Op.values()) {
      unacked.removeHeld(op, settlement.begin(op));
      settlement.finish();
    }
  }

  /** tx.rollback: the deliveries acknowledged in the transaction are unacknowledged again. */
  void rollbackHeld() {
    unacked.releaseHeld();
  }

  private void settleNow(long tag, boolean multiple, Settlement.Op op) {
    boolean known = unacked.remove(tag, multiple, settlement.begin(op));
    if (!known && timeouts.forgetTimedOut(tag)) {
      // the delivery went back to its queue when its consumer timed out: nothing to settle
      known = true;
      if (multiple) {
        unacked.removeUpTo(tag, settlement);
      }
    }
    settlement.finish();
    if (!known) {
      throw unknownTag(tag);
    }
  }

  private static AmqpException unknownTag(long tag) {
    return AmqpException.channelError(ReplyCode.PRECONDITION_FAILED, "unknown delivery tag %d", tag);
  }

  /** basic.recover(-async): every unacked delivery goes back to its queue (requeue=true only). */
  void recover(boolean requeue, boolean sync) {
    if (!requeue) {
      throw AmqpException.connectionError(ReplyCode.NOT_IMPLEMENTED, "requeue=false");
    }
    // acknowledgements a transaction collected stay for its commit (RabbitMQ)
    unacked.removeUnheld(settlement.begin(Settlement.Op.REQUEUE));
    settlement.finish();
    channel.reply(sync ? new BasicRecoverOk() : null);
  }

  void creditReturned(int n) {
    if (credit.release(n)) {
      resumeDispatch();
    }
  }

  /**
   * Asks every consumer's queue to try dispatching again (credit, flow or writability came back),
   * starting at a random consumer: a queue asked first takes what the channel has room for, so a
   * fixed order would let the first queue take every freed credit and starve the others. RabbitMQ
   * does the same (rabbit_limiter, notify_queues: "we randomly vary the position of queues in the
   * list, thus ensuring that each queue has an equal chance of being notified first").
   */
  void resumeDispatch() {
    Consumer[] order = resumeOrder;
    if (order == null) {
      order = consumers.values().toArray(new Consumer[0]);
      resumeOrder = order;
    }
    int n = order.length;
    int start = n > 1 ? ThreadLocalRandom.current().nextInt(n) : 0;
    for (int i = 0; i < n; i++) {
      order[(start + i) % n].queueReady();
    }
  }

  /** Channel close: consumers cancelled, queued deliveries and unacked messages requeued. */
  void release() {
    timeouts.stop();
    List<Consumer> all = new ArrayList<>(consumers.values());
    consumers.clear();
    resumeOrder = null;
    for (Consumer c : all) {
      detach(c);
    }
    sink.close();
    unacked.removeAll(settlement.begin(Settlement.Op.REQUEUE));
    settlement.finish();
  }
}
