package io.warrenmq.amqp.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.warrenmq.amqp.AmqpConstants;
import io.warrenmq.amqp.method.ChannelOpen;
import io.warrenmq.amqp.testing.Bytes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ProtocolHeaderDecoderTest {
  private final Recorder recorder = new Recorder();
  private final List<ByteBuf> fed = new ArrayList<>();
  private EmbeddedChannel ch;

  @BeforeEach
  void setUp() {
    ch = new EmbeddedChannel();
    ch.pipeline().addLast("protocolHeader", new ProtocolHeaderDecoder());
    ch.pipeline().addLast("recorder", recorder);
  }

  @AfterEach
  void nothingIsLeftOver() {
    assertFalse(ch.finish());
    assertThat(fed).allSatisfy(b -> assertThat(b.refCnt()).isZero());
  }

  @Test
  void rightHeaderInstallsTheFrameDecoderAndFiresAcceptedBeforeAnyFrame() {
    byte[] frames =
        Bytes.written(
            out -> {
              Frames.writeMethod(out, 1, ChannelOpen.INSTANCE);
              Frames.writeHeartbeat(out);
            });
    feed(Bytes.concat(AmqpConstants.protocolHeader(), frames));

    assertThat(recorder.seen)
        .containsExactly(
            ProtocolHeaderDecoder.ACCEPTED,
            new MethodFrame(1, ChannelOpen.INSTANCE),
            HeartbeatFrame.INSTANCE);
    assertThat(ch.pipeline().names()).startsWith("frameDecoder", "recorder");
    assertThat(ch.pipeline().get(ProtocolHeaderDecoder.class)).isNull();
    assertThat(ch.pipeline().get(FrameDecoder.class).maxFrameSize()).isEqualTo(4096);
    assertThat(ch.<Object>readOutbound()).isNull();
    assertThat(ch.isOpen()).isTrue();
  }

  @Test
  void headerFedByteByByteIsAccepted() {
    for (byte b : AmqpConstants.protocolHeader()) {
      assertThat(recorder.seen).isEmpty();
      feed(new byte[] {b});
    }
    feed(Bytes.written(Frames::writeHeartbeat));

    assertThat(recorder.seen)
        .containsExactly(ProtocolHeaderDecoder.ACCEPTED, HeartbeatFrame.INSTANCE);
  }

  @Test
  void theOldStyle09HeaderIsAcceptedAsRabbitMqDoes() {
    feed(new byte[] {'A', 'M', 'Q', 'P', 1, 1, 0, 9});

    assertThat(recorder.seen).containsExactly(ProtocolHeaderDecoder.ACCEPTED);
    assertThat(ch.<Object>readOutbound()).isNull();
    assertThat(ch.isOpen()).isTrue();
  }

  @Test
  void partialHeaderWaitsWithoutAnswering() {
    feed(new byte[] {'A', 'M', 'Q', 'P', 0, 0, 9});

    assertThat(recorder.seen).isEmpty();
    assertThat(ch.<Object>readOutbound()).isNull();
    assertThat(ch.isOpen()).isTrue();
  }

  static Stream<Named<byte[]>> wrongHeaders() {
    return Stream.of(
        Named.of("HTTP request", ascii("GET / HTTP/1.1\r\nHost: x\r\n\r\n")),
        Named.of("AMQP 0-9-2", new byte[] {'A', 'M', 'Q', 'P', 0, 0, 9, 2}),
        Named.of("AMQP 1.0", new byte[] {'A', 'M', 'Q', 'P', 0, 1, 0, 0}),
        Named.of("AMQP 1.0 SASL", new byte[] {'A', 'M', 'Q', 'P', 3, 1, 0, 0}),
        Named.of("zeros", new byte[8]),
        Named.of("a single wrong first byte", ascii("G")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("wrongHeaders")
  void wrongHeaderIsAnsweredWithOursAndTheChannelCloses(byte[] sent) {
    feed(sent);

    ByteBuf answer = ch.readOutbound();
    try {
      assertThat(ByteBufUtil.getBytes(answer)).isEqualTo(AmqpConstants.protocolHeader());
    } finally {
      answer.release();
    }
    assertThat(ch.isOpen()).isFalse();
    assertThat(recorder.seen).containsExactly(ProtocolHeaderDecoder.REJECTED);
  }

  @Test
  void bytesAfterAWrongHeaderAreDiscarded() {
    feed(
        Bytes.concat(
            ascii("HTTP/1.1 "),
            AmqpConstants.protocolHeader(),
            Bytes.written(Frames::writeHeartbeat)));
    ((ByteBuf) ch.readOutbound()).release();

    assertThat(recorder.seen).containsExactly(ProtocolHeaderDecoder.REJECTED);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private void feed(byte[] bytes) {
    // allocated by the channel's allocator, so the leak detector tracks it
    ByteBuf buf = ch.alloc().buffer(bytes.length).writeBytes(bytes);
    fed.add(buf);
    ch.writeInbound(buf);
  }

  /** Records user events and frames in the order they arrive. */
  static final class Recorder extends ChannelInboundHandlerAdapter {
    final List<Object> seen = new ArrayList<>();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      seen.add(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      seen.add(evt);
    }
  }
}
