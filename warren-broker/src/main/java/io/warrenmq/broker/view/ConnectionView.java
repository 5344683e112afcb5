package io.warrenmq.broker.view;

import io.warrenmq.amqp.ReplyCode;
import io.warrenmq.amqp.types.FieldTable;
import java.util.List;

/**
 * What the broker and its tools may know of a client connection: the items of rabbitmqctl
 * list_connections (rabbit_reader info keys) and of the management API's connection objects, and
 * the way to close it. The server implements it; values are raw (numbers, addresses as text), each
 * front door formats them its way.
 *
 * <p>Threading: every getter may be called from any thread; it reads fields the connection's
 * event loop writes without locks, so a value may be slightly stale, never torn.
 */
public interface ConnectionView {
  /** The connection's synthetic pid ({@link Pids}), by which rabbitmqctl names it. */
  String pid();

  /** RabbitMQ-style name: "127.0.0.1:50412 -> 127.0.0.1:5672". */
  String name();

  /** The authenticated user, or "" during the handshake. */
  String userName();

  /** The vhost opened, or "" during the handshake. */
  String vhostName();

  int channelCount();

  /** The open channels, in no particular order (a copy). */
  List<ChannelView> channels();

  /** The client's connection_name property or product, for listings. */
  String clientName();

  /** The client-properties of connection.start-ok, as sent. */
  FieldTable clientProperties();

  /** Epoch ms when the TCP connection was accepted. */
  long connectedAt();

  /** The client's address (numeric, as RabbitMQ's peer_host). */
  String peerHost();

  int peerPort();

  /** The broker's address the client connected to. */
  String host();

  int port();

  /**
   * RabbitMQ's connection_state: "starting", "tuning", "opening" during the handshake, then
   * "running"; "blocking" / "blocked" under a resource alarm; "closing", "closed".
   */
  String state();

  /** Negotiated heartbeat timeout in seconds (0 = none). */
  int timeout();

  int frameMax();

  int channelMax();

  /** The SASL mechanism the client logged in with ("PLAIN", "AMQPLAIN"), or "" before start-ok. */
  String authMechanism();

  /** The protocol spoken. */
  default String protocol() {
    return "AMQP 0-9-1";
  }

  /** Whether the connection is over TLS. */
  default boolean ssl() {
    return false;
  }

  /** The TLS version, as RabbitMQ names it ("tlsv1.3"); null on a plain connection. */
  default @org.jspecify.annotations.Nullable String sslProtocol() {
    return null;
  }

  /** The TLS cipher suite (its IANA name); null on a plain connection. */
  default @org.jspecify.annotations.Nullable String sslCipher() {
    return null;
  }

  /** Bytes received from the client. */
  long recvOct();

  /** Reads from the socket. */
  long recvCnt();

  /** Bytes sent to the client. */
  long sendOct();

  /** Writes to the socket. */
  long sendCnt();

  /** Bytes waiting to be sent. */
  long sendPend();

  /**
   * Whether {@code owner} is this connection's identity as queues and consumers know it (a
   * queue's exclusiveOwner, a consumer's owner): the management API names the connection that
   * owns an exclusive queue (owner_pid_details).
   */
  default boolean owns(Object owner) {
    return false;
  }

  /** Closes the connection from the broker side with connection.close(code, text). Thread-safe. */
  void close(ReplyCode code, String text);
}
