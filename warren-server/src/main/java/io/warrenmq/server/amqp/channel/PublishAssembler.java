package io.warrenmq.server.amqp.channel;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.warrenmq.amqp.AmqpConstants;
import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;
import io.warrenmq.amqp.frame.BodyFrame;
import io.warrenmq.amqp.frame.HeaderFrame;
import io.warrenmq.amqp.method.BasicPublish;
import org.jspecify.annotations.Nullable;

/**
 * Assembles basic.publish, its content header and its body frames into one message (AMQP 0-9-1
 * 4.2.6), enforcing the order of frames and the maximum message size as soon as the header
 * announces the body size.
 *
 * <p>Buffers: the assembler owns the header's property bytes and the body slices it receives
 * until {@link Complete} hands them to the channel, which releases them with
 * {@link Complete#release()}; {@link #reset()} releases a half-assembled message.
 *
 * <p>Threading: confined to the connection's event loop.
 */
final class PublishAssembler {
  private enum State {
    IDLE,
    AWAIT_HEADER,
    AWAIT_BODY
  }

  /** A complete message; the receiver releases it. */
  record Complete(BasicPublish method, HeaderFrame header, ByteBuf body) {
    void release() {
      header.release();
      body.release();
    }
  }

  private static final int PUBLISH_CLASS = AmqpConstants.CLASS_BASIC;
  private static final int PUBLISH_METHOD = BasicPublish.METHOD_ID;

  private final ByteBufAllocator alloc;
  private final long maxMessageSize;
  private State state = State.IDLE;
  private @Nullable BasicPublish method;
  private @Nullable HeaderFrame header;
  private @Nullable ByteBuf body;
  private long remaining;

  PublishAssembler(ByteBufAllocator alloc, long maxMessageSize) {
    this.alloc = alloc;
    this.maxMessageSize = maxMessageSize;
  }

  boolean idle() {
    return state == State.IDLE;
  }

  /** A basic.publish arrived; a content header must follow. */
  void method(BasicPublish m) {
    expectIdle();
    method = m;
    state = State.AWAIT_HEADER;
  }

  /** Throws 505 unless the assembler waits for a method. */
  void expectIdle() {
    if (state != State.IDLE) {
      throw unexpectedFrame();
    }
  }

  /**
   * RabbitMQ's 505 for a frame that is not the content frame the assembler waits for
   * (rabbit_command_assembler), naming basic.publish as the failing method.
   */
  private AmqpException unexpectedFrame() {
    return AmqpException.connectionError(
            ReplyCode.UNEXPECTED_FRAME,
            state == State.AWAIT_HEADER
                ? "expected content header for class 60, got non content header frame instead"
                : "expected content body, got non content body frame instead")
        .withMethod(PUBLISH_CLASS, PUBLISH_METHOD);
  }

  /** 505 for a content frame when a method is expected; RabbitMQ names no method. */
  private static AmqpException expectedMethod() {
    return AmqpException.connectionError(
        ReplyCode.UNEXPECTED_FRAME, "expected method frame, got non method frame instead");
  }

  /** Takes ownership of {@code h}. Returns the message if its body is empty. */
  @Nullable Complete header(HeaderFrame h) {
    if (state != State.AWAIT_HEADER) {
      h.release();
      throw state == State.IDLE ? expectedMethod() : unexpectedFrame();
    }
    if (h.classId() != AmqpConstants.CLASS_BASIC) {
      h.release();
      throw AmqpException.connectionError(ReplyCode.UNEXPECTED_FRAME,
              "expected content header for class 60, got one for class %d instead", h.classId())
          .withMethod(PUBLISH_CLASS, PUBLISH_METHOD);
    }
    if (h.bodySize() > maxMessageSize) {
      // RabbitMQ 3.13.7 (rabbit_channel, check_msg_size): a channel error 406 for any size over
      // the configured maximum, which is at most the hard limit of 512 MiB; its text drops
      // "configured" when the maximum is that limit. (RabbitMQ 4.2 answers a body announced over
      // 512 MiB with a connection error 501 instead; we follow 3.13.7.) RabbitMQ judges the
      // assembled body; we judge the size the header announces, so the body is never buffered.
      long size = h.bodySize();
      h.release();
      reset();
      throw AmqpException.channelError(
              ReplyCode.PRECONDITION_FAILED,
              "message size %d is larger than %smax size %d",
              size,
              maxMessageSize == AmqpConstants.MAX_MESSAGE_SIZE ? "" : "configured ",
              maxMessageSize)
          .withMethod(PUBLISH_CLASS, PUBLISH_METHOD);
    }
    header = h;
    remaining = h.bodySize();
    if (remaining == 0) {
      return complete(Unpooled.EMPTY_BUFFER);
    }
    state = State.AWAIT_BODY;
    return null;
  }

  /** Takes ownership of {@code b}. Returns the message once its last body frame arrived. */
  @Nullable Complete body(BodyFrame b) {
    if (state != State.AWAIT_BODY) {
      b.release();
      throw state == State.IDLE ? expectedMethod() : unexpectedFrame();
    }
    ByteBuf payload = b.payload();
    int len = payload.readableBytes();
    if (len > remaining) {
      b.release();
      reset();
      throw AmqpException.connectionError(ReplyCode.FRAME_ERROR, "content body frame exceeds remaining content size")
          .withMethod(PUBLISH_CLASS, PUBLISH_METHOD);
    }
    remaining -= len;
    if (body == null) {
      if (remaining == 0) {
        return complete(payload);
      }
      CompositeByteBuf c = alloc.compositeBuffer(Integer.MAX_VALUE);
      c.addComponent(true, payload);
      body = c;
    } else {
      ((CompositeByteBuf) body).addComponent(true, payload);
    }
    if (remaining == 0) {
      ByteBuf full = body;
      body = null;
      return complete(full);
    }
    return null;
  }

  private Complete complete(ByteBuf fullBody) {
    Complete c = new Complete(method, header, fullBody);
    method = null;
    header = null;
    body = null;
    state = State.IDLE;
    return c;
  }

  /** Drops a half-assembled message (channel closing or error). */
  void reset() {
    if (header != null) {
      header.release();
      header = null;
    }
    if (body != null) {
      body.release();
      body = null;
    }
    method = null;
    state = State.IDLE;
  }
}
