package io.warrenmq.store.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SegmentPositionTest {

  @Test
  void packsAndUnpacksSegmentIdAndOffset() {
    long pos = SegmentPosition.of(7, 4096);
    assertThat(SegmentPosition.segmentId(pos)).isEqualTo(7);
    assertThat(SegmentPosition.offset(pos)).isEqualTo(4096);
    assertThat(SegmentPosition.toString(pos)).isEqualTo("7:4096");
  }

  @Test
  void bothHalvesAreUnsigned32Bit() {
    long pos = SegmentPosition.of(SegmentPosition.MAX_SEGMENT_ID - 1, 0x8000_0000);
    assertThat(SegmentPosition.segmentId(pos)).isEqualTo(0xFFFF_FFFEL);
    assertThat(Integer.toUnsignedLong(SegmentPosition.offset(pos))).isEqualTo(0x8000_0000L);
    assertThat(SegmentPosition.toString(pos)).isEqualTo("4294967294:2147483648");
  }

  @Test
  void positionsCompareInQueueOrderWithNoneLast() {
    long a = SegmentPosition.of(1, 900);
    long b = SegmentPosition.of(2, 16);
    long high = SegmentPosition.of(0x9000_0000L, 16);
    assertThat(SegmentPosition.compare(a, b)).isNegative();
    assertThat(SegmentPosition.compare(b, high)).isNegative();
    assertThat(SegmentPosition.compare(high, SegmentPosition.NONE)).isNegative();
    assertThat(SegmentPosition.toString(SegmentPosition.NONE)).isEqualTo("NONE");
  }

  @Test
  void segmentIdsBeyond32BitsAreRefused() {
    assertThatThrownBy(() -> SegmentPosition.of(1L << 32, 16))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SegmentPosition.of(-1, 16))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
