package io.warrenmq.cluster.link;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.warrenmq.amqp.types.FieldCodec;
import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.broker.message.Message;
import io.warrenmq.broker.queue.QueueLink;
import io.warrenmq.broker.queue.QueueSpec;

/**
 * The inter-node link's frames: a 4-byte length, a type octet and the type's fields (AMQP
 * short strings and field tables, big-endian numbers). Message properties and bodies, and stored
 * records, travel as the raw bytes the broker already has, never re-encoded.
 *
 * <pre>
 * HELLO     cluster, node                                  client to home, once
 * PUBLISH   seq, vhost, queue, exchange, routing key, timestamp, properties length, properties, body
 * CONFIRM   seq, ok, text                                  home to client, per PUBLISH
 * CONSUME   id, vhost, queue, prefetch, exclusive, priority, arguments
 * DELIVER   id, position, redelivered, delivery count, record
 * SETTLE    id, op, count, positions
 * CANCEL    id
 * ENDED     id, reason                                     home to client: the consumer is over
 * GET       request, getter id, vhost, queue, no-ack
 * GOT       request, position, redelivered, delivery count, message count, record (empty: none)
 * QUERY     request, op (status, purge), vhost, queue
 * ANSWER    request, ok, two numbers (messages and consumers, or purged and 0), text
 * HEARTBEAT                                                both ways, when idle
 * </pre>
 */
final class LinkFrames {
  static final byte HELLO = 1;
  static final byte PUBLISH = 2;
  static final byte CONFIRM = 3;
  static final byte CONSUME = 4;
  static final byte DELIVER = 5;
  static final byte SETTLE = 6;
  static final byte CANCEL = 7;
  static final byte ENDED = 8;
  static final byte HEARTBEAT = 9;
  static final byte GET = 10;
  static final byte GOT = 11;
  static final byte QUERY = 12;
  static final byte ANSWER = 13;
  static final byte STATUS = 0;
  static final byte PURGE = 1;
  static final int MAX_FRAME = 256 * 1024 * 1024;

  private LinkFrames() {}

  static LengthFieldBasedFrameDecoder decoder() {
    return new LengthFieldBasedFrameDecoder(MAX_FRAME, 0, 4, 0, 4);
  }

  static LengthFieldPrepender prepender() {
    return new LengthFieldPrepender(4);
  }

  static ByteBuf hello(ByteBufAllocator a, String cluster, String node) {
    ByteBuf b = a.buffer(64).writeByte(HELLO);
    FieldCodec.writeShortStr(b, cluster);
    FieldCodec.writeShortStr(b, node);
    return b;
  }

  /** A PUBLISH, the message's buffers copied (they are borrowed). */
  static ByteBuf publish(ByteBufAllocator a, long seq, QueueSpec q, Message m) {
    ByteBuf props = m.rawProperties();
    ByteBuf body = m.body();
    ByteBuf b = a.buffer(96 + props.readableBytes() + body.readableBytes()).writeByte(PUBLISH).writeLong(seq);
    FieldCodec.writeShortStr(b, q.vhost());
    FieldCodec.writeShortStr(b, q.name());
    FieldCodec.writeShortStr(b, m.exchange());
    FieldCodec.writeShortStr(b, m.routingKey());
    b.writeLong(m.timestamp()).writeInt(props.readableBytes());
    b.writeBytes(props, props.readerIndex(), props.readableBytes());
    b.writeBytes(body, body.readerIndex(), body.readableBytes());
    return b;
  }

  static ByteBuf confirm(ByteBufAllocator a, long seq, boolean ok, String text) {
    ByteBuf b = a.buffer(16 + text.length()).writeByte(CONFIRM).writeLong(seq).writeBoolean(ok);
    FieldCodec.writeShortStrTruncated(b, text);
    return b;
  }

  static ByteBuf consume(ByteBufAllocator a, long id, QueueSpec q, int prefetch, boolean exclusive, int priority,
      FieldTable args) {
    ByteBuf b = a.buffer(128).writeByte(CONSUME).writeLong(id);
    FieldCodec.writeShortStr(b, q.vhost());
    FieldCodec.writeShortStr(b, q.name());
    b.writeInt(prefetch).writeBoolean(exclusive).writeInt(priority);
    FieldCodec.writeTable(b, args);
    return b;
  }

  /** A DELIVER that owns {@code record} (released once written). */
  static ByteBuf deliver(ByteBufAllocator a, long id, long position, boolean redelivered, int count, ByteBuf record) {
    ByteBuf head = a.buffer(22).writeByte(DELIVER).writeLong(id).writeLong(position).writeBoolean(redelivered)
        .writeInt(count);
    CompositeByteBuf c = a.compositeBuffer(2);
    c.addComponents(true, head, record);
    return c;
  }

  static ByteBuf settle(ByteBufAllocator a, long id, QueueLink.Settlement op, long[] positions, int count) {
    ByteBuf b = a.buffer(14 + 8 * count).writeByte(SETTLE).writeLong(id).writeByte(op.ordinal()).writeInt(count);
    for (int i = 0; i < count; i++) {
      b.writeLong(positions[i]);
    }
    return b;
  }

  static ByteBuf cancel(ByteBufAllocator a, long id) {
    return a.buffer(9).writeByte(CANCEL).writeLong(id);
  }

  static ByteBuf ended(ByteBufAllocator a, long id, String reason) {
    ByteBuf b = a.buffer(16 + reason.length()).writeByte(ENDED).writeLong(id);
    FieldCodec.writeShortStrTruncated(b, reason);
    return b;
  }

  static ByteBuf get(ByteBufAllocator a, long request, long getter, QueueSpec q, boolean noAck) {
    ByteBuf b = a.buffer(64).writeByte(GET).writeLong(request).writeLong(getter);
    FieldCodec.writeShortStr(b, q.vhost());
    FieldCodec.writeShortStr(b, q.name());
    return b.writeBoolean(noAck);
  }

  /** A GOT that owns {@code record} (released once written); position -1 and no record for "empty". */
  static ByteBuf got(ByteBufAllocator a, long request, long position, boolean redelivered, int count, long messages,
      ByteBuf record) {
    ByteBuf head = a.buffer(38).writeByte(GOT).writeLong(request).writeLong(position).writeBoolean(redelivered)
        .writeInt(count).writeLong(messages);
    CompositeByteBuf c = a.compositeBuffer(2);
    c.addComponents(true, head, record);
    return c;
  }

  static ByteBuf query(ByteBufAllocator a, long request, byte op, QueueSpec q) {
    ByteBuf b = a.buffer(64).writeByte(QUERY).writeLong(request).writeByte(op);
    FieldCodec.writeShortStr(b, q.vhost());
    FieldCodec.writeShortStr(b, q.name());
    return b;
  }

  static ByteBuf answer(ByteBufAllocator a, long request, boolean ok, long first, long second, String text) {
    ByteBuf b = a.buffer(32 + text.length()).writeByte(ANSWER).writeLong(request).writeBoolean(ok)
        .writeLong(first).writeLong(second);
    FieldCodec.writeShortStrTruncated(b, text);
    return b;
  }

  static ByteBuf heartbeat(ByteBufAllocator a) {
    return a.buffer(1).writeByte(HEARTBEAT);
  }

  static long[] positions(ByteBuf in, int count) {
    long[] p = new long[count];
    for (int i = 0; i < count; i++) {
      p[i] = in.readLong();
    }
    return p;
  }
}
