package io.warrenmq.server.ctl;

import io.netty.buffer.ByteBuf;
import io.warrenmq.amqp.content.BasicProperties;
import io.warrenmq.broker.message.Envelope;
import io.warrenmq.broker.queue.ClassicQueue;
import io.warrenmq.broker.queue.Queue;
import io.warrenmq.broker.vhost.VirtualHost;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * warrenctl peek: prints the first messages of a queue without consuming them (a copy of each
 * record is read from the store; the queue's state and counters do not change).
 */
final class Peek {
  private static final int BODY_PREVIEW = 256;

  private Peek() {}

  static void print(VirtualHost vh, String queueName, int n, StringBuilder out) {
    Queue q = vh.queue(queueName);
    if (q == null) {
      throw new IllegalArgumentException("no queue '" + queueName + "' in vhost '" + vh.name() + "'");
    }
    if (!(q instanceof ClassicQueue cq)) {
      throw new IllegalArgumentException("queue '" + queueName + "' cannot be peeked");
    }
    List<ByteBuf> records = cq.peekMessages(n).stream().map(ClassicQueue.Peeked::record).toList();
    out.append("position\texchange\trouting_key\tproperties\tbody_size\tbody\n");
    int i = 1;
    for (ByteBuf r : records) {
      try {
        Envelope e = Envelope.parse(r);
        BasicProperties p = e.properties().isReadable() ? e.decodeProperties() : BasicProperties.EMPTY;
        out.append(i++).append('\t').append(e.exchange()).append('\t').append(e.routingKey()).append('\t')
            .append(describe(p)).append('\t').append(e.bodySize()).append('\t').append(body(e.body())).append('\n');
      } finally {
        r.release();
      }
    }
  }

  private static String describe(BasicProperties p) {
    StringBuilder b = new StringBuilder("{");
    append(b, "content_type", p.contentType());
    append(b, "delivery_mode", p.deliveryMode());
    append(b, "priority", p.priority());
    append(b, "expiration", p.expiration());
    append(b, "message_id", p.messageId());
    append(b, "correlation_id", p.correlationId());
    append(b, "headers", p.headers() == null ? null : p.headers().toString());
    return b.append('}').toString();
  }

  private static void append(StringBuilder b, String k, Object v) {
    if (v != null) {
      if (b.length() > 1) {
        b.append(", ");
      }
      b.append(k).append('=').append(v);
    }
  }

  /** UTF-8 text (escaped, cut at 256 bytes) when the body is text, else base64 of the first bytes. */
  private static String body(ByteBuf body) {
    int len = Math.min(body.readableBytes(), BODY_PREVIEW);
    byte[] b = new byte[len];
    body.getBytes(body.readerIndex(), b);
    String suffix = body.readableBytes() > len ? "..." : "";
    try {
      String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(b)).toString();
      return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n") + suffix;
    } catch (CharacterCodingException e) {
      return "base64:" + Base64.getEncoder().encodeToString(b) + suffix;
    }
  }
}
