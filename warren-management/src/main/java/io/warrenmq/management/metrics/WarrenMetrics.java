package io.warrenmq.management.metrics;

import io.netty.util.internal.PlatformDependent;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.warrenmq.broker.queue.ClassicQueue;
import io.warrenmq.broker.queue.Queue;
import io.warrenmq.store.sync.SyncStats;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.function.Supplier;

/**
 * WarrenMQ's own families, which RabbitMQ has no name for: the message store (bytes of data in the
 * segment files, the group committer's forces with their latency and batch size histograms) and
 * the JVM's memory (heap, direct buffers: Netty's own accounting and the JDK's pools, and the
 * process's RssAnon, what the broker itself takes besides the page cache).
 */
final class WarrenMetrics {
  List<Supplier<MetricSnapshot>> families(Scrape s) {
    return List.of(
        () -> Family.<Scrape>gauge("store_segment_bytes", "Bytes of data in the queues' segment files on disk",
            WarrenMetrics::segmentBytes).single("warren_", s),
        () -> Family.<Scrape>counter("store_fsyncs_total",
            "Total number of forces (fsync/msync) of queue stores by the group committer",
            x -> x.broker.committer().forces()).single("warren_", s),
        () -> {
          SyncStats st = s.broker.committer().stats();
          return Family.histogram("warren_store_fsync_duration_seconds",
              "Time a force (fsync/msync) of a queue store took, in seconds", SyncStats.LATENCY_BOUNDS,
              st.latencyCounts(), st.latencySeconds());
        },
        () -> {
          SyncStats st = s.broker.committer().stats();
          return Family.histogram("warren_store_group_commit_batch_size",
              "Requests (publisher confirms, transaction commits) completed by one group commit",
              SyncStats.BATCH_BOUNDS, st.batchCounts(), st.batchRequests());
        },
        () -> memory("warren_jvm_heap", "heap", ManagementFactory.getMemoryMXBean().getHeapMemoryUsage()),
        () -> memory("warren_jvm_non_heap", "non-heap memory (metaspace, code cache)",
            ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage()),
        () -> direct(s),
        () -> Family.<Scrape>gauge("process_rss_anon_bytes",
            "Anonymous resident memory of the process (RssAnon of /proc/self/status): heap, direct buffers, native",
            x -> ProcStatus.statusBytes("RssAnon")).single("warren_", s));
  }

  private static double segmentBytes(Scrape s) {
    long n = 0;
    for (Queue q : s.queues()) {
      if (q instanceof ClassicQueue c) {
        n += c.diskBytes();
      }
    }
    return n;
  }

  /** {@code <prefix>_bytes{area="used|committed|max"}}. */
  private static MetricSnapshot memory(String name, String what, MemoryUsage u) {
    return Family.<Long>gauge(name.substring("warren_".length()) + "_bytes", "JVM " + what + " in bytes, used, committed and max",
        v -> v).snapshot("warren_", List.of(u.getUsed(), u.getCommitted(), u.getMax()),
        List.of(Labels.of("area", "used"), Labels.of("area", "committed"), Labels.of("area", "max")));
  }

  /** warren_jvm_direct_memory_bytes{pool="netty|direct|mapped"}. */
  private static MetricSnapshot direct(Scrape s) {
    long netty = PlatformDependent.usedDirectMemory();
    long direct = 0;
    long mapped = 0;
    for (BufferPoolMXBean b : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
      if (b.getName().equals("direct")) {
        direct = b.getMemoryUsed();
      } else if (b.getName().equals("mapped")) {
        mapped = b.getMemoryUsed();
      }
    }
    return Family.<Long>gauge("jvm_direct_memory_bytes",
        "Direct memory in use: Netty's buffers (netty, -1 if Netty does not count them), the JDK's direct and mapped buffer pools",
        v -> v).snapshot("warren_", List.of(netty, direct, mapped),
        List.of(Labels.of("pool", "netty"), Labels.of("pool", "direct"), Labels.of("pool", "mapped")));
  }
}
