package io.warrenmq.server.ctl;

import io.warrenmq.broker.Broker;
import io.warrenmq.broker.consumer.Consumer;
import io.warrenmq.broker.queue.ClassicQueue;
import io.warrenmq.broker.queue.Queue;
import io.warrenmq.broker.view.ChannelView;
import io.warrenmq.broker.view.ConnectionView;
import io.warrenmq.broker.view.Pids;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connections, channels and consumers: list_connections, list_channels, list_consumers with
 * rabbitmqctl 3.13's info items and default columns (the items of rabbit_reader, rabbit_channel
 * and rabbit_amqqueue:consumers, formatted as its table formatter does), close_connection and
 * close_all_connections.
 */
final class ConnectionCommands implements CommandGroup {
  private static final Logger log = LoggerFactory.getLogger(ConnectionCommands.class);

  private static final Table.Items<ConnectionView> CONNECTION_ITEMS = new Table.Items<ConnectionView>()
      .add("pid", ConnectionView::pid)
      .add("name", ConnectionView::name)
      .add("port", c -> Integer.toString(c.port()))
      .add("host", ConnectionView::host)
      .add("peer_port", c -> Integer.toString(c.peerPort()))
      .add("peer_host", ConnectionView::peerHost)
      .add("ssl", c -> Boolean.toString(c.ssl()))
      // without TLS rabbit_ssl answers '' for these
      .add("ssl_protocol", c -> "")
      .add("ssl_key_exchange", c -> "")
      .add("ssl_cipher", c -> "")
      .add("ssl_hash", c -> "")
      .add("peer_cert_subject", c -> "")
      .add("peer_cert_issuer", c -> "")
      .add("peer_cert_validity", c -> "")
      .add("state", ConnectionView::state)
      .add("channels", c -> Integer.toString(c.channelCount()))
      // P:version() of rabbit_framing_amqp_0_9_1, printed as an Erlang tuple
      .add("protocol", c -> c.protocol().equals("AMQP 0-9-1") ? "{0,9,1}" : c.protocol())
      .add("auth_mechanism", ConnectionView::authMechanism)
      .add("user", ConnectionView::userName)
      .add("vhost", ConnectionView::vhostName)
      .add("timeout", c -> Integer.toString(c.timeout()))
      .add("frame_max", c -> Integer.toString(c.frameMax()))
      .add("channel_max", c -> Integer.toString(c.channelMax()))
      .add("client_properties", c -> ErlangTerms.table(c.clientProperties()))
      .add("recv_oct", c -> Long.toString(c.recvOct()))
      .add("recv_cnt", c -> Long.toString(c.recvCnt()))
      .add("send_oct", c -> Long.toString(c.sendOct()))
      .add("send_cnt", c -> Long.toString(c.sendCnt()))
      .add("send_pend", c -> Long.toString(c.sendPend()))
      .add("connected_at", c -> Long.toString(c.connectedAt()));

  private static final Table.Items<ChannelView> CHANNEL_ITEMS = new Table.Items<ChannelView>()
      .add("pid", ChannelView::pid)
      .add("connection", c -> c.connection().pid())
      .add("name", ChannelView::name)
      .add("number", c -> Integer.toString(c.number()))
      .add("user", ChannelView::userName)
      .add("vhost", ChannelView::vhostName)
      .add("transactional", c -> Boolean.toString(c.transactional()))
      .add("confirm", c -> Boolean.toString(c.confirm()))
      .add("consumer_count", c -> Integer.toString(c.consumerCount()))
      .add("messages_unacknowledged", c -> Integer.toString(c.messagesUnacknowledged()))
      .add("messages_uncommitted", c -> Integer.toString(c.messagesUncommitted()))
      .add("acks_uncommitted", c -> Integer.toString(c.acksUncommitted()))
      .add("messages_unconfirmed", c -> Long.toString(c.messagesUnconfirmed()))
      .add("prefetch_count", c -> Integer.toString(c.prefetchCount()))
      .add("global_prefetch_count", c -> Integer.toString(c.globalPrefetchCount()));

  /** One consumer as rabbit_amqqueue:consumers lists it. */
  private record ConsumerRow(Queue queue, Consumer consumer, boolean active, String activityStatus) {}

  private static final Table.Items<ConsumerRow> CONSUMER_ITEMS = new Table.Items<ConsumerRow>()
      .add("queue_name", r -> r.queue().name())
      .add("channel_pid", r -> {
        ChannelView ch = r.consumer().target().channel();
        return ch == null ? "" : ch.pid();
      })
      .add("consumer_tag", r -> r.consumer().tag())
      .add("ack_required", r -> Boolean.toString(!r.consumer().noAck()))
      .add("prefetch_count", r -> Integer.toString(r.consumer().prefetch()))
      .add("active", r -> Boolean.toString(r.active()))
      .add("activity_status", ConsumerRow::activityStatus)
      .add("arguments", r -> ErlangTerms.table(r.consumer().arguments()));

