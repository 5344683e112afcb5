package io.warrenmq.broker.queue;

import io.warrenmq.amqp.types.FieldTable;

/**
 * What a queue is declared as: the fields of queue.declare, independent of the wire method.
 *
 * @param vhost the vhost name
 */
public record QueueSpec(
    String vhost,
    String name,
    boolean durable,
    boolean exclusive,
    boolean autoDelete,
    FieldTable arguments) {

  /** RabbitMQ's resource naming in reply texts: "queue 'q' in vhost '/'". */
  public String resource() {
    return "queue '" + name + "' in vhost '" + vhost + "'";
  }
}
