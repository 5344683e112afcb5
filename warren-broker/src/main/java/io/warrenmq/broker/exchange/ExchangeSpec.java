package io.warrenmq.broker.exchange;

import io.warrenmq.amqp.types.FieldTable;

/** What an exchange is declared as: the fields of exchange.declare, independent of the wire. */
public record ExchangeSpec(
    String vhost,
    String name,
    String type,
    boolean durable,
    boolean autoDelete,
    boolean internal,
    FieldTable arguments) {

  /** RabbitMQ's resource naming in reply texts: "exchange 'x' in vhost '/'". */
  public String resource() {
    return "exchange '" + name + "' in vhost '" + vhost + "'";
  }
}
