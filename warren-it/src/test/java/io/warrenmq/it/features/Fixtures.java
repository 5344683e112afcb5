package io.warrenmq.it.features;

import static io.warrenmq.it.support.Eventually.eventually;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.broker.policy.Policy;
import io.warrenmq.it.support.BrokerExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the TTL, dead-lettering, length-limit and policy ITs share: a dead-letter exchange with a
 * queue behind it, x-death read back from a delivery, ready counts waited for, and policies set
 * in-process.
 */
final class Fixtures {
  private Fixtures() {}

  /** A fanout dead-letter exchange {@code name + ".dlx"} with the queue {@code name + ".dead"} bound to it. */
  record Dlx(String exchange, String queue) {}

  static Dlx deadLetterTarget(Channel ch, String name) throws IOException {
    Dlx d = new Dlx(name + ".dlx", name + ".dead");
    ch.exchangeDeclare(d.exchange(), "fanout");
    ch.queueDeclare(d.queue(), false, false, false, null);
    ch.queueBind(d.queue(), d.exchange(), "");
    return d;
  }

  /** A non-durable queue {@code q} with {@code extraArgs}, dead-lettering to a fresh {@link #deadLetterTarget}. */
  static Dlx queueWithDlx(Channel ch, String q, Map<String, Object> extraArgs) throws IOException {
    Dlx dlx = deadLetterTarget(ch, q);
    Map<String, Object> args = new HashMap<>(extraArgs);
    args.put("x-dead-letter-exchange", dlx.exchange());
    ch.queueDeclare(q, false, false, false, args);
    return dlx;
  }

  /** Ready messages, as queue.declare-ok reports them. */
  static long ready(Channel ch, String queue) {
    try {
      return ch.queueDeclarePassive(queue).getMessageCount();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until {@code queue} has exactly {@code n} ready messages. */
  static void awaitReady(Channel ch, String queue, long n) {
    long[] last = {-1};
    try {
      eventually(queue + " has " + n + " ready messages", () -> (last[0] = ready(ch, queue)) == n);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + " (last seen: " + last[0] + ")", e);
    }
  }

  /** Takes the next message of {@code queue} with auto-ack, waiting for it. */
  static GetResponse awaitGet(Channel ch, String queue) {
    GetResponse[] r = {null};
    eventually("a message in " + queue, () -> {
      try {
        r[0] = ch.basicGet(queue, true);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return r[0] != null;
    });
    return r[0];
  }

  /** The x-death header of a delivery: its tables, most recent first. */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> xDeath(AMQP.BasicProperties p) {
    Object v = p.getHeaders() == null ? null : p.getHeaders().get("x-death");
    return v == null ? List.of() : (List<Map<String, Object>>) v;
  }

  /** A header's value as text (the client hands out LongStrings). */
  static String header(AMQP.BasicProperties p, String name) {
    Object v = p.getHeaders() == null ? null : p.getHeaders().get(name);
    return v == null ? null : v.toString();
  }

  /** The routing-keys of one x-death table as strings. */
  static List<String> routingKeys(Map<String, Object> death) {
    return ((List<?>) death.get("routing-keys")).stream().map(Object::toString).toList();
  }

  static AMQP.BasicProperties expiring(String ms) {
    return new AMQP.BasicProperties.Builder().expiration(ms).build();
  }

  static AMQP.BasicProperties persistentExpiring(String ms) {
    return new AMQP.BasicProperties.Builder().expiration(ms).deliveryMode(2).build();
  }

  static void setPolicy(BrokerExtension broker, String name, String pattern, Policy.ApplyTo applyTo, int priority,
      Map<String, Object> definition) {
    broker.server().broker().setPolicy(new Policy("/", name, pattern, applyTo, priority, FieldTable.of(definition), false));
  }

  static void setOperatorPolicy(BrokerExtension broker, String name, String pattern, Map<String, Object> definition) {
    broker.server().broker().setPolicy(new Policy("/", name, pattern, Policy.ApplyTo.QUEUES, 0, FieldTable.of(definition), true));
  }

  static void clearPolicy(BrokerExtension broker, String name) {
    broker.server().broker().clearPolicy("/", name, false);
  }

  /** Whether the queue exists, asked in-process (a passive declare would count as use for x-expires). */
  static boolean queueExists(BrokerExtension broker, String queue) {
    return broker.server().broker().vhost("/").queue(queue) != null;
  }
}
