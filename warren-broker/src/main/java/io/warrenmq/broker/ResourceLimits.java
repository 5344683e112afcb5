package io.warrenmq.broker;

import java.lang.management.ManagementFactory;

/**
 * The broker's resource thresholds: the memory high watermark and the free disk space limit, as
 * RabbitMQ's vm_memory_monitor and rabbit_disk_monitor keep them. Set at run time (warrenctl
 * set_vm_memory_high_watermark, set_disk_free_limit) and, like RabbitMQ's, not persisted: a
 * restart goes back to the defaults. The resource alarms read them here.
 *
 * <p>Defaults are RabbitMQ 3.13's: a watermark of 0.4 of the memory available, a disk limit of
 * 50,000,000 bytes.
 *
 * <p>Threading: thread-safe; each setting is one volatile, immutable value.
 */
public final class ResourceLimits {
  /** RabbitMQ 3.13 (deps/rabbit/Makefile): vm_memory_high_watermark 0.4. */
  public static final double DEFAULT_MEMORY_FRACTION = 0.4;
  /** RabbitMQ 3.13 (rabbit_disk_monitor, DEFAULT_DISK_FREE_LIMIT): 50 MB. */
  public static final long DEFAULT_DISK_FREE_LIMIT = 50_000_000L;

  /** The memory high watermark setting: a fraction of the memory available, or a byte count. */
  public sealed interface MemoryWatermark {
    /** {@code vm_memory_high_watermark.relative}: 0.0 to 1.0 of the memory available. */
    record Relative(double fraction) implements MemoryWatermark {
      public Relative {
        if (!(fraction >= 0.0 && fraction <= 1.0)) {
          throw new IllegalArgumentException("The threshold should be a fraction between 0.0 and 1.0");
        }
      }
    }

    /** {@code vm_memory_high_watermark.absolute}: bytes. */
    record Absolute(long bytes) implements MemoryWatermark {
      public Absolute {
        if (bytes <= 0) {
          throw new IllegalArgumentException("The threshold should be a positive number of bytes");
        }
      }
    }
  }

  /** The free disk space limit setting: bytes, or a multiple of the memory available. */
  public sealed interface DiskFreeLimit {
    /** {@code disk_free_limit.absolute}: bytes. */
    record Absolute(long bytes) implements DiskFreeLimit {
      public Absolute {
        if (bytes < 0) {
          throw new IllegalArgumentException("The disk free limit cannot be negative");
        }
      }
    }

    /** {@code disk_free_limit.relative}: this many times the memory available. */
    record MemRelative(double fraction) implements DiskFreeLimit {
      public MemRelative {
        if (!(fraction >= 0.0) || Double.isInfinite(fraction)) {
          throw new IllegalArgumentException("The disk free limit fraction cannot be negative");
        }
      }
    }
  }

  private final long totalMemory;
  private volatile MemoryWatermark memory = new MemoryWatermark.Relative(DEFAULT_MEMORY_FRACTION);
  private volatile DiskFreeLimit disk = new DiskFreeLimit.Absolute(DEFAULT_DISK_FREE_LIMIT);

  /** @param totalMemory the memory available to the broker, in bytes (the machine's or container's) */
  public ResourceLimits(long totalMemory) {
    this.totalMemory = totalMemory;
  }

  /** Limits over this machine's memory (the container's limit where there is one). */
  public static ResourceLimits forThisMachine() {
    long total = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getTotalMemorySize()
        : Runtime.getRuntime().maxMemory();
    return new ResourceLimits(total);
  }

  /** The memory available, in bytes. */
  public long totalMemory() {
    return totalMemory;
  }

  public MemoryWatermark memoryHighWatermark() {
    return memory;
  }

  public void setMemoryHighWatermark(MemoryWatermark w) {
    memory = w;
  }

  /**
   * The watermark in bytes, as vm_memory_monitor interprets it: a fraction of the memory
   * available (truncated), or the absolute value but never more than the memory available.
   */
  public long memoryLimitBytes() {
    return switch (memory) {
      case MemoryWatermark.Relative r -> (long) (r.fraction() * totalMemory);
      case MemoryWatermark.Absolute a -> Math.min(a.bytes(), totalMemory);
    };
  }

  public DiskFreeLimit diskFreeLimit() {
    return disk;
  }

  public void setDiskFreeLimit(DiskFreeLimit l) {
    disk = l;
  }

  /** The disk limit in bytes (rabbit_disk_monitor interpret_limit: mem_relative rounds). */
  public long diskFreeLimitBytes() {
    return switch (disk) {
      case DiskFreeLimit.Absolute a -> a.bytes();
      case DiskFreeLimit.MemRelative r -> Math.round(r.fraction() * totalMemory);
    };
  }
}
