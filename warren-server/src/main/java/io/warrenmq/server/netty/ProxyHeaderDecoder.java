package io.warrenmq.server.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolException;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;

/**
 * Netty's PROXY protocol v1 and v2 decoder ({@link HAProxyMessageDecoder}: a v1 line of at most
 * 107 bytes, a v2 header of at most 16 + 65535), which also refuses a connection as soon as its
 * first bytes cannot begin a header. Netty's own waits for 13 bytes before it looks, while an AMQP
 * client sends its 8-byte protocol header and waits: without this check a client that skipped the
 * load balancer would only be refused by the timeout (RabbitMQ's ranch refuses at once too).
 *
 * <p>A refusal is a {@link NoHeader} fired down the pipeline; every byte after it is dropped.
 * Not sharable: one per connection, confined to its event loop. Buffers: what it refuses it
 * releases; the rest is Netty's decoder's (the header slice, then the bytes after it passed on).
 */
final class ProxyHeaderDecoder extends HAProxyMessageDecoder {
  private static final byte[] V1 = "PROXY ".getBytes(StandardCharsets.US_ASCII);
  /** The v2 signature, section 2.2 of the PROXY protocol specification. */
  private static final byte[] V2 = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

  private int seen;
  private int first = -1;
  private boolean maybeV1 = true;
  private boolean maybeV2 = true;
  private boolean refused;

  /** The connection does not start with a PROXY protocol header. */
  static final class NoHeader extends HAProxyProtocolException {
    NoHeader(String message) {
      super(message);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (refused) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof ByteBuf in && seen < V2.length && !startsLikeAHeader(in)) {
      refused = true;
      in.release();
      ctx.fireExceptionCaught(new NoHeader(why()));
      return;
    }
    super.channelRead(ctx, msg);
  }

  /** Whether the bytes so far (with {@code in}'s, read but not consumed) can still begin v1 or v2. */
  private boolean startsLikeAHeader(ByteBuf in) {
    for (int i = in.readerIndex(); i < in.writerIndex() && seen < V2.length; i++, seen++) {
      byte b = in.getByte(i);
      if (seen == 0) {
        first = b & 0xff;
      }
      maybeV1 &= seen >= V1.length || b == V1[seen];
      maybeV2 &= b == V2[seen];
      if (!maybeV1 && !maybeV2) {
        return false;
      }
    }
    return true;
  }

  private String why() {
    return switch (first) {
      case 'A' -> "no PROXY protocol header: the client sent the AMQP protocol header first"
          + " (is it connecting past the load balancer?)";
      case 0x16 -> "no PROXY protocol header: the client started a TLS handshake first"
          + " (is it connecting past the load balancer?)";
      default -> String.format("no PROXY protocol header: the connection starts with byte 0x%02x", first);
    };
  }
}
