package io.warrenmq.server.netty;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.warrenmq.amqp.frame.ProtocolHeaderDecoder;
import io.warrenmq.broker.Broker;
import io.warrenmq.server.amqp.AmqpConnectionHandler;
import io.warrenmq.server.config.BrokerConfig;
import io.warrenmq.server.tls.TlsContext;
import org.jspecify.annotations.Nullable;

/**
 * Builds a new connection's pipeline: on an AMQPS listener the TLS handler, then the protocol-header decoder (which swaps itself for the
 * frame decoder once the header checks out) and the connection handler. With
 * {@code proxy_protocol} these come after a PROXY protocol header, before TLS as in RabbitMQ
 * ({@link ProxyProtocolHandler} adds them). Sharable: it keeps no per-connection state.
 */
final class AmqpChannelInitializer extends ChannelInitializer<SocketChannel> {
  private final BrokerConfig config;
  private final Broker broker;
  private final @Nullable TlsContext tls;

  AmqpChannelInitializer(BrokerConfig config, Broker broker, @Nullable TlsContext tls) {
    this.config = config;
    this.broker = broker;
    this.tls = tls;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    if (config.proxyProtocol().enabled()) {
      ProxyProtocolHandler.addTo(ch.pipeline(), config.proxyProtocol(), config.handshakeTimeoutMs(), this::addConnection);
    } else {
      addConnection(ch.pipeline());
    }
  }

  /** The connection's own handlers; with proxy_protocol, once the PROXY header is in. */
  private void addConnection(ChannelPipeline p) {
    if (tls != null) {
      p.addLast(PipelineNames.TLS, tls.newHandler(p.channel().alloc()));
    }
    p.addLast(PipelineNames.PROTOCOL_HEADER, new ProtocolHeaderDecoder())
        .addLast(PipelineNames.AMQP, new AmqpConnectionHandler(config, broker));
  }
}
