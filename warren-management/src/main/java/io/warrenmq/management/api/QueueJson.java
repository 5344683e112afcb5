package io.warrenmq.management.api;

import io.netty.buffer.ByteBuf;
import io.warrenmq.amqp.content.BasicProperties;
import io.warrenmq.broker.Broker;
import io.warrenmq.broker.consumer.Consumer;
import io.warrenmq.broker.message.Envelope;
import io.warrenmq.broker.policy.EffectiveArguments;
import io.warrenmq.broker.policy.Policy;
import io.warrenmq.broker.queue.ClassicQueue;
import io.warrenmq.broker.queue.Queue;
import io.warrenmq.broker.view.ConnectionView;
import io.warrenmq.management.format.AmqpJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A queue as {@code /api/queues} answers it (rabbit_mgmt_format:queue with the queue's statistics
 * keys, rabbit_amqqueue_process STATISTICS_KEYS), with the fields WarrenMQ has honest values for.
 * The listing is RabbitMQ 3.13's basic form (keys without a value left out); {@code detailed} and
 * the queue's own page keep them as null and add what those pages add (consumer details, the
 * owner of an exclusive queue). The statistics of messages go in through {@link ObjectStats}.
 */
final class QueueJson {
  /** Which page the queue is rendered for. */
  enum Mode {
    /** {@code /api/queues}: 3.13's basic listing. */
    BASIC,
    /** {@code /api/queues/detailed}. */
    DETAILED,
    /** {@code /api/queues/{vhost}/{name}}. */
    FULL
  }

  /**
   * What of the queue is known: with {@code disable_stats=true} only the definition (and the
   * counts with {@code enable_queue_totals=true}), as rabbit_mgmt_wm_queues answers; else the
   * request's message statistics too.
   */
  record Options(Mode mode, boolean stats, boolean totals, ObjectStats messageStats) {
    static Options of(Call c, Mode mode, ObjectContext ctx) {
      boolean disabled = ObjectContext.statsDisabled(c);
      return new Options(mode, !disabled, !disabled || "true".equals(c.query("enable_queue_totals")), ctx.stats(c));
    }
  }

  private final Broker broker;
  private final ConnectionJson connections;

  QueueJson(Broker broker, ConnectionJson connections) {
    this.broker = broker;
    this.connections = connections;
  }