  private final Broker broker;

  ConnectionCommands(Broker broker) {
    this.broker = broker;
  }

  @Override
  public boolean run(String cmd, CtlArgs a, StringBuilder out) {
    switch (cmd) {
      case "list_connections" -> CONNECTION_ITEMS.write(out, a, "Listing connections ...", a.positional,
          List.of("user", "peer_host", "peer_port", "state"), () -> broker.connections().list());
      case "list_channels" -> CHANNEL_ITEMS.write(out, a, "Listing channels ...", a.positional,
          List.of("pid", "user", "consumer_count", "messages_unacknowledged"), this::channels);
      case "list_consumers" -> CONSUMER_ITEMS.write(out, a, "Listing consumers in vhost " + a.vhost + " ...",
          a.positional, List.of("queue_name", "channel_pid", "consumer_tag", "ack_required", "prefetch_count",
              "active", "arguments"), () -> consumers(a));
      case "close_connection" -> closeConnection(a, out);
      case "close_all_connections" -> closeAll(a, out);
      default -> {
        return false;
      }
    }
    return true;
  }

  private List<ChannelView> channels() {
    List<ChannelView> all = new ArrayList<>();
    broker.connections().list().forEach(c -> all.addAll(c.channels()));
    return all;
  }

  /**
   * The consumers of the vhost's queues; with single active consumer only the active one is
   * active ("single_active"), the others "waiting", else every one is "up"
   * (rabbit_queue_consumers:all).
   */
  private List<ConsumerRow> consumers(CtlArgs a) {
    List<ConsumerRow> rows = new ArrayList<>();
    for (Queue q : QueueCommands.vhost(broker, a).queues()) {
      boolean sac = q instanceof ClassicQueue cq && cq.settings().singleActiveConsumer();
      for (Consumer c : q.consumers()) {
        if (!sac) {
          rows.add(new ConsumerRow(q, c, true, "up"));
        } else {
          boolean active = ((ClassicQueue) q).isActive(c);
          rows.add(new ConsumerRow(q, c, active, active ? "single_active" : "waiting"));
        }
      }
    }
    return rows;
  }

  /**
   * close_connection: the connection named by its pid (as rabbitmqctl) or its name gets
   * connection.close 320 "CONNECTION_FORCED - explanation". A pid no connection has is no error,
   * as in RabbitMQ (rabbit_networking:close_connection logs a warning and answers ok); a name no
   * connection has is.
   */
  private void closeConnection(CtlArgs a, StringBuilder out) {
    String usage = "close_connection <connection pid> <explanation>";
    if (a.positional.size() < 2) {
      throw ValidationException.notEnoughArgs(a, usage);
    }
    a.atMost(2, usage);
    String id = a.positional.get(0);
    String explanation = a.positional.get(1);
    ConnectionView c = broker.connections().find(id);
    if (c == null && !Pids.isPid(id)) {
      throw new IllegalArgumentException("no connection with pid or name '" + id + "'; see list_connections pid name");
    }
    a.info(out, "Closing connection " + id + ", reason: " + explanation + "...");
    if (c == null) {
      log.warn("asked to close connection {} (reason: {}) but no such connection is open; was it already closed?",
          id, explanation);
      return;
    }
    broker.connections().close(c, explanation);
  }

  /**
   * close_all_connections: those of the vhost (-p, default "/"), at most --limit of them, or with
   * --global every connection; --per-connection-delay waits between two. Prints "Closed N
   * connections" (rabbitmqctl's output).
   */
  private void closeAll(CtlArgs a, StringBuilder out) {
    String usage = "close_all_connections [-p <vhost> --limit <limit>] [--global] [--per-connection-delay <ms>] "
        + "<explanation>";
    if (a.positional.isEmpty()) {
      throw ValidationException.notEnoughArgs(a, usage);
    }
    a.atMost(1, usage);
    String explanation = a.positional.getFirst();
    List<ConnectionView> conns;
    if (a.global) {
      a.info(out, "Closing all connections to node " + broker.pids().node() + " (across all vhosts), reason: "
          + explanation + "...");
      conns = broker.connections().list();
    } else {
      a.info(out, (a.limit == 0 ? "Closing all connections" : "Closing " + a.limit + " connections") + " in vhost "
          + a.vhost + ", reason: " + explanation + "...");
      conns = broker.connections().list(a.vhost);
      if (a.limit > 0 && conns.size() > a.limit) {
        conns = conns.subList(0, a.limit);
      }
    }
    for (int i = 0; i < conns.size(); i++) {
      if (i > 0 && a.perConnectionDelayMs > 0) {
        pause(a.perConnectionDelayMs);
      }
      broker.connections().close(conns.get(i), explanation);
    }
    out.append("Closed ").append(conns.size()).append(" connections\n");
  }

  /** The delay the operator asked for between two closures (this request's own virtual thread). */
  private static void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while closing connections", e);
    }
  }
}
