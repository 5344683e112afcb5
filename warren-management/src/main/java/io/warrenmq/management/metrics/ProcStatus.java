package io.warrenmq.management.metrics;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The process's own figures from Linux's {@code /proc/self}: resident memory ({@code VmRSS}) and
 * its anonymous part ({@code RssAnon}, what the heap, direct buffers and native allocations take;
 * the mapped segment files are not in it), open file descriptors and their limit. Elsewhere, or
 * when a file cannot be read, a figure is -1.
 *
 * <p>Threading: stateless.
 */
final class ProcStatus {
  private ProcStatus() {}

  /** A {@code /proc/self/status} line's value in bytes ("VmRSS:  1234 kB"), or -1. */
  static long statusBytes(String key) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(key + ":")) {
          String[] parts = line.substring(key.length() + 1).strip().split("\\s+");
          return Long.parseLong(parts[0]) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  /** Open file descriptors, or -1. */
  static long openFds() {
    long n = 0;
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
      for (Path ignored : fds) {
        n++;
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return n;
  }

  /** The soft limit of open files ("Max open files" in /proc/self/limits), or -1. */
  static long maxFds() {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/self/limits"));
      for (String line : lines) {
        if (line.startsWith("Max open files")) {
          String soft = line.substring("Max open files".length()).strip().split("\\s+")[0];
          return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}
