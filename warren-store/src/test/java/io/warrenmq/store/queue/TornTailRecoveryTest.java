package io.warrenmq.store.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.warrenmq.store.segment.SegmentPosition;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Recovery under random damage to the tail of the last segment (a crash mid-write, a torn page):
 * whatever the damage, no record written whole before the damage point is lost, no damaged record
 * comes back, the order holds, and appends after recovery come back cleanly after the next one.
 */
class TornTailRecoveryTest {

  enum Damage {
    TRUNCATE,
    ZERO_FILL,
    GARBAGE,
    FLIP_ONE_BIT
  }

  private static final StoreOptions OPTIONS = new StoreOptions(16 * 1024, true);

  @Property(tries = 150)
  void recoveryNeverLosesAWholeRecordNorYieldsADamagedOne(
      @ForAll @Size(min = 1, max = 40) List<@IntRange(min = 1, max = 3000) Integer> sizes,
      @ForAll @IntRange(min = 0, max = 1000) int cutPermille,
      @ForAll Damage damage,
      @ForAll long seed)
      throws IOException {
    Path dir = Files.createTempDirectory("torn-tail");
    try {
      check(dir, sizes, cutPermille, damage, new Random(seed));
    } finally {
      deleteRecursively(dir);
    }
  }

  private static void check(
      Path dir, List<Integer> sizes, int cutPermille, Damage damage, Random random)
      throws IOException {
    List<byte[]> written = new ArrayList<>();
    List<Long> positions = new ArrayList<>();
    try (MessageStore store = MessageStore.open(dir, OPTIONS)) {
      for (int size : sizes) {
        byte[] payload = payload(random, written.size(), size);
        written.add(payload);
        positions.add(append(store, payload));
      }
      store.force();
    }

    long lastPos = positions.getLast();
    long lastSegment = SegmentPosition.segmentId(lastPos);
    long lastEnd = SegmentPosition.offset(lastPos) + 16L + written.getLast().length;
    long cut = 16 + cutPermille * (lastEnd - 16) / 1000;
    Path file = dir.resolve(String.format("msgs.%010d", lastSegment));
    damage(file, damage, cut, lastEnd, random);

    int safe = 0;
    for (int i = 0; i < written.size(); i++) {
      long pos = positions.get(i);
      long end = SegmentPosition.offset(pos) + 16L + written.get(i).length;
      if (SegmentPosition.segmentId(pos) < lastSegment || end <= cut) {
        safe = i + 1;
      }
    }

    List<byte[]> recovered;
    List<byte[]> added = new ArrayList<>();
    try (MessageStore store = MessageStore.open(dir, OPTIONS)) {
      recovered = drain(store);
      for (int k = 0; k < 3; k++) {
        byte[] payload = payload(random, 1000 + k, 1 + random.nextInt(500));
        added.add(payload);
        append(store, payload);
      }
    }

    int[] indexes = indexesIn(written, recovered);
    assertThat(indexes).as("recovered records are written ones, in order").isSorted();
    assertThat(Arrays.stream(indexes).distinct().count()).isEqualTo(indexes.length);
    for (int i = 0; i < safe; i++) {
      assertThat(indexes).as("record %d was whole before the damage", i).contains(i);
    }
    if (damage != Damage.FLIP_ONE_BIT) {
      assertThat(indexes).as("a cut keeps a prefix").isEqualTo(range(indexes.length));
    }

    List<byte[]> expected = new ArrayList<>(recovered);
    expected.addAll(added);
    try (MessageStore store = MessageStore.open(dir, OPTIONS)) {
      assertThat(store.recoveryReport().tornTails()).isZero();
      assertThat(drain(store)).containsExactlyElementsOf(expected);
    }
  }

  private static void damage(Path file, Damage damage, long cut, long lastEnd, Random random)
      throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      switch (damage) {
        case TRUNCATE -> ch.truncate(cut);
        case ZERO_FILL -> write(ch, cut, new byte[(int) (lastEnd - cut)]);
        case GARBAGE -> {
          byte[] garbage = new byte[1 + random.nextInt(200)];
          random.nextBytes(garbage);
          write(ch, cut, garbage);
        }
        case FLIP_ONE_BIT -> {
          if (cut < lastEnd) {
            long at = cut + random.nextLong(lastEnd - cut);
            ByteBuffer b = ByteBuffer.allocate(1);
            try (FileChannel r = FileChannel.open(file, StandardOpenOption.READ)) {
              r.read(b, at);
            }
            write(ch, at, new byte[] {(byte) (b.get(0) ^ (1 << random.nextInt(8)))});
          }
        }
      }
    }
  }

  private static void write(FileChannel ch, long at, byte[] bytes) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    while (b.hasRemaining()) {
      ch.write(b, at + b.position());
    }
  }

  private static byte[] payload(Random random, int index, int size) {
    byte[] payload = new byte[Math.max(size, 4)];
    random.nextBytes(payload);
    ByteBuffer.wrap(payload).putInt(index);
    return payload;
  }

  private static long append(MessageStore store, byte[] payload) throws IOException {
    ByteBuf buf = Unpooled.wrappedBuffer(payload);
    try {
      return store.append(buf, true, payload.length);
    } finally {
      buf.release();
    }
  }

  private static List<byte[]> drain(MessageStore store) {
    List<byte[]> out = new ArrayList<>();
    for (long pos; (pos = store.nextReady()) != SegmentPosition.NONE; ) {
      ByteBuf buf = store.read(pos, UnpooledByteBufAllocator.DEFAULT);
      try {
        out.add(ByteBufUtil.getBytes(buf));
      } finally {
        buf.release();
      }
    }
    return out;
  }

  /** Where each recovered record sits among the written ones, matched by its bytes. */
  private static int[] indexesIn(List<byte[]> written, List<byte[]> recovered) {
    int[] indexes = new int[recovered.size()];
    for (int r = 0; r < recovered.size(); r++) {
      int index = ByteBuffer.wrap(recovered.get(r)).getInt();
      assertThat(index).isBetween(0, written.size() - 1);
      assertThat(recovered.get(r)).as("record %d's bytes", index).isEqualTo(written.get(index));
      indexes[r] = index;
    }
    return indexes;
  }

  private static int[] range(int n) {
    int[] r = new int[n];
    Arrays.setAll(r, i -> i);
    return r;
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
