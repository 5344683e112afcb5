package io.warrenmq.management.api;

import io.warrenmq.broker.view.ChannelView;
import io.warrenmq.broker.view.ConnectionView;
import io.warrenmq.broker.vhost.NameOrder;
import io.warrenmq.broker.vhost.VirtualHost;
import io.warrenmq.management.auth.Access;
import io.warrenmq.management.auth.Principal;
import io.warrenmq.management.http.ApiException;
import io.warrenmq.management.http.Response;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@code /api/connections} (rabbit_mgmt_wm_connections, _connection, _connection_channels,
 * _connection_user_name, _connections_vhost): the open client connections from the broker's
 * views. A management user sees and closes its own; monitoring users see everyone's and
 * administrators close everyone's (is_authorized_user). DELETE closes the connection with 320
 * CONNECTION_FORCED and the {@code X-Reason} header's text, "Closed via management plugin" without
 * one (rabbit_mgmt_wm_connection force_close_connection). A connection that does not exist is 404
 * for everyone (RabbitMQ answers a management user 500 there, its check crashing on the missing
 * object).
 */
final class ConnectionsController {
  /** rabbit_mgmt_wm_connection: the reason when the request gives none. */
  static final String DEFAULT_REASON = "Closed via management plugin";

  private final ObjectContext ctx;

  ConnectionsController(ObjectContext ctx) {
    this.ctx = ctx;
  }

  void register(ApiRoutes api) {
    api.get("/api/connections", Access.MANAGEMENT, this::list);
    api.get("/api/connections/username/{username}", Access.MANAGEMENT, this::ofUser);
    api.delete("/api/connections/username/{username}", Access.MANAGEMENT, this::closeUser);
    api.get("/api/connections/{connection}", Access.MANAGEMENT, this::get);
    api.delete("/api/connections/{connection}", Access.MANAGEMENT, this::close);
    api.get("/api/connections/{connection}/channels", Access.MANAGEMENT, this::channels);
    api.get("/api/vhosts/{vhost}/connections", Access.VHOST, this::ofVhost);
  }

  static final Comparator<ConnectionView> ORDER = Comparator.comparing(ConnectionView::vhostName, NameOrder.INSTANCE)
      .thenComparing(ConnectionView::name, NameOrder.INSTANCE);

  /** rabbit_mgmt_util filter_user: monitoring users see every user's objects, others their own. */
  static boolean visible(Principal p, String owner) {
    return p.isMonitor() || owner.equals(p.name());
  }

  private List<ConnectionView> visible(Call c, @Nullable String vhost) {
    List<ConnectionView> out = new ArrayList<>();
    for (ConnectionView v : ctx.broker().connections().list()) {
      if (!v.userName().isEmpty() && visible(c.principal(), v.userName())
          && (vhost == null || v.vhostName().equals(vhost))) {
        out.add(v);
      }
    }
    return out;
  }

  /** With disable_stats only what connection tracking knows (filter_tracked_conn_list). */
  private Map<String, Object> tracked(ConnectionView v) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", v.name());
    m.put("vhost", v.vhostName());
    m.put("user", v.userName());
    m.put("node", ctx.node());
    return m;
  }

  private Response list(Call c) {
    boolean disabled = ObjectContext.statsDisabled(c);
    ObjectStats stats = ctx.stats(c);
    return new Listing<>(visible(c, null), v -> disabled ? tracked(v) : ctx.connections().connection(v, stats), ORDER,
        ConnectionView::name, List.of("vhost", "name")).reply(c);
  }

  /** rabbit_mgmt_wm_connections_vhost: with statistics whatever disable_stats says. */
  private Response ofVhost(Call c) {
    VirtualHost vh = c.vhost();
    ObjectStats stats = ctx.alwaysStats(c);
    return new Listing<>(visible(c, vh.name()), v -> ctx.connections().connection(v, stats), ORDER,
        ConnectionView::name, List.of("vhost", "name")).unpaginated().reply(c);
  }

  /** The connection named by the path; 404 if there is none, 401 if the user may not touch it. */
  private ConnectionView connection(Call c, boolean delete) {
    String name = c.param("connection");
    ConnectionView found = null;
    for (ConnectionView v : ctx.broker().connections().list()) {
      if (v.name().equals(name)) {
        found = v;
        break;
      }
    }
    if (found == null) {
      throw Call.notFound();
    }
    if (!c.principal().mayTouchObjectOf(found.userName(), delete)) {
      throw ApiException.notAuthorised("User not authorised to access object");
    }
    return found;
  }

  private Response get(Call c) {
    ConnectionView v = connection(c, false);
    if (ObjectContext.statsDisabled(c)) {
      return Response.ok(Map.of("name", v.name()));
    }
    return ObjectContext.reply(c, ctx.connections().connection(v, ctx.stats(c)));
  }

  private static String reason(Call c) {
    String r = c.request().header("x-reason");
    return r == null ? DEFAULT_REASON : r;
  }

  private Response close(Call c) {
    ConnectionView v = connection(c, true);
    ctx.broker().connections().close(v, reason(c));
    return Response.noContent();
  }

  /** rabbit_mgmt_wm_connection_channels: with statistics whatever disable_stats says. */
  private Response channels(Call c) {
    ConnectionView v = connection(c, false);
    List<ChannelView> chans = new ArrayList<>(v.channels());
    ObjectStats stats = ctx.alwaysStats(c);
    return new Listing<>(chans, ch -> ctx.connections().channel(ch, List.of(), false, stats), ChannelsController.ORDER,
        ChannelView::name, List.of("vhost", "name")).unpaginated().reply(c);
  }

  /** is_authorized_user on {user: Username}: the user itself, or a monitor (GET) / administrator (DELETE). */
  private List<ConnectionView> ofUserChecked(Call c, boolean delete) {
    String user = c.param("username");
    if (!c.principal().mayTouchObjectOf(user, delete)) {
      throw ApiException.notAuthorised("User not authorised to access object");
    }
    List<ConnectionView> out = new ArrayList<>();
    for (ConnectionView v : ctx.broker().connections().list()) {
      if (v.userName().equals(user)) {
        out.add(v);
      }
    }
    return out;
  }

  /** The user's connections as connection tracking lists them: name, vhost, user, node. */
  private Response ofUser(Call c) {
    return new Listing<>(ofUserChecked(c, false), this::tracked, ORDER, ConnectionView::name,
        List.of("vhost", "name")).reply(c);
  }

  private Response closeUser(Call c) {
    String reason = reason(c);
    for (ConnectionView v : ofUserChecked(c, true)) {
      ctx.broker().connections().close(v, reason);
    }
    return Response.noContent();
  }
}
