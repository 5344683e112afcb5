package io.warrenmq.amqp.method;

import static io.warrenmq.amqp.testing.ClientValues.toClient;

import com.rabbitmq.client.LongString;
import com.rabbitmq.client.impl.AMQImpl;
import com.rabbitmq.client.impl.LongStringHelper;

/**
 * The official client's method object carrying the same values as one of ours, built through the
 * client's own constructors, field by field: this table is where the field correspondence is
 * spelled out once. Reserved fields get the values we write (ticket 0, empty strings, false).
 */
final class ClientMethods {
  private ClientMethods() {}

  static com.rabbitmq.client.impl.Method of(Method m) {
    return switch (m) {
      case ConnectionMethod c -> connection(c);
      case ChannelMethod c -> channel(c);
      case AccessMethod c -> access(c);
      case ExchangeMethod c -> exchange(c);
      case QueueMethod c -> queue(c);
      case BasicMethod c -> basic(c);
      case ConfirmMethod c -> confirm(c);
      case TxMethod c -> tx(c);
    };
  }

  private static LongString ls(io.warrenmq.amqp.types.LongString s) {
    return LongStringHelper.asLongString(s.bytes());
  }

  private static com.rabbitmq.client.impl.Method connection(ConnectionMethod m) {
    return switch (m) {
      case ConnectionStart s ->
          new AMQImpl.Connection.Start(
              s.versionMajor(),
              s.versionMinor(),
              toClient(s.serverProperties()),
              ls(s.mechanisms()),
              ls(s.locales()));
      case ConnectionStartOk s ->
          new AMQImpl.Connection.StartOk(
              toClient(s.clientProperties()), s.mechanism(), ls(s.response()), s.locale());
      case ConnectionSecure s -> new AMQImpl.Connection.Secure(ls(s.challenge()));
      case ConnectionSecureOk s -> new AMQImpl.Connection.SecureOk(ls(s.response()));
      case ConnectionTune t ->
          new AMQImpl.Connection.Tune(t.channelMax(), (int) t.frameMax(), t.heartbeat());
      case ConnectionTuneOk t ->
          new AMQImpl.Connection.TuneOk(t.channelMax(), (int) t.frameMax(), t.heartbeat());
      case ConnectionOpen o -> new AMQImpl.Connection.Open(o.virtualHost(), "", false);
      case ConnectionOpenOk o -> new AMQImpl.Connection.OpenOk("");
      case ConnectionClose c ->
          new AMQImpl.Connection.Close(
              c.replyCode(), c.replyText(), c.failingClassId(), c.failingMethodId());
      case ConnectionCloseOk c -> new AMQImpl.Connection.CloseOk();
      case ConnectionBlocked b -> new AMQImpl.Connection.Blocked(b.reason());
      case ConnectionUnblocked u -> new AMQImpl.Connection.Unblocked();
      case ConnectionUpdateSecret u ->
          new AMQImpl.Connection.UpdateSecret(ls(u.newSecret()), u.reason());
      case ConnectionUpdateSecretOk u -> new AMQImpl.Connection.UpdateSecretOk();
    };
  }

  private static com.rabbitmq.client.impl.Method channel(ChannelMethod m) {
    return switch (m) {
      case ChannelOpen o -> new AMQImpl.Channel.Open("");
      case ChannelOpenOk o -> new AMQImpl.Channel.OpenOk(LongStringHelper.asLongString(""));
      case ChannelFlow f -> new AMQImpl.Channel.Flow(f.active());
      case ChannelFlowOk f -> new AMQImpl.Channel.FlowOk(f.active());
      case ChannelClose c ->
          new AMQImpl.Channel.Close(
              c.replyCode(), c.replyText(), c.failingClassId(), c.failingMethodId());
      case ChannelCloseOk c -> new AMQImpl.Channel.CloseOk();
    };
  }

  private static com.rabbitmq.client.impl.Method access(AccessMethod m) {
    return switch (m) {
      case AccessRequest r ->
          new AMQImpl.Access.Request(
              r.realm(), r.exclusive(), r.passive(), r.active(), r.write(), r.read());
      case AccessRequestOk r -> new AMQImpl.Access.RequestOk(1);
    };
  }

  private static com.rabbitmq.client.impl.Method exchange(ExchangeMethod m) {
    return switch (m) {
      case ExchangeDeclare d ->
          new AMQImpl.Exchange.Declare(
              0,
              d.exchange(),
              d.type(),
              d.passive(),
              d.durable(),
              d.autoDelete(),
              d.internal(),
              d.nowait(),
              toClient(d.arguments()));
      case ExchangeDeclareOk d -> new AMQImpl.Exchange.DeclareOk();
      case ExchangeDelete d ->
          new AMQImpl.Exchange.Delete(0, d.exchange(), d.ifUnused(), d.nowait());
      case ExchangeDeleteOk d -> new AMQImpl.Exchange.DeleteOk();
      case ExchangeBind b ->
          new AMQImpl.Exchange.Bind(
              0, b.destination(), b.source(), b.routingKey(), b.nowait(), toClient(b.arguments()));
      case ExchangeBindOk b -> new AMQImpl.Exchange.BindOk();
      case ExchangeUnbind u ->
          new AMQImpl.Exchange.Unbind(
              0, u.destination(), u.source(), u.routingKey(), u.nowait(), toClient(u.arguments()));
      case ExchangeUnbindOk u -> new AMQImpl.Exchange.UnbindOk();
    };
  }

