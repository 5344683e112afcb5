package io.warrenmq.server.amqp.channel;

import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;
import io.warrenmq.amqp.method.AccessRequest;
import io.warrenmq.amqp.method.AccessRequestOk;
import io.warrenmq.amqp.method.BasicAck;
import io.warrenmq.amqp.method.BasicCancel;
import io.warrenmq.amqp.method.BasicConsume;
import io.warrenmq.amqp.method.BasicGet;
import io.warrenmq.amqp.method.BasicNack;
import io.warrenmq.amqp.method.BasicPublish;
import io.warrenmq.amqp.method.BasicQos;
import io.warrenmq.amqp.method.BasicRecover;
import io.warrenmq.amqp.method.BasicRecoverAsync;
import io.warrenmq.amqp.method.BasicReject;
import io.warrenmq.amqp.method.ChannelClose;
import io.warrenmq.amqp.method.ChannelFlow;
import io.warrenmq.amqp.method.ChannelFlowOk;
import io.warrenmq.amqp.method.ChannelOpen;
import io.warrenmq.amqp.method.ConfirmSelect;
import io.warrenmq.amqp.method.ConfirmSelectOk;
import io.warrenmq.amqp.method.ExchangeBind;
import io.warrenmq.amqp.method.ExchangeDeclare;
import io.warrenmq.amqp.method.ExchangeDelete;
import io.warrenmq.amqp.method.ExchangeUnbind;
import io.warrenmq.amqp.method.Method;
import io.warrenmq.amqp.method.QueueBind;
import io.warrenmq.amqp.method.QueueDeclare;
import io.warrenmq.amqp.method.QueueDelete;
import io.warrenmq.amqp.method.QueuePurge;
import io.warrenmq.amqp.method.QueueUnbind;
import io.warrenmq.amqp.method.TxCommit;
import io.warrenmq.amqp.method.TxRollback;
import io.warrenmq.amqp.method.TxSelect;
import io.warrenmq.amqp.method.TxSelectOk;

/**
 * The dispatch of an open channel's methods: one exhaustive {@code switch} over the method a
 * frame carries, handing each to the part of the channel that implements it ({@link
 * TopologyMethods}, {@link Publishing}, {@link Consuming}, {@link ConsumerSink} for flow) or
 * answering it here (confirm.select, tx.select, channel.flow, access.request). A method only the
 * server sends, or a second channel.open, is a connection error; channel.close goes back to the
 * channel, which owns its closing.
 *
 * <p>Threading: confined to the connection's event loop. Buffers: methods carry none; content
 * frames never come here.
 */
final class ChannelMethodDispatcher {
  private final AmqpChannel channel;
  private final TopologyMethods topology;
  private final Publishing publishing;
  private final Consuming consuming;
  private final ConsumerSink consumerSink;

  ChannelMethodDispatcher(AmqpChannel channel, TopologyMethods topology, Publishing publishing,
      Consuming consuming, ConsumerSink consumerSink) {
    this.channel = channel;
    this.topology = topology;
    this.publishing = publishing;
    this.consuming = consuming;
    this.consumerSink = consumerSink;
  }

  /** Handles one method on an open channel; throws what it refuses (the channel maps the error). */
  void handle(Method method) {
    switch (method) {
      case BasicPublish m -> publishing.method(m);
      case BasicAck m -> consuming.settle(m.deliveryTag(), m.multiple(), Settlement.Op.ACK);
      case BasicNack m ->
          consuming.settle(m.deliveryTag(), m.multiple(), m.requeue() ? Settlement.Op.RETRY : Settlement.Op.REJECT);
      case BasicReject m ->
          consuming.settle(m.deliveryTag(), false, m.requeue() ? Settlement.Op.RETRY : Settlement.Op.REJECT);
      case BasicConsume m -> consuming.consume(m);
      case BasicCancel m -> consuming.cancel(m);
      case BasicGet m -> consuming.get(m);
      case BasicQos m -> consuming.qos(m);
      case BasicRecover m -> consuming.recover(m.requeue(), true);
      case BasicRecoverAsync m -> consuming.recover(m.requeue(), false);
      case ExchangeDeclare m -> topology.exchangeDeclare(m);
      case ExchangeDelete m -> topology.exchangeDelete(m);
      case ExchangeBind m -> topology.exchangeBind(m);
      case ExchangeUnbind m -> topology.exchangeUnbind(m);
      case QueueDeclare m -> topology.queueDeclare(m);
      case QueueBind m -> topology.queueBind(m);
      case QueueUnbind m -> topology.queueUnbind(m);
      case QueuePurge m -> topology.queuePurge(m);
      case QueueDelete m -> topology.queueDelete(m);
      case ConfirmSelect m -> {
        publishing.selectConfirms();
        channel.reply(m.nowait() ? null : new ConfirmSelectOk());
      }
      case TxSelect m -> {
        publishing.selectTx();
        channel.reply(new TxSelectOk());
      }
      case TxCommit m -> publishing.commit();
      case TxRollback m -> publishing.rollback();
      case ChannelFlow m -> {
        consumerSink.setFlowActive(m.active());
        if (m.active()) {
          consuming.resumeDispatch();
        }
        channel.reply(new ChannelFlowOk(m.active()));
      }
      case ChannelClose m -> channel.closedByClient();
      case ChannelOpen m ->
          throw AmqpException.connectionError(ReplyCode.CHANNEL_ERROR, "second 'channel.open' seen");
      case AccessRequest m -> channel.reply(new AccessRequestOk());
      default -> // a method only the server sends: RabbitMQ's rabbit_channel says so in these words
          throw AmqpException.connectionError(ReplyCode.COMMAND_INVALID, "unimplemented method");
    }
  }
}
