package io.warrenmq.bench.store;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.warrenmq.store.queue.MessageStore;
import io.warrenmq.store.queue.StoreOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/** The segment store's append, take, read and ack of one message (no fsync). */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class SegmentStoreBench {
  @Param({"16", "1000"})
  public int size;

  private Path dir;
  private MessageStore store;
  private ByteBuf payload;

  @Setup(Level.Trial)
  public void setup() throws IOException {
    dir = Files.createTempDirectory("warren-bench-store");
    store = MessageStore.open(dir, new StoreOptions(8 * 1024 * 1024, false));
    payload = Unpooled.directBuffer(size).writeZero(size);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    store.deleteAll();
  }

  @Benchmark
  public int appendTakeReadAck() throws IOException {
    store.append(payload, false, size);
    long pos = store.nextReady();
    ByteBuf r = store.read(pos, PooledByteBufAllocator.DEFAULT);
    int n = r.readableBytes();
    r.release();
    store.ack(pos);
    return n;
  }
}
