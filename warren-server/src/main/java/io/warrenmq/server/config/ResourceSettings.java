package io.warrenmq.server.config;

import io.warrenmq.broker.ResourceLimits;
import io.warrenmq.broker.ResourceLimits.DiskFreeLimit;
import io.warrenmq.broker.ResourceLimits.MemoryWatermark;
import io.warrenmq.server.config.ConfigLoader.ConfigException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The resource alarm keys of rabbitmq.conf: {@code vm_memory_high_watermark.relative} / {@code
 * .absolute} and {@code disk_free_limit.absolute} / {@code .relative} (absolute wins when both are
 * set, with RabbitMQ's warning), byte counts with RabbitMQ 3.13's information units
 * (rabbit_resource_monitor_misc: {@code 2GB} is 2*10^9, {@code 2GiB} or {@code 2Gi} 2*2^30, a bare
 * {@code k}/{@code M}/{@code G} is decimal as in Kubernetes).
 */
final class ResourceSettings {
  private static final Logger log = LoggerFactory.getLogger(ResourceSettings.class);
  private static final Pattern UNIT = Pattern.compile("^([0-9]+)([A-Za-z]*)$");

  private ResourceSettings() {}

  static MemoryWatermark watermark(Map<String, String> v) {
    String abs = v.get("vm_memory_high_watermark.absolute").strip();
    String rel = v.get("vm_memory_high_watermark.relative").strip();
    if (!abs.isEmpty()) {
      if (!rel.isEmpty()) {
        log.warn("Both vm_memory_high_watermark.absolute and vm_memory_high_watermark.relative are configured. "
            + "vm_memory_high_watermark.absolute has precedence");
      }
      long bytes = bytes("vm_memory_high_watermark.absolute", abs);
      if (bytes <= 0) {
        throw new ConfigException("configuration key 'vm_memory_high_watermark.absolute' must be a positive "
            + "number of bytes, got '" + abs + "'");
      }
      return new MemoryWatermark.Absolute(bytes);
    }
    if (rel.isEmpty()) {
      return new MemoryWatermark.Relative(ResourceLimits.DEFAULT_MEMORY_FRACTION);
    }
    double f = fraction("vm_memory_high_watermark.relative", rel);
    if (f > 1.0) {
      throw new ConfigException("configuration key 'vm_memory_high_watermark.relative' must be a fraction "
          + "between 0.0 and 1.0, got '" + rel + "'");
    }
    return new MemoryWatermark.Relative(f);
  }

  static DiskFreeLimit diskFreeLimit(Map<String, String> v) {
    String abs = v.get("disk_free_limit.absolute").strip();
    String rel = v.get("disk_free_limit.relative").strip();
    if (!abs.isEmpty()) {
      if (!rel.isEmpty()) {
        log.warn("Both disk_free_limit.absolute and disk_free_limit.relative are configured. "
            + "disk_free_limit.absolute has precedence");
      }
      return new DiskFreeLimit.Absolute(bytes("disk_free_limit.absolute", abs));
    }
    if (rel.isEmpty()) {
      return new DiskFreeLimit.Absolute(ResourceLimits.DEFAULT_DISK_FREE_LIMIT);
    }
    return new DiskFreeLimit.MemRelative(fraction("disk_free_limit.relative", rel));
  }

  private static double fraction(String key, String s) {
    try {
      double f = Double.parseDouble(s);
      if (f >= 0 && !Double.isInfinite(f)) {
        return f;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ConfigException("configuration key '" + key + "' must be a non-negative number, got '" + s + "'");
  }

  /** A byte count with an optional information unit, as rabbit_resource_monitor_misc parses it. */
  static long bytes(String key, String s) {
    Matcher m = UNIT.matcher(s);
    long mult = m.matches() ? multiplier(m.group(2)) : -1;
    if (mult < 0) {
      throw new ConfigException("configuration key '" + key + "' must be a number of bytes with an optional unit "
          + "(kB, MB, GB, TB, KiB, MiB, GiB, TiB, k, M, G, T), got '" + s + "'");
    }
    try {
      return Math.multiplyExact(Long.parseLong(m.group(1)), mult);
    } catch (ArithmeticException | NumberFormatException e) {
      throw new ConfigException("configuration key '" + key + "' is too large: '" + s + "'");
    }
  }

  private static long multiplier(String unit) {
    return switch (unit) {
      case "" -> 1;
      case "kiB", "KiB", "KIB", "kib", "ki", "Ki" -> 1L << 10;
      case "MiB", "MIB", "mib", "mi", "Mi" -> 1L << 20;
      case "GiB", "GIB", "gib", "gi", "Gi" -> 1L << 30;
      case "TiB", "TIB", "tib", "ti", "Ti" -> 1L << 40;
      case "k", "K", "KB", "kB", "kb", "Kb" -> 1_000L;
      case "m", "M", "MB", "mB", "mb", "Mb" -> 1_000_000L;
      case "g", "G", "GB", "gB", "gb", "Gb" -> 1_000_000_000L;
      case "t", "T", "TB", "tB", "tb", "Tb" -> 1_000_000_000_000L;
      default -> -1;
    };
  }
}
