package io.warrenmq.cluster.quorum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A member's bodies outlive a thread interrupted while it reads them: Ratis interrupts a leader's
 * appenders when it steps down, an interrupt during a FileChannel read closes the channel for
 * every thread, and the member then could not write the bodies of the entries it appends.
 */
class QuorumLogTest {
  @TempDir Path dir;

  private static ByteBuffer body(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(4 + b.length).putInt(b.length).put(b).flip();
  }

  private static String text(QuorumLog.Entry e) {
    ByteBuffer p = e.payload().duplicate();
    byte[] b = new byte[p.getInt()];
    p.get(b);
    return new String(b, StandardCharsets.UTF_8);
  }

  @Test
  void aReadInAnInterruptedThreadDoesNotStopTheWrites() throws Exception {
    try (QuorumLog log = QuorumLog.open(dir, 1 << 20)) {
      log.append(1, 1, body("one"));
      log.force();
      Thread.currentThread().interrupt();
      try {
        // fails (InterruptedIOException, or ClosedByInterruptException if the interrupt came during the read)
        assertThatThrownBy(() -> log.read(1)).isInstanceOf(java.io.IOException.class);
      } finally {
        Thread.interrupted();
      }
      log.append(2, 1, body("two")); // failed with ClosedChannelException before
      log.force();
      assertThat(text(log.read(1))).isEqualTo("one");
      assertThat(text(log.read(2))).isEqualTo("two");
    }
    try (QuorumLog again = QuorumLog.open(dir, 1 << 20)) {
      assertThat(again.lastIndex()).isEqualTo(2);
      assertThat(text(again.read(2))).isEqualTo("two");
    }
  }
}
