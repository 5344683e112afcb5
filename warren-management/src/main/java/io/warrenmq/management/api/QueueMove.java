package io.warrenmq.management.api;

import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;
import io.warrenmq.broker.vhost.VirtualHost;
import io.warrenmq.management.auth.Access;
import io.warrenmq.management.http.ApiException;
import io.warrenmq.management.http.Response;
import java.util.Map;

/**
 * {@code POST /api/queues/{vhost}/{name}/actions}: RabbitMQ's queue actions endpoint
 * (rabbit_mgmt_wm_queue_actions, administrators only), with WarrenMQ's action {@code move}:
 * {@code {"action":"move","destination":"other-queue","count":100}} moves at most {@code count}
 * (default: all) ready messages to another queue of the vhost, as RabbitMQ's UI does with a
 * shovel, and answers {@code {"moved": n}}. RabbitMQ's {@code sync} and {@code cancel_sync} act on
 * classic mirrored queues, which WarrenMQ does not have: they change nothing (204, as RabbitMQ
 * answers them for an unmirrored queue); any other action is 400.
 */
final class QueueMove {
  /** The owner the broker checks exclusive queues against: none of the AMQP connections. */
  private static final Object HTTP = new Object();

  private QueueMove() {}

  /** {@code {"action":"move","destination":Q[,"count":N]}} on the queue the call names (administrators). */
  static Response move(Call c, VirtualHost vh, Map<String, Object> body) {
    if (!(body.get("destination") instanceof String destination) || destination.isEmpty()) {
      throw ApiException.badRequest("destination: a queue name is required");
    }
    long max = Long.MAX_VALUE;
    Object count = body.get("count");
    if (count != null) {
      if (!(count instanceof Number n) || n.longValue() < 1) {
        throw ApiException.badRequest("count: a positive number is required");
      }
      max = n.longValue();
    }
    try {
      return Response.ok(Map.of("moved", vh.moveMessages(c.param("name"), destination, max, HTTP)));
    } catch (AmqpException e) {
      if (e.replyCode() == ReplyCode.NOT_FOUND) {
        throw Call.notFound();
      }
      throw ApiException.badRequest(e.replyText());
    }
  }
}
