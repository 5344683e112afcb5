package io.warrenmq.broker.exchange;

import io.warrenmq.amqp.types.FieldTable;

/**
 * A binding from a source exchange to a destination. Two bindings with the same ends and routing
 * key but different arguments are different bindings, as in RabbitMQ.
 */
public record Binding(Exchange source, Destination destination, String routingKey, FieldTable arguments) {
  @Override
  public String toString() {
    return "Binding[" + source.name() + " -> " + destination.kind() + " " + destination.name()
        + " key=" + routingKey + " args=" + arguments + "]";
  }
}
