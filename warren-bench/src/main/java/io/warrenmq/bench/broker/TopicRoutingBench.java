package io.warrenmq.bench.broker;

import io.netty.buffer.Unpooled;
import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.broker.exchange.Binding;
import io.warrenmq.broker.exchange.Destination;
import io.warrenmq.broker.exchange.Exchange;
import io.warrenmq.broker.exchange.ExchangeSpec;
import io.warrenmq.broker.exchange.RouteCollector;
import io.warrenmq.broker.message.Message;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Topic routing with many bindings: keys of three words from a vocabulary of 100 per position,
 * bindings mixing exact words, {@code *} and {@code #}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TopicRoutingBench {
  @Param({"100000"})
  public int bindings;

  private Exchange topic;
  private final RouteCollector out = new RouteCollector();
  private Message message;
  private String[] keys;
  private int next;

  @Setup
  public void setup() {
    topic = Exchange.create(new ExchangeSpec("/", "bench.topic", "topic", false, false, false, FieldTable.EMPTY));
    Random r = new Random(42);
    for (int i = 0; i < bindings; i++) {
      Exchange dest = Exchange.create(new ExchangeSpec("/", "d" + i, "fanout", false, false, false, FieldTable.EMPTY));
      String key = word(r, 0) + "." + (r.nextInt(10) == 0 ? "*" : word(r, 1)) + "." + (r.nextInt(20) == 0 ? "#" : word(r, 2));
      topic.bind(new Binding(topic, new Destination.ToExchange(dest), key, FieldTable.EMPTY));
    }
    keys = new String[1024];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = word(r, 0) + "." + word(r, 1) + "." + word(r, 2);
    }
    message = new Message("bench.topic", "", Unpooled.buffer(2).writeShort(0), Unpooled.EMPTY_BUFFER, 0);
  }

  private static String word(Random r, int pos) {
    return "w" + pos + "_" + r.nextInt(100);
  }

  @Benchmark
  public int route() {
    out.clear();
    topic.route(message, keys[next++ & 1023], out);
    return out.size();
  }
}
