package io.warrenmq.store.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.warrenmq.store.log.RecordLog;
import io.warrenmq.store.queue.MessageStore;
import io.warrenmq.store.queue.StoreOptions;
import io.warrenmq.store.segment.SegmentPosition;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads the committed v1 data directory (see fixtures/v1/README.md). */
class FormatV1FixtureTest {

  private static final StoreOptions OPTIONS = new StoreOptions(256, true);

  @TempDir Path dir;

  @BeforeEach
  void copyFixture() throws IOException, URISyntaxException {
    URL url = Objects.requireNonNull(getClass().getResource("/fixtures/v1"), "fixture");
    Path fixture = Path.of(url.toURI());
    try (Stream<Path> files = Files.walk(fixture)) {
      for (Path f : files.toList()) {
        Path target = dir.resolve(fixture.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target);
        }
      }
    }
  }

  @Test
  void aV1QueueRecoversItsPersistentUnackedMessages() throws IOException {
    // the fixture's stop was graceful: its clean-shutdown marker says the counts can be trusted
    CleanShutdown.write(dir.resolve("queue"), 0);
    assertThat(recoveredDeliveries()).containsExactly(2, 2, 1, 1, 1, 1, 1);
  }

  @Test
  void aV1QueueWithoutAMarkerCountsEveryRecoveredMessageAsDelivered() throws IOException {
    // no clean-shutdown marker (a directory of a build before markers, or a crash): RabbitMQ's
    // rule for an unclean shutdown, every recovered message may have been delivered
    assertThat(recoveredDeliveries()).containsExactly(2, 2, 2, 2, 2, 2, 2);
  }

  private List<Integer> recoveredDeliveries() throws IOException {
    try (MessageStore store = MessageStore.open(dir.resolve("queue"), OPTIONS)) {
      RecoveryReport report = store.recoveryReport();
      assertThat(report.recordsRecovered()).isEqualTo(7);
      assertThat(report.transientDropped()).isEqualTo(2);
      assertThat(report.tornTails()).isZero();
      assertThat(store.readyWeight()).isEqualTo(101 + 102 + 104 + 105 + 106 + 108 + 109);
      List<String> bodies = new ArrayList<>();
      List<Integer> deliveries = new ArrayList<>();
      for (long pos; (pos = store.nextReady()) != SegmentPosition.NONE; ) {
        ByteBuf b = store.read(pos, UnpooledByteBufAllocator.DEFAULT);
        bodies.add(b.toString(StandardCharsets.UTF_8));
        b.release();
        deliveries.add(store.deliveries(pos));
      }
      assertThat(bodies)
          .containsExactly(
              "fixture-1", "fixture-2", "fixture-4", "fixture-5", "fixture-6", "fixture-8",
              "fixture-9");
      return deliveries;
    }
  }

  @Test
  void theWriterStillProducesTheV1RecordBytes() throws IOException {
    byte[] fixture = Files.readAllBytes(dir.resolve("queue").resolve("msgs.0000000001"));
    Path fresh = dir.resolve("fresh");
    try (MessageStore store = MessageStore.open(fresh, OPTIONS)) {
      ByteBuf b = Unpooled.copiedBuffer("fixture-0", StandardCharsets.UTF_8);
      store.append(b, true, 100);
      b.release();
    }
    byte[] written = Files.readAllBytes(fresh.resolve("msgs.0000000001"));
    int recordEnd = 16 + 16 + 9;
    byte[] expected = Arrays.copyOf(fixture, recordEnd);
    // state and deliveries are mutated in place: the fixture's record was taken and acked
    expected[16 + 9] = 0;
    expected[16 + 10] = 0;
    expected[16 + 11] = 0;
    assertThat(Arrays.copyOf(written, recordEnd)).isEqualTo(expected);
  }

  @Test
  void aV1RecordLogRecoversItsRecords() throws IOException {
    try (RecordLog log = RecordLog.open(dir.resolve("definitions.log"))) {
      assertThat(log.records())
          .map(r -> new String(r, StandardCharsets.UTF_8))
          .containsExactly("vhost /", "exchange / amq.direct", "queue / q1");
    }
  }
}
