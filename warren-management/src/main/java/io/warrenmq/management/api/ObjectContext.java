package io.warrenmq.management.api;

import io.warrenmq.amqp.AmqpException;
import io.warrenmq.broker.Broker;
import io.warrenmq.broker.DirectChannel;
import io.warrenmq.broker.vhost.VirtualHost;
import io.warrenmq.management.auth.Principal;
import io.warrenmq.management.http.ApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the object controllers (exchanges, queues, bindings, connections, channels, consumers,
 * overview, health) share: the broker, the server's facts, the statistics seam (whose per-request
 * statistics {@link #stats(Call)} gives the renderers) and the renderers,
 * and RabbitMQ's rules for which vhosts a listing covers and how a request acts as its user.
 */
record ObjectContext(Broker broker, ServerInfo info, ObjectStats stats, QueueJson queues, TopologyJson topology,
    ConnectionJson connections) {

  static ObjectContext of(Broker broker, ServerInfo info, ObjectStats stats) {
    ConnectionJson connections = new ConnectionJson(broker);
    return new ObjectContext(broker, info, stats, new QueueJson(broker, connections), new TopologyJson(broker),
        connections);
  }

  /** rabbit_mgmt_util:disable_stats: the request asks for no statistics ({@code ?disable_stats=true}). */
  static boolean statsDisabled(Call c) {
    return "true".equals(c.query("disable_stats"));
  }

  /**
   * The statistics of this request for the renderers: none under {@code ?disable_stats=true}
   * (whose ranges are then not read, as RabbitMQ reads them only with statistics), else with the
   * request's sample ranges (400 if they are invalid).
   */
  ObjectStats stats(Call c) {
    return statsDisabled(c) ? ObjectStats.NONE : alwaysStats(c);
  }

  /** The same whatever {@code disable_stats} says, for the endpoints that never read it. */
  ObjectStats alwaysStats(Call c) {
    return stats.forRequest(c::query);
  }

  String node() {
    return broker.pids().node();
  }

  /**
   * The vhosts a listing covers (rabbit_mgmt_util all_or_one_vhost, then filter_vhost): the
   * path's vhost (404 if it does not exist) or all, and of those, for an administrator every
   * vhost, for anyone else those it may log in to.
   */
  List<VirtualHost> listedVhosts(Call c) {
    List<VirtualHost> all = c.params().containsKey("vhost") ? List.of(c.vhost()) : broker.vhosts();
    List<VirtualHost> out = new ArrayList<>(all.size());
    for (VirtualHost vh : all) {
      if (c.principal().isAdministrator() || c.principal().canLogIn(vh.name())) {
        out.add(vh);
      }
    }
    return out;
  }

  /**
   * A channel of the request's user on the path's vhost, as rabbit_mgmt_util with_channel opens a
   * direct connection: a user without any permission on the vhost is refused (401 "Access
   * refused.", the connection's not_allowed).
   */
  DirectChannel channel(Call c, VirtualHost vh) {
    Principal p = c.principal();
    if (!p.canLogIn(vh.name())) {
      throw ApiException.notAuthorised("Access refused.");
    }
    return new DirectChannel(broker, p.user(), vh);
  }

  /**
   * A channel for rabbit_mgmt_util direct_request (declarations, deletions, bindings, purge): it
   * runs the channel's method with the user's permissions, without opening a connection.
   */
  DirectChannel direct(Call c, VirtualHost vh) {
    return new DirectChannel(broker, c.principal().user(), vh);
  }

  /** Runs a direct_request operation, its channel errors answered as direct_request answers them. */
  static <T> T direct(java.util.function.Supplier<T> op) {
    try {
      return op.get();
    } catch (AmqpException e) {
      throw Errors.direct(e);
    }
  }

  /** A path segment naming an exchange: "amq.default" is the default exchange, "" (rabbit_web_dispatch id). */
  static String exchangeName(String segment) {
    return segment.equals("amq.default") ? "" : segment;
  }

  /** The path's vhost for an operation with a body: 404 "vhost_not_found" if missing (with_vhost_and_props). */
  VirtualHost vhostForWrite(Call c) {
    VirtualHost vh = broker.vhost(c.param("vhost"));
    if (vh == null) {
      throw ApiException.notFound("vhost_not_found");
    }
    return vh;
  }

  /** rabbit_mgmt_format parse_bool: true, false, "true", "false" or absent; else 400 {not_boolean, V}. */
  static boolean bool(Map<String, Object> body, String key) {
    Object v = body.get(key);
    if (v == null || Boolean.FALSE.equals(v) || "false".equals(v)) {
      return false;
    }
    if (Boolean.TRUE.equals(v) || "true".equals(v)) {
      return true;
    }
    throw io.warrenmq.management.format.Reasons.pair("not_boolean", v);
  }

  /** rabbit_misc parse_int: an integer, a number (truncated) or a numeric string; else 400 {not_integer, V}. */
  static long integer(@Nullable Object v) {
    if (v instanceof Number n) {
      return n.longValue();
    }
    if (v instanceof String s) {
      try {
        return Long.parseLong(s);
      } catch (NumberFormatException e) {
        throw io.warrenmq.management.format.Reasons.pair("not_integer", s);
      }
    }
    throw io.warrenmq.management.format.Reasons.pair("not_integer", String.valueOf(v));
  }

  /**
   * rabbit_mgmt_util with_decode: the keys that must be in the body, or 400 with RabbitMQ's
   * printed list of those missing ("[{key_missing,count},{key_missing,encoding}]").
   */
  static void require(Map<String, Object> body, String... keys) {
    StringBuilder missing = new StringBuilder();
    for (String k : keys) {
      if (!body.containsKey(k)) {
        missing.append(missing.isEmpty() ? "" : ",").append("{key_missing,").append(k).append('}');
      }
    }
    if (!missing.isEmpty()) {
      throw ApiException.badRequest("[" + missing + "]");
    }
  }

  /** One object answered as rabbit_mgmt_util reply answers it: {@code ?columns=} applies here too. */
  static io.warrenmq.management.http.Response reply(Call c, Map<String, Object> object) {
    String columns = c.query("columns");
    return io.warrenmq.management.http.Response.ok(
        columns == null ? object : Listing.select(object, List.of(columns.split(","))));
  }
}
