package io.warrenmq.amqp.frame;

import static io.warrenmq.amqp.AmqpConstants.FRAME_MIN_SIZE;
import static io.warrenmq.amqp.AmqpConstants.PROTOCOL_HEADER_LENGTH;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.warrenmq.amqp.AmqpConstants;
import java.util.List;

/**
 * The first handler of an AMQP connection: checks the protocol header {@code "AMQP" 0 0 9 1} (spec
 * 4.2.2).
 *
 * <ul>
 *   <li>On the right header (or the 0-9 one, {@code "AMQP" 1 1 0 9}, served as 0-9-1 as RabbitMQ
 *       does) it replaces itself with a {@link FrameDecoder} named {@value
 *       #FRAME_DECODER_NAME} (frame-max 4096 until tune-ok), fires the user event {@link
 *       #ACCEPTED}, and only then passes any bytes that came after the header to the new decoder.
 *   <li>On anything else it writes {@code "AMQP" 0 0 9 1} back, flushes, and closes the channel, as
 *       the spec asks; it fires {@link #REJECTED} first and discards every byte that follows.
 * </ul>
 *
 * It holds at most 8 bytes while waiting, and rejects as soon as the bytes received so far stop
 * matching the header, so a slow or hostile peer costs nothing. Not {@code @Sharable}: one instance
 * per connection, confined to its event loop.
 */
public final class ProtocolHeaderDecoder extends ByteToMessageDecoder {
  /** The pipeline name of the {@link FrameDecoder} that replaces this handler. */
  public static final String FRAME_DECODER_NAME = "frameDecoder";

  /** User events fired by this handler. */
  public enum Event {
    /**
     * The peer sent {@code "AMQP" 0 0 9 1}; frames follow. The server now sends connection.start.
     */
    ACCEPTED,
    /** The peer sent something else; the channel is being closed. */
    REJECTED
  }

  /** Fired when the protocol header was accepted, before any frame. */
  public static final Event ACCEPTED = Event.ACCEPTED;

  /** Fired when the protocol header was rejected, before the channel closes. */
  public static final Event REJECTED = Event.REJECTED;

  private static final byte[] HEADER = AmqpConstants.protocolHeader();

  /**
   * The 0-9 header {@code "AMQP" 1 1 0 9}, which RabbitMQ (rabbit_reader, version_negotiation)
   * accepts and serves as 0-9-1: the two versions are close enough that such clients get along.
   */
  private static final byte[] HEADER_0_9 = {'A', 'M', 'Q', 'P', 1, 1, 0, 9};

  private boolean rejected;

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (rejected) {
      in.skipBytes(in.readableBytes());
      return;
    }
    int available = Math.min(in.readableBytes(), PROTOCOL_HEADER_LENGTH);
    if (!matches(in, available, HEADER) && !matches(in, available, HEADER_0_9)) {
      reject(ctx, in);
      return;
    }
    if (available < PROTOCOL_HEADER_LENGTH) {
      return;
    }
    in.skipBytes(PROTOCOL_HEADER_LENGTH);
    ctx.fireUserEventTriggered(ACCEPTED);
    // replace() hands the bytes left in our cumulation to the new decoder (handlerRemoved)
    ctx.pipeline().replace(this, FRAME_DECODER_NAME, new FrameDecoder(FRAME_MIN_SIZE));
  }

  private static boolean matches(ByteBuf in, int available, byte[] header) {
    for (int i = 0; i < available; i++) {
      if (in.getByte(in.readerIndex() + i) != header[i]) {
        return false;
      }
    }
    return true;
  }

  private void reject(ChannelHandlerContext ctx, ByteBuf in) {
    rejected = true;
    in.skipBytes(in.readableBytes());
    ctx.fireUserEventTriggered(REJECTED);
    ctx.writeAndFlush(Unpooled.wrappedBuffer(AmqpConstants.protocolHeader()))
        .addListener(ChannelFutureListener.CLOSE);
  }
}
