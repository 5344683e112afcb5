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
  void theOffsetIsUnsigned32BitAndTheSegmentIdStaysBelow2To24() {
    long pos = SegmentPosition.of(SegmentPosition.MAX_SEGMENT_ID, 0x8000_0000);
    assertThat(SegmentPosition.MAX_SEGMENT_ID).isEqualTo(0xFF_FFFFL);
    assertThat(SegmentPosition.segmentId(pos)).isEqualTo(0xFF_FFFFL);
    assertThat(Integer.toUnsignedLong(SegmentPosition.offset(pos))).isEqualTo(0x8000_0000L);
    assertThat(SegmentPosition.toString(pos)).isEqualTo("16777215:2147483648");
    assertThat(pos >>> 56).as("the top 8 bits are the owner's").isZero();
    assertThat(SegmentPosition.isValid(pos)).isTrue();
  }

  @Test
  void anOwnerMayPackAPriorityInTheTop8BitsAndStillCompareAsUnsigned() {
    long low = SegmentPosition.of(9, 16);
    long high = SegmentPosition.of(SegmentPosition.MAX_SEGMENT_ID, 16);
    long lowAtPriority1 = (1L << 56) | low;
    long highAtPriority0 = high;
    long lowAtPriority255 = (255L << 56) | low;
    assertThat(Long.compareUnsigned(highAtPriority0, lowAtPriority1)).isNegative();
    assertThat(Long.compareUnsigned(lowAtPriority1, lowAtPriority255)).isNegative();
    assertThat(lowAtPriority255 & SegmentPosition.POSITION_MASK).isEqualTo(low);
    assertThat(SegmentPosition.isValid(lowAtPriority1)).isFalse();
    assertThat(SegmentPosition.isValid(SegmentPosition.NONE)).isFalse();
  }

  @Test
  void positionsCompareInQueueOrderWithNoneLast() {
    long a = SegmentPosition.of(1, 900);
    long b = SegmentPosition.of(2, 16);
    long high = SegmentPosition.of(0x90_0000L, 16);
    assertThat(SegmentPosition.compare(a, b)).isNegative();
    assertThat(SegmentPosition.compare(b, high)).isNegative();
    assertThat(SegmentPosition.compare(high, SegmentPosition.NONE)).isNegative();
    assertThat(SegmentPosition.toString(SegmentPosition.NONE)).isEqualTo("NONE");
  }

  @Test
  void segmentIdsFrom2To24AreRefused() {
    assertThatThrownBy(() -> SegmentPosition.of(1L << 24, 16))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SegmentPosition.of(1L << 32, 16))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SegmentPosition.of(-1, 16))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
