package io.warrenmq.cluster.link;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.broker.Broker;
import io.warrenmq.broker.message.Message;
import io.warrenmq.broker.queue.QueueLink;
import io.warrenmq.broker.queue.QueueSpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inter-node link of a cluster node (RabbitMQ's inter-node traffic for classic queues): a
 * listener on the link port, where other nodes forward publishes to this node's queues and
 * consume from them ({@link HomeSide}), and a {@link LinkClient} per other node, through which
 * this node's {@link io.warrenmq.broker.queue.RemoteQueue}s reach theirs. Messages never go
 * through Raft: only the definitions do.
 *
 * <p>The link has no authentication of its own yet: like the Raft port, the link port must be
 * reachable by the cluster's nodes only.
 *
 * <p>Threading: thread-safe; one event loop thread for the listener and the clients.
 */
public final class NodeLinks implements QueueLink, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NodeLinks.class);

  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Map<String, LinkClient> clients = new ConcurrentHashMap<>();
  private final Function<String, @Nullable InetSocketAddress> address;
  private final String clusterName;
  private final String self;
  private final Channel server;

  /**
   * @param listen where this node's link listens
   * @param address the link address of a node, by name; null while unknown
   */
  public NodeLinks(Broker broker, String clusterName, String self, InetSocketAddress listen,
      Function<String, @Nullable InetSocketAddress> address) throws IOException {
    this.address = address;
    this.clusterName = clusterName;
    this.self = self;
    try {
      server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
              ch.pipeline().addLast(
                  new IdleStateHandler(LinkClient.SILENCE_SECONDS, LinkClient.HEARTBEAT_SECONDS, 0, TimeUnit.SECONDS),
                  LinkFrames.decoder(), LinkFrames.prepender(), new HomeSide(broker, clusterName));
            }
          })
          .bind(listen).syncUninterruptibly().channel();
    } catch (Exception e) { // Netty rethrows the bind's checked exception unchecked
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw new IOException("cannot listen for the cluster link on " + listen + ": " + e.getMessage(), e);
    }
    log.info("cluster link listening on {}", listen);
  }

  private LinkClient client(String node) {
    return clients.computeIfAbsent(node, n -> new LinkClient(n, address, clusterName, self, group));
  }

  @Override
  public CompletableFuture<Void> publish(String node, QueueSpec queue, Message message) {
    return client(node).publish(queue, message);
  }

  @Override
  public Subscription consume(String node, QueueSpec queue, int prefetch, boolean exclusive, int priority,
      FieldTable arguments, Sink sink) {
    return client(node).consume(queue, prefetch, exclusive, priority, arguments, sink);
  }

  @Override
  public Getter getter(String node, QueueSpec queue) {
    return client(node).getter(queue);
  }

  @Override
  public CompletableFuture<long[]> status(String node, QueueSpec queue) {
    return client(node).query(LinkFrames.STATUS, queue);
  }

  @Override
  public CompletableFuture<Long> purge(String node, QueueSpec queue) {
    return client(node).query(LinkFrames.PURGE, queue).thenApply(a -> a[0]);
  }

  @Override
  public void close() {
    clients.values().forEach(LinkClient::close);
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
