package io.warrenmq.bench.amqp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.warrenmq.amqp.content.BasicProperties;
import io.warrenmq.amqp.content.BasicPropertiesCodec;
import io.warrenmq.amqp.content.PropertiesSummary;
import io.warrenmq.amqp.frame.Frames;
import io.warrenmq.amqp.method.BasicDeliver;
import io.warrenmq.amqp.method.BasicPublish;
import io.warrenmq.amqp.method.Method;
import io.warrenmq.amqp.method.MethodCodec;
import io.warrenmq.amqp.types.FieldTable;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** The frame codec on the publish/deliver hot path: decode basic.publish, summarise properties, encode a delivery. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FrameCodecBench {
  private ByteBuf publish;
  private ByteBuf props;
  private ByteBuf body;
  private final BasicDeliver deliver = new BasicDeliver("amq.ctag-abcdefghijklmnopqrstuv", 123456, false, "", "bench-queue");

  @Setup
  public void setup() {
    publish = Unpooled.directBuffer();
    MethodCodec.encode(publish, new BasicPublish("", "bench-queue", false, false));
    props = Unpooled.directBuffer();
    BasicPropertiesCodec.encode(props, BasicProperties.EMPTY.withDeliveryMode(2).withContentType("application/json")
        .withHeaders(FieldTable.of(Map.of("trace-id", "abc123", "attempt", 1))));
    body = Unpooled.directBuffer(1000).writeZero(1000);
  }

  @Benchmark
  public Method decodePublish() {
    return MethodCodec.decode(publish.duplicate());
  }

  @Benchmark
  public PropertiesSummary summarizeProperties() {
    return BasicPropertiesCodec.summarize(props);
  }

  @Benchmark
  public int encodeDelivery() {
    ByteBuf out = PooledByteBufAllocator.DEFAULT.directBuffer(1200);
    Frames.writeMethod(out, 1, deliver);
    Frames.writeHeader(out, 1, body.readableBytes(), props);
    Frames.writeBody(out, 1, body, 131072);
    int n = out.readableBytes();
    out.release();
    return n;
  }
}
