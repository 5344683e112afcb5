package io.warrenmq.management.metrics;

import static io.warrenmq.broker.stats.MessageCounts.DISK_READS;
import static io.warrenmq.broker.stats.MessageCounts.DISK_WRITES;

import io.warrenmq.broker.Broker;
import io.warrenmq.management.stats.StatsSampler;
import io.warrenmq.store.sync.GroupCommitter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The node-level groups of rabbitmq_prometheus's core collector: connection_churn_metrics,
 * node_coarse_metrics, node_metrics and node_persister_metrics, each family one unlabelled value
 * whatever the endpoint. Memory is the process's resident set (RabbitMQ reports the VM's
 * allocated memory), disk space the data directory's file system, the sockets figures are AMQP
 * connections and RabbitMQ's socket limit formula (file_handle_cache: 90 % of the descriptors
 * above 100); persister figures are the group committer's forces and the queues' disk reads and
 * writes.
 */
final class NodeMetrics {
  private final Broker broker;

  NodeMetrics(Broker broker) {
    this.broker = broker;
  }

  private static Family<Scrape> churnFamily(String name, String help, int i) {
    return Family.counter(name, help, s -> s.totals()[StatsSampler.O_CHURN + i]);
  }

  List<Family<Scrape>> churn() {
    return List.of(
        churnFamily("connections_opened_total", "Total number of connections opened", 0),
        churnFamily("connections_closed_total", "Total number of connections closed or terminated", 1),
        churnFamily("channels_opened_total", "Total number of channels opened", 2),
        churnFamily("channels_closed_total", "Total number of channels closed", 3),
        churnFamily("queues_declared_total", "Total number of queues declared", 4),
        churnFamily("queues_created_total", "Total number of queues created", 5),
        churnFamily("queues_deleted_total", "Total number of queues deleted", 6));
  }

  List<Family<Scrape>> coarse() {
    return List.of(
        Family.gauge("process_open_fds", "Open file descriptors", s -> ProcStatus.openFds()),
        Family.gauge("process_open_tcp_sockets", "Open TCP sockets", s -> s.broker.connections().size()),
        Family.gauge("process_resident_memory_bytes", "Memory used in bytes", s -> ProcStatus.statusBytes("VmRSS")),
        Family.gauge("disk_space_available_bytes", "Disk space available in bytes", s -> diskFree()));
  }

  List<Family<Scrape>> limits() {
    return List.of(
        Family.gauge("process_max_fds", "Open file descriptors limit", s -> ProcStatus.maxFds()),
        Family.gauge("process_max_tcp_sockets", "Open TCP sockets limit", s -> socketLimit()),
        Family.gauge("resident_memory_limit_bytes", "Memory high watermark in bytes",
            s -> broker.resourceLimits().memoryLimitBytes()),
        Family.gauge("disk_space_available_limit_bytes", "Free disk space low watermark in bytes",
            s -> broker.resourceLimits().diskFreeLimitBytes()));
  }

  List<Family<Scrape>> persister() {
    return List.of(
        Family.counter("io_sync_ops_total", "Total number of I/O sync operations", s -> committer().forces()),
        Family.counter("io_sync_time_seconds_total", "Total I/O sync time", s -> committer().stats().latencySeconds()),
        Family.counter("msg_store_read_total", "Total number of Message Store read operations",
            s -> s.totals()[DISK_READS]),
        Family.counter("msg_store_write_total", "Total number of Message Store write operations",
            s -> s.totals()[DISK_WRITES]));
  }

  private GroupCommitter committer() {
    return broker.committer();
  }

  /** RabbitMQ file_handle_cache: sockets may take 90 % of the descriptors above the 100 reserved. */
  private static double socketLimit() {
    long fds = ProcStatus.maxFds();
    return fds < 0 ? -1 : Math.max(0, Math.floor((Math.min(fds, Integer.MAX_VALUE) - 100) * 0.9));
  }

  private double diskFree() {
    Path dir = broker.options().dataDir();
    try {
      return Files.getFileStore(dir).getUsableSpace();
    } catch (IOException e) {
      return -1;
    }
  }
}
