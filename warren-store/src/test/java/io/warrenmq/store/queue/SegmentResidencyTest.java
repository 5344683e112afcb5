package io.warrenmq.store.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A deep backlog does not stay resident: appending 96 MiB to a store with 1 MiB segments grows
 * the process's file-backed resident set (RssFile of /proc/self/status) by a few segments, not by
 * the backlog; the records given back are still there, byte for byte, when read and acked in
 * order afterwards (durable store: forced before and after the pages were given back).
 */
class SegmentResidencyTest {
  private static final int SEGMENT = 1 << 20;
  private static final int RECORD = 4096;
  private static final int RECORDS = 96 * 256; // 96 MiB

  @TempDir Path root;

  @Test
  void aDeepBacklogKeepsOnlyAFewSegmentsResidentAndReadsBackIntact() throws IOException {
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "Linux only");
    MessageStore store = MessageStore.open(root.resolve("q"), new StoreOptions(SEGMENT, true));
    try {
      long before = rssFileKb();
      byte[] body = new byte[RECORD];
      for (int i = 0; i < RECORDS; i++) {
        fill(body, i);
        store.append(Unpooled.wrappedBuffer(body), true, 1);
        if (i % 1000 == 0) {
          store.force();
        }
      }
      store.force();
      long grown = rssFileKb() - before;
      assertThat(grown).as("RssFile growth in KiB for a 96 MiB backlog").isLessThan(16 * 1024);

      long maxDuringDrain = 0;
      for (int i = 0; i < RECORDS; i++) {
        long pos = store.nextReady();
        ByteBuf b = store.read(pos, UnpooledByteBufAllocator.DEFAULT);
        try {
          fill(body, i);
          assertThat(b.readableBytes()).isEqualTo(RECORD);
          byte[] got = new byte[RECORD];
          b.readBytes(got);
          assertThat(got).as("record %d", i).isEqualTo(body);
        } finally {
          b.release();
        }
        if (i % 4096 == 0) {
          store.ack(pos); // every so often an ack into a segment read long ago
        }
        if (i % 2048 == 0) {
          maxDuringDrain = Math.max(maxDuringDrain, rssFileKb() - before);
        }
      }
      assertThat(maxDuringDrain).as("RssFile growth in KiB while draining").isLessThan(16 * 1024);
    } finally {
      store.close();
    }
  }

  private static void fill(byte[] body, int i) {
    byte[] tag = ("record-" + i + "-").getBytes(StandardCharsets.US_ASCII);
    for (int p = 0; p < body.length; p++) {
      body[p] = tag[p % tag.length];
    }
  }

  private static long rssFileKb() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("RssFile:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return 0;
  }
}
