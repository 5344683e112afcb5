package io.warrenmq.broker.alarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The memory alarm's measure counts what the broker holds, not the page cache of mapped files:
 * touching 64 MiB of a mapped file grows RssFile by about that much and the measure by little,
 * while 64 MiB of anonymous (direct) memory that is written counts in full.
 */
class MemoryUseTest {
  private static final long SIZE = 64L << 20;

  @TempDir Path dir;

  @Test
  void mappedFilePagesDoNotCountButOwnMemoryDoes() throws IOException {
    assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "Linux only");
    Path f = dir.resolve("segment");
    try (Arena arena = Arena.ofConfined();
        FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
            StandardOpenOption.WRITE)) {
      MemorySegment m = ch.map(FileChannel.MapMode.READ_WRITE, 0, SIZE, arena);
      long ownBefore = MemoryUse.residentOwn();
      long fileBefore = rssFile();
      for (long p = 0; p < SIZE; p += 4096) {
        m.set(ValueLayout.JAVA_BYTE, p, (byte) 1);
      }
      assertThat(rssFile() - fileBefore).as("RssFile growth").isGreaterThan(SIZE / 2);
      assertThat(MemoryUse.residentOwn() - ownBefore).as("measure growth for mapped pages").isLessThan(SIZE / 4);

      long before = MemoryUse.residentOwn();
      MemorySegment anon = arena.allocate(SIZE);
      for (long p = 0; p < SIZE; p += 4096) {
        anon.set(ValueLayout.JAVA_BYTE, p, (byte) 1);
      }
      assertThat(MemoryUse.residentOwn() - before).as("measure growth for own memory").isGreaterThan(SIZE / 2);
      assertThat(MemoryUse.bytes()).isGreaterThanOrEqualTo(MemoryUse.residentOwn());
    }
  }

  @Test
  void kbFiguresAreReadFromTheStatusText() {
    String status = "Name:\tjava\nVmRSS:\t  123456 kB\nRssAnon:\t   1000 kB\nRssFile:\t  5000 kB\nRssShmem:\t 7 kB\n";
    assertThat(MemoryUse.kb(status, "RssAnon:")).isEqualTo(1000);
    assertThat(MemoryUse.kb(status, "RssShmem:")).isEqualTo(7);
    assertThat(MemoryUse.kb(status, "Missing:")).isZero();
  }

  private static long rssFile() throws IOException {
    return MemoryUse.kb(Files.readString(Path.of("/proc/self/status")), "RssFile:") * 1024;
  }
}
