package io.warrenmq.cluster.link;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.warrenmq.amqp.types.FieldCodec;
import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.broker.message.Message;
import io.warrenmq.broker.queue.QueueLink;
import io.warrenmq.broker.queue.QueueSpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's link to one other node, the home of some of the cluster's queues: one TCP connection,
 * opened on first use and again after it broke. Publishes wait for their CONFIRM; consumers get
 * their DELIVERs. When the connection breaks (or stays silent past the heartbeat timeout, as in a
 * partition), every publish waiting fails (its publisher is nacked) and every consumer ends; the
 * home node puts back what they had not settled.
 *
 * <p>Threading: thread-safe; frames are read on the link's event loop.
 */
final class LinkClient {
  private static final Logger log = LoggerFactory.getLogger(LinkClient.class);
  static final int HEARTBEAT_SECONDS = 2;
  static final int SILENCE_SECONDS = 6;

  private final String node;
  private final Function<String, @Nullable InetSocketAddress> address;
  private final String clusterName;
  private final String self;
  private final EventLoopGroup group;
  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, CompletableFuture<Void>> publishes = new ConcurrentHashMap<>();
  private final Map<Long, Subscription> subscriptions = new ConcurrentHashMap<>();
  private final Map<Long, CompletableFuture<QueueLink.@Nullable Got>> gets = new ConcurrentHashMap<>();
  private final Map<Long, CompletableFuture<long[]>> queries = new ConcurrentHashMap<>();
  // guarded by this
  private @Nullable Channel channel;
  private boolean connecting;
  private final ArrayDeque<Queued> queued = new ArrayDeque<>();

  LinkClient(String node, Function<String, @Nullable InetSocketAddress> address, String clusterName, String self,
      EventLoopGroup group) {
    this.node = node;
    this.address = address;
    this.clusterName = clusterName;
    this.self = self;
    this.group = group;
  }

  /**
   * Sends {@code frame} on the connection, in the order of the calls: at once if it is open, else
   * once it is (opening it if nobody is); {@code failed} runs instead if it cannot be opened.
   */
  private synchronized void send(ByteBuf frame, java.util.function.Consumer<Throwable> failed) {
    Channel ch = channel;
    if (ch != null && ch.isActive()) {
      ch.writeAndFlush(frame);
      return;
    }
    queued.add(new Queued(frame, failed));
    if (!connecting) {
      connecting = true;
      connect();
    }
  }

  private record Queued(ByteBuf frame, java.util.function.Consumer<Throwable> failed) {}

