package io.warrenmq.store.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentFileTest {

  @TempDir Path dir;

  @Test
  void filesAreNamedWithATenDigitZeroPaddedId() {
    assertThat(SegmentNames.fileName(1)).isEqualTo("msgs.0000000001");
    assertThat(SegmentNames.fileName(16777215)).isEqualTo("msgs.0016777215");
    assertThatThrownBy(() -> SegmentNames.fileName(16777216))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(SegmentNames.parseId("msgs.0000000042")).isEqualTo(42);
    assertThat(SegmentNames.parseId("msgs.42")).isEqualTo(-1);
    assertThat(SegmentNames.parseId("acks.0000000042")).isEqualTo(-1);
    assertThat(SegmentNames.parseId("msgs.00000000x2")).isEqualTo(-1);
    // above the position bound, but still a segment's name: recovery refuses it, never skips it
    assertThat(SegmentNames.parseId("msgs.9999999999")).isEqualTo(9_999_999_999L);
  }

  @Test
  void aNewSegmentIsPreSizedAndStartsWithMagicAndVersion() throws IOException {
    SegmentFile seg = SegmentFile.create(dir, 3, 4096);
    try {
      Path file = dir.resolve("msgs.0000000003");
      assertThat(Files.size(file)).isEqualTo(4096);
      byte[] head = Arrays.copyOf(Files.readAllBytes(file), 16);
      assertThat(new String(head, 0, 8, StandardCharsets.US_ASCII)).isEqualTo("WARRSEG1");
      assertThat(head[11]).isEqualTo((byte) SegmentHeader.FORMAT_VERSION);
      assertThat(seg.end()).isEqualTo(SegmentHeader.SIZE);
    } finally {
      seg.close();
    }
  }

  @Test
  void appendCopiesACompositePayloadWithoutMovingItsIndexes() throws IOException {
    SegmentFile seg = SegmentFile.create(dir, 1, 4096);
    CompositeByteBuf payload = Unpooled.compositeBuffer();
    payload.addComponent(true, Unpooled.copiedBuffer("hello ", StandardCharsets.UTF_8));
    payload.addComponent(true, Unpooled.directBuffer().writeBytes(new byte[] {'w', 'o'}));
    payload.addComponent(true, Unpooled.copiedBuffer("rld", StandardCharsets.UTF_8));
    payload.readerIndex(0);
    try {
      int off = seg.append(payload, true, 11);
      assertThat(payload.readerIndex()).isZero();
      assertThat(payload.refCnt()).isEqualTo(1);
      assertThat(off).isEqualTo(SegmentHeader.SIZE);
      assertThat(seg.payloadLength(off)).isEqualTo(11);
      assertThat(seg.weight(off)).isEqualTo(11);
      assertThat(seg.persistent(off)).isTrue();
      assertThat(seg.state(off)).isEqualTo(RecordLayout.STATE_READY);
      ByteBuf copy = seg.read(off, UnpooledByteBufAllocator.DEFAULT);
      assertThat(copy.toString(StandardCharsets.UTF_8)).isEqualTo("hello world");
      assertThat(copy.release()).isTrue();
      assertThat(seg.nextOffset(off)).isEqualTo(seg.end()).isEqualTo(16 + 16 + 11);
    } finally {
      payload.release();
      seg.close();
    }
  }

  @Test
  void emptyPayloadsAreRefusedBecauseAZeroLengthMarksTheEndOfData() throws IOException {
    SegmentFile seg = SegmentFile.create(dir, 1, 4096);
    try {
      assertThatThrownBy(() -> seg.append(Unpooled.EMPTY_BUFFER, true, 0))
          .isInstanceOf(IllegalArgumentException.class);
    } finally {
      seg.close();
    }
  }

  @Test
  void aRecordThatDoesNotFitIsRefusedAndABigOneGetsACapacityToFit() throws IOException {
    SegmentFile seg = SegmentFile.create(dir, 1, 64);
    ByteBuf big = Unpooled.wrappedBuffer(new byte[33]);
    try {
      assertThat(seg.fits(32)).isTrue();
      assertThat(seg.fits(33)).isFalse();
      assertThatThrownBy(() -> seg.append(big, false, 0))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(SegmentFile.capacityFor(64, 1000)).isEqualTo(1032);
      assertThat(SegmentFile.capacityFor(8 << 20, 1000)).isEqualTo(8 << 20);
    } finally {
      big.release();
      seg.close();
    }
  }

  @Test
  void deliveriesCountUpAndSaturate() throws IOException {
    SegmentFile seg = SegmentFile.create(dir, 1, 4096);
    ByteBuf one = Unpooled.wrappedBuffer(new byte[] {1});
    try {
      int off = seg.append(one, false, 0);
      assertThat(seg.incrementDeliveries(off)).isEqualTo(1);
      for (int i = 0; i < 70_000; i++) {
        seg.incrementDeliveries(off);
      }
      assertThat(seg.deliveries(off)).isEqualTo(RecordLayout.MAX_DELIVERIES);
    } finally {
      one.release();
      seg.close();
    }
  }

  @Test
  void aDeliveryCountedOnTopOfAFloorStartsFromTheFloor() throws IOException {
    SegmentFile seg = SegmentFile.create(dir, 1, 4096);
    ByteBuf one = Unpooled.wrappedBuffer(new byte[] {1});
    try {
      int off = seg.append(one, false, 0);
      assertThat(seg.incrementDeliveries(off, 1)).as("0 stored, at least 1 before").isEqualTo(2);
      assertThat(seg.incrementDeliveries(off, 1)).as("the stored count is above the floor").isEqualTo(3);
      assertThat(seg.deliveries(off)).isEqualTo(3);
    } finally {
      one.release();
      seg.close();
    }
  }

  @Test
  void anAckedRecordNeverComesBackAndIsCounted() throws IOException {
    SegmentFile seg = SegmentFile.create(dir, 1, 4096);
    ByteBuf one = Unpooled.wrappedBuffer(new byte[] {1});
    try {
      int off = seg.append(one, false, 0);
      assertThat(seg.fullyAcked()).isFalse();
      seg.state(off, RecordLayout.STATE_TAKEN);
      seg.state(off, RecordLayout.STATE_ACKED);
      assertThat(seg.fullyAcked()).isTrue();
      assertThatThrownBy(() -> seg.state(off, RecordLayout.STATE_READY))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> seg.state(seg.end(), RecordLayout.STATE_READY))
          .isInstanceOf(IllegalArgumentException.class);
    } finally {
      one.release();
      seg.close();
    }
  }

  @Test
  void theMappingOutlivesTheOwnerWhileAForceHoldsIt() throws IOException {
    SegmentFile seg = SegmentFile.create(dir, 1, 4096);
    ByteBuf one = Unpooled.wrappedBuffer(new byte[] {1});
    try {
      seg.append(one, true, 0);
    } finally {
      one.release();
    }
    assertThat(seg.tryRetain()).isTrue();
    seg.delete();
    assertThat(Files.exists(seg.path())).isFalse();
    assertThat(seg.mapped()).isTrue();
    seg.force();
    seg.release();
    seg.close();
    assertThat(seg.mapped()).isFalse();
    assertThat(seg.tryRetain()).isFalse();
  }
}
