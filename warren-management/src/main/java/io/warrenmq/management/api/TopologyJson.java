package io.warrenmq.management.api;

import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.broker.Broker;
import io.warrenmq.broker.exchange.Binding;
import io.warrenmq.broker.exchange.Exchange;
import io.warrenmq.broker.policy.Policy;
import io.warrenmq.broker.vhost.VirtualHost;
import io.warrenmq.management.format.AmqpJson;
import io.warrenmq.management.format.BindingKeys;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Exchanges and bindings as the management API answers them (rabbit_mgmt_format exchange and
 * binding): the exchange's declaration and its policy, if one applies; a binding's ends, key,
 * arguments and properties_key. The default exchange is named "" (amq.default in paths).
 */
final class TopologyJson {
  private final Broker broker;

  TopologyJson(Broker broker) {
    this.broker = broker;
  }

  /** An exchange with the request's {@code stats} (its message_stats). */
  Map<String, Object> exchange(VirtualHost vh, Exchange x, boolean detailed, ObjectStats stats) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("arguments", AmqpJson.table(x.spec().arguments()));
    m.put("auto_delete", x.spec().autoDelete());
    m.put("durable", x.spec().durable());
    m.put("internal", x.spec().internal());
    m.put("name", x.name());
    Policy p = x.name().isEmpty() ? null : broker.policies().match(vh.name(), Policy.Kind.EXCHANGE, x.name(), false);
    if (p != null) {
      m.put("policy", p.name());
    }
    m.put("type", x.type());
    m.put("vhost", vh.name());
    stats.exchange(vh, x, m, detailed);
    return m;
  }

  static Map<String, Object> binding(String vhost, Binding b) {
    return binding(vhost, b.source().name(), b.destination().name(), b.destination().kind(), b.routingKey(),
        b.arguments());
  }

  static Map<String, Object> binding(String vhost, String source, String destination, String kind, String key,
      FieldTable arguments) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("source", source);
    m.put("vhost", vhost);
    m.put("destination", destination);
    m.put("destination_type", kind);
    m.put("routing_key", key);
    m.put("arguments", AmqpJson.table(arguments));
    m.put("properties_key", BindingKeys.pack(key, arguments));
    return m;
  }
}