  private static com.rabbitmq.client.impl.Method queue(QueueMethod m) {
    return switch (m) {
      case QueueDeclare d ->
          new AMQImpl.Queue.Declare(
              0,
              d.queue(),
              d.passive(),
              d.durable(),
              d.exclusive(),
              d.autoDelete(),
              d.nowait(),
              toClient(d.arguments()));
      case QueueDeclareOk d ->
          new AMQImpl.Queue.DeclareOk(d.queue(), (int) d.messageCount(), (int) d.consumerCount());
      case QueueBind b ->
          new AMQImpl.Queue.Bind(
              0, b.queue(), b.exchange(), b.routingKey(), b.nowait(), toClient(b.arguments()));
      case QueueBindOk b -> new AMQImpl.Queue.BindOk();
      case QueuePurge p -> new AMQImpl.Queue.Purge(0, p.queue(), p.nowait());
      case QueuePurgeOk p -> new AMQImpl.Queue.PurgeOk((int) p.messageCount());
      case QueueDelete d ->
          new AMQImpl.Queue.Delete(0, d.queue(), d.ifUnused(), d.ifEmpty(), d.nowait());
      case QueueDeleteOk d -> new AMQImpl.Queue.DeleteOk((int) d.messageCount());
      case QueueUnbind u ->
          new AMQImpl.Queue.Unbind(
              0, u.queue(), u.exchange(), u.routingKey(), toClient(u.arguments()));
      case QueueUnbindOk u -> new AMQImpl.Queue.UnbindOk();
    };
  }

  private static com.rabbitmq.client.impl.Method basic(BasicMethod m) {
    return switch (m) {
      case BasicQos q -> new AMQImpl.Basic.Qos(q.prefetchSize(), q.prefetchCount(), q.global());
      case BasicQosOk q -> new AMQImpl.Basic.QosOk();
      case BasicConsume c ->
          new AMQImpl.Basic.Consume(
              0,
              c.queue(),
              c.consumerTag(),
              c.noLocal(),
              c.noAck(),
              c.exclusive(),
              c.nowait(),
              toClient(c.arguments()));
      case BasicConsumeOk c -> new AMQImpl.Basic.ConsumeOk(c.consumerTag());
      case BasicCancel c -> new AMQImpl.Basic.Cancel(c.consumerTag(), c.nowait());
      case BasicCancelOk c -> new AMQImpl.Basic.CancelOk(c.consumerTag());
      case BasicPublish p ->
          new AMQImpl.Basic.Publish(0, p.exchange(), p.routingKey(), p.mandatory(), p.immediate());
      case BasicReturn r ->
          new AMQImpl.Basic.Return(r.replyCode(), r.replyText(), r.exchange(), r.routingKey());
      case BasicDeliver d ->
          new AMQImpl.Basic.Deliver(
              d.consumerTag(), d.deliveryTag(), d.redelivered(), d.exchange(), d.routingKey());
      case BasicGet g -> new AMQImpl.Basic.Get(0, g.queue(), g.noAck());
      case BasicGetOk g ->
          new AMQImpl.Basic.GetOk(
              g.deliveryTag(),
              g.redelivered(),
              g.exchange(),
              g.routingKey(),
              (int) g.messageCount());
      case BasicGetEmpty g -> new AMQImpl.Basic.GetEmpty("");
      case BasicAck a -> new AMQImpl.Basic.Ack(a.deliveryTag(), a.multiple());
      case BasicReject r -> new AMQImpl.Basic.Reject(r.deliveryTag(), r.requeue());
      case BasicRecoverAsync r -> new AMQImpl.Basic.RecoverAsync(r.requeue());
      case BasicRecover r -> new AMQImpl.Basic.Recover(r.requeue());
      case BasicRecoverOk r -> new AMQImpl.Basic.RecoverOk();
      case BasicNack n -> new AMQImpl.Basic.Nack(n.deliveryTag(), n.multiple(), n.requeue());
    };
  }

  private static com.rabbitmq.client.impl.Method confirm(ConfirmMethod m) {
    return switch (m) {
      case ConfirmSelect s -> new AMQImpl.Confirm.Select(s.nowait());
      case ConfirmSelectOk s -> new AMQImpl.Confirm.SelectOk();
    };
  }

  private static com.rabbitmq.client.impl.Method tx(TxMethod m) {
    return switch (m) {
      case TxSelect t -> new AMQImpl.Tx.Select();
      case TxSelectOk t -> new AMQImpl.Tx.SelectOk();
      case TxCommit t -> new AMQImpl.Tx.Commit();
      case TxCommitOk t -> new AMQImpl.Tx.CommitOk();
      case TxRollback t -> new AMQImpl.Tx.Rollback();
      case TxRollbackOk t -> new AMQImpl.Tx.RollbackOk();
    };
  }
}
