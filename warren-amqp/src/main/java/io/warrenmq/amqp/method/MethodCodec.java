package io.warrenmq.amqp.method;

import io.netty.buffer.ByteBuf;
import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;
import org.jspecify.annotations.Nullable;

/**
 * Reads and writes method frame payloads: class id (short), method id (short), arguments (spec
 * 4.2.4).
 *
 * <p>Decoding borrows the payload and advances its reader index; bytes after the arguments are
 * ignored, as RabbitMQ and its clients do. Errors:
 *
 * <ul>
 *   <li>an unknown class or method: {@code connectionError(NOT_IMPLEMENTED, "unknown method C.M")};
 *   <li>truncated or malformed arguments: {@code connectionError(SYNTAX_ERROR, ...)} with a text
 *       naming the method.
 * </ul>
 *
 * Both carry the class and method ids ({@link AmqpException#withMethod}). Stateless and
 * thread-safe.
 */
public final class MethodCodec {
  private MethodCodec() {}

  /** Appends class id, method id and arguments of {@code m} to {@code out}. */
  public static void encode(ByteBuf out, Method m) {
    out.writeShort(m.classId());
    out.writeShort(m.methodId());
    m.encodeArguments(out);
  }

  /** Decodes one method from a method frame payload. */
  public static Method decode(ByteBuf payload) {
    if (payload.readableBytes() < 4) {
      throw AmqpException.connectionError(
          ReplyCode.SYNTAX_ERROR,
          "method frame payload of %d bytes is too short for class and method ids",
          payload.readableBytes());
    }
    int classId = payload.readUnsignedShort();
    int methodId = payload.readUnsignedShort();
    String name = methodName(classId, methodId);
    if (name == null) {
      throw unknownMethod(classId, methodId);
    }
    try {
      return switch (classId) {
        case 10 -> decodeConnection(methodId, payload);
        case 20 -> decodeChannel(methodId, payload);
        case 30 -> decodeAccess(methodId, payload);
        case 40 -> decodeExchange(methodId, payload);
        case 50 -> decodeQueue(methodId, payload);
        case 60 -> decodeBasic(methodId, payload);
        case 85 -> decodeConfirm(methodId, payload);
        case 90 -> decodeTx(methodId, payload);
        default -> throw unknownMethod(classId, methodId);
      };
    } catch (IndexOutOfBoundsException e) {
      throw AmqpException.connectionError(
              ReplyCode.SYNTAX_ERROR, "arguments of %s are truncated", name)
          .withMethod(classId, methodId);
    } catch (AmqpException e) {
      // a field codec error: say in which method it happened
      throw AmqpException.connectionError(e.replyCode(), "%s in %s", e.detail(), name)
          .withMethod(classId, methodId);
    }
  }

  /** The spec name of a method, for example {@code "basic.publish"}; null when unknown. */
  public static @Nullable String methodName(int classId, int methodId) {
    return switch (classId) {
      case 10 ->
          switch (methodId) {
            case 10 -> "connection.start";
            case 11 -> "connection.start-ok";
            case 20 -> "connection.secure";
            case 21 -> "connection.secure-ok";
            case 30 -> "connection.tune";
            case 31 -> "connection.tune-ok";
            case 40 -> "connection.open";
            case 41 -> "connection.open-ok";
            case 50 -> "connection.close";
            case 51 -> "connection.close-ok";
            case 60 -> "connection.blocked";
            case 61 -> "connection.unblocked";
            case 70 -> "connection.update-secret";
            case 71 -> "connection.update-secret-ok";
            default -> null;
          };
      case 20 ->
          switch (methodId) {
            case 10 -> "channel.open";
            case 11 -> "channel.open-ok";
            case 20 -> "channel.flow";
            case 21 -> "channel.flow-ok";
            case 40 -> "channel.close";
            case 41 -> "channel.close-ok";
            default -> null;
          };
      case 30 ->
          switch (methodId) {
            case 10 -> "access.request";
            case 11 -> "access.request-ok";
            default -> null;
          };
      case 40 ->
          switch (methodId) {
            case 10 -> "exchange.declare";
            case 11 -> "exchange.declare-ok";
            case 20 -> "exchange.delete";
            case 21 -> "exchange.delete-ok";
            case 30 -> "exchange.bind";
            case 31 -> "exchange.bind-ok";
            case 40 -> "exchange.unbind";
            case 51 -> "exchange.unbind-ok";
            default -> null;
          };
      case 50 ->
          switch (methodId) {
            case 10 -> "queue.declare";
            case 11 -> "queue.declare-ok";
            case 20 -> "queue.bind";
            case 21 -> "queue.bind-ok";
            case 30 -> "queue.purge";
            case 31 -> "queue.purge-ok";
            case 40 -> "queue.delete";
            case 41 -> "queue.delete-ok";
            case 50 -> "queue.unbind";
            case 51 -> "queue.unbind-ok";
            default -> null;
          };
      case 60 ->
          switch (methodId) {
            case 10 -> "basic.qos";
            case 11 -> "basic.qos-ok";
            case 20 -> "basic.consume";
            case 21 -> "basic.consume-ok";
            case 30 -> "basic.cancel";
            case 31 -> "basic.cancel-ok";
            case 40 -> "basic.publish";
            case 50 -> "basic.return";
            case 60 -> "basic.deliver";
            case 70 -> "basic.get";
            case 71 -> "basic.get-ok";
            case 72 -> "basic.get-empty";
            case 80 -> "basic.ack";
            case 90 -> "basic.reject";
            case 100 -> "basic.recover-async";
            case 110 -> "basic.recover";
            case 111 -> "basic.recover-ok";
            case 120 -> "basic.nack";
            default -> null;
          };
      case 85 ->
          switch (methodId) {
            case 10 -> "confirm.select";
            case 11 -> "confirm.select-ok";
            default -> null;
          };
      case 90 ->
          switch (methodId) {
            case 10 -> "tx.select";
            case 11 -> "tx.select-ok";
            case 20 -> "tx.commit";
            case 21 -> "tx.commit-ok";
            case 30 -> "tx.rollback";
            case 31 -> "tx.rollback-ok";
            default -> null;
          };
      default -> null;
    };
  }

