package io.warrenmq.server.netty;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.warrenmq.amqp.frame.ProtocolHeaderDecoder;
import io.warrenmq.broker.Broker;
import io.warrenmq.server.amqp.AmqpConnectionHandler;
import io.warrenmq.server.config.BrokerConfig;

/**
 * Builds a new connection's pipeline: the protocol-header decoder (which swaps itself for the
 * frame decoder once the header checks out) and the connection handler. Sharable: it keeps no
 * per-connection state.
 */
final class AmqpChannelInitializer extends ChannelInitializer<SocketChannel> {
  private final BrokerConfig config;
  private final Broker broker;

  AmqpChannelInitializer(BrokerConfig config, Broker broker) {
    this.config = config;
    this.broker = broker;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    ch.pipeline()
        .addLast(PipelineNames.PROTOCOL_HEADER, new ProtocolHeaderDecoder())
        .addLast(PipelineNames.AMQP, new AmqpConnectionHandler(config, broker));
  }
}