  Map<String, Object> render(Queue q, Options o) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", q.name());
    m.put("vhost", q.spec().vhost());
    m.put("durable", q.spec().durable());
    m.put("auto_delete", q.spec().autoDelete());
    m.put("exclusive", q.spec().exclusive());
    m.put("arguments", AmqpJson.table(q.spec().arguments()));
    String node = q.homeNode() != null ? q.homeNode() : broker.pids().node();
    m.put("node", node);
    m.put("type", q.type());
    List<String> members = q.members();
    if (members != null) {
      // rabbit_quorum_queue format/2: leader, members and the members online, running while a majority is
      List<String> online = online(members);
      m.put("leader", node);
      m.put("members", members);
      m.put("online", online);
      m.put("state", online.size() * 2 > members.size() ? "running" : online.isEmpty() ? "down" : "minority");
    } else {
      m.put("state", "running");
    }
    EffectiveArguments policies = broker.policies().resolve(q.spec().vhost(), Policy.Kind.ofQueue(q.type()), q.name(),
        q.spec().arguments());
    if (!o.stats()) {
      if (o.totals()) {
        counts(q, m);
      }
      if (policies.policy() != null) {
        m.put("policy", policies.policy().name());
      }
      return m;
    }
    counts(q, m);
    m.put("consumers", q.consumerCount());
    boolean nulls = o.mode() != Mode.BASIC; // the basic listing leaves out what has no value
    optional(m, "policy", policies.policy() == null ? null : policies.policy().name(), nulls);
    optional(m, "operator_policy", policies.operatorPolicy() == null ? null : policies.operatorPolicy().name(), nulls);
    m.put("effective_policy_definition", policies.effectiveDefinition());
    List<Consumer> consumers = q.consumerCount() == 0 ? List.of() : q.consumers();
    optional(m, "exclusive_consumer_tag", exclusiveTag(consumers), nulls);
    optional(m, "single_active_consumer_tag", singleActiveTag(q, consumers), nulls);
    if (q instanceof ClassicQueue cq) {
      m.put("message_bytes_ready", cq.readyBytes());
    }
    if (o.mode() == Mode.FULL) {
      full(q, consumers, m);
    }
    o.messageStats().queue(q, m, o.mode() != Mode.BASIC);
    return m;
  }

  /** Which of {@code members} are running, as this node sees the cluster. */
  private List<String> online(List<String> members) {
    var view = broker.clusterView();
    if (view == null) {
      return members;
    }
    List<String> running = new java.util.ArrayList<>();
    for (var mem : view.members()) {
      if (mem.running() && members.contains(mem.name())) {
        running.add(mem.name());
      }
    }
    running.sort(java.util.Comparator.comparingInt(members::indexOf));
    return running;
  }

  private static void counts(Queue q, Map<String, Object> m) {
    long ready = q.messageCount();
    long unacked = q.unackedCount();
    m.put("messages", ready + unacked);
    m.put("messages_ready", ready);
    m.put("messages_unacknowledged", unacked);
  }

  private static void optional(Map<String, Object> m, String key, @Nullable Object value, boolean nullIfAbsent) {
    if (value != null || nullIfAbsent) {
      m.put(key, value);
    }
  }

  /** The queue's own page: its consumers, its head message's timestamp, the exclusive owner. */
  private void full(Queue q, List<Consumer> consumers, Map<String, Object> m) {
    List<Map<String, Object>> details = new ArrayList<>(consumers.size());
    for (Consumer c : consumers) {
      details.add(connections.consumer(q, c));
    }
    m.put("consumer_details", details);
    m.put("head_message_timestamp", headTimestamp(q));
    if (q.exclusiveOwner() != null) {
      ConnectionView owner = ownerOf(q.exclusiveOwner());
      if (owner != null) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("name", owner.name());
        d.put("peer_host", owner.peerHost());
        d.put("peer_port", owner.peerPort());
        m.put("owner_pid_details", d);
      }
    }
    // rabbit_mgmt_wm_queue ensure_defaults: -1 where a runtime figure is not available (the JVM has
    // no per-queue garbage collection)
    Map<String, Object> gc = new LinkedHashMap<>();
    gc.put("max_heap_size", -1);
    gc.put("min_bin_vheap_size", -1);
    gc.put("min_heap_size", -1);
    gc.put("fullsweep_after", -1);
    gc.put("minor_gcs", -1);
    m.put("garbage_collection", gc);
  }

  private @Nullable ConnectionView ownerOf(Object owner) {
    for (ConnectionView c : broker.connections().list()) {
      if (c.owns(owner)) {
        return c;
      }
    }
    return null;
  }

  /** The timestamp property of the message at the head, in seconds (head_message_timestamp). */
  private static @Nullable Long headTimestamp(Queue q) {
    if (!(q instanceof ClassicQueue cq)) {
      return null;
    }
    for (ClassicQueue.Peeked p : cq.peekMessages(1)) {
      ByteBuf r = p.record();
      try {
        Envelope e = Envelope.parse(r);
        BasicProperties props = e.properties().isReadable() ? e.decodeProperties() : BasicProperties.EMPTY;
        return props.timestamp();
      } finally {
        r.release();
      }
    }
    return null;
  }

  private static @Nullable String exclusiveTag(List<Consumer> consumers) {
    for (Consumer c : consumers) {
      if (c.exclusive()) {
        return c.tag();
      }
    }
    return null;
  }

  private static @Nullable String singleActiveTag(Queue q, List<Consumer> consumers) {
    if (!(q instanceof ClassicQueue cq) || !cq.settings().singleActiveConsumer()) {
      return null;
    }
    for (Consumer c : consumers) {
      if (cq.isActive(c)) {
        return c.tag();
      }
    }
    return null;
  }
}
