package io.warrenmq.management.api;

import io.warrenmq.broker.Broker;
import io.warrenmq.broker.auth.UserUpdate;
import io.warrenmq.broker.vhost.VhostMetadata;
import io.warrenmq.broker.vhost.VirtualHost;
import io.warrenmq.management.auth.Access;
import io.warrenmq.management.http.ApiException;
import io.warrenmq.management.http.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@code /api/vhosts} and {@code /api/vhosts/{vhost}} (rabbit_mgmt_wm_vhosts, rabbit_mgmt_wm_vhost):
 * the list of the vhosts the user sees, and, for administrators, one vhost, PUT with
 * {@code description}, {@code tags}, {@code default_queue_type} (or 3.11's
 * {@code defaultqueuetype}) and {@code tracing}, DELETE. A vhost is RabbitMQ's
 * {@code rabbit_vhost:info}: name, description, tags, default_queue_type ("undefined" when
 * unset), metadata, tracing and cluster_state, and unless {@code ?disable_stats=true} its
 * statistics (rabbit_mgmt_db:augment_vhosts, through {@link ObjectStats#vhost}).
 */
final class VhostsController {
  private final Broker broker;
  private final ObjectStats stats;

  VhostsController(Broker broker, ObjectStats stats) {
    this.broker = broker;
    this.stats = stats;
  }

  void register(ApiRoutes api) {
    api.get("/api/vhosts", Access.MANAGEMENT, this::list);
    api.get("/api/vhosts/{vhost}", Access.ADMIN, this::get);
    api.put("/api/vhosts/{vhost}", Access.ADMIN, ConfigReplies.guarded(this::put));
    api.delete("/api/vhosts/{vhost}", Access.ADMIN, this::delete);
  }

  private ObjectStats stats(Call c) {
    return ObjectContext.statsDisabled(c) ? ObjectStats.NONE : stats.forRequest(c::query);
  }

  private Response list(Call c) {
    ObjectStats s = stats(c);
    List<Map<String, Object>> items = new ArrayList<>();
    for (VirtualHost v : c.principal().visibleVhosts()) {
      Map<String, Object> m = json(broker, v);
      s.vhost(v, m);
      items.add(m);
    }
    return Listing.ofMaps(items, List.of("name")).reply(c);
  }

  private Response get(Call c) {
    VirtualHost v = c.vhost();
    Map<String, Object> m = json(broker, v);
    stats(c).vhost(v, m);
    return ObjectContext.reply(c, m);
  }

  private Response put(Call c) {
    Map<String, Object> body = c.body();
    Object dqt = body.containsKey("default_queue_type") ? body.get("default_queue_type") : body.get("defaultqueuetype");
    Object tags = body.get("tags");
    boolean created = broker.putVhost(c.param("vhost"), text(body.get("description")),
        tags == null || "null".equals(tags) || "undefined".equals(tags) ? List.of() : UserUpdate.tagList(tags),
        dqt == null ? null : dqt.toString(), tracing(body.get("tracing")), c.principal().name());
    return ConfigReplies.put(created);
  }

  private Response delete(Call c) {
    broker.deleteVhost(c.vhost().name());
    return Response.noContent();
  }

  private static String text(@Nullable Object v) {
    return v == null ? "" : v.toString();
  }

  /** rabbit_misc:parse_bool over the body's tracing: true, false, "true", "false", or not given. */
  private static @Nullable Boolean tracing(@Nullable Object v) {
    if (v == null) {
      return null;
    }
    return switch (v.toString()) {
      case "true" -> true;
      case "false" -> false;
      default -> throw ApiException.badRequest("{not_boolean," + v + "}");
    };
  }

  /** rabbit_vhost:info of one vhost. */
  static Map<String, Object> json(Broker broker, VirtualHost v) {
    VhostMetadata m = v.metadata();
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("description", m.description());
    meta.put("tags", m.tags());
    if (!m.defaultQueueType().isEmpty()) {
      meta.put("default_queue_type", m.defaultQueueType());
    }
    return ConfigReplies.object("name", v.name(), "description", m.description(), "tags", m.tags(),
        "default_queue_type", m.defaultQueueType().isEmpty() ? "undefined" : m.defaultQueueType(),
        "metadata", meta, "tracing", v.firehose().enabled(),
        "cluster_state", Map.of(broker.pids().node(), "running"));
  }
}
