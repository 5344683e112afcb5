package io.warrenmq.management.api;

import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.content.BasicProperties;
import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.broker.DirectChannel;
import io.warrenmq.broker.queue.QueueSpec;
import io.warrenmq.broker.vhost.VirtualHost;
import io.warrenmq.management.auth.Access;
import io.warrenmq.management.http.ApiException;
import io.warrenmq.management.http.Response;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * The health checks of RabbitMQ 3.13 ({@code /api/health/checks/...}, any management user), the
 * deprecated {@code /api/healthchecks/node}, and {@code /api/aliveness-test/{vhost}}
 * (rabbit_mgmt_wm_aliveness_test: declares the queue "aliveness-test", publishes "test_message"
 * to it and gets it, as the user). A failed check answers 503 with status "failed" and the reason.
 * The alarm checks read the alarms the server reports ({@link ServerInfo#alarms()}): 503 with
 * rabbit_alarm's list while one is in effect. The certificate-expiration check reads the TLS
 * listeners' files ({@link CertificateExpiration}). The quorum check names the quorum queues
 * that would lose their majority if this node stopped; on a single node it and the mirror check
 * answer as RabbitMQ does for a single-node cluster.
 */
final class HealthController {
  private static final String ALIVENESS_QUEUE = "aliveness-test";

  private final ObjectContext ctx;

  HealthController(ObjectContext ctx) {
    this.ctx = ctx;
  }

  void register(ApiRoutes api) {
    api.get("/api/aliveness-test/{vhost}", Access.VHOST, this::aliveness);
    api.get("/api/healthchecks/node", Access.MANAGEMENT, c -> ok());
    api.get("/api/healthchecks/node/{node}", Access.MANAGEMENT, this::nodeCheck);
    api.get("/api/health/checks/alarms", Access.MANAGEMENT, c -> alarms("There are alarms in effect in the cluster"));
    api.get("/api/health/checks/local-alarms", Access.MANAGEMENT, c -> alarms("There are alarms in effect on the node"));
    api.get("/api/health/checks/port-listener/{port}", Access.MANAGEMENT, this::portListener);
    api.get("/api/health/checks/protocol-listener/{protocol}", Access.MANAGEMENT, this::protocolListener);
    api.get("/api/health/checks/virtual-hosts", Access.MANAGEMENT, c -> ok());
    // RabbitMQ 4.1's checks, served for load balancers and orchestrators that probe them
    api.get("/api/health/checks/is-in-service", Access.MANAGEMENT, c -> ok());
    api.get("/api/health/checks/below-node-connection-limit", Access.MANAGEMENT, c -> belowConnectionLimit());
    api.get("/api/health/checks/ready-to-serve-clients", Access.MANAGEMENT, c -> readyToServeClients());
    api.get("/api/health/checks/certificate-expiration/{within}/{unit}", Access.MANAGEMENT,
        new CertificateExpiration(ctx)::check);
    api.get("/api/health/checks/node-is-mirror-sync-critical", Access.MANAGEMENT, c -> singleNode());
    api.get("/api/health/checks/node-is-quorum-critical", Access.MANAGEMENT, c -> quorumCritical());
  }

  private static Response ok() {
    return Response.ok(Map.of("status", "ok"));
  }

  private static Response singleNode() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", "ok");
    m.put("reason", "single node cluster");
    return Response.ok(m);
  }

  /** rabbit_mgmt_wm_health_check_node_is_quorum_critical: 503 naming the queues that would lose their majority. */
  private Response quorumCritical() {
    if (ctx.broker().clusterView() == null) {
      return singleNode();
    }
    List<io.warrenmq.broker.queue.Queue> critical = io.warrenmq.broker.view.QuorumCritical.queues(ctx.broker());
    if (critical.isEmpty()) {
      return ok();
    }
    List<Map<String, Object>> queues = new ArrayList<>();
    for (var q : critical) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("name", q.name());
      e.put("readable_name", q.spec().resource());
      e.put("node", ctx.node());
      e.put("virtual_host", q.spec().vhost());
      queues.add(e);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", "failed");
    m.put("reason", "There are quorum queues that would lose their quorum if the target node is shut down");
    m.put("queues", queues);
    return failed(m);
  }

  private static Response failed(Map<String, Object> m) {
    return Response.json(503, m);
  }

  /** rabbit_mgmt_wm_health_check_below_node_connection_limit: connection_max not reached. */
  private Response belowConnectionLimit() {
    if (ctx.broker().connectionLimits().belowNodeMax()) {
      return ok();
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", "failed");
    m.put("reason", "node connection limit is reached");
    return failed(m);
  }

  /**
   * rabbit_mgmt_wm_health_check_ready_to_serve_clients: in service, an AMQP or AMQPS listener
   * bound, and connection_max not reached.
   */
  private Response readyToServeClients() {
    boolean listening = ctx.info().listeners().get().stream()
        .anyMatch(l -> l.protocol().equals("amqp") || l.protocol().equals("amqp/ssl"));
    Map<String, Object> m = new LinkedHashMap<>();
    if (!listening) {
      m.put("status", "failed");
      m.put("reason", "no active listeners for AMQP/AMQPS");
      return failed(m);
    }
    if (!ctx.broker().connectionLimits().belowNodeMax()) {
      m.put("status", "failed");
      m.put("reason", "node connection limit is reached");
      m.put("connections", ctx.broker().connections().size());
      return failed(m);
    }
    return ok();
  }

  private Response nodeCheck(Call c) {
    if (!c.param("node").equals(ctx.node())) {
      throw Call.notFound();
    }
    return ok();
  }

  private Response alarms(String reason) {
    List<ServerInfo.Alarm> alarms = ctx.info().alarms().get();
    if (alarms.isEmpty()) {
      return ok();
    }
    List<Map<String, Object>> list = new ArrayList<>();
    for (ServerInfo.Alarm a : alarms) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("node", ctx.node());
      m.put("resource", a.resource());
      list.add(m); // rabbit_alarm:format_as_maps
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", "failed");
    m.put("reason", reason);
    m.put("alarms", list);
    return failed(m);
  }

  private Response portListener(Call c) {
    int port;
    try {
      port = Integer.parseInt(c.param("port"));
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("Invalid port");
    }
    List<Integer> ports = new ArrayList<>();
    for (ServerInfo.Listener l : ctx.info().listeners().get()) {
      if (l.port() == port) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", "ok");
        m.put("port", port);
        return Response.ok(m);
      }
      ports.add(l.port());
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", "failed");
    m.put("reason", "No active listener");
    m.put("missing", port);
    m.put("ports", ports);
    return failed(m);
  }

  private Response protocolListener(Call c) {
    String protocol = normalize(c.param("protocol"));
    List<String> protocols = new ArrayList<>();
    for (ServerInfo.Listener l : ctx.info().listeners().get()) {
      if (l.protocol().equals(protocol)) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", "ok");
        m.put("protocol", protocol);
        return Response.ok(m);
      }
      protocols.add(l.protocol());
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", "failed");
    m.put("reason", "No active listener");
    m.put("missing", protocol);
    m.put("protocols", protocols);
    return failed(m);
  }

  /** rabbit_mgmt_wm_health_check_protocol_listener normalize_protocol, for the protocols WarrenMQ has. */
  static String normalize(String protocol) {
    String p = protocol.toLowerCase(Locale.ROOT);
    return switch (p) {
      case "amqp091", "amqp0.9.1", "amqp0-9-1", "amqp0_9_1", "amqp10", "amqp1.0", "amqp1-0", "amqp1_0" -> "amqp";
      case "amqps" -> "amqp/ssl";
      case "http1", "http1.1", "http_api", "management", "management_ui", "ui" -> "http";
      case "cli", "distribution" -> "clustering";
      default -> p;
    };
  }

  /**
   * As RabbitMQ: queue.declare of "aliveness-test" (not durable, kept between checks), a publish
   * of "test_message" to it through the default exchange, a basic.get with no-ack; each with the
   * user's permissions, refusals answered as with_channel answers them.
   */
  private Response aliveness(Call c) {
    VirtualHost vh = c.vhost();
    DirectChannel ch = ctx.channel(c, vh);
    try {
      ch.checks().queueDeclare(ALIVENESS_QUEUE, FieldTable.EMPTY);
      vh.declareQueue(new QueueSpec(vh.name(), ALIVENESS_QUEUE, false, false, false, FieldTable.EMPTY), false, ch);
      ch.publish("", ALIVENESS_QUEUE, BasicProperties.EMPTY, "test_message".getBytes(StandardCharsets.UTF_8)).get();
      DirectChannel.Got got = ch.get(ALIVENESS_QUEUE, true);
      if (got == null) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", "failed");
        m.put("reason", "aliveness-test queue is empty");
        return failed(m);
      }
      got.delivery().release();
      return ok();
    } catch (AmqpException e) {
      throw Errors.channel(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the test message could not be stored", e.getCause());
    }
  }

}
