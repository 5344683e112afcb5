package io.warrenmq.management.api;

import io.warrenmq.broker.consumer.Consumer;
import io.warrenmq.broker.queue.Queue;
import io.warrenmq.broker.view.ChannelView;
import io.warrenmq.broker.view.ConnectionView;
import io.warrenmq.broker.vhost.NameOrder;
import io.warrenmq.broker.vhost.VirtualHost;
import io.warrenmq.management.auth.Access;
import io.warrenmq.management.http.ApiException;
import io.warrenmq.management.http.Response;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@code /api/channels}, {@code /api/vhosts/{vhost}/channels} and {@code /api/consumers}
 * (rabbit_mgmt_wm_channels, _channel, _channels_vhost, _consumers): the open channels from the
 * broker's views, one channel with its consumers, and every consumer of the broker's queues with
 * its channel. Visibility as for connections (own objects, or everyone's for monitoring users).
 * With {@code disable_stats=true} RabbitMQ has no channel or consumer data: 400 "Stats in
 * management UI are disabled on this node".
 */
final class ChannelsController {
  static final Comparator<ChannelView> ORDER = Comparator.comparing(ChannelView::vhostName, NameOrder.INSTANCE)
      .thenComparing(ChannelView::name, NameOrder.INSTANCE);

  private final ObjectContext ctx;

  ChannelsController(ObjectContext ctx) {
    this.ctx = ctx;
  }

  void register(ApiRoutes api) {
    api.get("/api/channels", Access.MANAGEMENT, this::list);
    api.get("/api/channels/{channel}", Access.MANAGEMENT, this::get);
    api.get("/api/vhosts/{vhost}/channels", Access.VHOST, this::ofVhost);
    api.get("/api/consumers", Access.MANAGEMENT, this::consumers);
    api.get("/api/consumers/{vhost}", Access.MANAGEMENT, this::consumers);
  }

  private static void statsEnabled(Call c) {
    if (ObjectContext.statsDisabled(c)) {
      throw ApiException.badRequest("Stats in management UI are disabled on this node");
    }
  }

  private List<ChannelView> visible(Call c, @Nullable String vhost) {
    List<ChannelView> out = new ArrayList<>();
    for (ConnectionView conn : ctx.broker().connections().list()) {
      if (conn.userName().isEmpty() || !ConnectionsController.visible(c.principal(), conn.userName())
          || (vhost != null && !conn.vhostName().equals(vhost))) {
        continue;
      }
      out.addAll(conn.channels());
    }
    return out;
  }

  private Response list(Call c) {
    statsEnabled(c);
    ObjectStats stats = ctx.stats(c);
    return new Listing<>(visible(c, null), ch -> ctx.connections().channel(ch, List.of(), false, stats), ORDER,
        ChannelView::name, List.of("vhost", "name")).reply(c);
  }

  private Response ofVhost(Call c) {
    statsEnabled(c);
    VirtualHost vh = c.vhost();
    ObjectStats stats = ctx.stats(c);
    return new Listing<>(visible(c, vh.name()), ch -> ctx.connections().channel(ch, List.of(), false, stats), ORDER,
        ChannelView::name, List.of("vhost", "name")).unpaginated().reply(c);
  }

  private Response get(Call c) {
    statsEnabled(c);
    String name = c.param("channel");
    ChannelView found = null;
    for (ConnectionView conn : ctx.broker().connections().list()) {
      for (ChannelView ch : conn.channels()) {
        if (ch.name().equals(name)) {
          found = ch;
        }
      }
    }
    if (found == null) {
      throw Call.notFound();
    }
    if (!c.principal().mayTouchObjectOf(found.userName(), false)) {
      throw ApiException.notAuthorised("User not authorised to access object");
    }
    List<Map<String, Object>> details = new ArrayList<>();
    VirtualHost vh = ctx.broker().vhost(found.vhostName());
    if (vh != null) {
      for (Queue q : vh.queuesSorted(false)) {
        if (q.consumerCount() == 0) {
          continue;
        }
        for (Consumer consumer : q.consumers()) {
          if (consumer.target().channel() == found) {
            details.add(ctx.connections().consumer(q, consumer));
          }
        }
      }
    }
    return ObjectContext.reply(c, ctx.connections().channel(found, details, true, ctx.stats(c)));
  }

  /**
   * Every consumer of the vhost's (or all vhosts') queues; a user who is not a monitor sees those
   * on its own channels, in whichever vhost (rabbit_mgmt_wm_consumers filter_user).
   */
  private Response consumers(Call c) {
    statsEnabled(c);
    List<VirtualHost> vhosts = c.params().containsKey("vhost") ? List.of(c.vhost()) : ctx.broker().vhosts();
    List<Map<String, Object>> out = new ArrayList<>();
    for (VirtualHost vh : vhosts) {
      for (Queue q : vh.queuesSorted(false)) {
        if (q.consumerCount() == 0) {
          continue;
        }
        for (Consumer consumer : q.consumers()) {
          ChannelView ch = consumer.target().channel();
          if (c.principal().isMonitor() || (ch != null && ch.userName().equals(c.principal().name()))) {
            out.add(ctx.connections().consumer(q, consumer));
          }
        }
      }
    }
    return Listing.ofMaps(out, List.of("queue.vhost", "queue.name", "channel_details.name", "consumer_tag"))
        .unpaginated().reply(c);
  }
}
