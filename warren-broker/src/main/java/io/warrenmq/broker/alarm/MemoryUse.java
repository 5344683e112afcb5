package io.warrenmq.broker.alarm;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the broker's memory use is for the memory alarm: the memory the process holds itself, not
 * the page cache of its mapped segment files. On Linux that is {@code RssAnon + RssShmem} of
 * /proc/self/status (heap pages in use, direct buffers, metaspace, code cache, thread stacks,
 * malloc), leaving out {@code RssFile}: file pages are the kernel's cache, written back and
 * reclaimed under pressure, and a backlog on disk is what the store is for. Elsewhere, and never
 * below it, the JVM's own account: heap and non-heap committed plus the direct and mapped buffer
 * pools' direct part.
 *
 * <p>RabbitMQ's {@code rss} strategy takes the whole resident set; an Erlang node maps no files,
 * so both count what the broker itself holds.
 *
 * <p>Threading: stateless, any thread; reads a small /proc file (no lock, no heavy work).
 */
public final class MemoryUse {
  private static final Path STATUS = Path.of("/proc/self/status");

  private MemoryUse() {}

  /** Bytes the broker holds now. */
  public static long bytes() {
    return Math.max(residentOwn(), jvmAccount());
  }

  /** RssAnon + RssShmem in bytes, or 0 if /proc/self/status cannot be read. */
  public static long residentOwn() {
    try {
      String s = Files.readString(STATUS, StandardCharsets.US_ASCII);
      return kb(s, "RssAnon:") * 1024 + kb(s, "RssShmem:") * 1024;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** The JVM's heap and non-heap committed plus direct buffers, bytes. */
  public static long jvmAccount() {
    MemoryMXBean m = ManagementFactory.getMemoryMXBean();
    long n = m.getHeapMemoryUsage().getCommitted() + m.getNonHeapMemoryUsage().getCommitted();
    for (BufferPoolMXBean p : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
      if (p.getName().equals("direct")) {
        n += Math.max(0, p.getMemoryUsed());
      }
    }
    return n;
  }

  /** The "kB" figure after {@code key} in a /proc status text, 0 if absent. */
  static long kb(String status, String key) {
    int i = status.indexOf(key);
    if (i < 0) {
      return 0;
    }
    int p = i + key.length();
    while (p < status.length() && (status.charAt(p) == ' ' || status.charAt(p) == '\t')) {
      p++;
    }
    long v = 0;
    while (p < status.length() && Character.isDigit(status.charAt(p))) {
      v = v * 10 + (status.charAt(p++) - '0');
    }
    return v;
  }
}
