package io.warrenmq.server.netty;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.warrenmq.broker.Broker;
import io.warrenmq.server.config.BrokerConfig;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The AMQP listener: one acceptor thread and one event loop per core (epoll where available,
 * NIO otherwise), TCP_NODELAY, and explicit write-buffer water marks so that a slow consumer
 * makes its channel unwritable and its queues stop dispatching to it.
 */
public final class AmqpServer implements AutoCloseable {
  private final BrokerConfig config;
  private final Broker broker;
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final boolean epoll;
  private @Nullable Channel serverChannel;

  public AmqpServer(BrokerConfig config, Broker broker) {
    this.config = config;
    this.broker = broker;
    this.epoll = Epoll.isAvailable();
    IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    this.boss = new MultiThreadIoEventLoopGroup(1, io);
    this.workers = new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(), io);
  }

  /** Binds the listener; returns the bound port. */
  public int start() throws InterruptedException {
    Class<? extends ServerChannel> type = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    ServerBootstrap b = new ServerBootstrap()
        .group(boss, workers)
        .channel(type)
        .option(ChannelOption.SO_BACKLOG, 1024)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.SO_KEEPALIVE, true)
        .childOption(ChannelOption.ALLOCATOR, ByteBufAllocator.DEFAULT)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
        .childHandler(new AmqpChannelInitializer(config, broker));
    serverChannel = b.bind(new InetSocketAddress(config.bind(), config.port())).sync().channel();
    return ((InetSocketAddress) serverChannel.localAddress()).getPort();
  }

  public String transport() {
    return epoll ? "epoll" : "nio";
  }

  /** Stops accepting new connections; existing ones stay. */
  public void stopAccepting() {
    Channel c = serverChannel;
    if (c != null) {
      c.close().syncUninterruptibly();
    }
  }

  @Override
  public void close() {
    stopAccepting();
    boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
