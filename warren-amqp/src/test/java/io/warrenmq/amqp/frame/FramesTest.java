package io.warrenmq.amqp.frame;

import static io.warrenmq.amqp.testing.Bytes.written;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.impl.AMQImpl;
import com.rabbitmq.client.impl.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.warrenmq.amqp.content.BasicProperties;
import io.warrenmq.amqp.content.BasicPropertiesCodec;
import io.warrenmq.amqp.method.BasicDeliver;
import io.warrenmq.amqp.method.MethodCodec;
import io.warrenmq.amqp.method.QueueDeclare;
import io.warrenmq.amqp.types.FieldTable;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FramesTest {
  private static final int FRAME_MAX = 4096;
  private static final int MAX_PAYLOAD = FRAME_MAX - 8;

  /** The client's inbound body limit (not frame-max); generous, so it never interferes. */
  private static final int CLIENT_LIMIT = 1 << 20;

  @ParameterizedTest(name = "body of {0} bytes")
  @ValueSource(
      ints = {
        1,
        MAX_PAYLOAD - 1,
        MAX_PAYLOAD,
        MAX_PAYLOAD + 1,
        2 * MAX_PAYLOAD,
        2 * MAX_PAYLOAD + 1
      })
  void bodyIsSplitIntoFramesOfAtMostFrameMaxMinusEight(int size) throws IOException {
    byte[] body = new byte[size];
    new Random(size).nextBytes(body);
    ByteBuf bodyBuf = Unpooled.wrappedBuffer(body);

    byte[] bytes = written(out -> Frames.writeBody(out, 5, bodyBuf, FRAME_MAX));

    assertThat(bodyBuf.readerIndex()).isZero();
    bodyBuf.release();
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
    List<Integer> sizes = new ArrayList<>();
    ByteBuf reassembled = Unpooled.buffer();
    while (in.available() > 0) {
      Frame f = Frame.readFrom(in, CLIENT_LIMIT);
      assertThat(f.type).isEqualTo(3);
      assertThat(f.channel).isEqualTo(5);
      sizes.add(f.getPayload().length);
      reassembled.writeBytes(f.getPayload());
    }
    assertThat(sizes).allSatisfy(s -> assertThat(s).isBetween(1, MAX_PAYLOAD));
    assertThat(sizes.subList(0, sizes.size() - 1))
        .allSatisfy(s -> assertThat(s).isEqualTo(MAX_PAYLOAD));
    assertThat(sizes).hasSize((size + MAX_PAYLOAD - 1) / MAX_PAYLOAD);
    assertThat(ByteBufUtil.getBytes(reassembled)).isEqualTo(body);
    reassembled.release();
    assertThat(Frames.contentFramesSize(size, 2, FRAME_MAX)).isEqualTo(8 + 12 + 2 + bytes.length);
  }

  @Test
  void emptyBodyWritesNoFrame() {
    assertThat(written(out -> Frames.writeBody(out, 1, Unpooled.EMPTY_BUFFER, FRAME_MAX)))
        .isEmpty();
    assertThat(Frames.contentFramesSize(0, 2, FRAME_MAX)).isEqualTo(22);
  }

  @Test
  void methodFrameIsReadByTheClient() throws IOException {
    QueueDeclare declare =
        new QueueDeclare(
            "orders",
            false,
            true,
            false,
            false,
            false,
            FieldTable.of(Map.of("x-queue-type", "quorum")));
    byte[] bytes = written(out -> Frames.writeMethod(out, 7, declare));

    Frame f = Frame.readFrom(new DataInputStream(new ByteArrayInputStream(bytes)), CLIENT_LIMIT);
    assertThat(f.type).isEqualTo(1);
    assertThat(f.channel).isEqualTo(7);
    assertThat(f.getPayload()).isEqualTo(written(out -> MethodCodec.encode(out, declare)));
    AMQImpl.Queue.Declare parsed =
        (AMQImpl.Queue.Declare) AMQImpl.readMethodFrom(f.getInputStream());
    assertThat(parsed.getQueue()).isEqualTo("orders");
    assertThat(parsed.getDurable()).isTrue();
  }

  @Test
  void headerFrameIsReadByTheClientAndRawAndEncodedFormsAgree() throws IOException {
    BasicProperties props = BasicProperties.EMPTY.withDeliveryMode(2).withMessageId("m-1");
    byte[] encoded = written(out -> Frames.writeHeader(out, 2, 12345, props));
    ByteBuf raw = Unpooled.wrappedBuffer(written(out -> BasicPropertiesCodec.encode(out, props)));
    byte[] fromRaw = written(out -> Frames.writeHeader(out, 2, 12345, raw));
    assertThat(raw.readerIndex()).isZero();
    raw.release();

    assertThat(fromRaw).isEqualTo(encoded);
    Frame f = Frame.readFrom(new DataInputStream(new ByteArrayInputStream(encoded)), CLIENT_LIMIT);
    assertThat(f.type).isEqualTo(2);
    assertThat(f.channel).isEqualTo(2);
    DataInputStream payload = f.getInputStream();
    assertThat(payload.readUnsignedShort()).isEqualTo(60);
    AMQP.BasicProperties parsed = new AMQP.BasicProperties(payload);
    assertThat(parsed.getBodySize()).isEqualTo(12345);
    assertThat(parsed.getDeliveryMode()).isEqualTo(2);
    assertThat(parsed.getMessageId()).isEqualTo("m-1");
  }

  @Test
  void heartbeatIsEightBytes() {
    assertThat(written(Frames::writeHeartbeat)).containsExactly(8, 0, 0, 0, 0, 0, 0, 0xCE);
  }

  @Test
  void encoderWritesFramesTheDecoderReadsAndReleasesThem() {
    EmbeddedChannel out = new EmbeddedChannel(FrameEncoder.INSTANCE);
    EmbeddedChannel in = new EmbeddedChannel(new FrameDecoder(FRAME_MAX));
    BasicDeliver deliver = new BasicDeliver("ctag", 42, true, "ex", "rk");
    ByteBuf props =
        Unpooled.wrappedBuffer(written(o -> BasicPropertiesCodec.encode(o, BasicProperties.EMPTY)));
    ByteBuf body = Unpooled.wrappedBuffer(new byte[] {1, 2, 3});
    HeaderFrame header = new HeaderFrame(3, 60, 3, props);
    BodyFrame bodyFrame = new BodyFrame(3, body);

    assertThat(
            out.writeOutbound(
                new MethodFrame(3, deliver), header, bodyFrame, HeartbeatFrame.INSTANCE))
        .isTrue();
    assertThat(props.refCnt()).isZero();
    assertThat(body.refCnt()).isZero();
    for (Object b; (b = out.readOutbound()) != null; ) {
      in.writeInbound(b);
    }

    assertThat(in.<Object>readInbound()).isEqualTo(new MethodFrame(3, deliver));
    HeaderFrame h = in.readInbound();
    assertThat(h.bodySize()).isEqualTo(3);
    assertThat(h.decodeProperties()).isEqualTo(BasicProperties.EMPTY);
    BodyFrame b = in.readInbound();
    assertThat(ByteBufUtil.getBytes(b.payload())).containsExactly(1, 2, 3);
    assertThat(in.<Object>readInbound()).isEqualTo(HeartbeatFrame.INSTANCE);
    h.release();
    b.release();
    assertThat(h.refCnt()).isZero();
    assertThat(b.refCnt()).isZero();
    assertFalse(out.finish());
    assertFalse(in.finish());
  }
}
