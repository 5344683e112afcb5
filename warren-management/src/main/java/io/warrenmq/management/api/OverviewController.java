package io.warrenmq.management.api;

import io.warrenmq.broker.Broker;
import io.warrenmq.broker.Compatibility;
import io.warrenmq.broker.queue.Queue;
import io.warrenmq.broker.view.ClusterView;
import io.warrenmq.broker.view.ConnectionView;
import io.warrenmq.broker.vhost.VirtualHost;
import io.warrenmq.management.auth.Access;
import io.warrenmq.management.auth.Principal;
import io.warrenmq.management.http.Response;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/overview} (rabbit_mgmt_wm_overview) and {@code /api/nodes[/{name}]}
 * (rabbit_mgmt_wm_nodes, _node; monitoring users). WarrenMQ is one node, named as the broker
 * names itself (warren@host).
 *
 * <p>Versions: {@code rabbitmq_version} and {@code management_version} are the RabbitMQ release
 * WarrenMQ follows ({@link Compatibility#RABBITMQ_VERSION}), {@code product_name} and
 * {@code product_version} WarrenMQ's own. There is no Erlang runtime: {@code erlang_version} says
 * so and names the JVM ("n/a (Java 25.0.1)"), {@code erlang_full_version} the JVM in full.
 */
final class OverviewController {
  /** The exchange types WarrenMQ has, with their plugins' descriptions, sorted by name. */
  static final List<Map<String, Object>> EXCHANGE_TYPES = List.of(
      type("direct", "AMQP direct exchange, as per the AMQP specification"),
      type("fanout", "AMQP fanout exchange, as per the AMQP specification"),
      type("headers", "AMQP headers exchange, as per the AMQP specification"),
      type("topic", "AMQP topic exchange, as per the AMQP specification"),
      type("x-consistent-hash", "Consistent Hashing Exchange"),
      type("x-delayed-message", "Delayed Message Exchange."),
      type("x-message-deduplication", "Message Deduplication Exchange."));

  private final ObjectContext ctx;

  OverviewController(ObjectContext ctx) {
    this.ctx = ctx;
  }

  private static Map<String, Object> type(String name, String description) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("description", description);
    m.put("enabled", true);
    return m;
  }

  void register(ApiRoutes api) {
    api.get("/api/overview", Access.MANAGEMENT, this::overview);
    api.get("/api/nodes", Access.MONITOR, this::nodes);
    api.get("/api/nodes/{node}", Access.MONITOR, this::node);
  }

  static String erlangVersion() {
    return "n/a (Java " + Runtime.version().feature() + "." + Runtime.version().interim() + "."
        + Runtime.version().update() + ")";
  }

  private Response overview(Call c) {
    Principal p = c.principal();
    boolean disabled = ObjectContext.statsDisabled(c);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("management_version", Compatibility.RABBITMQ_VERSION);
    m.put("rates_mode", ctx.stats().ratesMode());
    m.put("sample_retention_policies", ctx.stats().sampleRetentionPolicies());
    m.put("exchange_types", EXCHANGE_TYPES);
    m.put("product_version", ctx.info().productVersion());
    m.put("product_name", "WarrenMQ");
    m.put("rabbitmq_version", Compatibility.RABBITMQ_VERSION);
    m.put("cluster_name", ctx.node());
    m.put("erlang_version", erlangVersion());
    m.put("erlang_full_version", "no Erlang runtime: WarrenMQ runs on " + System.getProperty("java.vm.name") + " "
        + System.getProperty("java.runtime.version"));
    m.put("release_series_support_status", "supported");
    m.put("disable_stats", disabled);
    m.put("is_op_policy_updating_enabled", true);
    m.put("enable_queue_totals", "true".equals(c.query("enable_queue_totals")));
    List<VirtualHost> vhosts = p.visibleVhosts();
    if (disabled) {
      m.put("node", ctx.node());
      m.put("object_totals", totals(p, vhosts, -1));
      return Response.ok(m);
    }
    if (!ctx.stats(c).overview(p, m)) {
      // no statistics sampler: the totals counted here
      long[] sums = sums(p.isMonitor() ? ctx.broker().vhosts() : vhosts, vhosts);
      Map<String, Object> queueTotals = new LinkedHashMap<>();
      queueTotals.put("messages", sums[0] + sums[1]);
      queueTotals.put("messages_ready", sums[0]);
      queueTotals.put("messages_unacknowledged", sums[1]);
      m.put("queue_totals", queueTotals);
      m.put("object_totals", totals(p, vhosts, sums[2]));
    }
    m.put("statistics_db_event_queue", 0); // no statistics database, so no backlog of its events
    if (p.isMonitor()) {
      m.put("node", ctx.node());
      m.put("listeners", listeners());
      m.put("contexts", contexts(true));
    }
    return ObjectContext.reply(c, m);
  }

  /**
   * One pass over the queues: ready and unacknowledged messages of those in {@code visible}, and
   * the consumers of all in {@code counted}.
   */
  private static long[] sums(List<VirtualHost> counted, List<VirtualHost> visible) {
    long ready = 0;
    long unacked = 0;
    long consumers = 0;
    for (VirtualHost vh : counted) {
      boolean seen = visible.contains(vh);
      for (Queue q : vh.queuesSorted(false)) {
        if (seen) {
          ready += q.messageCount();
          unacked += q.unackedCount();
        }
        consumers += q.consumerCount();
      }
    }
    return new long[] {ready, unacked, consumers};
  }

  /**
   * object_totals (rabbit_mgmt_db get_overview): a monitoring user counts everything; another
   * user the queues and exchanges of the vhosts it sees, nothing else. {@code consumers} is -1
   * without statistics (disable_stats), when RabbitMQ leaves channels and consumers out.
   */
  private Map<String, Object> totals(Principal p, List<VirtualHost> vhosts, long consumers) {
    Broker broker = ctx.broker();
    long queues = 0;
    long exchanges = 0;
    for (VirtualHost vh : p.isMonitor() ? broker.vhosts() : vhosts) {
      queues += vh.queueCount();
      exchanges += vh.exchangeCount();
    }
    Map<String, Object> m = new LinkedHashMap<>();
    if (p.isMonitor()) {
      List<ConnectionView> conns = broker.connections().list();
      if (consumers >= 0) {
        m.put("channels", conns.stream().mapToLong(ConnectionView::channelCount).sum());
      }
      m.put("connections", conns.size());
      if (consumers >= 0) {
        m.put("consumers", consumers);
      }
    }
    m.put("exchanges", exchanges);
    m.put("queues", queues);
    return m;
  }

  /** rabbit_mgmt_format:listener, sorted by protocol, port (rabbit_mgmt_wm_overview listeners). */
  private List<Map<String, Object>> listeners() {
    List<ServerInfo.Listener> ls = new ArrayList<>(ctx.info().listeners().get());
    ls.sort(Comparator.comparing(ServerInfo.Listener::protocol).thenComparingInt(ServerInfo.Listener::port));
    List<Map<String, Object>> out = new ArrayList<>();
    for (ServerInfo.Listener l : ls) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("node", ctx.node());
      m.put("protocol", l.protocol());
      m.put("ip_address", l.ip());
      m.put("port", l.port());
      m.put("socket_opts", Map.of());
      out.add(m);
    }
    return out;
  }

  /** The management listener as a web context (rabbit_mgmt_format:web_context); the port is a string. */
  private List<Map<String, Object>> contexts(boolean withNode) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (ServerInfo.Listener l : ctx.info().listeners().get()) {
      if (!l.protocol().equals("http")) {
        continue;
      }
      Map<String, Object> m = new LinkedHashMap<>();
      if (withNode) {
        m.put("ssl_opts", List.of());
        m.put("node", ctx.node());
      }
      m.put("description", "RabbitMQ Management");
      m.put("path", "/");
      m.put("ip", l.ip());
      m.put("port", Integer.toString(l.port()));
      out.add(m);
    }
    return out;
  }

  /** This node, and on a cluster node every other member with its name and whether it runs. */
  private Response nodes(Call c) {
    boolean disabled = ObjectContext.statsDisabled(c);
    ClusterView cluster = ctx.broker().clusterView();
    if (cluster == null) {
      return Response.ok(List.of(node(disabled)));
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (ClusterView.Member m : cluster.members()) {
      out.add(m.self() ? node(disabled) : peer(m));
    }
    return Response.ok(out);
  }

  private Response node(Call c) {
    String name = c.param("node");
    if (name.equals(ctx.node())) {
      return ObjectContext.reply(c, node(ObjectContext.statsDisabled(c)));
    }
    ClusterView cluster = ctx.broker().clusterView();
    if (cluster != null) {
      for (ClusterView.Member m : cluster.members()) {
        if (m.name().equals(name)) {
          return ObjectContext.reply(c, peer(m));
        }
      }
    }
    throw Call.notFound();
  }

  /** Another member of the cluster: what this node knows of it (its figures are that node's own API's). */
  private static Map<String, Object> peer(ClusterView.Member m) {
    Map<String, Object> n = new LinkedHashMap<>();
    n.put("name", m.name());
    n.put("type", "disc");
    n.put("running", m.running());
    n.put("being_drained", false);
    return n;
  }

  /** This node: name, type, running; with statistics the JVM's and OS's figures ({@link NodeFacts}). */
  private Map<String, Object> node(boolean disabled) {
    Broker b = ctx.broker();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", ctx.node());
    m.put("type", "disc");
    m.put("running", true);
    m.put("being_drained", false);
    if (disabled) {
      return m;
    }
    List<ServerInfo.Alarm> alarms = ctx.info().alarms().get();
    long used = b.alarms().memoryUsed(); // what the memory alarm compares (MemoryUse), 0 before its first check
    m.put("mem_used", used > 0 ? used : NodeFacts.residentBytes());
    m.put("mem_limit", b.resourceLimits().memoryLimitBytes());
    m.put("mem_alarm", alarms.stream().anyMatch(a -> a.resource().equals("memory")));
    m.put("mem_calculation_strategy", "rss");
    m.put("disk_free", NodeFacts.diskFree(b.options().dataDir()));
    m.put("disk_free_limit", b.resourceLimits().diskFreeLimitBytes());
    m.put("disk_free_alarm", alarms.stream().anyMatch(a -> a.resource().equals("disk")));
    long fdTotal = NodeFacts.fdTotal();
    m.put("fd_used", NodeFacts.fdUsed());
    m.put("fd_total", fdTotal);
    m.put("sockets_used", b.connections().size());
    m.put("sockets_total", fdTotal); // no limit of its own: sockets count against the descriptors
    m.put("proc_used", NodeFacts.threads());
    m.put("proc_total", NodeFacts.threadLimit());
    m.put("uptime", NodeFacts.uptimeMs());
    m.put("os_pid", Long.toString(ProcessHandle.current().pid()));
    m.put("processors", Runtime.getRuntime().availableProcessors());
    m.put("partitions", List.of());
    m.put("exchange_types", EXCHANGE_TYPES);
    m.put("auth_mechanisms", List.of(mechanism("AMQPLAIN", "QPid AMQPLAIN mechanism"),
        mechanism("PLAIN", "SASL PLAIN authentication mechanism")));
    m.put("contexts", contexts(false));
    m.put("db_dir", b.options().dataDir().toAbsolutePath().normalize().toString());
    m.put("enabled_plugins", List.of("rabbitmq_management"));
    ctx.stats().node(m);
    return m;
  }

  private static Map<String, Object> mechanism(String name, String description) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("description", description);
    m.put("enabled", true);
    return m;
  }
}