  private static Method decodeConnection(int methodId, ByteBuf in) {
    return switch (methodId) {
      case ConnectionStart.METHOD_ID -> ConnectionStart.decode(in);
      case ConnectionStartOk.METHOD_ID -> ConnectionStartOk.decode(in);
      case ConnectionSecure.METHOD_ID -> ConnectionSecure.decode(in);
      case ConnectionSecureOk.METHOD_ID -> ConnectionSecureOk.decode(in);
      case ConnectionTune.METHOD_ID -> ConnectionTune.decode(in);
      case ConnectionTuneOk.METHOD_ID -> ConnectionTuneOk.decode(in);
      case ConnectionOpen.METHOD_ID -> ConnectionOpen.decode(in);
      case ConnectionOpenOk.METHOD_ID -> ConnectionOpenOk.decode(in);
      case ConnectionClose.METHOD_ID -> ConnectionClose.decode(in);
      case ConnectionCloseOk.METHOD_ID -> ConnectionCloseOk.decode(in);
      case ConnectionBlocked.METHOD_ID -> ConnectionBlocked.decode(in);
      case ConnectionUnblocked.METHOD_ID -> ConnectionUnblocked.decode(in);
      case ConnectionUpdateSecret.METHOD_ID -> ConnectionUpdateSecret.decode(in);
      case ConnectionUpdateSecretOk.METHOD_ID -> ConnectionUpdateSecretOk.decode(in);
      default -> throw unknownMethod(10, methodId);
    };
  }

  private static Method decodeChannel(int methodId, ByteBuf in) {
    return switch (methodId) {
      case ChannelOpen.METHOD_ID -> ChannelOpen.decode(in);
      case ChannelOpenOk.METHOD_ID -> ChannelOpenOk.decode(in);
      case ChannelFlow.METHOD_ID -> ChannelFlow.decode(in);
      case ChannelFlowOk.METHOD_ID -> ChannelFlowOk.decode(in);
      case ChannelClose.METHOD_ID -> ChannelClose.decode(in);
      case ChannelCloseOk.METHOD_ID -> ChannelCloseOk.decode(in);
      default -> throw unknownMethod(20, methodId);
    };
  }

  private static Method decodeAccess(int methodId, ByteBuf in) {
    return switch (methodId) {
      case AccessRequest.METHOD_ID -> AccessRequest.decode(in);
      case AccessRequestOk.METHOD_ID -> AccessRequestOk.decode(in);
      default -> throw unknownMethod(30, methodId);
    };
  }

