package io.warrenmq.amqp.content;

import io.netty.buffer.ByteBuf;
import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;
import io.warrenmq.amqp.types.FieldCodec;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Reads and writes the property flags and property list of a {@code basic} content header (spec
 * 4.2.6.1): the bytes after the header frame's class id, weight and body size.
 *
 * <p>The flags are 16-bit words; bit 15 of the first word is content-type, down to bit 2 for
 * cluster-id; bit 0 says another flag word follows. Basic has only 14 properties, so a further word
 * must carry no property bits. Bit 1 is not a property and is ignored, as the Java client does.
 *
 * <p><b>Buffers.</b> {@link #decode} and {@link #summarize} borrow {@code raw} and leave its reader
 * index unchanged; {@link #encode} appends to {@code out}. Malformed input raises {@code
 * AmqpException.connectionError(FRAME_ERROR)} when the flags are missing and {@code SYNTAX_ERROR}
 * otherwise. Stateless and thread-safe.
 */
public final class BasicPropertiesCodec {
  static final int CONTENT_TYPE = 1 << 15;
  static final int CONTENT_ENCODING = 1 << 14;
  static final int HEADERS = 1 << 13;
  static final int DELIVERY_MODE = 1 << 12;
  static final int PRIORITY = 1 << 11;
  static final int CORRELATION_ID = 1 << 10;
  static final int REPLY_TO = 1 << 9;
  static final int EXPIRATION = 1 << 8;
  static final int MESSAGE_ID = 1 << 7;
  static final int TIMESTAMP = 1 << 6;
  static final int TYPE = 1 << 5;
  static final int USER_ID = 1 << 4;
  static final int APP_ID = 1 << 3;
  static final int CLUSTER_ID = 1 << 2;
  private static final int CONTINUATION = 1;

  private BasicPropertiesCodec() {}

  /** Decodes flags and property list. Borrows {@code raw}; its reader index does not move. */
  public static BasicProperties decode(ByteBuf raw) {
    ByteBuf in = raw.duplicate();
    int flags = readFlags(in);
    try {
      return new BasicProperties(
          (flags & CONTENT_TYPE) != 0 ? FieldCodec.readShortStr(in) : null,
          (flags & CONTENT_ENCODING) != 0 ? FieldCodec.readShortStr(in) : null,
          (flags & HEADERS) != 0 ? FieldCodec.readTable(in) : null,
          (flags & DELIVERY_MODE) != 0 ? (int) need(in, 1).readUnsignedByte() : null,
          (flags & PRIORITY) != 0 ? (int) need(in, 1).readUnsignedByte() : null,
          (flags & CORRELATION_ID) != 0 ? FieldCodec.readShortStr(in) : null,
          (flags & REPLY_TO) != 0 ? FieldCodec.readShortStr(in) : null,
          (flags & EXPIRATION) != 0 ? FieldCodec.readShortStr(in) : null,
          (flags & MESSAGE_ID) != 0 ? FieldCodec.readShortStr(in) : null,
          (flags & TIMESTAMP) != 0 ? need(in, 8).readLong() : null,
          (flags & TYPE) != 0 ? FieldCodec.readShortStr(in) : null,
          (flags & USER_ID) != 0 ? FieldCodec.readShortStr(in) : null,
          (flags & APP_ID) != 0 ? FieldCodec.readShortStr(in) : null,
          (flags & CLUSTER_ID) != 0 ? FieldCodec.readShortStr(in) : null);
    } catch (AmqpException e) {
      throw syntax("%s in basic properties", e.detail());
    }
  }

  /** Appends flags and property list of {@code p}; a null property is left out. */
  public static void encode(ByteBuf out, BasicProperties p) {
    out.writeShort(flagsOf(p));
    writeIfPresent(out, p.contentType());
    writeIfPresent(out, p.contentEncoding());
    if (p.headers() != null) {
      FieldCodec.writeTable(out, p.headers());
    }
    if (p.deliveryMode() != null) {
      out.writeByte(p.deliveryMode());
    }
    if (p.priority() != null) {
      out.writeByte(p.priority());
    }
    writeIfPresent(out, p.correlationId());
    writeIfPresent(out, p.replyTo());
    writeIfPresent(out, p.expiration());
    writeIfPresent(out, p.messageId());
    if (p.timestamp() != null) {
      out.writeLong(p.timestamp());
    }
    writeIfPresent(out, p.type());
    writeIfPresent(out, p.userId());
    writeIfPresent(out, p.appId());
    writeIfPresent(out, p.clusterId());
  }

  /**
   * Reads delivery-mode, priority, expiration, whether headers are present and which of the
   * headers {@code CC}, {@code BCC} and {@code x-death} are there (with the type letter of the
   * first two), walking the headers table's keys without decoding it. Checks
   * that every property lies within {@code raw}, but not the inside of the headers table; use
   * {@link #decode} when the headers matter. Borrows {@code raw}; its reader index does not move.
   */
  public static PropertiesSummary summarize(ByteBuf raw) {
    int end = raw.writerIndex();
    int i = raw.readerIndex();
    checkFlagsPresent(i, end);
    int flags = raw.getUnsignedShort(i);
    i += 2;
    for (int word = flags; (word & CONTINUATION) != 0; i += 2) {
      checkFlagsPresent(i, end);
      word = raw.getUnsignedShort(i);
      checkNoMoreProperties(word);
    }
    int deliveryMode = 0;
    int priority = -1;
    String expiration = null;
    int headers = 0;
    i = skipShortStr(raw, flags, CONTENT_TYPE, i, end);
    i = skipShortStr(raw, flags, CONTENT_ENCODING, i, end);
    if ((flags & HEADERS) != 0) {
      long length = raw.getUnsignedInt(within(i, 4, end));
      if (length > end - i - 4) {
        throw syntax("headers table overruns the content header (length %d)", length);
      }
      headers = HeaderScan.scan(raw, i + 4, i + 4 + (int) length);
      i += 4 + (int) length;
    }
    if ((flags & DELIVERY_MODE) != 0) {
      deliveryMode = raw.getUnsignedByte(within(i++, 1, end));
    }
    if ((flags & PRIORITY) != 0) {
      priority = raw.getUnsignedByte(within(i++, 1, end));
    }
    i = skipShortStr(raw, flags, CORRELATION_ID, i, end);
    i = skipShortStr(raw, flags, REPLY_TO, i, end);
    if ((flags & EXPIRATION) != 0) {
      int length = raw.getUnsignedByte(within(i, 1, end));
      within(i + 1, length, end);
      expiration = raw.toString(i + 1, length, StandardCharsets.UTF_8);
      i += 1 + length;
    }
    i = skipShortStr(raw, flags, MESSAGE_ID, i, end);
    if ((flags & TIMESTAMP) != 0) {
      i = within(i, 8, end) + 8;
    }
    i = skipShortStr(raw, flags, TYPE, i, end);
    i = skipShortStr(raw, flags, USER_ID, i, end);
    i = skipShortStr(raw, flags, APP_ID, i, end);
    skipShortStr(raw, flags, CLUSTER_ID, i, end);
    return new PropertiesSummary(deliveryMode, priority, expiration, (flags & HEADERS) != 0,
        headers & 0xFF, headers >> 8 & 0xFF, (headers & 1 << 16) != 0);
  }

  private static int readFlags(ByteBuf in) {
    checkFlagsPresent(in.readerIndex(), in.writerIndex());
    int flags = in.readUnsignedShort();
    for (int word = flags; (word & CONTINUATION) != 0; ) {
      checkFlagsPresent(in.readerIndex(), in.writerIndex());
      word = in.readUnsignedShort();
      checkNoMoreProperties(word);
    }
    return flags;
  }

  private static int flagsOf(BasicProperties p) {
    int flags = 0;
    flags |= p.contentType() != null ? CONTENT_TYPE : 0;
    flags |= p.contentEncoding() != null ? CONTENT_ENCODING : 0;
    flags |= p.headers() != null ? HEADERS : 0;
    flags |= p.deliveryMode() != null ? DELIVERY_MODE : 0;
    flags |= p.priority() != null ? PRIORITY : 0;
    flags |= p.correlationId() != null ? CORRELATION_ID : 0;
    flags |= p.replyTo() != null ? REPLY_TO : 0;
    flags |= p.expiration() != null ? EXPIRATION : 0;
    flags |= p.messageId() != null ? MESSAGE_ID : 0;
    flags |= p.timestamp() != null ? TIMESTAMP : 0;
    flags |= p.type() != null ? TYPE : 0;
    flags |= p.userId() != null ? USER_ID : 0;
    flags |= p.appId() != null ? APP_ID : 0;
    flags |= p.clusterId() != null ? CLUSTER_ID : 0;
    return flags;
  }

  private static void writeIfPresent(ByteBuf out, @Nullable String s) {
    if (s != null) {
      FieldCodec.writeShortStr(out, s);
    }
  }

  private static int skipShortStr(ByteBuf raw, int flags, int flag, int i, int end) {
    if ((flags & flag) == 0) {
      return i;
    }
    int length = raw.getUnsignedByte(within(i, 1, end));
    return within(i + 1, length, end) + length;
  }

  /** Returns {@code i} when {@code bytes} bytes from {@code i} lie before {@code end}. */
  private static int within(int i, int bytes, int end) {
    if (bytes > end - i) {
      throw syntax("basic properties are truncated");
    }
    return i;
  }

  private static ByteBuf need(ByteBuf in, int bytes) {
    if (in.readableBytes() < bytes) {
      throw syntax("a property is truncated");
    }
    return in;
  }

  private static void checkFlagsPresent(int i, int end) {
    if (end - i < 2) {
      throw AmqpException.connectionError(
          ReplyCode.FRAME_ERROR, "content header has no property flags");
    }
  }

  private static void checkNoMoreProperties(int word) {
    if ((word & ~CONTINUATION) != 0) {
      throw syntax("unknown basic property flags 0x%04X in a continuation word", word);
    }
  }

  private static AmqpException syntax(String fmt, Object... args) {
    return AmqpException.connectionError(ReplyCode.SYNTAX_ERROR, fmt, args);
  }
}
