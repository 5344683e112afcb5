package io.warrenmq.amqp.frame;

import static io.warrenmq.amqp.testing.Bytes.written;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;
import io.warrenmq.amqp.content.BasicProperties;
import io.warrenmq.amqp.method.BasicPublish;
import io.warrenmq.amqp.method.ChannelOpen;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {
  private EmbeddedChannel ch;
  private final List<ByteBuf> fed = new ArrayList<>();

  @BeforeEach
  void setUp() {
    ch = new EmbeddedChannel(new FrameDecoder(4096));
  }

  @AfterEach
  void noBytesOrFramesAreLeftAndEverythingIsReleased() {
    assertFalse(ch.finish());
    assertThat(fed).allSatisfy(b -> assertThat(b.refCnt()).isZero());
  }

  @Nested
  class ValidFrames {
    @Test
    void framesFedByteByByteComeOutWhole() {
      byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
      BasicProperties props =
          BasicProperties.EMPTY.withDeliveryMode(2).withContentType("text/plain");
      byte[] stream =
          written(
              out -> {
                Frames.writeMethod(out, 1, new BasicPublish("amq.direct", "k", true, false));
                Frames.writeHeader(out, 1, body.length, props);
                Frames.writeBody(out, 1, Unpooled.wrappedBuffer(body), 4096);
                Frames.writeHeartbeat(out);
              });

      for (byte b : stream) {
        feed(new byte[] {b});
      }

      MethodFrame method = ch.readInbound();
      assertThat(method)
          .isEqualTo(new MethodFrame(1, new BasicPublish("amq.direct", "k", true, false)));

      HeaderFrame header = ch.readInbound();
      assertThat(header.channel()).isEqualTo(1);
      assertThat(header.classId()).isEqualTo(60);
      assertThat(header.bodySize()).isEqualTo(5);
      assertThat(header.decodeProperties()).isEqualTo(props);
      assertThat(header.summarizeProperties().persistent()).isTrue();

      BodyFrame bodyFrame = ch.readInbound();
      assertThat(bodyFrame.channel()).isEqualTo(1);
      assertThat(bodyFrame.payload().toString(StandardCharsets.UTF_8)).isEqualTo("hello");

      assertThat(ch.<Object>readInbound()).isEqualTo(HeartbeatFrame.INSTANCE);
      assertThat(ch.<Object>readInbound()).isNull();

      assertThat(header.release()).isTrue();
      assertThat(bodyFrame.release()).isTrue();
      assertThat(header.refCnt()).isZero();
      assertThat(bodyFrame.refCnt()).isZero();
    }

    @Test
    void severalFramesInOneReadAreAllDecoded() {
      feed(
          written(
              out -> {
                Frames.writeMethod(out, 1, ChannelOpen.INSTANCE);
                Frames.writeMethod(out, 2, ChannelOpen.INSTANCE);
                Frames.writeHeartbeat(out);
              }));

      assertThat(ch.<Object>readInbound()).isEqualTo(new MethodFrame(1, ChannelOpen.INSTANCE));
      assertThat(ch.<Object>readInbound()).isEqualTo(new MethodFrame(2, ChannelOpen.INSTANCE));
      assertThat(ch.<Object>readInbound()).isEqualTo(HeartbeatFrame.INSTANCE);
    }

    @Test
    void frameOfExactlyFrameMaxIsAccepted() {
      feed(bodyFrame(1, 4096 - 8));
      BodyFrame body = ch.readInbound();
      assertThat(body.payload().readableBytes()).isEqualTo(4088);
      body.release();
    }

    @Test
    void aPayloadOfFrameMaxItselfIsAcceptedAsRabbitMqDoes() {
      feed(bodyFrame(1, 4096));
      BodyFrame body = ch.readInbound();
      assertThat(body.payload().readableBytes()).isEqualTo(4096);
      body.release();
    }

    @Test
    void emptyBodyFrameIsAccepted() {
      feed(bodyFrame(1, 0));
      BodyFrame body = ch.readInbound();
      assertThat(body.payload().readableBytes()).isZero();
      body.release();
    }

    @Test
    void largerFrameMaxTakesEffectForTheNextFrame() {
      FrameDecoder decoder = ch.pipeline().get(FrameDecoder.class);
      decoder.setMaxFrameSize(131072);
      feed(bodyFrame(3, 100_000));
      BodyFrame body = ch.readInbound();
      assertThat(body.payload().readableBytes()).isEqualTo(100_000);
      body.release();
      assertThat(decoder.maxFrameSize()).isEqualTo(131072);
    }

    @Test
    void frameMaxBelowTheSpecMinimumIsRefused() {
      FrameDecoder decoder = ch.pipeline().get(FrameDecoder.class);
      assertThatThrownBy(() -> decoder.setMaxFrameSize(4095))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Nested
  class BadFrames {
    @Test
    void oversizedFrameIsRejectedFromItsHeaderAlone() {
      assertRejected(
          new byte[] {3, 0, 1, 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xF0},
          ReplyCode.FRAME_ERROR,
          "frame_too_large");
    }

    @Test
    void aPayloadOneByteOverFrameMaxIsRejectedWithRabbitMqsText() {
      assertRejected(
          bodyFrame(1, 4096 + 1),
          ReplyCode.FRAME_ERROR,
          "FRAME_ERROR - type 3, all octets = <<>>: {frame_too_large,4097,4088}");
    }

    @Test
    void wrongFrameEndOctetIsRejected() {
      byte[] frame = bodyFrame(1, 3);
      frame[frame.length - 1] = 0x00;
      assertRejected(
          frame, ReplyCode.FRAME_ERROR, "type 3, all octets = <<0,0,0>>: {invalid_frame_end_marker,0}");
    }

    @Test
    void unknownFrameTypeIsRejected() {
      assertRejected(
          new byte[] {4, 0, 0, 0, 0, 0, 0, (byte) 0xCE},
          ReplyCode.FRAME_ERROR,
          "FRAME_ERROR - type 4, all octets = <<>>: unknown_frame");
    }

    @Test
    void heartbeatOnAChannelOtherThanZeroIsAnUnexpectedFrame() {
      assertRejected(
          new byte[] {8, 0, 1, 0, 0, 0, 0, (byte) 0xCE},
          ReplyCode.UNEXPECTED_FRAME,
          "UNEXPECTED_FRAME - type 8, all octets = <<>>");
    }

    @Test
    void aContentFrameOnChannelZeroIsAnUnexpectedFrame() {
      assertRejected(
          bodyFrame(0, 2),
          ReplyCode.UNEXPECTED_FRAME,
          "UNEXPECTED_FRAME - type 3, all octets = <<0,0>>");
    }

    @Test
    void heartbeatWithAPayloadIsRejected() {
      assertRejected(
          new byte[] {8, 0, 0, 0, 0, 0, 1, 0, (byte) 0xCE},
          ReplyCode.FRAME_ERROR,
          "type 8, all octets = <<0>>: unknown_frame");
    }

    @Test
    void emptyMethodFrameIsRejected() {
      assertRejected(
          new byte[] {1, 0, 1, 0, 0, 0, 0, (byte) 0xCE},
          ReplyCode.FRAME_ERROR,
          "type 1, all octets = <<>>: unknown_frame");
    }

    @Test
    void headerFrameShorterThanFourteenBytesIsRejected() {
      byte[] frame = new byte[8 + 13];
      frame[0] = 2;
      frame[2] = 1;
      frame[6] = 13;
      frame[frame.length - 1] = (byte) 0xCE;
      assertRejected(frame, ReplyCode.FRAME_ERROR, "unknown_frame");
    }

    @Test
    void headerFrameWithANegativeBodySizeIsRejected() {
      byte[] frame = written(out -> Frames.writeHeader(out, 1, -1L, BasicProperties.EMPTY));
      assertRejected(
          frame,
          ReplyCode.FRAME_ERROR,
          "content body size 18446744073709551615 exceeds maximum allowed size 536870912");
    }

    @Test
    void undecodableMethodIsRejectedWithTheMethodCodecsError() {
      byte[] frame = {1, 0, 1, 0, 0, 0, 4, 0, 60, 0, 99, (byte) 0xCE};
      assertRejected(frame, ReplyCode.NOT_IMPLEMENTED, "unknown method 60.99");
    }

    @Test
    void everyByteAfterAnErrorIsDiscarded() {
      assertRejected(
          new byte[] {9, 0, 0, 0, 0, 0, 0, (byte) 0xCE, 8, 0, 0},
          ReplyCode.FRAME_ERROR,
          "type 9, all octets = <<>>: unknown_frame");

      feed(written(Frames::writeHeartbeat));
      feed(written(out -> Frames.writeMethod(out, 1, ChannelOpen.INSTANCE)));
      assertThat(ch.<Object>readInbound()).isNull();
    }

    private void assertRejected(byte[] bytes, ReplyCode code, String text) {
      assertThatThrownBy(() -> feed(bytes))
          .isInstanceOf(DecoderException.class)
          .cause()
          .isInstanceOfSatisfying(
              AmqpException.class,
              e -> {
                assertThat(e.replyCode()).isEqualTo(code);
                assertThat(e.connectionLevel()).isTrue();
                assertThat(e.replyText()).contains(text);
              });
      assertThat(ch.<Object>readInbound()).isNull();
    }
  }

  private void feed(byte[] bytes) {
    // allocated by the channel's allocator, so the leak detector tracks it
    ByteBuf buf = ch.alloc().buffer(bytes.length).writeBytes(bytes);
    fed.add(buf);
    ch.writeInbound(buf);
  }

  static byte[] bodyFrame(int channel, int payloadSize) {
    return written(
        out ->
            out.writeByte(3)
                .writeShort(channel)
                .writeInt(payloadSize)
                .writeZero(payloadSize)
                .writeByte(0xCE));
  }
}
