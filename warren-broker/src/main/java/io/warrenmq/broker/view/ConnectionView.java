package io.warrenmq.broker.view;

import io.warrenmq.amqp.ReplyCode;

/** What the broker and its tools may know of a client connection; the server implements it. */
public interface ConnectionView {
  /** RabbitMQ-style name: "127.0.0.1:50412 -> 127.0.0.1:5672". */
  String name();

  /** The authenticated user, or "" during the handshake. */
  String userName();

  /** The vhost opened, or "" during the handshake. */
  String vhostName();

  int channelCount();

  /** The client's connection_name property or product, for listings. */
  String clientName();

  /** Epoch ms when the TCP connection was accepted. */
  long connectedAt();

  /** Closes the connection from the broker side with connection.close(code, text). Thread-safe. */
  void close(ReplyCode code, String text);
}