  private static Method decodeExchange(int methodId, ByteBuf in) {
    return switch (methodId) {
      case ExchangeDeclare.METHOD_ID -> ExchangeDeclare.decode(in);
      case ExchangeDeclareOk.METHOD_ID -> ExchangeDeclareOk.decode(in);
      case ExchangeDelete.METHOD_ID -> ExchangeDelete.decode(in);
      case ExchangeDeleteOk.METHOD_ID -> ExchangeDeleteOk.decode(in);
      case ExchangeBind.METHOD_ID -> ExchangeBind.decode(in);
      case ExchangeBindOk.METHOD_ID -> ExchangeBindOk.decode(in);
      case ExchangeUnbind.METHOD_ID -> ExchangeUnbind.decode(in);
      case ExchangeUnbindOk.METHOD_ID -> ExchangeUnbindOk.decode(in);
      default -> throw unknownMethod(40, methodId);
    };
  }

  private static Method decodeQueue(int methodId, ByteBuf in) {
    return switch (methodId) {
      case QueueDeclare.METHOD_ID -> QueueDeclare.decode(in);
      case QueueDeclareOk.METHOD_ID -> QueueDeclareOk.decode(in);
      case QueueBind.METHOD_ID -> QueueBind.decode(in);
      case QueueBindOk.METHOD_ID -> QueueBindOk.decode(in);
      case QueuePurge.METHOD_ID -> QueuePurge.decode(in);
      case QueuePurgeOk.METHOD_ID -> QueuePurgeOk.decode(in);
      case QueueDelete.METHOD_ID -> QueueDelete.decode(in);
      case QueueDeleteOk.METHOD_ID -> QueueDeleteOk.decode(in);
      case QueueUnbind.METHOD_ID -> QueueUnbind.decode(in);
      case QueueUnbindOk.METHOD_ID -> QueueUnbindOk.decode(in);
      default -> throw unknownMethod(50, methodId);
    };
  }

  private static Method decodeBasic(int methodId, ByteBuf in) {
    return switch (methodId) {
      case BasicQos.METHOD_ID -> BasicQos.decode(in);
      case BasicQosOk.METHOD_ID -> BasicQosOk.decode(in);
      case BasicConsume.METHOD_ID -> BasicConsume.decode(in);
      case BasicConsumeOk.METHOD_ID -> BasicConsumeOk.decode(in);
      case BasicCancel.METHOD_ID -> BasicCancel.decode(in);
      case BasicCancelOk.METHOD_ID -> BasicCancelOk.decode(in);
      case BasicPublish.METHOD_ID -> BasicPublish.decode(in);
      case BasicReturn.METHOD_ID -> BasicReturn.decode(in);
      case BasicDeliver.METHOD_ID -> BasicDeliver.decode(in);
      case BasicGet.METHOD_ID -> BasicGet.decode(in);
      case BasicGetOk.METHOD_ID -> BasicGetOk.decode(in);
      case BasicGetEmpty.METHOD_ID -> BasicGetEmpty.decode(in);
      case BasicAck.METHOD_ID -> BasicAck.decode(in);
      case BasicReject.METHOD_ID -> BasicReject.decode(in);
      case BasicRecoverAsync.METHOD_ID -> BasicRecoverAsync.decode(in);
      case BasicRecover.METHOD_ID -> BasicRecover.decode(in);
      case BasicRecoverOk.METHOD_ID -> BasicRecoverOk.decode(in);
      case BasicNack.METHOD_ID -> BasicNack.decode(in);
      default -> throw unknownMethod(60, methodId);
    };
  }

  private static Method decodeConfirm(int methodId, ByteBuf in) {
    return switch (methodId) {
      case ConfirmSelect.METHOD_ID -> ConfirmSelect.decode(in);
      case ConfirmSelectOk.METHOD_ID -> ConfirmSelectOk.decode(in);
      default -> throw unknownMethod(85, methodId);
    };
  }

  private static Method decodeTx(int methodId, ByteBuf in) {
    return switch (methodId) {
      case TxSelect.METHOD_ID -> TxSelect.decode(in);
      case TxSelectOk.METHOD_ID -> TxSelectOk.decode(in);
      case TxCommit.METHOD_ID -> TxCommit.decode(in);
      case TxCommitOk.METHOD_ID -> TxCommitOk.decode(in);
      case TxRollback.METHOD_ID -> TxRollback.decode(in);
      case TxRollbackOk.METHOD_ID -> TxRollbackOk.decode(in);
      default -> throw unknownMethod(90, methodId);
    };
  }

  private static AmqpException unknownMethod(int classId, int methodId) {
    return AmqpException.connectionError(
            ReplyCode.NOT_IMPLEMENTED, "unknown method %d.%d", classId, methodId)
        .withMethod(classId, methodId);
  }
}
