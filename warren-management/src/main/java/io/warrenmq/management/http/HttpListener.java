package io.warrenmq.management.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpContentCompressor;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.stream.ChunkedWriteHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * An HTTP/1.1 listener on the broker's own event loops (no second server stack): Netty's codec, a
 * request body limit of RabbitMQ's {@code max_http_body_size} default (20 MB), gzip for clients
 * that accept it, chunked streaming for large answers, and an {@link HttpService} behind it; over
 * TLS when given a handler factory ({@link #tls}).
 */
public final class HttpListener implements AutoCloseable {
  /** RabbitMQ's default management.http.max_body_size (rabbit_mgmt.hrl). */
  public static final int MAX_BODY = 20_000_000;

  private final String name;
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final Class<? extends ServerChannel> channelType;
  private final HttpService service;
  private final Executor executor;
  private @Nullable Channel server;
  private @Nullable Function<ByteBufAllocator, ? extends ChannelHandler> tls;

  /**
   * @param name what the listener serves, for logs ("management", "prometheus")
   * @param executor where requests are handled: threads that may block
   */
  public HttpListener(String name, EventLoopGroup boss, EventLoopGroup workers,
      Class<? extends ServerChannel> channelType, HttpService service, Executor executor) {
    this.name = name;
    this.boss = boss;
    this.workers = workers;
    this.channelType = channelType;
    this.service = service;
    this.executor = executor;
  }

  public String name() {
    return name;
  }

  /**
   * Serves HTTPS: each connection's pipeline starts with the handler {@code tls} makes (an
   * SslHandler with the certificate in effect when the connection is accepted). Before {@link #bind}.
   */
  public HttpListener tls(Function<ByteBufAllocator, ? extends ChannelHandler> handlers) {
    this.tls = handlers;
    return this;
  }

  /** Whether this listener serves HTTPS. */
  public boolean isTls() {
    return tls != null;
  }

  /** Binds; returns the bound address (port 0 picks a free one). */
  public InetSocketAddress bind(InetSocketAddress address) throws InterruptedException {
    ServerBootstrap b = new ServerBootstrap()
        .group(boss, workers)
        .channel(channelType)
        .option(ChannelOption.SO_BACKLOG, 128)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            Function<ByteBufAllocator, ? extends ChannelHandler> t = tls;
            if (t != null) {
              ch.pipeline().addLast("tls", t.apply(ch.alloc()));
            }
            ch.pipeline()
                .addLast("http", new HttpServerCodec())
                .addLast("aggregate", new HttpObjectAggregator(MAX_BODY))
                .addLast("gzip", new HttpContentCompressor())
                .addLast("chunked", new ChunkedWriteHandler())
                .addLast("service", new HttpRequestHandler(service, executor));
          }
        });
    Channel c = b.bind(address).sync().channel();
    server = c;
    return (InetSocketAddress) c.localAddress();
  }

  /** Stops accepting; connections in progress finish on their own. */
  @Override
  public void close() {
    Channel c = server;
    if (c != null) {
      c.close().syncUninterruptibly();
      server = null;
    }
  }
}
