package io.warrenmq.management.api;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The figures of {@code /api/nodes/{name}} that RabbitMQ takes from its VM and OS, taken from the
 * JVM and Linux's /proc here: resident memory (mem_used, RabbitMQ's default "rss" strategy), open
 * file descriptors and their limit, live threads as proc_used (the JVM's unit of concurrency;
 * Linux counts them against the same "Max processes" limit given as proc_total), free disk space
 * of the data directory. A figure the platform does not offer is -1.
 */
final class NodeFacts {
  private NodeFacts() {}

  /** Resident set size in bytes (VmRSS), else the JVM's committed heap. */
  static long residentBytes() {
    long kb = statusField("VmRSS:");
    if (kb >= 0) {
      return kb * 1024;
    }
    return Runtime.getRuntime().totalMemory();
  }

  /** A "Key:   123 kB" line of /proc/self/status, in its unit; -1 if absent. */
  static long statusField(String key) {
    try (Stream<String> lines = Files.lines(Path.of("/proc/self/status"))) {
      return lines.filter(l -> l.startsWith(key)).findFirst()
          .map(l -> Long.parseLong(l.substring(key.length()).strip().split("\\s+")[0])).orElse(-1L);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  static long fdUsed() {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    } catch (IOException | RuntimeException e) {
      return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean u
          ? u.getOpenFileDescriptorCount() : -1;
    }
  }

  static long fdTotal() {
    return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean u
        ? u.getMaxFileDescriptorCount() : -1;
  }

  static int threads() {
    return ManagementFactory.getThreadMXBean().getThreadCount();
  }

  /** The soft "Max processes" limit of /proc/self/limits, or the kernel's threads-max when unlimited. */
  static long threadLimit() {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/self/limits"))) {
        if (l.startsWith("Max processes")) {
          String soft = l.substring("Max processes".length()).strip().split("\\s+")[0];
          if (!soft.equals("unlimited")) {
            return Long.parseLong(soft);
          }
        }
      }
      List<String> max = Files.readAllLines(Path.of("/proc/sys/kernel/threads-max"));
      return max.isEmpty() ? -1 : Long.parseLong(max.getFirst().strip());
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  static long diskFree(Path dir) {
    try {
      return Files.getFileStore(dir).getUsableSpace();
    } catch (IOException e) {
      return -1;
    }
  }

  static long uptimeMs() {
    return ManagementFactory.getRuntimeMXBean().getUptime();
  }

  static long startTime() {
    return ManagementFactory.getRuntimeMXBean().getStartTime();
  }
}
