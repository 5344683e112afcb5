package io.warrenmq.store.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.warrenmq.store.segment.SegmentPosition;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The clean-shutdown marker of a store directory: its bytes, and that taking it removes it. */
class CleanShutdownTest {

  @TempDir Path dir;

  private Path marker() {
    return dir.resolve(CleanShutdown.FILE_NAME);
  }

  @Test
  void aWrittenMarkerIsTakenOnceWithItsBoundaryAndIsGoneAfterwards() throws IOException {
    long boundary = SegmentPosition.of(7, 4096);
    CleanShutdown.write(dir, boundary);
    assertThat(marker()).exists();

    assertThat(CleanShutdown.take(dir)).isEqualTo(boundary);
    assertThat(marker()).doesNotExist();
    assertThat(CleanShutdown.take(dir)).as("a second start without a stop: unclean").isEqualTo(CleanShutdown.ABSENT);
  }

  @Test
  void aDirectoryWithoutAMarkerWasStoppedUncleanly() throws IOException {
    assertThat(CleanShutdown.take(dir)).isEqualTo(CleanShutdown.ABSENT);
  }

  @Test
  void theMarkerHasTheDocumentedTwentyBytes() throws IOException {
    // format v1, big-endian: "WCLN", version 1, the boundary, CRC32C of the 16 bytes before it
    ByteBuffer b = ByteBuffer.allocate(20);
    b.putInt(0x57434C4E).putInt(1).putLong(SegmentPosition.of(2, 300));
    CRC32C crc = new CRC32C();
    crc.update(b.array(), 0, 16);
    b.putInt((int) crc.getValue());
    Files.write(marker(), b.array());

    assertThat(CleanShutdown.take(dir)).isEqualTo(SegmentPosition.of(2, 300));

    CleanShutdown.write(dir, SegmentPosition.of(2, 300));
    assertThat(Files.readAllBytes(marker())).isEqualTo(b.array());
  }

  @Test
  void aMarkerThatDoesNotCheckOutCountsAsAnUncleanStopAndIsRemoved() throws IOException {
    CleanShutdown.write(dir, SegmentPosition.of(1, 100));
    byte[] bytes = Files.readAllBytes(marker());
    bytes[9] ^= 1; // a flipped bit in the boundary: the CRC no longer matches
    Files.write(marker(), bytes);
    assertThat(CleanShutdown.take(dir)).isEqualTo(CleanShutdown.ABSENT);
    assertThat(marker()).doesNotExist();

    Files.write(marker(), new byte[] {1, 2, 3}); // torn
    assertThat(CleanShutdown.take(dir)).isEqualTo(CleanShutdown.ABSENT);

    ByteBuffer v2 = CleanShutdown.encode(0);
    v2.putInt(4, 2); // an unknown version
    Files.write(marker(), v2.array());
    assertThat(CleanShutdown.take(dir)).isEqualTo(CleanShutdown.ABSENT);
    assertThat(marker()).doesNotExist();
  }

  @Test
  void aTemporaryMarkerLeftByACrashDuringTheStopIsRemovedAndCountsForNothing() throws IOException {
    Files.write(dir.resolve(CleanShutdown.FILE_NAME + ".tmp"), CleanShutdown.encode(0).array());
    assertThat(CleanShutdown.take(dir)).isEqualTo(CleanShutdown.ABSENT);
    try (var files = Files.list(dir)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void writingReplacesAnEarlierMarker() throws IOException {
    CleanShutdown.write(dir, SegmentPosition.of(1, 100));
    CleanShutdown.write(dir, 0);
    assertThat(CleanShutdown.take(dir)).isZero();
  }
}
