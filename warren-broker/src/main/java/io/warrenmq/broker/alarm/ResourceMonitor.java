package io.warrenmq.broker.alarm;

import io.warrenmq.broker.ResourceLimits;
import io.warrenmq.broker.alarm.ResourceAlarms.Resource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The periodic check of vm_memory_monitor and rabbit_disk_monitor: every {@code
 * memory_monitor_interval} it measures the broker's memory use ({@link MemoryUse}) and the free
 * space of the data directory's file system, compares them with the {@link ResourceLimits} in
 * effect (so warrenctl set_vm_memory_high_watermark and set_disk_free_limit count at the next
 * check) and raises or clears the {@link ResourceAlarms}, logging RabbitMQ's lines. The memory
 * alarm is on while use is above the watermark, the disk alarm while free space is below the
 * limit.
 *
 * <p>Threading: one daemon thread of its own ("warren-resource-monitor"), so that a slow
 * statfs never delays the broker's other timers. Thread-safe to {@link #close()}.
 */
public final class ResourceMonitor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ResourceMonitor.class);

  private final ResourceLimits limits;
  private final ResourceAlarms alarms;
  private final Path dataDir;
  private final LongSupplier memory;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("warren-resource-monitor").daemon().factory());
  private boolean diskFailureLogged;

  private ResourceMonitor(ResourceLimits limits, ResourceAlarms alarms, Path dataDir, LongSupplier memory) {
    this.limits = limits;
    this.alarms = alarms;
    this.dataDir = dataDir;
    this.memory = memory;
  }

  /** Checks once now, then every {@code intervalMs}. */
  public static ResourceMonitor start(ResourceLimits limits, ResourceAlarms alarms, Path dataDir, long intervalMs) {
    return start(limits, alarms, dataDir, intervalMs, MemoryUse::bytes);
  }

  /** As {@link #start(ResourceLimits, ResourceAlarms, Path, long)}, with the memory figure given. */
  static ResourceMonitor start(
      ResourceLimits limits, ResourceAlarms alarms, Path dataDir, long intervalMs, LongSupplier memory) {
    ResourceMonitor m = new ResourceMonitor(limits, alarms, dataDir, memory);
    long total = limits.totalMemory();
    long lim = limits.memoryLimitBytes();
    log.info("Memory high watermark set to {} MiB ({} bytes) of {} MiB ({} bytes) total",
        lim >> 20, lim, total >> 20, total);
    log.info("Disk free limit set to {}MB", limits.diskFreeLimitBytes() / 1_000_000);
    m.timer.scheduleWithFixedDelay(m::check, 0, intervalMs, TimeUnit.MILLISECONDS);
    return m;
  }

  /** One check of both resources. */
  void check() {
    try {
      checkMemory();
      checkDisk();
    } catch (RuntimeException e) {
      log.error("resource monitor check failed", e);
    }
  }

  private void checkMemory() {
    long used = memory.getAsLong();
    long limit = limits.memoryLimitBytes();
    alarms.memoryUsed(used);
    boolean alarmed = alarms.isActive(Resource.MEMORY);
    boolean now = used > limit;
    if (now && !alarmed) {
      log.info("vm_memory_high_watermark set. Memory used:{} allowed:{}", used, limit);
      alarms.set(Resource.MEMORY);
    } else if (!now && alarmed) {
      log.info("vm_memory_high_watermark clear. Memory used:{} allowed:{}", used, limit);
      alarms.clear(Resource.MEMORY);
    }
  }

  private void checkDisk() {
    long free;
    try {
      free = Files.getFileStore(dataDir).getUsableSpace();
      diskFailureLogged = false;
    } catch (IOException e) {
      if (!diskFailureLogged) {
        // rabbit_disk_monitor keeps the alarm as it was when it cannot measure
        log.warn("Free disk space monitoring failed to retrieve the amount of available space: {}", e.toString());
        diskFailureLogged = true;
      }
      alarms.diskFree(-1);
      return;
    }
    long limit = limits.diskFreeLimitBytes();
    alarms.diskFree(free);
    boolean alarmed = alarms.isActive(Resource.DISK);
    boolean now = free < limit;
    if (now && !alarmed) {
      log.info("Free disk space is insufficient. Free bytes: {}. Limit: {}", free, limit);
      alarms.set(Resource.DISK);
    } else if (!now && alarmed) {
      log.info("Free disk space is sufficient. Free bytes: {}. Limit: {}", free, limit);
      alarms.clear(Resource.DISK);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
