package io.warrenmq.store.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.warrenmq.store.segment.SegmentFile;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnforcedSegmentsTest {

  @TempDir Path dir;

  private static void appendTo(SegmentFile seg) throws IOException {
    ByteBuf buf = Unpooled.wrappedBuffer(new byte[] {1, 2, 3});
    try {
      seg.append(buf, true, 3);
    } finally {
      buf.release();
    }
  }

  @Test
  void aForceCoversTheSegmentsTheWriterRolledAwayFrom() throws IOException {
    UnforcedSegments unforced = new UnforcedSegments(dir, null);
    SegmentFile first = SegmentFile.create(dir, 1, 4096);
    unforced.rolledTo(first);
    appendTo(first);
    SegmentFile second = SegmentFile.create(dir, 2, 4096);
    unforced.rolledTo(second);
    appendTo(second);
    assertThat(first.forcedUpTo()).isZero();

    unforced.force();

    assertThat(first.forcedUpTo()).isEqualTo(first.end());
    assertThat(second.forcedUpTo()).isEqualTo(second.end());
    appendTo(second);
    unforced.force();
    assertThat(second.forcedUpTo()).isEqualTo(second.end());
    first.close();
    second.close();
  }

  @Test
  void aSegmentDeletedBeforeTheForceIsSkipped() throws IOException {
    UnforcedSegments unforced = new UnforcedSegments(dir, null);
    SegmentFile first = SegmentFile.create(dir, 1, 4096);
    unforced.rolledTo(first);
    appendTo(first);
    SegmentFile second = SegmentFile.create(dir, 2, 4096);
    unforced.rolledTo(second);
    unforced.dropped(first);
    first.delete();

    unforced.force();

    assertThat(first.mapped()).isFalse();
    assertThat(second.forcedUpTo()).isEqualTo(second.end());
    second.close();
  }

  @Test
  void nothingIsForcedAfterClose() throws IOException {
    SegmentFile seg = SegmentFile.create(dir, 1, 4096);
    UnforcedSegments unforced = new UnforcedSegments(dir, seg);
    appendTo(seg);
    unforced.close();
    unforced.force();
    assertThat(seg.forcedUpTo()).isZero();
    seg.close();
  }
}
