package io.warrenmq.management.api;

import io.warrenmq.broker.Broker;
import io.warrenmq.broker.consumer.Consumer;
import io.warrenmq.broker.queue.ClassicQueue;
import io.warrenmq.broker.queue.Queue;
import io.warrenmq.broker.view.ChannelView;
import io.warrenmq.broker.view.ConnectionView;
import io.warrenmq.management.format.AmqpJson;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Connections, channels and consumers as the management API answers them, read from the broker's
 * views: the keys of RabbitMQ's connection_created event and rabbit_reader's statistics
 * (addresses, the client's properties as an object, negotiated limits, traffic), rabbit_channel's
 * INFO_KEYS, and rabbit_amqqueue's consumer items with the channel's details. Statistics of rates
 * join through {@link ObjectStats}.
 */
final class ConnectionJson {
  private final Broker broker;

  ConnectionJson(Broker broker) {
    this.broker = broker;
  }

  private String node() {
    return broker.pids().node();
  }

  /** A connection with the request's {@code stats} (the details of send_oct and recv_oct). */
  Map<String, Object> connection(ConnectionView c, ObjectStats stats) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("auth_mechanism", c.authMechanism());
    m.put("channel_max", c.channelMax());
    m.put("channels", c.channelCount());
    m.put("client_properties", AmqpJson.table(c.clientProperties()));
    m.put("connected_at", c.connectedAt());
    m.put("frame_max", c.frameMax());
    m.put("host", c.host());
    m.put("name", c.name());
    m.put("node", node());
    // without TLS RabbitMQ answers '' for these, which the API writes as null
    m.put("peer_cert_issuer", null);
    m.put("peer_cert_subject", null);
    m.put("peer_cert_validity", null);
    m.put("peer_host", c.peerHost());
    m.put("peer_port", c.peerPort());
    m.put("port", c.port());
    m.put("protocol", c.protocol());
    m.put("recv_cnt", c.recvCnt());
    m.put("recv_oct", c.recvOct());
    m.put("send_cnt", c.sendCnt());
    m.put("send_oct", c.sendOct());
    m.put("send_pend", c.sendPend());
    m.put("ssl", c.ssl());
    m.put("ssl_cipher", c.sslCipher());
    m.put("ssl_hash", null);
    m.put("ssl_key_exchange", null);
    m.put("ssl_protocol", c.sslProtocol());
    m.put("state", c.state());
    m.put("timeout", c.timeout());
    m.put("type", "network");
    m.put("user", c.userName());
    String provided = c.clientProperties().getString("connection_name");
    if (provided != null) {
      m.put("user_provided_name", provided);
    }
    m.put("user_who_performed_action", c.userName());
    m.put("vhost", c.vhostName());
    stats.connection(c, m);
    return m;
  }

  /** {@code connection_details} of a channel: the connection's name and peer. */
  static Map<String, Object> connectionDetails(ConnectionView c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", c.name());
    m.put("peer_host", c.peerHost());
    m.put("peer_port", c.peerPort());
    return m;
  }

  /** A channel with the request's {@code stats} (its message_stats). */
  Map<String, Object> channel(ChannelView ch, List<Map<String, Object>> consumerDetails, boolean detailed,
      ObjectStats stats) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("acks_uncommitted", ch.acksUncommitted());
    m.put("confirm", ch.confirm());
    m.put("connection_details", connectionDetails(ch.connection()));
    m.put("consumer_count", ch.consumerCount());
    m.put("global_prefetch_count", ch.globalPrefetchCount());
    m.put("messages_unacknowledged", ch.messagesUnacknowledged());
    m.put("messages_uncommitted", ch.messagesUncommitted());
    m.put("messages_unconfirmed", ch.messagesUnconfirmed());
    m.put("name", ch.name());
    m.put("node", node());
    m.put("number", ch.number());
    m.put("pending_raft_commands", 0); // no quorum queue commands in flight: there are none yet
    m.put("prefetch_count", ch.prefetchCount());
    m.put("state", ch.state());
    m.put("transactional", ch.transactional());
    m.put("user", ch.userName());
    m.put("user_who_performed_action", ch.userName());
    m.put("vhost", ch.vhostName());
    if (detailed) {
      m.put("consumer_details", consumerDetails);
    }
    stats.channel(ch, m, detailed);
    return m;
  }

  /** A consumer, as {@code /api/consumers} and the queue's and channel's consumer_details list it. */
  Map<String, Object> consumer(Queue q, Consumer c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("arguments", AmqpJson.table(c.arguments()));
    m.put("ack_required", !c.noAck());
    boolean sac = q instanceof ClassicQueue cq && cq.settings().singleActiveConsumer();
    boolean active = !sac || ((ClassicQueue) q).isActive(c);
    m.put("active", active);
    // rabbit_queue_consumers: "single_active" / "waiting" under single active consumer, else "up"
    m.put("activity_status", !sac ? "up" : active ? "single_active" : "waiting");
    m.put("channel_details", channelDetails(c.target().channel()));
    m.put("consumer_tag", c.tag());
    m.put("exclusive", c.exclusive());
    m.put("prefetch_count", c.prefetch());
    Map<String, Object> queue = new LinkedHashMap<>();
    queue.put("name", q.name());
    queue.put("vhost", q.spec().vhost());
    m.put("queue", queue);
    return m;
  }

  /** A consumer's {@code channel_details}; an empty object when the consumer has no channel. */
  private Map<String, Object> channelDetails(@org.jspecify.annotations.Nullable ChannelView ch) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (ch != null) {
      m.put("connection_name", ch.connection().name());
      m.put("name", ch.name());
      m.put("node", node());
      m.put("number", ch.number());
      m.put("peer_host", ch.connection().peerHost());
      m.put("peer_port", ch.connection().peerPort());
      m.put("user", ch.userName());
    }
    return m;
  }
}