  private void connect() {
    InetSocketAddress to = address.apply(node);
    if (to == null) {
      connected(null, new IOException("no address known for node '" + node + "'"));
      return;
    }
    ChannelFuture f = new Bootstrap().group(group).channel(NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 3000)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new IdleStateHandler(SILENCE_SECONDS, HEARTBEAT_SECONDS, 0, TimeUnit.SECONDS),
                LinkFrames.decoder(), LinkFrames.prepender(), new Reader());
          }
        })
        .connect(to);
    f.addListener(done -> connected(done.isSuccess() ? f.channel() : null,
        done.isSuccess() ? null : new IOException("link to node '" + node + "' at " + to + ": " + done.cause(),
            done.cause())));
  }

  /** The connection opened ({@code ch}) or could not be ({@code failure}): what waited goes, or fails. */
  private void connected(@Nullable Channel ch, @Nullable IOException failure) {
    List<Queued> waiting;
    synchronized (this) {
      connecting = false;
      waiting = new ArrayList<>(queued);
      queued.clear();
      if (ch != null) {
        channel = ch;
        ch.writeAndFlush(LinkFrames.hello(ch.alloc(), clusterName, self));
        for (Queued q : waiting) {
          ch.write(q.frame());
        }
        ch.flush();
        return;
      }
    }
    for (Queued q : waiting) {
      q.frame().release();
      q.failed().accept(failure);
    }
  }

  CompletableFuture<Void> publish(QueueSpec q, Message m) {
    long seq = ids.incrementAndGet();
    CompletableFuture<Void> confirmed = new CompletableFuture<>();
    publishes.put(seq, confirmed);
    send(LinkFrames.publish(io.netty.buffer.ByteBufAllocator.DEFAULT, seq, q, m), e -> fail(seq, e));
    return confirmed;
  }

  private void fail(long seq, Throwable e) {
    CompletableFuture<Void> f = publishes.remove(seq);
    if (f != null) {
      f.completeExceptionally(e);
    }
  }

  QueueLink.Subscription consume(QueueSpec q, int prefetch, boolean exclusive, int priority, FieldTable args,
      QueueLink.Sink sink) {
    long id = ids.incrementAndGet();
    Subscription s = new Subscription(id, sink);
    subscriptions.put(id, s);
    send(LinkFrames.consume(io.netty.buffer.ByteBufAllocator.DEFAULT, id, q, prefetch, exclusive, priority, args),
        e -> s.end(e.getMessage()));
    return s;
  }

  QueueLink.Getter getter(QueueSpec q) {
    long getter = ids.incrementAndGet();
    return new QueueLink.Getter() {
      @Override
      public CompletableFuture<QueueLink.@Nullable Got> get(boolean noAck) {
        long request = ids.incrementAndGet();
        CompletableFuture<QueueLink.@Nullable Got> f = new CompletableFuture<>();
        gets.put(request, f);
        send(LinkFrames.get(io.netty.buffer.ByteBufAllocator.DEFAULT, request, getter, q, noAck), e -> {
          gets.remove(request);
          f.completeExceptionally(e);
        });
        return f;
      }

      @Override
      public void settle(QueueLink.Settlement op, long[] positions, int count) {
        if (count > 0) {
          send(LinkFrames.settle(io.netty.buffer.ByteBufAllocator.DEFAULT, getter, op, positions, count), e -> { });
        }
      }
    };
  }

  /** A QUERY ({@link LinkFrames#STATUS} or {@link LinkFrames#PURGE}): its two numbers. */
  CompletableFuture<long[]> query(byte op, QueueSpec q) {
    long request = ids.incrementAndGet();
    CompletableFuture<long[]> f = new CompletableFuture<>();
    queries.put(request, f);
    send(LinkFrames.query(io.netty.buffer.ByteBufAllocator.DEFAULT, request, op, q), e -> {
      queries.remove(request);
      f.completeExceptionally(e);
    });
    return f;
  }

  /** The connection broke: nothing sent on it will be answered. */
  private void broke(Channel ch, String why) {
    synchronized (this) {
      if (channel == ch) {
        channel = null;
      }
    }
    // everything in flight, also what a newer connection may carry (nacked, not lost: at least once)
    IOException e = new IOException("link to node '" + node + "' lost: " + why);
    for (Long seq : publishes.keySet()) {
      fail(seq, e);
    }
    for (Subscription s : subscriptions.values()) {
      s.end("the link to node '" + node + "' was lost");
    }
    for (Long request : queries.keySet()) {
      CompletableFuture<long[]> f = queries.remove(request);
      if (f != null) {
        f.completeExceptionally(e);
      }
    }
    for (Long request : gets.keySet()) {
      CompletableFuture<QueueLink.@Nullable Got> f = gets.remove(request);
      if (f != null) {
        f.completeExceptionally(e);
      }
    }
  }

  void close() {
    Channel ch;
    synchronized (this) {
      ch = channel;
    }
    if (ch != null) {
      ch.close();
    }
  }

  private final class Subscription implements QueueLink.Subscription {
    final long id;
    final QueueLink.Sink sink;
    volatile boolean ended;

    Subscription(long id, QueueLink.Sink sink) {
      this.id = id;
      this.sink = sink;
    }

    @Override
    public void settle(QueueLink.Settlement op, long[] positions, int count) {
      if (!ended && count > 0) {
        send(LinkFrames.settle(io.netty.buffer.ByteBufAllocator.DEFAULT, id, op, positions, count), e -> { });
      }
    }

    @Override
    public void cancel() {
      if (!ended) {
        send(LinkFrames.cancel(io.netty.buffer.ByteBufAllocator.DEFAULT, id), e -> { });
      }
    }

    void end(String reason) {
      if (!ended) {
        ended = true;
        subscriptions.remove(id);
        sink.ended(reason);
      }
    }
  }

  private final class Reader extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf in = (ByteBuf) msg;
      try {
        switch (in.readByte()) {
          case LinkFrames.CONFIRM -> {
            long seq = in.readLong();
            boolean ok = in.readBoolean();
            String text = FieldCodec.readShortStr(in);
            CompletableFuture<Void> f = publishes.remove(seq);
            if (f != null) {
              if (ok) {
                f.complete(null);
              } else {
                f.completeExceptionally(new IOException("node '" + node + "': " + text));
              }
            }
          }
          case LinkFrames.DELIVER -> {
            long id = in.readLong();
            long position = in.readLong();
            boolean redelivered = in.readBoolean();
            int count = in.readInt();
            Subscription s = subscriptions.get(id);
            if (s != null) {
              s.sink.deliver(position, redelivered, count, in.retainedSlice());
            }
          }
          case LinkFrames.ENDED -> {
            long id = in.readLong();
            String reason = FieldCodec.readShortStr(in);
            Subscription s = subscriptions.get(id);
            if (s != null) {
              s.end(reason);
            }
          }
          case LinkFrames.GOT -> {
            long request = in.readLong();
            long position = in.readLong();
            boolean redelivered = in.readBoolean();
            int count = in.readInt();
            long messages = in.readLong();
            CompletableFuture<QueueLink.@Nullable Got> f = gets.remove(request);
            if (f != null) {
              f.complete(position < 0 ? null
                  : new QueueLink.Got(position, redelivered, count, messages, in.retainedSlice()));
            }
          }
          case LinkFrames.ANSWER -> {
            long request = in.readLong();
            boolean ok = in.readBoolean();
            long first = in.readLong();
            long second = in.readLong();
            String text = FieldCodec.readShortStr(in);
            CompletableFuture<long[]> f = queries.remove(request);
            if (f != null) {
              if (ok) {
                f.complete(new long[] {first, second});
              } else {
                f.completeExceptionally(new IOException("node '" + node + "': " + text));
              }
            }
          }
          default -> { } // HEARTBEAT
        }
      } finally {
        in.release();
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      broke(ctx.channel(), "closed");
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof IdleStateEvent e) {
        if (e.state() == IdleState.READER_IDLE) {
          log.warn("link to node '{}': silent for {} s, closing", node, SILENCE_SECONDS);
          ctx.close();
        } else {
          ctx.writeAndFlush(LinkFrames.heartbeat(ctx.alloc()));
        }
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      log.warn("link to node '{}': {}", node, cause.toString());
      ctx.close();
    }
  }
}
