package io.warrenmq.cluster.link;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.types.FieldCodec;
import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.broker.Broker;
import io.warrenmq.broker.consumer.ChannelCredit;
import io.warrenmq.broker.consumer.Consumer;
import io.warrenmq.broker.consumer.Delivery;
import io.warrenmq.broker.consumer.DeliveryTarget;
import io.warrenmq.broker.message.Message;
import io.warrenmq.broker.queue.EnqueueResult;
import io.warrenmq.broker.queue.Queue;
import io.warrenmq.broker.queue.QueueLink;
import io.warrenmq.broker.queue.RemoteQueue;
import io.warrenmq.broker.vhost.VirtualHost;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The home node's end of one link from another node: forwarded publishes go into this node's
 * queues and are confirmed once stored (after the group commit for persistent ones), and the
 * other node's consumers are consumers of this node's queues whose deliveries go back over the
 * link. When the link closes, every delivery not settled goes back to its queue (redelivered), as
 * when a channel closes.
 *
 * <p>Threading: frames arrive on the link's event loop; deliveries are written from the queues'
 * dispatching threads and confirms from the group committer's (Netty's writes are thread-safe).
 */
final class HomeSide extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(HomeSide.class);

  private final Broker broker;
  private final String clusterName;
  private final Map<Long, Subscriber> subscribers = new ConcurrentHashMap<>();
  private @Nullable Channel channel;
  private String peer = "?";

  HomeSide(Broker broker, String clusterName) {
    this.broker = broker;
    this.clusterName = clusterName;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    channel = ctx.channel();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf in = (ByteBuf) msg;
    try {
      byte type = in.readByte();
      switch (type) {
        case LinkFrames.HELLO -> hello(ctx, in);
        case LinkFrames.PUBLISH -> publish(ctx, in);
        case LinkFrames.CONSUME -> consume(ctx, in);
        case LinkFrames.SETTLE -> settle(in);
        case LinkFrames.CANCEL -> cancel(in.readLong());
        case LinkFrames.GET -> get(ctx, in);
        case LinkFrames.QUERY -> query(ctx, in);
        case LinkFrames.HEARTBEAT -> { }
        default -> {
          log.warn("link from {}: unknown frame type {}, closing", peer, type);
          ctx.close();
        }
      }
    } finally {
      in.release();
    }
  }

  private void hello(ChannelHandlerContext ctx, ByteBuf in) {
    String cluster = FieldCodec.readShortStr(in);
    peer = FieldCodec.readShortStr(in);
    if (!cluster.equals(clusterName)) {
      log.warn("link from node '{}' of cluster '{}', not '{}': closing", peer, cluster, clusterName);
      ctx.close();
    }
  }

  private @Nullable Queue localQueue(String vhost, String name) {
    VirtualHost vh = broker.vhost(vhost);
    Queue q = vh == null ? null : vh.queue(name);
    return q == null || q.homeNode() != null ? null : q; // another node's classic queue, a quorum queue led elsewhere
  }

  private void publish(ChannelHandlerContext ctx, ByteBuf in) {
    long seq = in.readLong();
    String vhost = FieldCodec.readShortStr(in);
    String queue = FieldCodec.readShortStr(in);
    String exchange = FieldCodec.readShortStr(in);
    String routingKey = FieldCodec.readShortStr(in);
    long timestamp = in.readLong();
    ByteBuf props = in.readSlice(in.readInt());
    ByteBuf body = in.slice();
    Queue q = localQueue(vhost, queue);
    Channel ch = ctx.channel();
    if (q == null) {
      // gone since the other node routed to it: as a publish that routes nowhere, confirmed
      ch.writeAndFlush(LinkFrames.confirm(ch.alloc(), seq, true, "queue gone"));
      return;
    }
    Message m = new Message(exchange, routingKey, props, body, timestamp);
    EnqueueResult r;
    try {
      r = q.publish(m);
    } finally {
      m.release();
    }
    switch (r) {
      case STORED, DROPPED -> ch.writeAndFlush(LinkFrames.confirm(ch.alloc(), seq, true, ""));
      case REJECTED -> ch.writeAndFlush(LinkFrames.confirm(ch.alloc(), seq, false, "rejected by " + q.spec().resource()));
      case STORED_DURABLE -> broker.committer().submit(q.syncTarget(),
          () -> ch.writeAndFlush(LinkFrames.confirm(ch.alloc(), seq, true, "")),
          e -> ch.writeAndFlush(LinkFrames.confirm(ch.alloc(), seq, false, "not stored: " + e.getMessage())));
    }
  }

  private void consume(ChannelHandlerContext ctx, ByteBuf in) {
    long id = in.readLong();
    String vhost = FieldCodec.readShortStr(in);
    String queue = FieldCodec.readShortStr(in);
    int prefetch = Math.max(1, in.readInt());
    boolean exclusive = in.readBoolean();
    int priority = in.readInt();
    FieldTable args = FieldCodec.readTable(in);
    Channel ch = ctx.channel();
    Queue q = localQueue(vhost, queue);
    if (q == null) {
      ch.writeAndFlush(LinkFrames.ended(ch.alloc(), id, "no queue '" + queue + "' in vhost '" + vhost + "' on this node"));
      return;
    }
    Subscriber s = new Subscriber(id, q, ch);
    Consumer c = new Consumer("link-" + peer + "-" + id, q, s, false, exclusive, prefetch, new ChannelCredit(),
        args, priority, this);
    s.consumer = c;
    subscribers.put(id, s);
    try {
      q.addConsumer(c);
    } catch (AmqpException e) {
      subscribers.remove(id);
      ch.writeAndFlush(LinkFrames.ended(ch.alloc(), id, e.getMessage()));
    }
  }

  /** basic.get for the other node; its getter settles what was not auto-acked, as a consumer does. */
  private void get(ChannelHandlerContext ctx, ByteBuf in) {
    long request = in.readLong();
    long getter = in.readLong();
    String vhost = FieldCodec.readShortStr(in);
    String queue = FieldCodec.readShortStr(in);
    boolean noAck = in.readBoolean();
    Channel ch = ctx.channel();
    Queue q = localQueue(vhost, queue);
    Delivery d = null;
    if (q != null) {
      try {
        d = q.get(noAck);
      } catch (AmqpException e) {
        d = null;
      }
    }
    if (d == null) {
      ch.writeAndFlush(LinkFrames.got(ch.alloc(), request, -1, false, 0, q == null ? 0 : q.messageCount(),
          io.netty.buffer.Unpooled.EMPTY_BUFFER));
      return;
    }
    if (!noAck) {
      Subscriber s = subscribers.computeIfAbsent(getter, id -> new Subscriber(id, q, ch));
      synchronized (s) {
        s.out.add(d.position());
      }
    }
    ch.writeAndFlush(LinkFrames.got(ch.alloc(), request, d.position(), d.redelivered(), d.deliveryCount(),
        q.messageCount(), d.record()));
  }

  /** A queue's counts, or queue.purge (off the link's thread: it may touch the disk). */
  private void query(ChannelHandlerContext ctx, ByteBuf in) {
    long request = in.readLong();
    byte op = in.readByte();
    String vhost = FieldCodec.readShortStr(in);
    String queue = FieldCodec.readShortStr(in);
    Channel ch = ctx.channel();
    Queue q = localQueue(vhost, queue);
    if (q == null) {
      ch.writeAndFlush(LinkFrames.answer(ch.alloc(), request, false, 0, 0,
          "no queue '" + queue + "' in vhost '" + vhost + "' on this node"));
    } else if (op == LinkFrames.STATUS) {
      ch.writeAndFlush(LinkFrames.answer(ch.alloc(), request, true, q.messageCount(), q.consumerCount(), ""));
    } else {
      broker.blockingExecutor().execute(() -> {
        try {
          ch.writeAndFlush(LinkFrames.answer(ch.alloc(), request, true, q.purge(), 0, ""));
        } catch (RuntimeException e) {
          ch.writeAndFlush(LinkFrames.answer(ch.alloc(), request, false, 0, 0, String.valueOf(e.getMessage())));
        }
      });
    }
  }

  private void settle(ByteBuf in) {
    long id = in.readLong();
    QueueLink.Settlement op = QueueLink.Settlement.values()[in.readByte()];
    int count = in.readInt();
    long[] positions = LinkFrames.positions(in, count);
    Subscriber s = subscribers.get(id);
    if (s == null) {
      return; // a getter's consumer is null
    }
    synchronized (s) {
      for (long p : positions) {
        s.out.remove(p);
      }
    }
    switch (op) {
      case ACK -> s.queue.ack(s.consumer, positions, count);
      case REQUEUE -> s.queue.requeue(s.consumer, positions, count);
      case REJECT -> s.queue.reject(s.consumer, positions, count);
    }
  }

  private void cancel(long id) {
    Subscriber s = subscribers.get(id);
    if (s != null && s.consumer != null && !s.cancelled) {
      s.cancelled = true;
      if (s.queue.removeConsumer(s.consumer)) {
        VirtualHost vh = broker.vhost(s.queue.spec().vhost());
        if (vh != null) {
          vh.autoDelete(s.queue);
        }
      }
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable()) {
      for (Subscriber s : subscribers.values()) {
        if (s.consumer != null) {
          s.consumer.queueReady();
        }
      }
    }
  }

  /** The link is gone: its consumers go, what they had not settled goes back to the queues. */
  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    for (Subscriber s : subscribers.values()) {
      Consumer c = s.consumer; // null for a getter
      long[] out;
      synchronized (s) {
        out = s.out.stream().mapToLong(Long::longValue).toArray();
        s.out.clear();
      }
      cancel(s.id);
      if (out.length > 0) {
        s.queue.requeue(c, out, out.length);
      }
    }
    subscribers.clear();
    log.info("link from node '{}' closed", peer);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent e) {
      if (e.state() == io.netty.handler.timeout.IdleState.READER_IDLE) {
        log.warn("link from node '{}': silent, closing", peer);
        ctx.close();
      } else {
        ctx.writeAndFlush(LinkFrames.heartbeat(ctx.alloc()));
      }
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.warn("link from node '{}': {}", peer, cause.toString());
    ctx.close();
  }

  /** One consumer of the other node: a consumer of a queue here whose deliveries go over the link. */
  private static final class Subscriber implements DeliveryTarget {
    final long id;
    final Queue queue;
    final Channel channel;
    @Nullable Consumer consumer;
    volatile boolean cancelled;
    /** Positions delivered and not settled (at most the prefetch). */
    final Set<Long> out = new HashSet<>();

    Subscriber(long id, Queue queue, Channel channel) {
      this.id = id;
      this.queue = queue;
      this.channel = channel;
    }

    @Override
    public boolean ready() {
      return channel.isActive() && channel.isWritable();
    }

    @Override
    public void deliver(Consumer c, Delivery d) {
      synchronized (this) {
        out.add(d.position());
      }
      channel.writeAndFlush(LinkFrames.deliver(channel.alloc(), id, d.position(), d.redelivered(), d.deliveryCount(),
          d.record()));
    }

    @Override
    public void cancelledByBroker(Consumer c) {
      channel.writeAndFlush(LinkFrames.ended(channel.alloc(), id, "queue '" + queue.name() + "' deleted or moved"));
    }

    @Override
    public boolean viaLink() {
      return true;
    }
  }
}
